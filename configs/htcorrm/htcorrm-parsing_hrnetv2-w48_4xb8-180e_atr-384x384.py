# HTCorrM, parsing as the main task, HRNetV2-W48, ATR (TPAMI 2021
# Table 3: F-1 86.12, precision 89.18, recall 83.93). Training as the LIP
# configs (Sec. 4.2). ATR has no pose labels; the paper makes them with a
# COCO-pretrained pose estimator (Sec. 4.2, "Dataset annotation"), which is
# not available offline, so the pose encoder is left unsupervised here (it
# still feeds HNL and learns through the main loss).
_base_ = ['./htcorrm-parsing_hrnetv2-w48_4xb8-180e_lip-384x384.py']
model = dict(
    decode_head=dict(
        num_parsing_classes=18,
        num_classes=18,
        supervised_tasks=('parsing', 'edge')))
# lip_384x384.py's pipeline without the pose heatmaps
train_pipeline = [
    t for t in _base_.train_pipeline if t.type != 'GeneratePoseHeatmaps'
]
# the dataset of ../_base_/datasets/atr.py (same list file names as LIP)
dataset_type = 'ATRDataset'
data_root = 'data/ATR'
data_prefix = dict(img_path='JPEGImages', seg_map_path='SegmentationClassAug')
train_dataloader = dict(
    dataset=dict(
        _delete_=True,  # no pose csv
        type=dataset_type,
        data_root=data_root,
        data_prefix=data_prefix,
        ann_file='train_id.txt',
        pipeline=train_pipeline))
val_dataloader = dict(
    dataset=dict(
        type=dataset_type, data_root=data_root, data_prefix=data_prefix))
test_dataloader = val_dataloader
# mIoU and the ATR columns, as atr.py
val_evaluator = [
    dict(type='mmseg.IoUMetric', iou_metrics=['mIoU']),
    dict(type='ATRMetric', prefix='ATR')
]
test_evaluator = val_evaluator
