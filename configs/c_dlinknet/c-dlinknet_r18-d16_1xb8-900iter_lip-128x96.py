# Small C-DLinkNet (half-width ResNet-18, narrow head; see
# _base_/models/c_dlinknet_r18.py) for demos, CPU smoke runs and the toy-data
# training check: input 128 x 96, batch 8, 900 iterations, AdamW + poly lr,
# from scratch (runs offline). Flip test with left/right swap on.
_base_ = [
    '../_base_/models/c_dlinknet_r18.py', '../_base_/datasets/lip.py',
    '../_base_/default_runtime.py'
]
crop_size = (128, 96)  # (h, w)
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    test_cfg=dict(flip=True))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    dict(
        type='RandomResize',
        scale=(96, 128),
        ratio_range=(0.75, 1.25),
        keep_ratio=True),
    dict(type='mmseg.RandomCrop', crop_size=crop_size),
    dict(type='HumanRandomFlip', prob=0.5),
    dict(type='PackParsingInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(96, 128), keep_ratio=True),
    dict(type='LoadParsingAnnotations'),
    dict(type='PackParsingInputs')
]
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(
        type='TestTimeAug',
        transforms=[[dict(type='Resize', scale=(96, 128), keep_ratio=True)],
                    [
                        dict(type='HumanRandomFlip', prob=0.,
                             direction='horizontal'),
                        dict(type='HumanRandomFlip', prob=1.,
                             direction='horizontal')
                    ], [dict(type='LoadParsingAnnotations')],
                    [dict(type='PackParsingInputs')]])
]
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(num_workers=2, dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

max_iters = 900
# From scratch on CPU, AdamW converges much faster than the paper's SGD
# (which assumes an ImageNet-pretrained encoder).
optimizer = dict(type='AdamW', lr=0.002, weight_decay=0.0001)
optim_wrapper = dict(type='OptimWrapper', optimizer=optimizer, clip_grad=None)
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=1e-4,
        power=0.9,
        begin=0,
        end=max_iters,
        by_epoch=False)
]
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=max_iters, val_interval=450)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=20, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=450),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='mmseg.SegVisualizationHook'))
