# Adam + poly lr, 20k iterations: the LIP-Net schedule (Sec. 3.1:
# lr 0.005, power 0.9, 20K iterations). Weight decay is not given: 0.
# Loops as schedule_20k.
_base_ = './schedule_20k.py'
optim_wrapper = dict(
    optimizer=dict(
        _delete_=True,
        type='Adam',
        lr=0.005,
        betas=(0.9, 0.999),
        weight_decay=0.0))
param_scheduler = _base_.param_scheduler
param_scheduler[0].eta_min = 0.0  # PolyLR
