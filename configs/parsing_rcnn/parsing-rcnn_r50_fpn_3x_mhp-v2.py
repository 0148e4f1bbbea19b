# Parsing R-CNN on MHP-v2 (59 parts) as soeaver/Parsing-R-CNN
# cfgs/MHP-v2/e2e_parsing_rcnn_R-50-FPN_3x_ms.yaml, the config of its
# released MHP-v2 checkpoint: the model of parsing-rcnn_r50_fpn_3x_cihp.py,
# 72k iterations (_base_/schedules/schedule_3x_mhp-v2.py), warm-up over 500
# iterations from 0.01 x lr; the combined map paints persons from score
# 0.05 on (PRCNN.SEMSEG_SCORE_THRESH; CIHP: 0.3).
_base_ = [
    '../_base_/models/parsing-rcnn_r50_fpn.py',
    '../_base_/datasets/mhp-v2_instance.py',
    '../_base_/schedules/schedule_3x_mhp-v2.py',
    '../_base_/detector_runtime.py'
]
combine_score_thr = 0.05
model = dict(
    roi_head=dict(parsing_head=dict(num_classes=59)),
    test_cfg=dict(combine=dict(score_thr=combine_score_thr)))
tta_model = dict(tta_cfg=dict(combine_score_thr=combine_score_thr))
param_scheduler = _base_.param_scheduler
param_scheduler[0].update(start_factor=0.01, end=500)  # LinearLR
default_hooks = dict(checkpoint=dict(interval=8000))
