# LIP-Net, same architecture as the paper config, on toy LIP at 128x96
# (h x w): for unit tests and CPU smoke training (2k iterations, batch 8).
# Not a benchmark setting. Weighted CE as in the paper; write the weights
# of the toy training split first:
#   python tools/analysis_tools/class_weights.py CONFIG
_base_ = [
    '../_base_/models/lipnet.py', '../_base_/datasets/toy_lip.py',
    '../_base_/segmentor_runtime.py',
    '../_base_/schedules/schedule_adam_20k.py'
]
crop_size = (128, 96)  # (h, w)
model = dict(
    data_preprocessor=dict(size=crop_size),
    decode_head=dict(class_weight_file='data/toy/LIP/class_weights.json'))
# lr 0.003 (paper: 0.005) for the tiny data set and batch 8
optim_wrapper = dict(optimizer=dict(lr=0.003))
train_cfg = dict(max_iters=2000, val_interval=500)
default_hooks = dict(
    logger=dict(interval=10, log_metric_by_epoch=False),
    checkpoint=dict(by_epoch=False, interval=500, max_keep_ckpts=2))
