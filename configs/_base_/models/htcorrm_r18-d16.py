# Small HTCorrM for unit tests, CPU smoke training and the toy-data checks:
# quarter-width ResNet-18 (output stride 16: G1..G3 = res2..res4, ASPP and
# pose encoder on res5, as htcorrm_r101-d16.py) and a 32-channel head.
# Same structure as the paper models, from scratch; not a benchmark setting.
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='mmseg.SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
# Gaussian heatmaps (sigma 2) at 1/4 of a 128 x 96 input
codec = dict(
    type='PoseHeatmapCodec',
    input_size=(96, 128),  # (w, h)
    heatmap_size=(24, 32),
    sigma=2)
model = dict(
    type='MultiTaskEncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='mmseg.ResNetV1c',
        depth=18,
        stem_channels=16,
        base_channels=16,
        num_stages=4,
        out_indices=(0, 1, 2, 3),
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        norm_cfg=norm_cfg,
        norm_eval=False,
        style='pytorch',
        contract_dilation=True,
        init_cfg=None),
    decode_head=dict(
        type='HTCorrMHead',
        main_task='parsing',
        num_parsing_classes=20,
        num_keypoints=16,
        in_channels=[16, 32, 64, 128],
        in_index=[0, 1, 2, 3],
        input_transform='multiple_select',
        g_index=(0, 1, 2),
        aspp_index=3,
        pose_index=3,
        # rates scaled to the 8 x 6 res5 map of a 128 x 96 input
        aspp_dilations=(1, 2, 4, 6),
        aspp_channels=32,
        edge_channels=16,
        channels=32,
        hnl_channels=32,
        chunk_size=None,
        dropout_ratio=0.1,
        norm_cfg=norm_cfg,
        align_corners=False,
        codec=codec,
        # Eq. 4 with parsing as the main task: alpha=1, beta=50, gamma=2
        loss_decode=dict(
            type='mmseg.CrossEntropyLoss',
            avg_non_ignore=True,
            loss_weight=1.0),
        loss_parsing=dict(
            type='mmseg.CrossEntropyLoss',
            avg_non_ignore=True,
            loss_weight=1.0),
        loss_pose=dict(type='mmdet.MSELoss', loss_weight=50.0),
        loss_edge=dict(
            type='WeightedCrossEntropyLoss',
            avg_non_ignore=True,
            class_weight=[1.0, 10.0],
            loss_weight=2.0)),
    train_cfg=dict(),
    test_cfg=dict(
        mode='whole',
        flip=False,
        keypoint_flip_pairs=[(0, 5), (1, 4), (2, 3), (10, 15), (11, 14),
                             (12, 13)],
        output_aux=False))
