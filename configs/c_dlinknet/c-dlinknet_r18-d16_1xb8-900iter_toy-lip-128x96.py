# Small C-DLinkNet for `make demo`, CPU smoke runs and the toy learning
# tests: the paper model (_base_/models/c_dlinknet_r101-d16.py) with a
# half-width ResNet-18 encoder (base/stem channels 32; E5 dilated, output
# stride 16) and a narrow head of the same blocks (~3.3 M parameters).
# Toy LIP at 128 x 96, batch 8, 900 iterations, AdamW + poly lr, from
# scratch (runs offline). Flip test with left/right swap on.
# Unlike the paper configs, this small model classifies at stride 2 and
# projects the Smooth module's inputs bilinearly (the head's two ablation
# switches): trained from scratch at 128 x 96, the learned full-resolution
# block and transposed-conv projections converge far slower. Held-out toy
# mIoU after 400 iterations (30 val images, README "Toy ablation"):
# 22.1 with the paper head, 60.8 with these switches at lr 2e-3, 80.1 at
# the lr 4e-3 used here.
# No checkpoint exists at half width. For an ImageNet-initialised variant
# use the full width: base_channels=64, stem_channels=64,
# decode_head.in_channels=[64, 64, 128, 256, 512], centre out_channels=512
# and init_cfg=dict(type='Pretrained', checkpoint='open-mmlab://resnet18_v1c').
_base_ = [
    '../_base_/models/c_dlinknet_r101-d16.py',
    '../_base_/datasets/toy_lip.py', '../_base_/segmentor_runtime.py',
    '../_base_/schedules/schedule_adamw_300iter.py'
]
norm_cfg = dict(type='BN', requires_grad=True)  # one process, CPU
crop_size = (128, 96)  # (h, w)
model = dict(
    data_preprocessor=dict(size=crop_size),
    backbone=dict(
        _base_.resnet18_scratch, base_channels=32, stem_channels=32),
    decode_head=dict(
        in_channels=[32, 32, 64, 128, 256],  # E1 (stem) ... E5
        channels=64,
        # 256 -> 128 -> 4 x 32 -> concat 128 -> 256 (Eq. (1) shape, narrow)
        centre=dict(reduce_channels=128, channels=32, out_channels=256),
        smooth_channels=32,
        smooth_upsample='bilinear',
        final_upsample=False,
        ds_channels=32,
        norm_cfg=norm_cfg))

# From scratch on CPU, AdamW converges much faster than the paper's SGD
# (which assumes an ImageNet-pretrained encoder): schedule_adamw_300iter.py
# at lr 4e-3 for 900 iterations
max_iters = 900
optimizer = dict(lr=0.004)
optim_wrapper = dict(optimizer=optimizer)
train_cfg = dict(max_iters=max_iters, val_interval=450)
default_hooks = dict(
    logger=dict(interval=20, log_metric_by_epoch=False),
    checkpoint=dict(by_epoch=False, interval=450))
