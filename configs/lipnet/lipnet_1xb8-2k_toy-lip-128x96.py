# LIP-Net, same architecture as the paper config, on a toy LIP-layout set at
# 128x96 (h x w): for unit tests and CPU smoke training (2k iterations,
# batch 8). Not a benchmark setting.
_base_ = ['./lipnet_1xb4-20k_lip-512x512.py']
crop_size = (128, 96)  # (h, w)
data_preprocessor = dict(size=crop_size)
model = dict(data_preprocessor=data_preprocessor)
# LIP layout (docs/data_conventions.md), e.g. written by tools/make_toy_data.py
data_root = 'data/toy/LIP'

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    dict(type='Resize', scale=(96, 128), keep_ratio=False),  # (w, h)
    dict(type='HumanRandomFlip', prob=0.5),
    dict(type='PackParsingInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(96, 128), keep_ratio=False),
    dict(type='LoadParsingAnnotations'),
    dict(type='PackParsingInputs')
]
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=2,
    persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader

# lr 0.003 (paper: 0.005) for the tiny data set and batch 8: 600 iterations
# reach toy mIoU 72.6 (tests/test_models/test_toy_training.py)
optim_wrapper = dict(optimizer=dict(lr=0.003))
param_scheduler = [
    dict(type='PolyLR', eta_min=0.0, power=0.9, begin=0, end=2000,
         by_epoch=False)
]
train_cfg = dict(max_iters=2000, val_interval=500)
default_hooks = dict(
    logger=dict(interval=10),
    checkpoint=dict(interval=500, max_keep_ckpts=2))
