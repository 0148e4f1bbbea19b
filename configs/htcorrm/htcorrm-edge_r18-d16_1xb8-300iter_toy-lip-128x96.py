# Small HTCorrM with human body edges as the main task on toy LIP (see the
# parsing toy config). Eq. 4 weights of edge main (Sec. 4.2): alpha=0.08,
# beta=200, gamma=1; ODS / OIS on the toy val split.
_base_ = ['./htcorrm-parsing_r18-d16_1xb8-300iter_toy-lip-128x96.py']
model = dict(decode_head=_base_.edge_main)
# GT edges of the original-size label map (EdgeMetric's gt_edge_map)
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(96, 128), keep_ratio=True),
    dict(type='LoadParsingAnnotations'),
    dict(type='GenerateEdge', edge_width=1),
    dict(type='PackParsingInputs')
]
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='EdgeMetric')
test_evaluator = val_evaluator
