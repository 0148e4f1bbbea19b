# Small HTCorrM (_base_/models/htcorrm_r18-d16.py), parsing as the main
# task, on toy LIP (128 x 96, with the pose csv): unit tests, CPU smoke runs
# and the toy learning check. AdamW + poly lr from scratch, batch 8.
_base_ = [
    '../_base_/models/htcorrm_r18-d16.py', '../_base_/datasets/toy_lip.py',
    '../_base_/segmentor_runtime.py',
    '../_base_/schedules/schedule_adamw_300iter.py'
]
# the model base's pose heatmap codec (128 x 96 inputs, as toy_lip.py),
# shared with GeneratePoseHeatmaps
codec = _base_.codec
# toy_lip.py's steps with the keypoint-aware crop, padding to 128 x 96
# and the targets of the auxiliary encoders (edges 1 pixel wide)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    dict(
        type='RandomResize',
        scale=(96, 128),
        ratio_range=(0.75, 1.25),
        keep_ratio=True),
    dict(type='HumanRandomCrop', crop_size=_base_.crop_size),
    dict(type='Pad', size=(96, 128), pad_val=dict(img=0, seg=255)),
    dict(type='HumanRandomFlip', prob=0.5),
    dict(type='GenerateEdge', edge_width=1),
    dict(type='GeneratePoseHeatmaps', codec=codec),
    dict(type='PackParsingInputs')
]
# both splits with their pose csv (the pose-main toy config scores PCKh)
train_dataloader = dict(
    dataset=dict(
        pose_file='TrainVal_pose_annotations/lip_train_set.csv',
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(pose_file='TrainVal_pose_annotations/lip_val_set.csv'))
test_dataloader = val_dataloader

default_hooks = dict(
    logger=dict(interval=20, log_metric_by_epoch=False),
    checkpoint=dict(by_epoch=False, interval=300))
