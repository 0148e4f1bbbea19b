# LIP resized to 512 x 512, the LIP-Net setting (Sec. 3.1: "we resized all
# the images and segmentation masks to 512x512"; aspect ratio not kept,
# labels resized with nearest; no other augmentation listed).
_base_ = './lip.py'
crop_size = (512, 512)  # (h, w)
# lip.py's test pipeline with the fixed resize; annotations are loaded after
# it: predictions are resized back and scored at the original image size.
test_pipeline = _base_.test_pipeline
test_pipeline[1].update(scale=(512, 512), keep_ratio=False)
# training: load image and labels, the same resize, pack
train_pipeline = _base_.train_pipeline[:2] + test_pipeline[1:2] + [
    _base_.train_pipeline[-1]
]
# --tta: the test resize, with and without flip (left/right swapped).
tta_pipeline = _base_.tta_pipeline
tta_pipeline[1].transforms[0] = test_pipeline[1:2]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
