# RP R-CNN with the longer schedule of arXiv:2009.09447 Table 9 ("*", 150
# epochs) as soeaver/RP-R-CNN cfgs/CIHP/e2e_rp_rcnn_R-50-FPN_6x_ms.yaml:
# 270k iterations, lr divided by 10 at 240k and 260k (not twice the 3x
# steps). The config of the released CIHP checkpoint (README.md, "Use the
# released checkpoints").
_base_ = './rp-rcnn_r50_fpn_3x_cihp.py'
max_iters = 270000
train_cfg = dict(max_iters=max_iters, val_interval=30000)
param_scheduler = _base_.param_scheduler
param_scheduler[1].update(end=max_iters, milestones=[240000, 260000])
default_hooks = dict(checkpoint=dict(interval=30000))
