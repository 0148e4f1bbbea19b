# RP R-CNN on MHP-v2 with the longer schedule (arXiv:2009.09447 Table 9, "*"):
# twice the MHP-v2 3x iterations.
_base_ = './rp-rcnn_r50_fpn_3x_mhp-v2.py'
train_cfg = dict(max_iters=135000, val_interval=15000)
param_scheduler = [
    dict(
        type='LinearLR', start_factor=0.001, by_epoch=False, begin=0,
        end=500),
    dict(
        type='MultiStepLR',
        begin=0,
        end=135000,
        by_epoch=False,
        milestones=[105000, 125000],
        gamma=0.1)
]
default_hooks = dict(checkpoint=dict(interval=15000))
