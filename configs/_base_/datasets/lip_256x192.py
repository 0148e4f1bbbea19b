# LIP at 256 x 192 (h, w): the C-DLinkNet setting (arXiv:2001.11690,
# Sec. 3.2): fit into 192 x 256, random scale 0.5-1.5, rotation, crop,
# left/right flip (labels swapped); --tta: three scales x flip.
# lip.py's pipelines at this size, without PhotoMetricDistortion.
_base_ = './lip.py'
crop_size = (256, 192)  # (h, w); mmcv scales below are (w, h)
train_pipeline = _base_.train_pipeline
train_pipeline[2].scale = (192, 256)  # RandomResize, ratio 0.5-1.5
train_pipeline[4].crop_size = crop_size  # RandomCrop
del train_pipeline[6]  # no PhotoMetricDistortion
test_pipeline = _base_.test_pipeline
test_pipeline[1].scale = (192, 256)
# --tta: three scales of the 256 x 192 input, each with and without flip
# (tta_model = ParsingTTAModel swaps left/right for the flipped views).
tta_pipeline = _base_.tta_pipeline
tta_pipeline[1].transforms[0] = [
    dict(type='Resize', scale=(int(192 * r), int(256 * r)), keep_ratio=True)
    for r in (0.75, 1.0, 1.25)
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
