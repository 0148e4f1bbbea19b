# Parsing R-CNN (arXiv:1811.12596) as soeaver/Parsing-R-CNN
# cfgs/CIHP/e2e_parsing_rcnn_R-50-FPN_3x_ms.yaml, the config of its released
# CIHP checkpoint (README.md, "Use the released checkpoints"): R-50-FPN and
# GCE head without GN (convs with bias), no GSE-FPN, no PRSN. CIHP, 135k
# iterations, warm-up over 500 iterations from 0.01 x lr.
_base_ = [
    '../_base_/models/parsing-rcnn_r50_fpn.py',
    '../_base_/datasets/cihp_instance.py',
    '../_base_/schedules/schedule_3x.py', '../_base_/detector_runtime.py'
]
param_scheduler = _base_.param_scheduler
param_scheduler[0].update(start_factor=0.01, end=500)  # LinearLR
default_hooks = dict(checkpoint=dict(interval=15000))
