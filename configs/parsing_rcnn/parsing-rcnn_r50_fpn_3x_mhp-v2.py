# Parsing R-CNN on MHP-v2 (59 parts): half the CIHP iterations, lr steps
# scaled (arXiv:2009.09447 Sec. 4.1; _base_/schedules/schedule_3x_mhp-v2.py).
_base_ = [
    '../_base_/models/parsing-rcnn_r50_fpn.py',
    '../_base_/datasets/mhp-v2_instance.py',
    '../_base_/schedules/schedule_3x_mhp-v2.py',
    '../_base_/detector_runtime.py'
]
model = dict(roi_head=dict(parsing_head=dict(num_classes=59)))
default_hooks = dict(checkpoint=dict(interval=7500))
