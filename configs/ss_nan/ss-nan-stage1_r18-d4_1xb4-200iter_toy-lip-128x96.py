# Small SS-NAN for the toy LIP set (tools/make_toy_data.py), CPU smoke runs
# and the learning tests, stage 1 (L_parsing only): the paper model
# (Share-Net over scales {0.5, 0.75, 1.0}, shared Skip-Net, neural
# aggregation, deep supervision) on a narrow ResNet-18, input 128 x 96,
# batch 4, 200 iterations from scratch with AdamW (the paper's SGD assumes
# pre-trained weights). Output stride 4 (res3 at 1/4, res4/res5 at 1/8,
# res5 dilated): at 128 x 96 the paper's stride 8 leaves a 16 x 12 map that
# loses the small parts (toy held-out mIoU 58 after 600 + 200 iterations,
# against 76 after 400 stage-1 iterations at stride 4). Stage 2, with the
# joint loss: ss-nan_r18-d4_1xb4-100iter_toy-lip-128x96.py. Not a benchmark
# setting.
_base_ = [
    '../_base_/models/ss-nan_r101-d8.py', '../_base_/datasets/toy_lip.py',
    '../_base_/segmentor_runtime.py',
    '../_base_/schedules/schedule_adamw_300iter.py'
]
crop_size = (128, 96)  # (h, w)
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    data_preprocessor=dict(size=crop_size),
    aggregation=dict(channels=32),
    backbone=dict(
        _base_.resnet18_scratch,
        stem_channels=16,
        base_channels=16,
        strides=(1, 1, 2, 1),  # res3 at 1/4, res4 and res5 at 1/8
        dilations=(1, 1, 1, 2)),
    decode_head=dict(
        in_channels=[32, 64, 128],  # res3, res4, res5 of the narrow R-18
        norm_cfg=norm_cfg,
        dropout_ratio=0.,
        num_classes=20))
# toy_lip.py's images resized to 128 x 96 without keeping the aspect ratio
# (no scale jitter, no crop), flipped with the left/right swap
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(96, 128), keep_ratio=False),
    dict(type='LoadParsingAnnotations'),
    dict(type='PackParsingInputs')
]
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    dict(type='Resize', scale=(96, 128), keep_ratio=False),
    dict(type='HumanRandomFlip', prob=0.5),
    dict(type='PackParsingInputs')
]
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(
        type='TestTimeAug',
        transforms=[
            [dict(type='Resize', scale=(96, 128), keep_ratio=False)],
            [
                dict(type='HumanRandomFlip', prob=0., direction='horizontal'),
                dict(type='HumanRandomFlip', prob=1., direction='horizontal')
            ],
            [dict(type='LoadParsingAnnotations')],
            [dict(type='PackParsingInputs')],
        ])
]
train_dataloader = dict(
    batch_size=4,
    persistent_workers=False,
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(
    persistent_workers=False, dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

max_iters = 200
param_scheduler = _base_.param_scheduler
param_scheduler[0].eta_min = 1e-5  # PolyLR
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(
    logger=dict(interval=20, log_metric_by_epoch=False),
    checkpoint=dict(by_epoch=False, interval=max_iters, max_keep_ckpts=1))
