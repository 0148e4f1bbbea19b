# HTCorrM, parsing as the main task, HRNetV2-W48, CIHP as whole-image
# semantic parsing (htcorrm-hnl.txt Table 4: 61.99 mIoU; Sec. 3.5: the
# journal version correlates on the whole image, without Mask R-CNN
# crops). Training as the LIP config (Sec. 4.2). CIHP has no pose labels;
# the paper makes them with a COCO-pretrained pose estimator (Sec. 4.2),
# not available offline, so the pose encoder is left unsupervised here (it
# still feeds HNL and learns through the main loss).
_base_ = ['./htcorrm-parsing_hrnetv2-w48_4xb8-180e_lip-384x384.py']
crop_size = (384, 384)  # (h, w)
model = dict(decode_head=dict(supervised_tasks=('parsing', 'edge')))
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
    dict(type='PackParsingInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(384, 384), keep_ratio=True),
    dict(type='LoadParsingAnnotations'),
    dict(type='PackParsingInputs')
]
data_root = 'data/CIHP'
cihp_dir = 'instance-level_human_parsing'
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='CIHPDataset',
        data_root=data_root,
        data_prefix=dict(
            img_path=f'{cihp_dir}/Training/Images',
            seg_map_path=f'{cihp_dir}/Training/Category_ids'),
        ann_file=f'{cihp_dir}/Training/train_id.txt',
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='CIHPDataset',
        data_root=data_root,
        data_prefix=dict(
            img_path=f'{cihp_dir}/Validation/Images',
            seg_map_path=f'{cihp_dir}/Validation/Category_ids'),
        ann_file=f'{cihp_dir}/Validation/val_id.txt',
        pipeline=test_pipeline))
test_dataloader = val_dataloader
