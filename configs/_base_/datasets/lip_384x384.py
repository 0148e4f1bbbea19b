# LIP at 384 x 384 with HTCorrM's augmentation and auxiliary targets
# (HTCorrM, TPAMI 2021, Sec. 4.2): random rotation (-60..60 deg), flip and
# scale (0.75..1.25); edge and pose heatmap targets; the LIP pose csv. Test:
# long side 384, single scale. The paper gives no batch size: 8 per GPU.
_base_ = './lip.py'
crop_size = (384, 384)  # (h, w)
# lip.py's steps at this size with the keypoint-aware rotate and crop, then
# padding to 384 x 384 and the targets of the auxiliary encoders on the
# final training geometry (no photometric distortion)
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
    dict(type='GenerateEdge', edge_width=3),
    dict(
        type='GeneratePoseHeatmaps',
        # the codec of the HTCorrM model bases (heatmaps at 1/4)
        codec=dict(
            type='PoseHeatmapCodec',
            input_size=(384, 384),
            heatmap_size=(96, 96),
            sigma=2)),
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
