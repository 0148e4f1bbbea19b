# Small SS-NAN on toy LIP, stage 2: fine-tune the toy stage-1 model with
# L_SS-NAN = L_parsing * L_joint (Eq. 4, the nine LIP joints) on the
# aggregate and every scale, 100 iterations, AdamW lr 5e-4 + poly.
_base_ = ['./ss-nan-stage1_r18-d4_1xb4-200iter_toy-lip-128x96.py']
# joint centres in cells of the toy's output-stride-4 grid
model = dict(decode_head=dict(loss_joint=dict(_base_.loss_joint, unit=4)))
max_iters = 100
optim_wrapper = dict(optimizer=dict(lr=0.0005))
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(checkpoint=dict(interval=max_iters))
load_from = ('work_dirs/ss-nan-stage1_r18-d4_1xb4-200iter_toy-lip-128x96/'
             'iter_200.pth')
