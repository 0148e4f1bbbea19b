# Small C-DLinkNet for demos, tests and the toy training check: a half-width
# ResNet-18 encoder (base/stem channels 32; E5 dilated, output stride 16) and
# a narrow head with the same structure as the paper model
# (c_dlinknet_r101.py): ASPP centre whose output has E5's channels, LinkNet
# decoder, deep supervision, Smooth module. ~3.2 M parameters, ~0.3 s per
# batch of 8 x 128 x 96 (forward + backward) on 2 CPU cores.
# No checkpoint exists at half width, so it trains from scratch. For an
# ImageNet-initialised variant use the full width: base_channels=64,
# stem_channels=64, decode_head.in_channels=[64, 64, 128, 256, 512],
# centre out_channels=512 and
# init_cfg=dict(type='Pretrained', checkpoint='open-mmlab://resnet18_v1c').
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='mmseg.SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
model = dict(
    type='ParsingEncoderDecoder',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='ResNetV1cWithStem',
        depth=18,
        base_channels=32,
        stem_channels=32,
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
        type='CDLinkNetHead',
        in_channels=[32, 32, 64, 128, 256],  # E1 (stem) ... E5
        in_index=[0, 1, 2, 3, 4],
        input_transform='multiple_select',
        channels=64,
        dec_strides=(1, 2, 2, 2),
        # 256 -> 128 -> 4 x 32 -> concat 128 -> 256 (Eq. (1) shape, narrow)
        centre=dict(
            type='CDLinkNetASPP',
            reduce_channels=128,
            channels=32,
            dilations=(1, 12, 24, 36),
            out_channels=256),
        smooth=True,
        smooth_channels=32,
        num_smooth_convs=2,
        deep_supervision=True,
        ds_channels=32,
        loss_ds=dict(
            type='mmseg.CrossEntropyLoss', use_sigmoid=False,
            loss_weight=0.5),
        dropout_ratio=0.1,
        num_classes=20,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='mmseg.CrossEntropyLoss', use_sigmoid=False,
            loss_weight=1.0)),
    train_cfg=dict(),
    test_cfg=dict(mode='whole', flip=False, flip_pairs=None))
