# LIP-Net on LIP at 512x512 (Ilyas & Kim, 2020, Sec. 3.1):
# images and masks resized to 512x512, Adam, poly lr 0.005 (power 0.9),
# batch 4, 20k iterations, dropout 0.25, weighted CE.
_base_ = [
    '../_base_/models/lipnet.py', '../_base_/datasets/lip.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_adam_20k.py'
]
crop_size = (512, 512)  # (h, w)
data_preprocessor = dict(size=crop_size)
model = dict(data_preprocessor=data_preprocessor)

# Sec. 3.1: "we resized all the images and segmentation masks to 512x512"
# (aspect ratio not kept; labels resized with nearest). The paper lists no
# other augmentation.
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    dict(type='Resize', scale=(512, 512), keep_ratio=False),  # (w, h)
    dict(type='PackParsingInputs')
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='Resize', scale=(512, 512), keep_ratio=False),
    # loaded after resizing: predictions are resized back and scored at the
    # original image size.
    dict(type='LoadParsingAnnotations'),
    dict(type='PackParsingInputs')
]
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(batch_size=1, dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
