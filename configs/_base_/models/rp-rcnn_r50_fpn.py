# RP R-CNN (arXiv:2009.09447) model as the official code builds it
# (soeaver/RP-R-CNN @ dfcc227, cfgs/CIHP/e2e_rp_rcnn_R-50-FPN_3x_ms.yaml):
# parsing-rcnn_r50_fpn.py + GN (FPN.USE_GN, GCE_HEAD.USE_GN: convs without
# bias) + the GSE branch (lambda_s = 2.0, Table 4) + the PRSN (lambda_r =
# 1.0, Table 5); lambda_p = 2.0 (Table 3). 20 parts (CIHP); MHP-v2 leaves
# set 59. configs/rp_rcnn/README.md lists every official / paper point.
_base_ = './parsing-rcnn_r50_fpn.py'
num_parts = 20
model = dict(
    # the global part labels are padded with the batch: 0 (background) as
    # the official semseg_batch_resize does (255 would ignore the padding)
    data_preprocessor=dict(pad_seg=True, seg_pad_value=0),
    # GN after all 8 FPN convs (official FPN.USE_GN: True; the paper says
    # only "same as Parsing R-CNN")
    neck=dict(norm_cfg=_base_.gn),
    # GSE (Sec. 3.3): P2-P6 -> global part logits; the embedded semantic
    # feature is added to P2-P5, which replace the FPN levels (official
    # enhance_feature; num_outs=5 with_embedding=False is the paper text)
    semantic_head=dict(
        type='GSESemanticHead',
        in_channels=256,
        conv_out_channels=256,
        num_ins=5,
        num_outs=4,
        with_embedding=True,
        num_classes=num_parts,
        num_convs=4,
        norm_cfg=_base_.gn,
        # lambda_s = 2 (Table 4)
        loss_seg=dict(_base_.ce_loss, ignore_index=255, loss_weight=2.0)),
    # the RPN sees the 4 enhanced levels S2-S5 (anchors 32-256 px)
    rpn_head=dict(anchor_generator=dict(strides=[4, 8, 16, 32])),
    roi_head=dict(
        # GN in the GCE head (official GCE_HEAD.USE_GN: True)
        parsing_head=dict(norm_cfg=dict(_base_.gn, _delete_=True)),
        parsing_iou_head=dict(
            type='ParsingIoUHead',
            num_classes=num_parts,
            # the GCE head's features (its last conv's output)
            in_channels=_base_.model.roi_head.parsing_head.conv_out_channels,
            num_convs=2,
            conv_out_channels=128,
            num_fcs=2,
            fc_out_channels=256,
            # lambda_r = 1 (Table 5); official l2_loss: 0.5 (p - t)^2
            # averaged over the RoIs with target IoU > 0 (the paper's
            # "MSE loss": dict(type='mmdet.MSELoss', loss_weight=1.0))
            loss_iou=dict(type='L2Loss', pos_only=True, loss_weight=1.0))),
    test_cfg=dict(
        # each person's map adds 0.2 x the GSE softmax inside its predicted
        # foreground before the argmax (official PRCNN.SEMSEG_FUSE_WEIGHT;
        # 0.0: the paper text, which has no such fusion)
        rcnn=dict(semseg_fuse_weight=0.2),
        # global map (Fig. 4 (a)): a label only where its probability > 0.7
        # (official parsing_eval.py; 0 = the paper's plain argmax)
        semantic=dict(score_thr=0.7)))
