# SS-NAN on LIP, training stage 1 (ss-nan.txt, Sec. 4.1): the Share-Net with
# neural aggregation trained with L_parsing only for 40 epochs. Input
# 321 x 321, batch 30 on one GPU, SGD lr 0.001 (0.01 for the final dense
# classifier), poly 0.9, momentum 0.9, weight decay 5e-4, random mirror (with
# the left/right label swap) and random resize 0.6-1.4. Stage 2:
# ss-nan_r101-d8_1xb30-30e_lip-321x321.py (load_from this work_dir).
_base_ = [
    '../_base_/models/ss-nan_r101-d8.py', '../_base_/datasets/lip.py',
    '../_base_/segmentor_runtime.py'
]
crop_size = (321, 321)  # (h, w), Sec. 3.1
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor, decode_head=dict(num_classes=20))
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    dict(
        type='RandomResize',
        scale=(321, 321),
        ratio_range=(0.6, 1.4),  # Sec. 4.1
        keep_ratio=True),
    dict(type='mmseg.RandomCrop', crop_size=crop_size),
    dict(type='HumanRandomFlip', prob=0.5),  # swaps left/right labels
    dict(type='PackParsingInputs')
]
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
        transforms=[[dict(type='Resize', scale=(321, 321), keep_ratio=True)],
                    [
                        dict(type='HumanRandomFlip', prob=0.,
                             direction='horizontal'),
                        dict(type='HumanRandomFlip', prob=1.,
                             direction='horizontal')
                    ], [dict(type='LoadParsingAnnotations')],
                    [dict(type='PackParsingInputs')]])
]
train_dataloader = dict(
    batch_size=30,  # Sec. 4.1
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

# Schedule (Sec. 4.1): SGD, "poly" lr (power 0.9) from 0.001, 10x on the
# final dense classifier, 40 epochs (LIP: 30462 images / 30 = 1016 iters).
max_epochs = 40
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.001, momentum=0.9, weight_decay=0.0005),
    paramwise_cfg=dict(
        custom_keys={'decode_head.conv_seg': dict(lr_mult=10.)}),
    clip_grad=None)
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=0.0,
        power=0.9,
        begin=0,
        end=max_epochs,
        by_epoch=True,
        convert_to_iter_based=True)
]
train_cfg = dict(
    type='EpochBasedTrainLoop', max_epochs=max_epochs, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    checkpoint=dict(by_epoch=True, interval=10, max_keep_ckpts=2))
log_processor = dict(by_epoch=True)
