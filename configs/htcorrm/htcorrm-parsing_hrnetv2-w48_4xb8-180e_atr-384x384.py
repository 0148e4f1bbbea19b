# HTCorrM, parsing as the main task, HRNetV2-W48, ATR (htcorrm-hnl.txt
# Table 3: F-1 86.12, precision 89.18, recall 83.93). Training as the LIP
# configs (Sec. 4.2). ATR has no pose labels; the paper makes them with a
# COCO-pretrained pose estimator (Sec. 4.2, "Dataset annotation"), which is
# not available offline, so the pose encoder is left unsupervised here (it
# still feeds HNL and learns through the main loss).
_base_ = [
    '../_base_/models/htcorrm_hrnetv2-w48.py', '../_base_/datasets/atr.py',
    '../_base_/segmentor_runtime.py', '../_base_/schedules/schedule_180e.py'
]
crop_size = (384, 384)  # (h, w)
# heatmap geometry of the (unsupervised) pose encoder, for output_aux
codec = dict(
    type='PoseHeatmapCodec',
    input_size=(384, 384),
    heatmap_size=(96, 96),
    sigma=2)
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    decode_head=dict(
        num_parsing_classes=18,
        num_classes=18,
        supervised_tasks=('parsing', 'edge'),
        codec=codec))

train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    dict(
        type='RandomResize',
        scale=(384, 384),
        ratio_range=(0.75, 1.25),
        keep_ratio=True),
    dict(type='HumanRandomRotate', prob=0.5, degree=60, seg_pad_val=255),
    dict(type='HumanRandomCrop', crop_size=crop_size),
    dict(type='Pad', size=(384, 384), pad_val=dict(img=0, seg=255)),
    dict(type='HumanRandomFlip', prob=0.5),
    # targets of the auxiliary encoders, on the final training geometry
    dict(type='GenerateEdge', edge_width=3),
    dict(type='PackParsingInputs')
]
# Sec. 4.2 "Testing details": long side 384, single scale, no flip
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(384, 384), keep_ratio=True),
    dict(type='LoadParsingAnnotations'),
    dict(type='PackParsingInputs')
]
train_dataloader = dict(
    batch_size=8,
    sampler=dict(type='DefaultSampler', shuffle=True),  # epoch-based loop
    dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

default_hooks = dict(
    checkpoint=dict(by_epoch=True, interval=10, max_keep_ckpts=3))
log_processor = dict(by_epoch=True)
