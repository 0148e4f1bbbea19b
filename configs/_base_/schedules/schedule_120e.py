# C-DLinkNet schedule (arXiv:2001.11690, Sec. 3.2): SGD, "poly" lr with base
# lr 0.002 (DeepLab strategy: power 0.9, momentum 0.9, weight decay 5e-4),
# ~120 epochs. Epoch-based loop, so "120 epochs" holds for any dataset size;
# the lr decays per iteration. On LIP (30462 train images, batch 2 x 8 = 16)
# one epoch is 1904 iterations, 120 epochs ~ 228.5k iterations.
optimizer = dict(type='SGD', lr=0.002, momentum=0.9, weight_decay=0.0005)
optim_wrapper = dict(type='OptimWrapper', optimizer=optimizer, clip_grad=None)
# no `end`: mmengine's Runner ends the poly decay with the train loop
param_scheduler = [
    dict(
        type='PolyLR',
        eta_min=0.0,
        power=0.9,
        begin=0,
        by_epoch=True,
        convert_to_iter_based=True)
]
train_cfg = dict(type='EpochBasedTrainLoop', max_epochs=120, val_interval=10)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
