# HTCorrM (htcorrm-hnl.txt, Fig. 3) with the task-specific parsing backbone:
# DeepLabV2-style ResNet-101 (Sec. 4.2: Res2, Res3, Res4 are G1, G2, G3).
# Output stride 16 (rate 2 in Res5), as the CE2P code base of CorrPM, so the
# two stride-2 deconvolutions of the pose encoder bring Res5 (1/16) exactly
# to G1's 1/4 (Sec. 3.2: "F_k with the same scale as F_p"). Parsing is the
# main task here; the leaf configs switch `main_task` and Eq. 4's weights.
norm_cfg = dict(type='SyncBN', requires_grad=True)
data_preprocessor = dict(
    type='mmseg.SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
# Sec. 3.2: Gaussian heatmaps, sigma 2 heatmap pixels; heatmaps at 1/4
codec = dict(
    type='PoseHeatmapCodec',
    input_size=(384, 384),
    heatmap_size=(96, 96),
    sigma=2)
model = dict(
    type='MultiTaskEncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='mmseg.ResNetV1c',
        depth=101,
        num_stages=4,
        out_indices=(0, 1, 2, 3),  # Res2 .. Res5
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        norm_cfg=norm_cfg,
        norm_eval=False,
        style='pytorch',
        contract_dilation=True,
        # ImageNet pre-training (Sec. 4.2)
        init_cfg=dict(
            type='Pretrained', checkpoint='open-mmlab://resnet101_v1c')),
    decode_head=dict(
        type='HTCorrMHead',
        main_task='parsing',
        num_parsing_classes=20,
        num_keypoints=16,
        in_channels=[256, 512, 1024, 2048],
        in_index=[0, 1, 2, 3],
        input_transform='multiple_select',
        g_index=(0, 1, 2),  # Res2, Res3, Res4 (Sec. 4.2)
        aspp_index=3,  # ASPP on Res5, as DeepLabV2
        pose_index=3,  # 1/16 -> two stride-2 deconvs -> 1/4
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
        loss_decode=dict(
            type='mmseg.CrossEntropyLoss',
            avg_non_ignore=True,
            loss_weight=1.0),
        loss_parsing=dict(
            type='mmseg.CrossEntropyLoss',
            avg_non_ignore=True,
            loss_weight=1.0),
        loss_pose=dict(type='mmdet.MSELoss', loss_weight=50.0),
        # CE with a 10x weight on the rare edge pixels (the paper only says
        # CE; our choice, see configs/htcorrm/README.md)
        loss_edge=dict(
            type='WeightedCrossEntropyLoss',
            avg_non_ignore=True,
            class_weight=[1.0, 10.0],
            loss_weight=2.0)),
    train_cfg=dict(),
    # Sec. 4.2 "Testing details": single scale, no flip
    test_cfg=dict(
        mode='whole',
        flip=False,
        keypoint_flip_pairs=[(0, 5), (1, 4), (2, 3), (10, 15), (11, 14),
                             (12, 13)],
        output_aux=False))
