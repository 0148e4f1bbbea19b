# HTCorrM schedule (HTCorrM (TPAMI 2021), Sec. 4.2): SGD, lr 1e-3, "poly" 0.9,
# momentum 0.9, weight decay 5e-4, 180 epochs (epoch-based loop).
_base_ = './schedule_120e.py'
optimizer = dict(lr=1e-3)
optim_wrapper = dict(optimizer=optimizer)
train_cfg = dict(max_epochs=180)
