# Parsing R-CNN (arXiv:1811.12596) as the official code builds it for CIHP /
# MHP-v2 (soeaver/Parsing-R-CNN, cfgs/CIHP/e2e_parsing_rcnn_R-50-FPN_3x_ms
# .yaml), so that its released checkpoints convert
# (tools/model_converters/rprcnn2mmhp.py): caffe-style ResNet-50 with frozen
# affine norms, FPN P2-P6 without norm (convs with bias), Faster R-CNN box
# branch, GCE parsing head on P2 (convs with bias, GN only in its non-local
# block). rp-rcnn_r50_fpn.py adds GN (FPN and GCE), the GSE semantic_head
# and the PRSN (parsing_iou_head). configs/parsing_rcnn/README.md lists
# every official / paper point.
num_parts = 20  # CIHP part classes incl. background (MHP-v2: 59)
gn = dict(type='GN', num_groups=32, requires_grad=True)
# mmdet's cross-entropy averaged over the non-ignored elements only
ce_loss = dict(
    type='mmdet.CrossEntropyLoss', avg_non_ignore=True, loss_weight=1.0)
# Faster R-CNN's sampling (mmdet's faster-rcnn_r50_fpn.py): the RPN labels
# anchors at IoU 0.7 / 0.3 and samples 256 per image, half positive; the box
# branch (train_cfg.rcnn) labels proposals at 0.5 and samples 512 per image
# (Sec. 4.1), a quarter positive.
rpn_assigner = dict(
    type='mmdet.MaxIoUAssigner',
    pos_iou_thr=0.7,
    neg_iou_thr=0.3,
    min_pos_iou=0.3,
    match_low_quality=True,
    ignore_iof_thr=-1,
    iou_calculator=dict(type='mmdet.BboxOverlaps2D'))
rpn_sampler = dict(
    type='mmdet.RandomSampler',
    num=256,
    pos_fraction=0.5,
    neg_pos_ub=-1,
    add_gt_as_proposals=False)
# RPN proposals at test time (training keeps the top 2000 before NMS)
rpn_proposal = dict(
    nms_pre=1000,
    max_per_img=1000,
    nms=dict(type='nms', iou_threshold=0.7),
    min_bbox_size=0)
