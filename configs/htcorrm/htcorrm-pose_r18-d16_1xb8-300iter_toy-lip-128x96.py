# Small HTCorrM with pose as the main task on toy LIP (see the parsing toy
# config). Eq. 4 weights of pose main (Sec. 4.2): alpha=0.001, beta=1,
# gamma=0.0025; PCKh on the toy val split.
_base_ = ['./htcorrm-parsing_r18-d16_1xb8-300iter_toy-lip-128x96.py']
model = dict(decode_head=_base_.pose_main)
# GT keypoints stay in original-image pixels (PCKhMetric): KeyMapper hides
# them from the test Resize; no parsing labels are loaded
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='KeyMapper',
        mapping=dict(gt_keypoints=...),
        auto_remap=False,
        transforms=[dict(type='Resize', scale=(96, 128), keep_ratio=True)]),
    dict(type='PackParsingInputs')
]
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='PCKhMetric', thr=0.5)
test_evaluator = val_evaluator
