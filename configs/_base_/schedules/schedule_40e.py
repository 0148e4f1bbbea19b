# SS-NAN stage-1 schedule (arXiv:1803.07741, Sec. 4.1): SGD, "poly" lr (power
# 0.9) from 0.001, momentum 0.9, weight decay 5e-4, 40 epochs (LIP: 30462
# images / 30 = 1016 iterations per epoch); the leaf configs add the 10x lr
# of the final dense classifier.
_base_ = './schedule_120e.py'
max_epochs = 40
optimizer = dict(lr=1e-3)
optim_wrapper = dict(optimizer=optimizer)
train_cfg = dict(max_epochs=max_epochs)
