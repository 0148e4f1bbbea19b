# RP R-CNN on MHP-v2 (59 parts, arXiv:2009.09447 Tables 8/9): the model of
# rp-rcnn_r50_fpn_3x_cihp.py, 72k iterations; as soeaver/RP-R-CNN
# cfgs/MHP-v2/e2e_rp_rcnn_R-50-FPN_3x_ms.yaml, whose combined map paints
# persons from score 0.05 on (PRCNN.SEMSEG_SCORE_THRESH; CIHP: 0.3).
_base_ = [
    '../_base_/models/rp-rcnn_r50_fpn.py',
    '../_base_/datasets/mhp-v2_instance.py',
    '../_base_/schedules/schedule_3x_mhp-v2.py',
    '../_base_/detector_runtime.py'
]
num_parts = 59
combine_score_thr = 0.05
model = dict(
    semantic_head=dict(num_classes=num_parts),
    roi_head=dict(
        parsing_head=dict(num_classes=num_parts),
        parsing_iou_head=dict(num_classes=num_parts)),
    test_cfg=dict(combine=dict(score_thr=combine_score_thr)))
tta_model = dict(tta_cfg=dict(combine_score_thr=combine_score_thr))
default_hooks = dict(checkpoint=dict(interval=8000))
