# Pipelines, loaders and flip TTA shared by the multi-person parsing dataset
# bases (mmdet pipeline): cihp_instance.py and mhp-v2_instance.py set the
# dataset, its files and the evaluator's part count and json. Sizes as the
# official RP R-CNN / Parsing R-CNN yamls (TRAIN.SCALES, MAX_SIZE 1400;
# TEST.SCALE 800, MAX_SIZE 1333). The paper text (arXiv:2009.09447 Sec.
# 4.1) reads "short side sampled from [512, 864]": RandomResize with
# scale=[(1400, 512), (1400, 864)] instead of RandomChoiceResize.
train_scales = [(1400, s) for s in (512, 640, 704, 768, 800, 864)]
test_scale = (1333, 800)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadMultiPersonAnnotations', with_mask=False),
    dict(
        type='RandomChoiceResize',
        scales=train_scales,
        keep_ratio=True,
        resize_type='HumanDetResize'),
    dict(type='HumanDetRandomFlip', prob=0.5),
    dict(type='PackParsingDetInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='HumanDetResize', scale=test_scale, keep_ratio=True),
    # annotations after resizing: predictions are scored at the original size
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
        filter_cfg=dict(filter_empty_gt=True), pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=2,
    persistent_workers=True,
    drop_last=False,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(test_mode=True, pipeline=test_pipeline))
test_dataloader = val_dataloader
# AP^p_50 / AP^p_vol / PCP_50 and mIoU of the combined map (pred_sem_seg),
# plus person-box AP from mmdet's CocoMetric; the dataset bases set the
# part count and the val json.
val_evaluator = [
    dict(type='ParsingAPMetric'),
    dict(type='mmdet.CocoMetric', metric='bbox')
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
        transforms=[[dict(type='HumanDetResize', scale=test_scale,
                          keep_ratio=True)],
                    [
                        dict(type='HumanDetRandomFlip', prob=0.),
                        dict(type='HumanDetRandomFlip', prob=1.)
                    ],
                    [dict(type='LoadMultiPersonAnnotations',
                          with_mask=False)],
                    [dict(type='PackParsingDetInputs')]])
]
