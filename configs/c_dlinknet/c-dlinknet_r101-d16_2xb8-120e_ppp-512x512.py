# C-DLinkNet on PASCAL-Person-Part (7 classes, no left/right parts, so the
# flip test is a plain mirror average). Not in the paper: the LIP recipe
# with the 512 x 512 input usual for this multi-person scene dataset.
_base_ = './c-dlinknet_r101-d16_2xb8-120e_lip-256x192.py'
dataset_type = 'PPPDataset'
data_root = 'data/PASCAL-Person-Part'
crop_size = (512, 512)
model = dict(
    data_preprocessor=dict(size=crop_size),
    decode_head=dict(num_classes=7))
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
    dict(type='PackParsingInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(512, 512), keep_ratio=True),
    dict(type='LoadParsingAnnotations'),
    dict(type='PackParsingInputs')
]
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(
        type='TestTimeAug',
        transforms=[[
            dict(type='Resize', scale=(int(512 * r), int(512 * r)),
                 keep_ratio=True) for r in (0.75, 1.0, 1.25)
        ],
                    [
                        dict(type='HumanRandomFlip', prob=0.,
                             direction='horizontal'),
                        dict(type='HumanRandomFlip', prob=1.,
                             direction='horizontal')
                    ], [dict(type='LoadParsingAnnotations')],
                    [dict(type='PackParsingInputs')]])
]
train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationPart'),
        ann_file='list/train_id.txt',
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationPart'),
        ann_file='list/val_id.txt',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
