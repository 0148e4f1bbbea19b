# RP R-CNN on MHP-v2 with the longer schedule (arXiv:2009.09447 Table 9, "*"):
# twice the MHP-v2 3x iterations.
_base_ = './rp-rcnn_r50_fpn_3x_mhp-v2.py'
train_cfg = dict(max_iters=135000, val_interval=15000)
param_scheduler = _base_.param_scheduler
param_scheduler[1].update(end=135000, milestones=[105000, 125000])
default_hooks = dict(checkpoint=dict(interval=15000))
