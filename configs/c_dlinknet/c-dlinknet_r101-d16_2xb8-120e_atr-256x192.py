# C-DLinkNet on ATR (18 classes) with the LIP paper setup (not in the paper):
# same model, 256 x 192 input, schedule, augmentation and flip test.
_base_ = './c-dlinknet_r101-d16_2xb8-120e_lip-256x192.py'
dataset_type = 'ATRDataset'
data_root = 'data/ATR'
model = dict(decode_head=dict(num_classes=18))
train_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
        ann_file='train_id.txt'))
val_dataloader = dict(
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
        ann_file='val_id.txt'))
test_dataloader = val_dataloader
