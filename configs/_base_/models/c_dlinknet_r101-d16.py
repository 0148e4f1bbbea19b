# C-DLinkNet (arXiv:2001.11690, Fig. 2), the paper model: ResNet-101
# encoder E1..E5 with E5 dilated (output stride 16, Sec. 2.1), ASPP centre
# (Eq. (1)), LinkNet decoder D5..D2 with deep supervision (Sec. 2.2,
# Eq. (2)), the Smooth module (Sec. 2.3) and a final x2 block back to the
# input size (Sec. 2: "Decoder can restore the F to its original input
# size"; as D-LinkNet). Variant switches of the head: `centre`
# (CDLinkNetASPP / DBlock), `smooth`, `smooth_upsample`, `deep_supervision`,
# `final_upsample` (see configs/c_dlinknet/README.md for the Table 1
# ablation configs). Depth/width variants are short leaf configs (the small
# ResNet-18 one: c-dlinknet_r18-d16_1xb8-900iter_toy-lip-128x96.py).
_base_ = './seg_common.py'
norm_cfg = dict(type='SyncBN', requires_grad=True)  # 2 GPUs (Sec. 3.2)
model = dict(
    type='ParsingEncoderDecoder',
    data_preprocessor=_base_.data_preprocessor,
    # mmseg ResNet-101-V1c that also returns the stem (E1); same weights
    # (ImageNet pre-training, Sec. 3.2). Rate 2 in E5: output 1/16 (Sec. 2.1)
    backbone=dict(
        _base_.resnet101_v1c, type='ResNetV1cWithStem', norm_cfg=norm_cfg),
    decode_head=dict(
        type='CDLinkNetHead',
        in_channels=[64, 256, 512, 1024, 2048],  # E1 (stem) ... E5
        in_index=[0, 1, 2, 3, 4],
        input_transform='multiple_select',
        channels=512,  # Sec. 2.3: the Smooth convs reduce to 512
        dec_strides=(1, 2, 2, 2),  # D5 keeps 1/16 (E4 is 1/16 too)
        # Eq. (1): 2048 -> 1024 -> 4 x 256 (1x1; 3x3 @ 12, 24, 36)
        # -> concat 1024 -> 2048.
        centre=dict(
            type='CDLinkNetASPP',
            reduce_channels=1024,
            channels=256,
            dilations=(1, 12, 24, 36),
            out_channels=2048),
        smooth=True,
        smooth_channels=256,  # per projected decoder output (not given)
        # Sec. 2.3: "we use the Decoder block to project the output of each
        # layer of Decoder to the size of the feature maps from the D2
        # layer": learned transposed-conv upsampling ('bilinear': ablation)
        smooth_upsample='deconv',
        num_smooth_convs=2,
        deep_supervision=True,
        ds_channels=256,  # the two 3x3 convs per decoder output (not given)
        # D-LinkNet's last layers: 4x4 deconv x2 to 32 channels + 3x3 conv,
        # then the classifier at the input resolution (False: stride 2)
        final_upsample=True,
        final_channels=32,
        # Eq. (2): Loss = Loss_refine + 0.5 * sum_i Loss_Di
        # (seg_common.py's CE: mean over the labelled pixels)
        loss_ds=dict(_base_.ce_loss, loss_weight=0.5),
        dropout_ratio=0.1,
        num_classes=20,
        norm_cfg=norm_cfg,
        align_corners=False,
        loss_decode=_base_.ce_loss),
    train_cfg=dict(),
    # flip=True: the mirrored view with the left/right channel swap; the
    # pairs are test_cfg.flip_pairs if given, else the data samples'
    # metainfo's (Sec. 3.2: "use flip for better performance")
    test_cfg=dict(mode='whole', flip=True))
