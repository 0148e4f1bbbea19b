# HTCorrM ("On the Correlation among Edge, Pose and Parsing", TPAMI 2021;
# Fig. 3) with the unified backbone HRNetV2-W48
# (mmseg's HRNet, all four branches out). Sec. 4.2: "its stage 1, stage 3,
# and stage 4 are adopted as G1, G2 and G3": read here as the branches that
# stages 1, 3 and 4 add (strides 4, 16, 32). ASPP and the pose encoder read
# the HRNetV2 representation (the four branches resized to 1/4 and
# concatenated, as mmseg's HRNet heads with 'resize_concat'); F_k is a 1x1
# convolution of it at 1/4 (no deconvolutions: HRNet is already at 1/4).
# Parsing is the main task; the leaf configs switch `main_task`, Eq. 4's
# weights and (pose) the width W32.
_base_ = './seg_common.py'
norm_cfg = dict(type='SyncBN', requires_grad=True)
# Sec. 3.2: Gaussian heatmaps, sigma 2 heatmap pixels; heatmaps at 1/4
codec = dict(
    type='PoseHeatmapCodec',
    input_size=(384, 384),
    heatmap_size=(96, 96),
    sigma=2)
# The edge loss: CE weighted per batch by the negative / positive pixel
# ratio, as the CorrPM code's criterion (the paper only says CE);
# class_weight=[1.0, 10.0] is the fixed-weight switch (README table)
edge_ce = dict(
    type='WeightedCrossEntropyLoss',
    avg_non_ignore=True,
    class_weight='batch_balanced')
# Eq. 4 with the other main tasks (Sec. 4.2, "Training details"); a leaf
# switches with `model = dict(decode_head=_base_.edge_main)` (or pose_main).
# Edge main: L_b(O_m) + 0.08 L_p + 200 L_k + 1 L_b (the main output with
# the edge loss at weight 1)
edge_main = dict(
    main_task='edge',
    num_classes=2,
    loss_decode=dict(edge_ce, _delete_=True, loss_weight=1.0),
    loss_parsing=dict(loss_weight=0.08),
    loss_pose=dict(loss_weight=200.0),
    loss_edge=dict(loss_weight=1.0))
# Pose main: L_k(O_m) + 0.001 L_p + 1 L_k + 0.0025 L_b
pose_main = dict(
    main_task='pose',
    num_classes=16,
    loss_decode=dict(_delete_=True, type='mmdet.MSELoss', loss_weight=1.0),
    loss_parsing=dict(loss_weight=0.001),
    loss_pose=dict(loss_weight=1.0),
    loss_edge=dict(loss_weight=0.0025))
model = dict(
    type='MultiTaskEncoderDecoder',
    # 384 x 384 inputs (Sec. 4.2), as the codec
    data_preprocessor=dict(_base_.data_preprocessor, size=(384, 384)),
    backbone=dict(
        type='mmseg.HRNet',
        norm_cfg=norm_cfg,
        norm_eval=False,
        extra=dict(
            stage1=dict(
                num_modules=1,
                num_branches=1,
                block='BOTTLENECK',
                num_blocks=(4, ),
                num_channels=(64, )),
            stage2=dict(
                num_modules=1,
                num_branches=2,
                block='BASIC',
                num_blocks=(4, 4),
                num_channels=(48, 96)),
            stage3=dict(
                num_modules=4,
                num_branches=3,
                block='BASIC',
                num_blocks=(4, 4, 4),
                num_channels=(48, 96, 192)),
            stage4=dict(
                num_modules=3,
                num_branches=4,
                block='BASIC',
                num_blocks=(4, 4, 4, 4),
                num_channels=(48, 96, 192, 384))),
        # ImageNet pre-training (Sec. 4.2)
        init_cfg=dict(
            type='Pretrained', checkpoint='open-mmlab://msra/hrnetv2_w48')),
    decode_head=dict(
        type='HTCorrMHead',
        main_task='parsing',
        num_parsing_classes=20,
        num_keypoints=16,
        in_channels=[48, 96, 192, 384],
        in_index=[0, 1, 2, 3],
        input_transform='multiple_select',
        g_index=(0, 2, 3),  # branches of stages 1, 3, 4 (Sec. 4.2)
        concat_index=(0, 1, 2, 3),  # HRNetV2: input 4, 720 channels, 1/4
        aspp_index=4,
        pose_index=4,
        pose_widths=(),  # F_k: one 1x1 conv at 1/4, no deconvolutions
        aspp_dilations=(1, 12, 24, 36),  # Sec. 3.2
        aspp_channels=256,
        edge_channels=256,
        channels=512,  # Sec. 4.2: F_p, F_k, F_b are 512 x 96 x 96
        hnl_channels=512,
        # 96 x 96 -> L = 9216: the (L, L) affinity in 4 query chunks
        chunk_size=2304,
        dropout_ratio=0.1,
        norm_cfg=norm_cfg,
        align_corners=False,
        codec=codec,
        # Eq. 4 with parsing as the main task: alpha=1, beta=50, gamma=2
        # (Sec. 4.2, "Training details")
        loss_decode=_base_.ce_loss,
        loss_parsing=_base_.ce_loss,
        loss_pose=dict(type='mmdet.MSELoss', loss_weight=50.0),
        loss_edge=dict(edge_ce, loss_weight=2.0)),
    train_cfg=dict(),
    # Sec. 4.2 "Testing details": single scale, no flip
    test_cfg=dict(
        mode='whole',
        flip=False,
        keypoint_flip_pairs=[(0, 5), (1, 4), (2, 3), (10, 15), (11, 14),
                             (12, 13)],
        output_aux=False))
