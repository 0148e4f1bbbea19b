# SS-NAN ("Self-Supervised Neural Aggregation Networks for Human Parsing",
# arXiv:1803.07741) on LIP, training stage 1 (Sec. 4.1): the Share-Net with
# neural aggregation trained with L_parsing only for 40 epochs. Input
# 321 x 321, batch 30 on one GPU, SGD lr 0.001 (0.01 for the final dense
# classifier), poly 0.9, momentum 0.9, weight decay 5e-4, random mirror (with
# the left/right label swap) and random resize 0.6-1.4. Stage 2:
# ss-nan_r101-d8_1xb30-30e_lip-321x321.py (load_from this work_dir).
_base_ = [
    '../_base_/models/ss-nan_r101-d8.py', '../_base_/datasets/lip.py',
    '../_base_/segmentor_epoch_runtime.py',
    '../_base_/schedules/schedule_40e.py'
]
crop_size = (321, 321)  # (h, w), Sec. 3.1
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor, decode_head=dict(num_classes=20))
# test and --tta at 321 x 321 (--tta adds the mirrored view)
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(321, 321), keep_ratio=True),
    dict(type='LoadParsingAnnotations'),
    dict(type='PackParsingInputs')
]
tta_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(
        type='TestTimeAug',
        transforms=[
            [dict(type='Resize', scale=(321, 321), keep_ratio=True)],
            [
                dict(type='HumanRandomFlip', prob=0., direction='horizontal'),
                dict(type='HumanRandomFlip', prob=1., direction='horizontal')
            ],
            [dict(type='LoadParsingAnnotations')],
            [dict(type='PackParsingInputs')],
        ])
]
# Sec. 4.1 augmentation: random resize 0.6-1.4 and mirror (the left/right
# labels swapped), crop to 321 x 321; no rotation or photometric distortion
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    dict(
        type='RandomResize',
        scale=(321, 321),
        ratio_range=(0.6, 1.4),
        keep_ratio=True),
    dict(type='mmseg.RandomCrop', crop_size=crop_size),
    dict(type='HumanRandomFlip', prob=0.5),
    dict(type='PackParsingInputs')
]
train_dataloader = dict(
    batch_size=30,  # Sec. 4.1
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

# Sec. 4.1: 10x lr on the final dense classifier (schedule_40e.py)
optim_wrapper = dict(
    paramwise_cfg=dict(
        custom_keys={'decode_head.conv_seg': dict(lr_mult=10.)}))
default_hooks = dict(checkpoint=dict(max_keep_ckpts=2))
