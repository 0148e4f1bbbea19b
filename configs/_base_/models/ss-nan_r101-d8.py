# SS-NAN (ss-nan.txt, Sec. 3, Fig. 2): Share-Net over the input scales
# {0.5, 0.75, 1.0} (Sec. 3.1) with one shared Skip-Net: PSPNet's dilated
# ResNet-101 (output stride 8) without pyramid pooling and classifier
# (Sec. 4.1), a C x 3 x 3 dense classifier on the concatenated res3/res4/res5
# features, deep supervision on every scale, and the neural aggregation
# (Sec. 3.2: 512 x 3 x 3 then N_S x 3 x 3 convs, softmax over scales).
# Parsing loss only (the first training stage, Sec. 4.1); the fine-tuning
# configs add the joint loss (`decode_head.loss_joint`, Eq. 4).
_base_ = './seg_common.py'
norm_cfg = dict(type='SyncBN', requires_grad=True)
# Eq. 4's joint loss, which the stage-2 configs add as
# `decode_head=dict(loss_joint=_base_.loss_joint)`: the nine LIP joints
# (Sec. 3.3, Fig. 3), as LIP_METAINFO['joint_groups'] in
# mmhumanparse/datasets/metainfo.py; other datasets set their groups.
loss_joint = dict(
    type='SSJointLoss',
    joint_groups=[(1, 2, 4, 13), (5, 6, 7, 10, 11), (9, 12), (14, ), (15, ),
                  (16, ), (17, ), (18, ), (19, )],
    loss_weight=1.0)
model = dict(
    type='MultiScaleEncoderDecoder',
    data_preprocessor=_base_.data_preprocessor,
    scales=(0.5, 0.75, 1.0),  # Sec. 3.1
    aggregation=dict(
        type='NeuralAggregation', channels=512, shared_scorer=False),
    scale_loss_weight=1.0,  # Sec. 3.3: the same loss on each scale's output
    # PSPNet's backbone (Sec. 4.1): res3, res4, res5 at output stride 8. The
    # paper starts from PSPNet weights (not released for mmseg); we start
    # from mmseg's ImageNet ResNet-101-V1c.
    backbone=dict(
        _base_.resnet101_v1c,
        out_indices=(1, 2, 3),
        dilations=(1, 1, 2, 4),
        strides=(1, 2, 1, 1),
        norm_cfg=norm_cfg),
    decode_head=dict(
        type='SSNANHead',
        # Sec. 3.1: one C x 3 x 3 dense classifier (C = num_classes) on the
        # concatenated res3, res4, res5 features
        kernel_size=3,
        in_channels=[512, 1024, 2048],
        in_index=[0, 1, 2],
        num_classes=20,
        # L_parsing only (stage 1); stage-2 configs add the loss_joint above
        loss_decode=_base_.ce_loss,
        dropout_ratio=0.1,  # PSPNet's classifier dropout (not in the paper)
        norm_cfg=norm_cfg,
        align_corners=False),
    train_cfg=dict(),
    # flip=True: the mirrored view, left/right channels swapped (pairs as
    # in c_dlinknet_r101-d16.py)
    test_cfg=dict(mode='whole', flip=True))
