# RP R-CNN / Parsing R-CNN on CIHP (arXiv:2009.09447 Sec. 4.1; official
# yamls, soeaver/RP-R-CNN cfgs/CIHP/e2e_rp_rcnn_R-50-FPN_3x_ms.yaml): batch
# 16 (2 x 8 GPUs), 135k iterations (~75 epochs), lr 0.02 divided by 10 at
# 105k and 125k; linear warm-up over 1000 iterations from 1e-4 x lr (RP
# R-CNN's yamls; Parsing R-CNN's start at 0.01 x lr for 500, set in
# configs/parsing_rcnn). SGD, momentum 0.9, weight decay 1e-4; as the
# official optimizer: biases at twice the lr and without weight decay, GN
# without weight decay.
max_iters = 135000
train_cfg = dict(
    type='IterBasedTrainLoop', max_iters=max_iters, val_interval=15000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
param_scheduler = [
    dict(
        type='LinearLR', start_factor=1e-4, by_epoch=False, begin=0,
        end=1000),
    dict(
        type='MultiStepLR',
        begin=0,
        end=max_iters,
        by_epoch=False,
        milestones=[105000, 125000],
        gamma=0.1)
]
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.02, momentum=0.9, weight_decay=0.0001),
    paramwise_cfg=dict(
        bias_lr_mult=2.0, bias_decay_mult=0.0, norm_decay_mult=0.0))
auto_scale_lr = dict(enable=False, base_batch_size=16)
