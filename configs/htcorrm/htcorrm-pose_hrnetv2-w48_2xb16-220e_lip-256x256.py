# HTCorrM, pose estimation as the main task, HRNetV2-W48, LIP
# (TPAMI 2021 Table 6 / Table 8: 87.00 PCKh, 63.7 M parameters).
# Sec. 4.2: input 256 x 256, rotation -45..45 deg, scale 0.65..1.35, flip;
# 220 epochs, lr 1e-3 divided by 10 at epochs 100, 150, 170 and 210; task
# features C x H x W = 48 x 64 x 64; Eq. 4 weights alpha=0.001, beta=1,
# gamma=0.0025. Table 8 timing: 2 GPUs, batch 32 in total.
_base_ = [
    '../_base_/models/htcorrm_hrnetv2-w48.py',
    '../_base_/datasets/lip_384x384.py',
    '../_base_/segmentor_epoch_runtime.py',
    '../_base_/schedules/schedule_120e.py'
]
crop_size = (256, 256)  # (h, w)
codec = dict(
    type='PoseHeatmapCodec',
    input_size=(256, 256),
    heatmap_size=(64, 64),
    sigma=2)
data_preprocessor = dict(size=crop_size)
model = dict(
    data_preprocessor=data_preprocessor,
    # Eq. 4, pose main: L_k(O_m) + 0.001 L_p + 1 L_k + 0.0025 L_b
    decode_head=dict(
        _base_.pose_main,
        channels=48,  # Sec. 4.2: 48 x 64 x 64
        aspp_channels=48,
        edge_channels=48,
        hnl_channels=48,
        chunk_size=None,  # L = 4096: the dense affinity is small enough
        codec=codec))

# lip_384x384.py's pipeline at 256 x 256 with the pose ranges of Sec. 4.2
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    dict(
        type='RandomResize',
        scale=(256, 256),
        ratio_range=(0.65, 1.35),
        keep_ratio=True),
    dict(type='HumanRandomRotate', prob=0.5, degree=45, seg_pad_val=255),
    dict(type='HumanRandomCrop', crop_size=crop_size),
    dict(type='Pad', size=(256, 256), pad_val=dict(img=0, seg=255)),
    dict(type='HumanRandomFlip', prob=0.5),
    dict(type='GenerateEdge', edge_width=3),
    dict(type='GeneratePoseHeatmaps', codec=codec),
    dict(type='PackParsingInputs')
]
# Sec. 4.2 "Testing details": long side 256, single scale, no flip. The GT
# keypoints stay in original-image pixels (PCKhMetric): KeyMapper hides
# them from Resize; no parsing labels are loaded.
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='KeyMapper',
        mapping=dict(gt_keypoints=...),
        auto_remap=False,
        transforms=[dict(type='Resize', scale=(256, 256), keep_ratio=True)]),
    dict(type='PackParsingInputs')
]
train_dataloader = dict(
    batch_size=16, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        pose_file='TrainVal_pose_annotations/lip_val_set.csv',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = dict(_delete_=True, type='PCKhMetric', thr=0.5)
test_evaluator = val_evaluator

# HRNet's pose schedule (the paper's [36]): Adam, lr 1e-3, steps
optimizer = dict(_delete_=True, type='Adam', lr=1e-3)
optim_wrapper = dict(type='OptimWrapper', optimizer=optimizer, clip_grad=None)
param_scheduler = [
    dict(
        type='MultiStepLR',
        milestones=[100, 150, 170, 210],
        gamma=0.1,
        by_epoch=True,
        convert_to_iter_based=True)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=220, val_interval=10)
