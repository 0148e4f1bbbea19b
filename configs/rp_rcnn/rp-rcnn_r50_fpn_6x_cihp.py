# RP R-CNN with the longer schedule of arXiv:2009.09447 Table 9 (150 epochs,
# "*"): twice the 3x iterations, lr steps scaled.
_base_ = './rp-rcnn_r50_fpn_3x_cihp.py'
train_cfg = dict(max_iters=270000, val_interval=30000)
param_scheduler = _base_.param_scheduler
param_scheduler[1].update(end=270000, milestones=[210000, 250000])
default_hooks = dict(checkpoint=dict(interval=30000))
