# Parsing R-CNN (our GN re-implementation as in RP R-CNN, arXiv:2009.09447
# Table 2): R-50-FPN, GCE parsing head, no GSE-FPN, no PRSN. CIHP, 135k its.
_base_ = [
    '../_base_/models/parsing-rcnn_r50_fpn.py',
    '../_base_/datasets/cihp_instance.py',
    '../_base_/schedules/schedule_3x.py', '../_base_/detector_runtime.py'
]
default_hooks = dict(checkpoint=dict(interval=15000))
