# Small HTCorrM (_base_/models/htcorrm_r18-d16.py), parsing as the main
# task, on toy LIP (128 x 96, with the pose csv): unit tests, CPU smoke runs
# and the toy learning check. AdamW + poly lr from scratch, batch 8.
_base_ = [
    '../_base_/models/htcorrm_r18-d16.py', '../_base_/datasets/toy_lip.py',
    '../_base_/segmentor_runtime.py'
]
crop_size = (128, 96)  # (h, w)
# the pose heatmap codec, shared by GeneratePoseHeatmaps and the head
codec = dict(
    type='PoseHeatmapCodec',
    input_size=(96, 128),  # (w, h)
    heatmap_size=(24, 32),
    sigma=2)
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor, decode_head=dict(codec=codec))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    dict(
        type='RandomResize',
        scale=(96, 128),  # (w, h)
        ratio_range=(0.75, 1.25),
        keep_ratio=True),
    dict(type='HumanRandomCrop', crop_size=crop_size),
    dict(type='Pad', size=(96, 128), pad_val=dict(img=0, seg=255)),
    dict(type='HumanRandomFlip', prob=0.5),
    dict(type='GenerateEdge', edge_width=1),
    dict(type='GeneratePoseHeatmaps', codec=codec),
    dict(type='PackParsingInputs')
]
train_dataloader = dict(
    dataset=dict(
        pose_file='TrainVal_pose_annotations/lip_train_set.csv',
        pipeline=train_pipeline))

max_iters = 300
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
    type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    logger=dict(interval=20, log_metric_by_epoch=False),
    checkpoint=dict(by_epoch=False, interval=max_iters))
