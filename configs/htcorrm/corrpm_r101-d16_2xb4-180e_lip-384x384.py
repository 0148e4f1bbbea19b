# CorrPM ("Correlating Edge, Pose with Parsing", CVPR 2020,
# arXiv:2005.01431), the conference version of HTCorrM ("On the Correlation
# among Edge, Pose and Parsing", TPAMI 2021), laid out as the authors'
# released code so that their LIP checkpoint loads after
# tools/model_converters/corrpm2mmhp.py (README: download, convert, test).
# LIP val mIoU reported: 55.33 (TPAMI 2021 Table 2, row "CorrPM").
# Every layer below is the released model's; where it differs from the
# journal text the README table lists both.
_base_ = ['./htcorrm-parsing_r101-d16_4xb8-180e_lip-384x384.py']
norm_cfg = dict(type='SyncBN', requires_grad=True)
# the released code's InPlace-ABN: BN + LeakyReLU(0.01)
leaky_relu = dict(type='LeakyReLU', negative_slope=0.01)
# the released data code: pose heatmaps at 1/4 (as the model base's
# codec), sigma 7 heatmap pixels
codec = dict(_base_.codec, sigma=7)
model = dict(
    # cv2 (BGR) images normalised with the ImageNet mean / std in RGB
    # order, channel by channel, as the released code does
    data_preprocessor=dict(bgr_to_rgb=False),
    backbone=dict(
        stem_channels=128,  # deep stem 3-64-64-128 (CE2P's ResNet-101)
        contract_dilation=False,  # every Res5 block at rate 2
        # CE2P's ImageNet ResNet-101 has a 128-wide stem, not mmseg's
        # ResNetV1c; train from the converted CorrPM model or set one
        init_cfg=None),
    decode_head=dict(
        aspp_channels=256,
        reduce_channels=512,  # ASPP -> 512 + Dropout2d(0.1)
        aspp_dropout=0.1,
        pose_widths=(256, 512),  # SimpleBaseline deconvs 256, 512 + ReLU
        edge_channels=256,
        edge_fuse='linear1x1',  # 3 x 256 -> 512, no norm / activation
        channels=512,
        hnl_channels=256,  # C / 2
        chunk_size=None,  # pooled keys: 9216 x 2304 affinity
        hnl_cfg=dict(
            sub_sample=2,  # phi and g max-pooled 2x2
            w1_norm_cfg=norm_cfg,
            w1_act_cfg=leaky_relu,
            w2_norm_cfg=norm_cfg),  # W2 = conv + BN (BN zeroed)
        act_cfg=leaky_relu,
        encoder_cfgs=dict(
            parsing=dict(align_corners=False),
            pose=dict(act_cfg=dict(type='ReLU')),
            edge=dict(align_corners=True)),
        align_corners=True,  # output and loss resizing
        dropout_ratio=0.0,  # no dropout before W3
        codec=codec,
        # the released criterion: CE(seg2) + CE(seg1) + 70 MSE + 2 CE_edge
        # (edge CE weighted per batch by the negative / positive ratio)
        loss_pose=dict(loss_weight=70.0),
        loss_edge=dict(loss_weight=2.0)))
train_pipeline = [
    dict(t, codec=codec) if t.type == 'GeneratePoseHeatmaps' else t
    for t in _base_.train_pipeline
]
# run_train.sh: 2 GPUs x 4 images, SGD lr 1e-3, poly 0.9, 180 epochs
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=train_pipeline))
