# schedule_3x.py on MHP-v2 (about half CIHP's training images): half the
# iterations, lr steps scaled (arXiv:2009.09447 Sec. 4.1): 67.5k iterations,
# lr divided by 10 at 52.5k and 62.5k.
_base_ = './schedule_3x.py'
train_cfg = dict(max_iters=67500, val_interval=7500)
param_scheduler = _base_.param_scheduler
param_scheduler[1].update(end=67500, milestones=[52500, 62500])  # MultiStepLR
