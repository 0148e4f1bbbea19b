# Toy LIP (mmhumanparse.testing.make_toy_data / tools/make_toy_data.py):
# LIP layout, 128 x 96 (h, w) images. For unit tests, CPU smoke training and
# `make demo`; not a benchmark. lip.py's pipelines at this size: random
# scale 0.75-1.25, crop, flip (no rotation, no photometric distortion);
# --tta: the test size with and without flip.
_base_ = './lip.py'
data_root = 'data/toy/LIP'
crop_size = (128, 96)  # (h, w); mmcv scales below are (w, h)
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
        transforms=[
            [dict(type='Resize', scale=(96, 128), keep_ratio=True)],
            [
                dict(type='HumanRandomFlip', prob=0., direction='horizontal'),
                dict(type='HumanRandomFlip', prob=1., direction='horizontal')
            ],
            [dict(type='LoadParsingAnnotations')],
            [dict(type='PackParsingInputs')],
        ])
]
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=2, dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
