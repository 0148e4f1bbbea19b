# AdamW + poly lr, 300 iterations: the toy configs' schedule (small models
# from scratch on CPU, where AdamW converges much faster than the papers'
# SGD, which assumes ImageNet-pretrained encoders). Loops as schedule_20k.
_base_ = './schedule_20k.py'
max_iters = 300
optimizer = dict(_delete_=True, type='AdamW', lr=0.002, weight_decay=0.0001)
optim_wrapper = dict(optimizer=optimizer)
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
