# SS-NAN (ss-nan.txt, Sec. 3, Fig. 2): Share-Net over the input scales
# {0.5, 0.75, 1.0} (Sec. 3.1) with one shared Skip-Net: PSPNet's dilated
# ResNet-101 (output stride 8) without pyramid pooling and classifier
# (Sec. 4.1), a C x 3 x 3 dense classifier on the concatenated res3/res4/res5
# features, deep supervision on every scale, and the neural aggregation
# (Sec. 3.2: 512 x 3 x 3 then N_S x 3 x 3 convs, softmax over scales).
# Parsing loss only (the first training stage, Sec. 4.1); the fine-tuning
# configs add the joint loss (`decode_head.loss_joint`, Eq. 4).
_base_ = './seg_data_preprocessor.py'
norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    type='MultiScaleEncoderDecoder',
    data_preprocessor=_base_.data_preprocessor,
    scales=(0.5, 0.75, 1.0),  # Sec. 3.1
    aggregation=dict(
        type='NeuralAggregation', channels=512, shared_scorer=False),
    scale_loss_weight=1.0,  # Sec. 3.3: the same loss on each scale's output
    backbone=dict(
        type='mmseg.ResNetV1c',  # PSPNet's backbone (Sec. 4.1)
        depth=101,
        num_stages=4,
        out_indices=(1, 2, 3),  # res3, res4, res5
        dilations=(1, 1, 2, 4),
        strides=(1, 2, 1, 1),  # output stride 8
        norm_cfg=norm_cfg,
        norm_eval=False,
        style='pytorch',
        contract_dilation=True,
        # the paper starts from PSPNet weights (not released for mmseg);
        # we start from mmseg's ImageNet ResNet-101-V1c
        init_cfg=dict(
            type='Pretrained', checkpoint='open-mmlab://resnet101_v1c')),
    decode_head=dict(
        type='SSNANHead',
        in_channels=[512, 1024, 2048],
        in_index=[0, 1, 2],
        kernel_size=3,  # Sec. 3.1: C x 3 x 3 dense classifier
        dropout_ratio=0.1,  # PSPNet's classifier dropout (not in the paper)
        num_classes=20,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=dict(
            type='mmseg.CrossEntropyLoss',
            use_sigmoid=False,
            avg_non_ignore=True,
            loss_weight=1.0)
        # no `loss_joint` here (stage 1); stage-2 configs add
        # loss_joint=dict(type='SSJointLoss', joint_groups=...)
    ),
    train_cfg=dict(),
    # flip=True: the mirrored view, left/right channels swapped
    test_cfg=dict(mode='whole', flip=True, flip_pairs=None))
