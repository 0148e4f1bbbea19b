# Small SS-NAN for the toy LIP set (tools/make_toy_data.py), CPU smoke runs
# and the learning tests: the paper model (Share-Net over scales {0.5, 0.75,
# 1.0}, shared Skip-Net, neural aggregation, deep supervision, L_SS-NAN of
# Eq. 4 with the nine LIP joints) on a narrow ResNet-18 (output stride 8),
# input 128 x 96, batch 8, 600 iterations from scratch. One stage (the joint
# loss is on from the start) and AdamW: the paper's two-stage SGD schedule
# assumes pre-trained weights. Not a benchmark setting.
_base_ = [
    '../_base_/models/ss-nan_r101-d8.py', '../_base_/datasets/lip.py',
    '../_base_/segmentor_runtime.py'
]
crop_size = (128, 96)  # (h, w)
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    data_preprocessor=dict(size=crop_size),
    aggregation=dict(channels=32),
    backbone=dict(
        depth=18,
        stem_channels=16,
        base_channels=16,
        norm_cfg=norm_cfg,
        init_cfg=None),
    decode_head=dict(
        in_channels=[32, 64, 128],  # res3, res4, res5 of the narrow R-18
        norm_cfg=norm_cfg,
        dropout_ratio=0.,
        num_classes=20,
        loss_joint=dict(
            type='SSJointLoss',
            # LIP_METAINFO['joint_groups'] (the nine joints, Sec. 3.3)
            joint_groups=[(1, 2, 4, 13), (5, 6, 7, 10, 11), (9, 12), (14, ),
                          (15, ), (16, ), (17, ), (18, ), (19, )],
            loss_weight=1.0)))
data_root = 'data/toy/LIP'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    dict(type='Resize', scale=(96, 128), keep_ratio=False),  # (w, h)
    dict(type='HumanRandomFlip', prob=0.5),
    dict(type='PackParsingInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(96, 128), keep_ratio=False),
    dict(type='LoadParsingAnnotations'),
    dict(type='PackParsingInputs')
]
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(
        type='TestTimeAug',
        transforms=[[dict(type='Resize', scale=(96, 128), keep_ratio=False)],
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
    persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=2,
    persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader

max_iters = 600
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=0.002, weight_decay=0.0001),
    clip_grad=None)
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=1e-5,
        power=0.9,
        begin=0,
        end=max_iters,
        by_epoch=False)
]
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=max_iters, val_interval=300)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    logger=dict(interval=20, log_metric_by_epoch=False),
    checkpoint=dict(by_epoch=False, interval=300, max_keep_ckpts=1))
