# schedule_3x.py on MHP-v2 as the official yamls (soeaver/RP-R-CNN
# cfgs/MHP-v2/e2e_rp_rcnn_R-50-FPN_3x_ms.yaml): 72k iterations, lr divided
# by 10 at 54k and 64k. The paper text (arXiv:2009.09447 Sec. 4.1, "half as
# long" as CIHP) reads 67.5k with steps 52.5k / 62.5k.
_base_ = './schedule_3x.py'
max_iters = 72000
train_cfg = dict(max_iters=max_iters, val_interval=8000)
param_scheduler = _base_.param_scheduler
param_scheduler[1].update(end=max_iters, milestones=[54000, 64000])
