# C-DLinkNet on LIP, the paper setup (arXiv:2001.11690, Sec. 3.2; Table 1
# row "B + S + A + L", mIoU 53.05): ResNet-101 (ImageNet), input 256 x 192,
# poly lr 0.002, ~120 epochs, batch 16 on 2 GPUs (2 x 8), random scale
# 0.5-1.5, crop, rotation, left-right flip; flip test (left/right swapped).
_base_ = [
    '../_base_/models/c_dlinknet_r101-d16.py',
    '../_base_/datasets/lip_256x192.py',
    '../_base_/segmentor_epoch_runtime.py',
    '../_base_/schedules/schedule_120e.py'
]
crop_size = (256, 192)  # (h, w), Sec. 3.2
model = dict(
    data_preprocessor=dict(size=crop_size),
    decode_head=dict(num_classes=20))
train_dataloader = dict(
    batch_size=8,  # x 2 GPUs = 16 (Sec. 3.2)
    sampler=dict(type='DefaultSampler', shuffle=True))  # epoch-based loop
