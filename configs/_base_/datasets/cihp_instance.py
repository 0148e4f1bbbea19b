# CIHP, multi-person parsing (mmdet pipeline), 20 part classes; pipelines,
# loaders and flip TTA in multi-person_instance.py.
# Prepare: python tools/dataset_converters/cihp2coco.py data/CIHP \
#     --split train --out data/CIHP/annotations/cihp_train.json  (and val)
_base_ = './multi-person_instance.py'
dataset_type = 'CIHPInstanceDataset'
data_root = 'data/CIHP/'
split_dirs = dict(
    train='instance-level_human_parsing/Training',
    val='instance-level_human_parsing/Validation')
train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/cihp_train.json',
        data_prefix=dict(img=split_dirs['train'] + '/Images'),
        global_seg_dir=split_dirs['train'] + '/Category_ids'))
val_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/cihp_val.json',
        data_prefix=dict(img=split_dirs['val'] + '/Images'),
        global_seg_dir=split_dirs['val'] + '/Category_ids'))
test_dataloader = val_dataloader
# AP^p_50 / AP^p_vol / PCP_50 and mIoU of the combined map (pred_sem_seg),
# plus person-box AP from mmdet's CocoMetric.
val_evaluator = [
    dict(type='ParsingAPMetric', num_parts=20),
    dict(
        type='mmdet.CocoMetric',
        ann_file=data_root + 'annotations/cihp_val.json',
        metric='bbox')
]
test_evaluator = val_evaluator
