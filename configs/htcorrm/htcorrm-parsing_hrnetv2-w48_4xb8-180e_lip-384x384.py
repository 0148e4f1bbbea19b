# HTCorrM, parsing as the main task, unified backbone HRNetV2-W48, LIP
# (TPAMI 2021 Table 2, "Ours (HRNetV2-W48)": 56.85 mIoU).
# Sec. 4.2: 384 x 384 inputs, random rotation (-60..60 deg), flip and scale
# (0.75..1.25) (_base_/datasets/lip_384x384.py); SGD, lr 1e-3, poly 0.9,
# momentum 0.9, weight decay 5e-4, 180 epochs (schedule_180e.py); Eq. 4
# weights alpha=1, beta=50, gamma=2 (in the model base).
# The paper gives no batch size: 4 GPUs x 8 here.
_base_ = [
    '../_base_/models/htcorrm_hrnetv2-w48.py',
    '../_base_/datasets/lip_384x384.py',
    '../_base_/segmentor_epoch_runtime.py',
    '../_base_/schedules/schedule_180e.py'
]
