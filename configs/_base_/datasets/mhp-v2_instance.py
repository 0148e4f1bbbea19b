# MHP-v2, multi-person parsing (mmdet pipeline), 59 part classes; persons
# may overlap (one part map each). The global part map is composed from the
# persons. Prepare: python tools/dataset_converters/mhp2coco.py data/MHP \
#     --split train --out data/MHP/annotations/mhp_train.json  (and val)
dataset_type = 'MHPv2Dataset'
data_root = 'data/MHP/'
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadMultiPersonAnnotations', with_mask=False),
    dict(
        type='RandomResize',
        scale=[(1400, 512), (1400, 864)],
        keep_ratio=True,
        resize_type='HumanDetResize'),
    dict(type='HumanDetRandomFlip', prob=0.5),
    dict(type='PackParsingDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='HumanDetResize', scale=(1400, 800), keep_ratio=True),
    dict(type='LoadMultiPersonAnnotations', with_mask=False),
    dict(type='PackParsingDetInputs')
]
train_dataloader = dict(
    batch_size=2,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    batch_sampler=dict(type='mmdet.AspectRatioBatchSampler'),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/mhp_train.json',
        data_prefix=dict(img='LV-MHP-v2/train/images'),
        filter_cfg=dict(filter_empty_gt=True),
        pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/mhp_val.json',
        data_prefix=dict(img='LV-MHP-v2/val/images'),
        test_mode=True,
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = [
    dict(type='ParsingAPMetric', num_parts=59),
    dict(
        type='mmdet.CocoMetric',
        ann_file=data_root + 'annotations/mhp_val.json',
        metric='bbox')
]
test_evaluator = val_evaluator
# flip test-time augmentation (tools/test.py --tta): persons of both views
# pooled by box NMS; flipped part maps mirrored back with left/right swapped
tta_model = dict(
    type='ParsingDetTTAModel',
    tta_cfg=dict(
        nms=dict(type='nms', iou_threshold=0.5),
        max_per_img=100,
        combine_score_thr=0.3))
tta_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='TestTimeAug',
        transforms=[[dict(type='HumanDetResize', scale=(1400, 800),
                          keep_ratio=True)],
                    [
                        dict(type='HumanDetRandomFlip', prob=0.),
                        dict(type='HumanDetRandomFlip', prob=1.)
                    ],
                    [dict(type='LoadMultiPersonAnnotations',
                          with_mask=False)],
                    [dict(type='PackParsingDetInputs')]])
]
