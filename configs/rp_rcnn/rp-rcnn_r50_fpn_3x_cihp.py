# RP R-CNN (arXiv:2009.09447): Parsing R-CNN + GSE-FPN (lambda_s = 2.0,
# Table 4) + PRSN (lambda_r = 1.0, Table 5); lambda_p = 2.0 (Table 3).
# CIHP, 135k iterations; as soeaver/RP-R-CNN
# cfgs/CIHP/e2e_rp_rcnn_R-50-FPN_3x_ms.yaml.
_base_ = [
    '../_base_/models/rp-rcnn_r50_fpn.py',
    '../_base_/datasets/cihp_instance.py',
    '../_base_/schedules/schedule_3x.py', '../_base_/detector_runtime.py'
]
default_hooks = dict(checkpoint=dict(interval=15000))
