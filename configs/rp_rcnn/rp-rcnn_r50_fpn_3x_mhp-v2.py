# RP R-CNN on MHP-v2 (59 parts, arXiv:2009.09447 Tables 8/9): the model of
# rp-rcnn_r50_fpn_3x_cihp.py with the recipe of
# parsing-rcnn_r50_fpn_3x_mhp-v2.py.
_base_ = [
    '../_base_/models/rp-rcnn_r50_fpn.py',
    '../_base_/datasets/mhp-v2_instance.py',
    '../_base_/schedules/schedule_3x_mhp-v2.py',
    '../_base_/detector_runtime.py'
]
num_parts = 59
model = dict(
    semantic_head=dict(num_classes=num_parts),
    roi_head=dict(
        parsing_head=dict(num_classes=num_parts),
        parsing_iou_head=dict(num_classes=num_parts)))
default_hooks = dict(checkpoint=dict(interval=7500))
