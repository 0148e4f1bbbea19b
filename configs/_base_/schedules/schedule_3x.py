# Parsing R-CNN / RP R-CNN on CIHP (arXiv:2009.09447 Sec. 4.1): batch 16
# (2 x 8 GPUs), 135k iterations (~75 epochs), lr 0.02 divided by 10 at 105k
# and 125k. MHP-v2 configs halve it (67.5k, steps 52.5k / 62.5k).
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=135000, val_interval=15000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(
        type='LinearLR', start_factor=0.001, by_epoch=False, begin=0,
        end=500),
    dict(
        type='MultiStepLR',
        begin=0,
        end=135000,
        by_epoch=False,
        milestones=[105000, 125000],
        gamma=0.1)
]
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=0.0001))
auto_scale_lr = dict(enable=False, base_batch_size=16)
