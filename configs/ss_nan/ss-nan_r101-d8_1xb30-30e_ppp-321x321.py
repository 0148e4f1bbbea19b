# SS-NAN ("Self-Supervised Neural Aggregation Networks for Human Parsing",
# arXiv:1803.07741) on PASCAL-Person-Part, training stage 2 (Sec. 4.1;
# Table 3: mIoU 62.44): fine-tune the stage-1 model with L_SS-NAN =
# L_parsing * L_joint (Eq. 4), 30 epochs. PPP has no left/right parts and
# no hat/face/shoe labels, so its joints are the centres of its six part
# regions (PPP_METAINFO['joint_groups'] in mmhumanparse/datasets/metainfo.py;
# the paper does not say which joints it used on PPP).
_base_ = ['./ss-nan-stage1_r101-d8_1xb30-40e_ppp-321x321.py']
model = dict(
    backbone=dict(init_cfg=None),  # all weights come from load_from
    decode_head=dict(
        loss_joint=dict(
            _base_.loss_joint,
            joint_groups=[(1, ), (2, ), (3, ), (4, ), (5, ), (6, )])))
max_epochs = 30
train_cfg = dict(max_epochs=max_epochs)
load_from = ('work_dirs/ss-nan-stage1_r101-d8_1xb30-40e_ppp-321x321/'
             'epoch_40.pth')
