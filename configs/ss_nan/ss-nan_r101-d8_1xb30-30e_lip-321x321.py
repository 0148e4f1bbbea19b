# SS-NAN ("Self-Supervised Neural Aggregation Networks for Human Parsing",
# arXiv:1803.07741) on LIP, training stage 2 (Sec. 4.1; Table 1/2: mIoU
# 47.92): fine-tune the stage-1 model with L_SS-NAN = L_parsing * L_joint
# (Eq. 4) on the aggregate and on every scale, 30 epochs, same optimiser.
_base_ = ['./ss-nan-stage1_r101-d8_1xb30-40e_lip-321x321.py']
model = dict(
    backbone=dict(init_cfg=None),  # all weights come from load_from
    # the nine LIP joints (Sec. 3.3, Fig. 3)
    decode_head=dict(loss_joint=_base_.loss_joint))
max_epochs = 30
train_cfg = dict(max_epochs=max_epochs)
load_from = ('work_dirs/ss-nan-stage1_r101-d8_1xb30-40e_lip-321x321/'
             'epoch_40.pth')
