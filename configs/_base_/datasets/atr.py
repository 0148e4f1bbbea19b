# ATR, single-person parsing, 18 classes: lip.py's pipelines and loaders at
# 512 x 512, scored with mIoU and the ATR columns.
# Layout: see docs/data_conventions.md. Prepare: docs/datasets.md.
_base_ = './lip.py'
dataset_type = 'ATRDataset'
data_root = 'data/ATR'
crop_size = (512, 512)  # (h, w)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    dict(
        type='RandomResize',
        scale=(512, 512),
        ratio_range=(0.5, 1.5),
        keep_ratio=True),
    dict(type='mmseg.RandomRotate', prob=0.5, degree=30, seg_pad_val=255),
    dict(type='mmseg.RandomCrop', crop_size=crop_size),
    dict(type='HumanRandomFlip', prob=0.5),
    dict(type='mmseg.PhotoMetricDistortion'),
    dict(type='PackParsingInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(512, 512), keep_ratio=True),
    dict(type='LoadParsingAnnotations'),
    dict(type='PackParsingInputs')
]
# the same list file names as LIP; images and labels in one folder each
train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(train_dataloader['dataset'], pipeline=test_pipeline))
test_dataloader = val_dataloader
# mIoU and the ATR columns (accuracy, precision, recall, F-1; keys
# prefixed 'ATR/' so that both metrics' aAcc can coexist)
val_evaluator = [
    dict(type='mmseg.IoUMetric', iou_metrics=['mIoU']),
    dict(type='ATRMetric', prefix='ATR')
]
test_evaluator = val_evaluator
