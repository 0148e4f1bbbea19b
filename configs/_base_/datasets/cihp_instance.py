# CIHP, multi-person parsing (mmdet pipeline), 20 part classes; pipelines,
# loaders and flip TTA in multi-person_instance.py.
# Prepare: python tools/dataset_converters/cihp2coco.py data/CIHP \
#     --split train --out data/CIHP/annotations/cihp_train.json  (and val)
_base_ = './multi-person_instance.py'
dataset_type = 'CIHPInstanceDataset'
data_root = 'data/CIHP/'
# per split: the COCO-style json of tools/dataset_converters/cihp2coco.py,
# the images and the global part maps of CIHP's own folders
split_dirs = dict(
    train='instance-level_human_parsing/Training',
    val='instance-level_human_parsing/Validation')
split_datasets = {
    split: dict(
        type=dataset_type,
        data_root=data_root,
        ann_file=f'annotations/cihp_{split}.json',
        data_prefix=dict(img=f'{folder}/Images'),
        global_seg_dir=f'{folder}/Category_ids')
    for split, folder in split_dirs.items()
}
train_dataloader = dict(dataset=split_datasets['train'])
val_dataloader = dict(dataset=split_datasets['val'])
test_dataloader = val_dataloader
# multi-person_instance.py's metrics on the 20 CIHP parts
val_evaluator = _base_.val_evaluator
val_evaluator[0].num_parts = 20  # ParsingAPMetric
val_evaluator[1].ann_file = data_root + 'annotations/cihp_val.json'
test_evaluator = val_evaluator
