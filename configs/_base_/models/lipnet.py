# LIP-Net ("LIP Net: Real-Time Semantic Segmentation of Person Body Parts",
# Ilyas & Kim, 2020): SE-ResNet encoder with dilated depthwise-separable
# convs (output stride 16) + slim DeepLabV3+ decoder (ASPP on S6, skip from
# S3). Per-stage channels / dilations / strides: see
# mmhumanparse/models/backbones/lipnet.py. 4.02 M parameters with 20 classes
# (paper Table 1: 3.97 M).
_base_ = './seg_common.py'
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    # the flip test with left/right swap is one test_cfg switch away
    type='ParsingEncoderDecoder',
    data_preprocessor=_base_.data_preprocessor,
    pretrained=None,  # the paper trains from scratch
    backbone=dict(
        type='LIPNet',
        in_channels=3,
        # base C = 16, growing every stage (Sec. 3.1): doubled per stage. With
        # the 448-channel head this gives the Table 1 parameter budget.
        stage_channels=(16, 32, 64, 128, 256, 512),
        # Sec. 2.1: d = 1, 1, 2, 4, 8; S6 rate is garbled in the paper, we
        # use 2 (de-gridding, see the backbone docstring).
        dilations=(1, 1, 2, 4, 8, 2),
        num_blocks=2,  # two SER blocks per stage (Sec. 2.1)
        pool_stages=(True, True, True, True, False, False),  # OS 16
        se_ratio=8,  # Sec. 3.1
        out_indices=(2, 5),  # S3 (skip, stride 8), S6 (stride 16)
        norm_cfg=norm_cfg),
    decode_head=dict(
        type='LIPNetHead',
        in_channels=512,  # S6
        in_index=1,
        c1_in_channels=64,  # S3 = inputs[0], as mmseg's DeepLabV3+ head
        c1_channels=16,  # S3 reduced to a quarter (Sec. 2.1)
        channels=448,  # ASPP / decoder width, sized for Table 1's 3.97 M
        dilations=(1, 6, 12, 18),  # Sec. 3.1
        with_image_pool=True,
        upsample_factor=4,  # Sec. 2.1
        separable_fuse=True,  # separable decoder 3x3 conv, as DeepLabV3+ [8]
        dropout_ratio=0.25,  # Sec. 3.1
        num_classes=20,
        norm_cfg=norm_cfg,
        align_corners=False,
        # Sec. 3.1: "For loss function we used weighted cross entropy"; the
        # weights are not given. Leaf configs name a json written by
        # tools/analysis_tools/class_weights.py (median frequency balancing
        # of the training labels); None: unweighted.
        class_weight_file=None,
        loss_decode=_base_.ce_loss),
    train_cfg=dict(),
    test_cfg=dict(mode='whole', flip=False))
