# CIHP, multi-person parsing (mmdet pipeline), 20 part classes; pipelines,
# loaders and flip TTA in multi-person_instance.py.
# Prepare: python tools/dataset_converters/cihp2coco.py data/CIHP \
#     --split train --out data/CIHP/annotations/cihp_train.json  (and val)
_base_ = './multi-person_instance.py'
dataset_type = 'CIHPInstanceDataset'
data_root = 'data/CIHP/'
# per split: the COCO-style json of tools/dataset_converters/cihp2coco.py,
# the images and the global part maps of CIHP's own folders
train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/cihp_train.json',
        data_prefix=dict(img='instance-level_human_parsing/Training/Images'),
        global_seg_dir='instance-level_human_parsing/Training/Category_ids'))
val_dataloader = dict(
    dataset=dict(
        train_dataloader['dataset'],
        ann_file='annotations/cihp_val.json',
        data_prefix=dict(
            img='instance-level_human_parsing/Validation/Images'),
        global_seg_dir='instance-level_human_parsing/Validation/Category_ids'))
test_dataloader = val_dataloader
# multi-person_instance.py's metrics on the 20 CIHP parts
val_evaluator = _base_.val_evaluator
val_evaluator[0].num_parts = 20  # ParsingAPMetric
val_evaluator[1].ann_file = data_root + val_dataloader['dataset']['ann_file']
test_evaluator = val_evaluator
