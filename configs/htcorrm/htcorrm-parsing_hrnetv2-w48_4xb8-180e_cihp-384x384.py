# HTCorrM, parsing as the main task, HRNetV2-W48, CIHP as whole-image
# semantic parsing (TPAMI 2021 Table 4: 61.99 mIoU; Sec. 3.5: the
# journal version correlates on the whole image, without Mask R-CNN
# crops). Training as the LIP config (Sec. 4.2). CIHP has no pose labels;
# the paper makes them with a COCO-pretrained pose estimator (Sec. 4.2),
# not available offline, so the pose encoder is left unsupervised here (it
# still feeds HNL and learns through the main loss).
_base_ = ['./htcorrm-parsing_hrnetv2-w48_4xb8-180e_lip-384x384.py']
model = dict(decode_head=dict(supervised_tasks=('parsing', 'edge')))
# lip_384x384.py's pipeline without the pose heatmaps
train_pipeline = [
    t for t in _base_.train_pipeline if t.type != 'GeneratePoseHeatmaps'
]
data_root = 'data/CIHP'
cihp_dir = 'instance-level_human_parsing'
train_dataloader = dict(
    dataset=dict(
        _delete_=True,  # no pose csv
        type='CIHPDataset',
        data_root=data_root,
        data_prefix=dict(
            img_path=f'{cihp_dir}/Training/Images',
            seg_map_path=f'{cihp_dir}/Training/Category_ids'),
        ann_file=f'{cihp_dir}/Training/train_id.txt',
        pipeline=train_pipeline))
val_split = f'{cihp_dir}/Validation'
val_dataloader = dict(
    dataset=dict(
        type='CIHPDataset',
        data_root=data_root,
        data_prefix=dict(
            img_path=f'{val_split}/Images',
            seg_map_path=f'{val_split}/Category_ids'),
        ann_file=f'{val_split}/val_id.txt'))
test_dataloader = val_dataloader
