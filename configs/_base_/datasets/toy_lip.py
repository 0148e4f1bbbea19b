# Toy LIP (mmhumanparse.testing.make_toy_data / tools/make_toy_data.py):
# LIP layout, 128 x 96 (h, w) images. For unit tests, CPU smoke training and
# `make demo`; not a benchmark. lip.py's pipelines at this size: random
# scale 0.75-1.25, crop, flip (no rotation, no photometric distortion);
# --tta: the test size with and without flip.
_base_ = './lip.py'
data_root = 'data/toy/LIP'
crop_size = (128, 96)  # (h, w); mmcv scales below are (w, h)
train_pipeline = [
    t for t in _base_.train_pipeline
    if t.type not in ('mmseg.RandomRotate', 'mmseg.PhotoMetricDistortion')
]
train_pipeline[2].update(scale=(96, 128), ratio_range=(0.75, 1.25))
train_pipeline[3].crop_size = crop_size  # RandomCrop
test_pipeline = _base_.test_pipeline
test_pipeline[1].scale = (96, 128)
tta_pipeline = _base_.tta_pipeline
tta_pipeline[1].transforms[0] = test_pipeline[1:2]
train_dataloader = dict(
    batch_size=8,
    num_workers=2,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(
    num_workers=2, dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
