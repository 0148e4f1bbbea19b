# C-DLinkNet on LIP, the paper setup (c-dlinknet.txt, Sec. 3.2; Table 1 row
# "B + S + A + L", mIoU 53.05): ResNet-101 (ImageNet), input 256 x 192,
# poly lr 0.002, ~120 epochs, batch 16 on 2 GPUs (2 x 8), random scale
# 0.5-1.5, crop, rotation, left-right flip; flip test (left/right swapped).
_base_ = [
    '../_base_/models/c_dlinknet_r101.py', '../_base_/datasets/lip.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_120e.py'
]
crop_size = (256, 192)  # (h, w), Sec. 3.2
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    decode_head=dict(num_classes=20),
    test_cfg=dict(flip=True))  # "use flip for better performance"
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    # fit into 192 x 256 (mmcv scale is (w, h)), then scale 0.5-1.5
    dict(
        type='RandomResize',
        scale=(192, 256),
        ratio_range=(0.5, 1.5),
        keep_ratio=True),
    dict(type='mmseg.RandomRotate', prob=0.5, degree=30, seg_pad_val=255),
    dict(type='mmseg.RandomCrop', crop_size=crop_size),
    dict(type='HumanRandomFlip', prob=0.5),  # swaps left/right labels
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
        transforms=[[
            dict(type='Resize', scale=(int(192 * r), int(256 * r)),
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
    batch_size=8,  # x 2 GPUs = 16 (Sec. 3.2)
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
log_processor = dict(by_epoch=True)  # epoch-based schedule_120e
