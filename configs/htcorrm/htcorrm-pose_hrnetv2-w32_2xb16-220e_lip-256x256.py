# HTCorrM, pose as the main task, HRNetV2-W32, LIP (TPAMI 2021 Table 8:
# 86.76 PCKh, 28.5 M parameters). Task features 32 x 64 x 64 (Sec. 4.2);
# everything else as the W48 config.
_base_ = ['./htcorrm-pose_hrnetv2-w48_2xb16-220e_lip-256x256.py']
model = dict(
    backbone=dict(
        extra=dict(
            stage2=dict(num_channels=(32, 64)),
            stage3=dict(num_channels=(32, 64, 128)),
            stage4=dict(num_channels=(32, 64, 128, 256))),
        init_cfg=dict(checkpoint='open-mmlab://msra/hrnetv2_w32')),
    decode_head=dict(
        in_channels=[32, 64, 128, 256],
        channels=32,
        aspp_channels=32,
        edge_channels=32,
        hnl_channels=32))
