# LIP at 256 x 192 (h, w): the C-DLinkNet setting (arXiv:2001.11690,
# Sec. 3.2): fit into 192 x 256, random scale 0.5-1.5, rotation, crop,
# left/right flip (labels swapped); --tta: three scales x flip.
# lip.py's pipelines at this size, without PhotoMetricDistortion.
_base_ = './lip.py'
crop_size = (256, 192)  # (h, w); mmcv scales below are (w, h)
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    dict(
        type='RandomResize',
        scale=(192, 256),
        ratio_range=(0.5, 1.5),
        keep_ratio=True),
    dict(type='mmseg.RandomRotate', prob=0.5, degree=30, seg_pad_val=255),
    dict(type='mmseg.RandomCrop', crop_size=crop_size),
    dict(type='HumanRandomFlip', prob=0.5),
    dict(type='PackParsingInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(192, 256), keep_ratio=True),
    dict(type='LoadParsingAnnotations'),
    dict(type='PackParsingInputs')
]
# --tta: three scales of the 256 x 192 input, each with and without flip
# (tta_model = ParsingTTAModel swaps left/right for the flipped views).
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(
        type='TestTimeAug',
        transforms=[
            [
                dict(
                    type='Resize',
                    scale=(int(192 * r), int(256 * r)),
                    keep_ratio=True) for r in (0.75, 1.0, 1.25)
            ],
            [
                dict(type='HumanRandomFlip', prob=0., direction='horizontal'),
                dict(type='HumanRandomFlip', prob=1., direction='horizontal')
            ],
            [dict(type='LoadParsingAnnotations')],
            [dict(type='PackParsingInputs')],
        ])
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
