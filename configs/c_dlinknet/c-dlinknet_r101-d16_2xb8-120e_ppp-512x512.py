# C-DLinkNet on PASCAL-Person-Part (7 classes, no left/right parts, so the
# flip test is a plain mirror average). Not in the paper: the paper model
# and 120-epoch schedule with the PPP dataset base (512 x 512 input, scale
# 0.5-1.5, rotation, crop, flip, photometric distortion).
_base_ = [
    '../_base_/models/c_dlinknet_r101-d16.py', '../_base_/datasets/ppp.py',
    '../_base_/segmentor_epoch_runtime.py',
    '../_base_/schedules/schedule_120e.py'
]
crop_size = (512, 512)  # (h, w)
model = dict(
    data_preprocessor=dict(size=crop_size),
    decode_head=dict(num_classes=7))
train_dataloader = dict(
    batch_size=8, sampler=dict(type='DefaultSampler', shuffle=True))
