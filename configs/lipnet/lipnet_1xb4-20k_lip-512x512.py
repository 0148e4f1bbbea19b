# LIP-Net on LIP at 512x512 (Ilyas & Kim, 2020, Sec. 3.1): images and masks
# resized to 512x512, Adam, poly lr 0.005 (power 0.9), batch 4, 20k
# iterations, dropout 0.25, weighted CE. Before training, write the class
# weights of the training split (median frequency balancing):
#   python tools/analysis_tools/class_weights.py CONFIG
_base_ = [
    '../_base_/models/lipnet.py', '../_base_/datasets/lip_512x512.py',
    '../_base_/segmentor_runtime.py',
    '../_base_/schedules/schedule_adam_20k.py'
]
crop_size = (512, 512)  # (h, w)
model = dict(
    data_preprocessor=dict(size=crop_size),
    decode_head=dict(class_weight_file='data/LIP/class_weights.json'))
train_dataloader = dict(batch_size=4)  # Sec. 3.1
val_dataloader = dict(batch_size=1)
test_dataloader = val_dataloader
# iteration-based schedule_adam_20k
default_hooks = dict(
    logger=dict(log_metric_by_epoch=False),
    checkpoint=dict(by_epoch=False, interval=2000))
