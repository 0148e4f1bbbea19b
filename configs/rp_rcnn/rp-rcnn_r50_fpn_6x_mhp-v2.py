# RP R-CNN on MHP-v2 with the longer schedule (arXiv:2009.09447 Table 9,
# "*") as soeaver/RP-R-CNN cfgs/MHP-v2/e2e_rp_rcnn_R-50-FPN_6x_ms.yaml: 144k
# iterations, lr divided by 10 at 126k and 136k. The config of the released
# MHP-v2 checkpoint (README.md, "Use the released checkpoints").
_base_ = './rp-rcnn_r50_fpn_3x_mhp-v2.py'
max_iters = 144000
train_cfg = dict(max_iters=max_iters, val_interval=16000)
param_scheduler = _base_.param_scheduler
param_scheduler[1].update(end=max_iters, milestones=[126000, 136000])
default_hooks = dict(checkpoint=dict(interval=16000))