model = dict(
    type='ParsingRCNN',
    # caffe style (official PIXEL_MEANS, PIXEL_STDS 1): BGR, mean only
    data_preprocessor=dict(
        type='mmdet.DetDataPreprocessor',
        mean=[102.9801, 115.9465, 122.7717],
        std=[1.0, 1.0, 1.0],
        bgr_to_rgb=False,
        pad_size_divisor=32),
    # The official R-50 is caffe style (stride on the 1x1 conv) with
    # affine-only norms (BN folded into a frozen scale and shift) and
    # FREEZE_AT 2 (stem and res2 frozen). Frozen BN in eval mode computes
    # the same map; the converter writes running mean 0 / var 1 - eps.
    backbone=dict(
        type='mmdet.ResNet',
        depth=50,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        frozen_stages=1,
        norm_cfg=dict(type='BN', requires_grad=False),
        norm_eval=True,
        style='caffe',
        init_cfg=dict(
            type='Pretrained',
            checkpoint='open-mmlab://detectron2/resnet50_caffe')),
    neck=dict(
        type='mmdet.FPN',
        in_channels=[256, 512, 1024, 2048],
        out_channels=256,
        num_outs=5),  # P2-P6 (P6: max-pooled P5)
    rpn_head=dict(
        type='mmdet.RPNHead',
        in_channels=256,
        feat_channels=256,
        anchor_generator=dict(
            type='mmdet.AnchorGenerator',
            scales=[8],
            ratios=[0.5, 1.0, 2.0],
            strides=[4, 8, 16, 32, 64]),
        bbox_coder=dict(
            type='mmdet.DeltaXYWHBBoxCoder',
            target_means=[.0, .0, .0, .0],
            target_stds=[1.0, 1.0, 1.0, 1.0]),
        loss_cls=dict(ce_loss, use_sigmoid=True),
        # official RPN.SMOOTH_L1_BETA
        loss_bbox=dict(type='mmdet.SmoothL1Loss', beta=1.0 / 9.0)),
    roi_head=dict(
        type='ParsingRoIHead',
        bbox_roi_extractor=dict(
            type='mmdet.SingleRoIExtractor',
            # official: 2 x 2 samples per bin, legacy (not half-pixel
            # aligned) RoIAlign
            roi_layer=dict(
                type='RoIAlign',
                output_size=7,
                sampling_ratio=2,
                aligned=False),
            out_channels=256,
            featmap_strides=[4, 8, 16, 32]),
        bbox_head=dict(
            type='mmdet.Shared2FCBBoxHead',
            in_channels=256,
            fc_out_channels=1024,
            roi_feat_size=7,
            num_classes=1,  # person
            bbox_coder=dict(
                type='mmdet.DeltaXYWHBBoxCoder',
                target_means=[0., 0., 0., 0.],
                target_stds=[0.1, 0.1, 0.2, 0.2]),
            reg_class_agnostic=False,
            # mmdet registers nn.Linear in its own registry
            cls_predictor_cfg=dict(type='mmdet.Linear'),
            reg_predictor_cfg=dict(type='mmdet.Linear'),
            loss_cls=ce_loss,
            # official FAST_RCNN.SMOOTH_L1_BETA
            loss_bbox=dict(type='mmdet.SmoothL1Loss', beta=1.0)),
        # proposals separation sampling: the parsing branch reads S2 only
        parsing_roi_extractor=dict(
            type='mmdet.SingleRoIExtractor',
            roi_layer=dict(
                type='RoIAlign',
                output_size=32,
                sampling_ratio=2,
                aligned=False),
            out_channels=256,
            featmap_strides=[4]),
        parsing_head=dict(
            type='GCEHead',
            num_classes=num_parts,
            in_channels=256,
            roi_feat_size=32,
            aspp_channels=256,
            aspp_dilations=(1, 6, 12, 18),
            conv_out_channels=512,
            num_convs=4,
            # official Parsing R-CNN yamls: no GCE_HEAD.USE_GN, convs with
            # bias (RP R-CNN's yamls add GN) ...
            norm_cfg=None,
            # ... but the non-local block always has GN (official
            # NonLocal2d(512, 512, 512, use_gn=True): inner width 512, 2 x 2
            # max-pool before phi / g, output conv with bias)
            nonlocal_cfg=dict(
                reduction=1,
                sub_sample=True,
                pool_first=True,
                out_bias=True,
                zeros_init=False,
                norm_cfg=gn),
            # lambda_p = 2 (Table 3); 255: the annotation's ignore label
            loss_parsing=dict(ce_loss, ignore_index=255, loss_weight=2.0))),
    train_cfg=dict(
        rpn=dict(
            assigner=rpn_assigner,
            sampler=rpn_sampler,
            # official STRADDLE_THRESH 0: anchors crossing the image border
            # are not trained
            allowed_border=0,
            pos_weight=-1,
            debug=False),
        rpn_proposal=dict(rpn_proposal, nms_pre=2000),
        rcnn=dict(
            assigner=dict(
                rpn_assigner, pos_iou_thr=0.5, neg_iou_thr=0.5,
                min_pos_iou=0.5),
            sampler=dict(
                rpn_sampler, num=512, pos_fraction=0.25,
                add_gt_as_proposals=True),
            max_parsing_rois_per_img=16,  # parsing-branch RoIs (Sec. 4.1)
            pos_weight=-1,
            debug=False)),
    test_cfg=dict(
        rpn=rpn_proposal,
        rcnn=dict(
            score_thr=0.05,
            nms=dict(type='nms', iou_threshold=0.5),
            max_per_img=100),  # top-100 boxes to the parsing branch (3.5)
        # persons scoring >= score_thr are painted into pred_sem_seg (Fig. 4)
        combine=dict(score_thr=0.3)))
