# HTCorrM, human body edge detection as the main task, HRNetV2-W48, LIP
# (TPAMI 2021 Table 9: 0.674 ODS / 0.686 OIS with HRNetV2-W48).
# Sec. 4.2: input 384 x 384, 40k SGD iterations with the lr divided by 10
# every 10k, Eq. 4 weights alpha=0.08, beta=200, gamma=1. The paper's lr
# 1e-6 belongs to BDCN's pixel-summed loss; our losses are pixel means, so
# the parsing lr 1e-3 (momentum 0.9, weight decay 5e-4) is used instead.
# Augmentation and test resizing as the parsing configs (Sec. 4.2).
_base_ = ['./htcorrm-parsing_hrnetv2-w48_4xb8-180e_lip-384x384.py']
# Eq. 4, edge main: L_b(O_m) + 0.08 L_p + 200 L_k + 1 L_b (the model base's
# edge_main; CE with the rare edge pixels weighing 10x)
model = dict(decode_head=_base_.edge_main)
# GT edges of the original-size label map (EdgeMetric's gt_edge_map)
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(384, 384), keep_ratio=True),
    dict(type='LoadParsingAnnotations'),
    dict(type='GenerateEdge', edge_width=3),
    dict(type='PackParsingInputs')
]
train_dataloader = dict(sampler=dict(type='InfiniteSampler', shuffle=True))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='EdgeMetric')
test_evaluator = val_evaluator

optimizer = dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=5e-4)
optim_wrapper = dict(type='OptimWrapper', optimizer=optimizer, clip_grad=None)
param_scheduler = [
    dict(
        type='MultiStepLR',
        milestones=[10000, 20000, 30000],
        gamma=0.1,
        by_epoch=False)
]
train_cfg = dict(
    _delete_=True, type='IterBasedTrainLoop', max_iters=40000,
    val_interval=4000)
default_hooks = dict(
    logger=dict(log_metric_by_epoch=False),
    checkpoint=dict(by_epoch=False, interval=4000, max_keep_ckpts=3))
log_processor = dict(by_epoch=False)
