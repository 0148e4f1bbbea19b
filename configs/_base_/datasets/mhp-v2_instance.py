# MHP-v2, multi-person parsing (mmdet pipeline), 59 part classes; persons
# may overlap (one part map each). The global part map is composed from the
# persons. Pipelines, loaders and flip TTA in multi-person_instance.py.
# Prepare: python tools/dataset_converters/mhp2coco.py data/MHP \
#     --split train --out data/MHP/annotations/mhp_train.json  (and val)
_base_ = './multi-person_instance.py'
dataset_type = 'MHPv2Dataset'
data_root = 'data/MHP/'
# per split: the json of tools/dataset_converters/mhp2coco.py and the
# images; part maps are read through the json
train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        ann_file='annotations/mhp_train.json',
        data_prefix=dict(img='LV-MHP-v2/train/images')))
val_dataloader = dict(
    dataset=dict(
        train_dataloader['dataset'],
        ann_file='annotations/mhp_val.json',
        data_prefix=dict(img='LV-MHP-v2/val/images')))
test_dataloader = val_dataloader
val_evaluator = _base_.val_evaluator
val_evaluator[0].num_parts = 59  # ParsingAPMetric
val_evaluator[1].ann_file = data_root + val_dataloader['dataset']['ann_file']
test_evaluator = val_evaluator
