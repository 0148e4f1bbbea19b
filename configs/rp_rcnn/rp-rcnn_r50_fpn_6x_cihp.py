# RP R-CNN with the longer schedule of arXiv:2009.09447 Table 9 (150 epochs,
# "*"): twice the 3x iterations, lr steps scaled.
_base_ = './rp-rcnn_r50_fpn_3x_cihp.py'
train_cfg = dict(max_iters=270000, val_interval=30000)
param_scheduler = [
    dict(
        type='LinearLR', start_factor=0.001, by_epoch=False, begin=0,
        end=500),
    dict(
        type='MultiStepLR',
        begin=0,
        end=270000,
        by_epoch=False,
        milestones=[210000, 250000],
        gamma=0.1)
]
default_hooks = dict(checkpoint=dict(interval=30000))
