# HTCorrM, parsing as the main task, unified backbone HRNetV2-W48, LIP
# (htcorrm-hnl.txt Table 2, "Ours (HRNetV2-W48)": 56.85 mIoU).
# Sec. 4.2: 384 x 384 inputs, random rotation (-60..60 deg), flip and scale
# (0.75..1.25); SGD, lr 1e-3, poly 0.9, momentum 0.9, weight decay 5e-4,
# 180 epochs; Eq. 4 weights alpha=1, beta=50, gamma=2 (in the model base).
# The paper gives no batch size: 4 GPUs x 8 here.
_base_ = [
    '../_base_/models/htcorrm_hrnetv2-w48.py', '../_base_/datasets/lip.py',
    '../_base_/segmentor_runtime.py', '../_base_/schedules/schedule_120e.py'
]
crop_size = (384, 384)  # (h, w)
# the pose heatmap codec, shared by GeneratePoseHeatmaps and the head
codec = dict(
    type='PoseHeatmapCodec',
    input_size=(384, 384),
    heatmap_size=(96, 96),
    sigma=2)
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor, decode_head=dict(codec=codec))

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
    dict(type='GeneratePoseHeatmaps', codec=codec),
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
    dataset=dict(
        pose_file='TrainVal_pose_annotations/lip_train_set.csv',
        pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader

optimizer = dict(type='SGD', lr=1e-3, momentum=0.9, weight_decay=5e-4)
optim_wrapper = dict(type='OptimWrapper', optimizer=optimizer, clip_grad=None)
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=0.0,
        power=0.9,
        begin=0,
        end=180,
        by_epoch=True,
        convert_to_iter_based=True)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=180, val_interval=10)
default_hooks = dict(
    checkpoint=dict(by_epoch=True, interval=10, max_keep_ckpts=3))
log_processor = dict(by_epoch=True)
