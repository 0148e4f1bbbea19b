# SS-NAN ("Self-Supervised Neural Aggregation Networks for Human Parsing",
# arXiv:1803.07741) on PASCAL-Person-Part, training stage 1 (Sec. 4.1):
# the LIP recipe (ss-nan-stage1_r101-d8_1xb30-40e_lip-321x321.py: input
# 321 x 321, batch 30, SGD lr 0.001 with 10x on the dense classifier, poly
# 0.9, mirror + resize 0.6-1.4, L_parsing only for 40 epochs) on the 7 PPP
# classes. Stage 2: ss-nan_r101-d8_1xb30-30e_ppp-321x321.py.
_base_ = ['./ss-nan-stage1_r101-d8_1xb30-40e_lip-321x321.py']
model = dict(decode_head=dict(num_classes=7))
# Only the dataset changes; its fields are those of ../_base_/datasets/ppp.py.
dataset_type = 'PPPDataset'
data_root = 'data/PASCAL-Person-Part'
ppp_dataset = dict(
    type=dataset_type,
    data_root=data_root,
    data_prefix=dict(img_path='JPEGImages', seg_map_path='SegmentationPart'))
train_dataloader = dict(
    dataset=dict(ppp_dataset, ann_file='list/train_id.txt'))
val_dataloader = dict(dataset=dict(ppp_dataset, ann_file='list/val_id.txt'))
test_dataloader = val_dataloader
# 40 epochs: PPP has 1717 images / 30 = 58 iters per epoch.
