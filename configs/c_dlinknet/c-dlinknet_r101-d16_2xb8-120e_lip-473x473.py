# C-DLinkNet on LIP with CE2P's 473 x 473 setting (_base_/datasets/lip.py:
# scale 0.5-1.5, rotation, crop, flip, photometric distortion; --tta three
# scales x flip). Not in the paper (which uses 256 x 192); the model and
# 120-epoch schedule of the paper config, for comparison with the LIP
# results reported at 473 x 473.
_base_ = [
    '../_base_/models/c_dlinknet_r101-d16.py', '../_base_/datasets/lip.py',
    '../_base_/segmentor_epoch_runtime.py',
    '../_base_/schedules/schedule_120e.py'
]
crop_size = (473, 473)  # (h, w)
model = dict(data_preprocessor=dict(size=crop_size))
train_dataloader = dict(
    batch_size=8, sampler=dict(type='DefaultSampler', shuffle=True))
