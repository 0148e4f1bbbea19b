# PASCAL-Person-Part, 7 classes (no left/right parts): the pipelines and
# loaders of atr.py (lip.py's at 512 x 512), scored with mIoU.
# Layout: see docs/data_conventions.md. Prepare: docs/datasets.md.
_base_ = './atr.py'
dataset_type = 'PPPDataset'
data_root = 'data/PASCAL-Person-Part'
train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationPart'),
        ann_file='list/train_id.txt'))
val_dataloader = dict(
    dataset=dict(train_dataloader['dataset'], ann_file='list/val_id.txt'))
test_dataloader = val_dataloader
val_evaluator = dict(
    _delete_=True, type='mmseg.IoUMetric', iou_metrics=['mIoU'])
test_evaluator = val_evaluator
