# SS-NAN ("Self-Supervised Neural Aggregation Networks for Human Parsing",
# arXiv:1803.07741, Sec. 3, Fig. 2): Share-Net over the input scales
# {0.5, 0.75, 1.0} (Sec. 3.1) with one shared Skip-Net: PSPNet's dilated
# ResNet-101 (output stride 8) without pyramid pooling and classifier
# (Sec. 4.1), a C x 3 x 3 dense classifier on the concatenated res3/res4/res5
# features, deep supervision on every scale, and the neural aggregation
# (Sec. 3.2: 512 x 3 x 3 then N_S x 3 x 3 convs, softmax over scales)
# weighting the scales' logits, softmax / CE on their sum (Sec. 3.3).
# Parsing loss only (the first training stage, Sec. 4.1); the fine-tuning
# configs add the joint loss (`decode_head.loss_joint`, Eq. 4).
_base_ = './seg_common.py'
norm_cfg = dict(type='SyncBN', requires_grad=True)
# Eq. 4's joint loss, which the stage-2 configs add as
# `decode_head=dict(loss_joint=_base_.loss_joint)`: the nine LIP joints
# (Sec. 3.3, Fig. 3), as LIP_METAINFO['joint_groups'] in
# mmhumanparse/datasets/metainfo.py; other datasets set their groups.
# Centres in cells of the output-stride-8 grid (LIP_SSL: joints on the label
# shrunk by 8). The head uses L_joint as a weight of the cross-entropy
# without gradient through it (decode_head.joint_grad=False).
loss_joint = dict(
    type='SSJointLoss',
    joint_groups=[(1, 2, 4, 13), (5, 6, 7, 10, 11), (9, 12), (14, ), (15, ),
                  (16, ), (17, ), (18, ), (19, )],
    unit=8,
    loss_weight=1.0)
# Sec. 4.1: the Skip-Net starts from PSPNet's ResNet-101 (pyramid pooling
# and classifier dropped): the `backbone.` tensors of mmseg's PSPNet
# R-101-D8 (ADE20K, 160k; ResNetV1c with the same dilations and strides).
pspnet_r101_d8 = (
    'https://download.openmmlab.com/mmsegmentation/v0.5/pspnet/'
    'pspnet_r101-d8_512x512_160k_ade20k/'
    'pspnet_r101-d8_512x512_160k_ade20k_20200615_100650-967c316f.pth')
model = dict(
    type='MultiScaleEncoderDecoder',
    data_preprocessor=_base_.data_preprocessor,
    scales=(0.5, 0.75, 1.0),  # Sec. 3.1
    aggregation=dict(
        type='NeuralAggregation', channels=512, shared_scorer=False),
    scale_loss_weight=1.0,  # Sec. 3.3: the same loss on each scale's output
    # Sec. 3.3 / LIP_SSL: merge the logits, softmax on the sum ('probs':
    # merge the softmax maps)
    aggregate='logits',
    # PSPNet's backbone (Sec. 4.1): res3, res4, res5 at output stride 8,
    # initialised from PSPNet
    backbone=dict(
        _base_.resnet101_v1c,
        out_indices=(1, 2, 3),
        dilations=(1, 1, 2, 4),
        strides=(1, 2, 1, 1),
        norm_cfg=norm_cfg,
        init_cfg=dict(
            type='Pretrained', prefix='backbone.',
            checkpoint=pspnet_r101_d8)),
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
        # L_joint weighs the CE without gradient through it (Fig. 3,
        # LIP_SSL); True: Eq. 4's product, differentiable in both factors
        joint_grad=False,
        dropout_ratio=0.1,  # PSPNet's classifier dropout (not in the paper)
        norm_cfg=norm_cfg,
        align_corners=False),
    train_cfg=dict(),
    # one view (Sec. 4.1 tests a single 321 x 321 input); flip=True adds the
    # mirrored view with the left/right channels swapped (the -flip config)
    test_cfg=dict(mode='whole', flip=False))
