# LIP resized to 512 x 512, the LIP-Net setting (Sec. 3.1: "we resized all
# the images and segmentation masks to 512x512"; aspect ratio not kept,
# labels resized with nearest; no other augmentation listed).
_base_ = './lip.py'
crop_size = (512, 512)  # (h, w)
# training: load image and labels, the fixed resize, pack
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    dict(type='Resize', scale=(512, 512), keep_ratio=False),
    dict(type='PackParsingInputs')
]
# lip.py's test pipeline with the fixed resize; annotations are loaded after
# it: predictions are resized back and scored at the original image size.
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(512, 512), keep_ratio=False),
    dict(type='LoadParsingAnnotations'),
    dict(type='PackParsingInputs')
]
# --tta: the test resize, with and without flip (left/right swapped).
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(
        type='TestTimeAug',
        transforms=[
            [dict(type='Resize', scale=(512, 512), keep_ratio=False)],
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
