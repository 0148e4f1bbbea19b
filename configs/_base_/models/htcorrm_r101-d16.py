# HTCorrM (TPAMI 2021, Fig. 3) with the task-specific parsing backbone:
# DeepLabV2-style ResNet-101 (Sec. 4.2: Res2, Res3, Res4 are G1, G2, G3).
# Output stride 16 (rate 2 in Res5), as the CE2P code base of CorrPM, so the
# two stride-2 deconvolutions of the pose encoder bring Res5 (1/16) exactly
# to G1's 1/4 (Sec. 3.2: "F_k with the same scale as F_p"). Parsing is the
# main task here; the leaf configs switch `main_task` and Eq. 4's weights.
_base_ = './htcorrm_hrnetv2-w48.py'
model = dict(
    # ImageNet pre-training (Sec. 4.2)
    backbone=dict(
        _base_.resnet101_v1c, _delete_=True, norm_cfg=_base_.norm_cfg),
    decode_head=dict(
        in_channels=[256, 512, 1024, 2048],
        g_index=(0, 1, 2),  # Res2, Res3, Res4 (Sec. 4.2)
        concat_index=None,  # no HRNetV2 representation
        aspp_index=3,  # ASPP on Res5, as DeepLabV2
        pose_index=3,  # 1/16 -> two stride-2 deconvs -> 1/4
        pose_widths=None))  # both C wide
