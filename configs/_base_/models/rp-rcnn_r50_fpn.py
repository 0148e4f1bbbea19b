# RP R-CNN (arXiv:2009.09447) model as the official code builds it
# (soeaver/RP-R-CNN @ dfcc227, cfgs/CIHP/e2e_rp_rcnn_R-50-FPN_3x_ms.yaml):
# parsing-rcnn_r50_fpn.py + GN (FPN.USE_GN, GCE_HEAD.USE_GN: convs without
# bias) + the GSE branch (lambda_s = 2.0, Table 4) + the PRSN (lambda_r =
# 1.0, Table 5); lambda_p = 2.0 (Table 3). 20 parts (CIHP); MHP-v2 leaves
# set 59. configs/rp_rcnn/README.md lists every official / paper point.
_base_ = './parsing-rcnn_r50_fpn.py'
num_parts = 20
model = dict(
    neck=dict(
        type='GSEFPN',
        # GN after all 8 FPN convs (official FPN.USE_GN: True; the paper
        # says only "same as Parsing R-CNN")
        norm_cfg=_base_.gn,
        semantic_head=dict(
            num_classes=num_parts,
            num_convs=4,
            norm_cfg=_base_.gn,
            # lambda_s = 2 (Table 4)
            loss_seg=dict(_base_.ce_loss, ignore_index=255, loss_weight=2.0))),
    roi_head=dict(
        # GN in the GCE head (official GCE_HEAD.USE_GN: True)
        parsing_head=dict(norm_cfg=dict(_base_.gn, _delete_=True)),
        parsing_iou_head=dict(
            type='ParsingIoUHead',
            num_classes=num_parts,
            # the GCE head's features (its last conv's output)
            in_channels=_base_.model.roi_head.parsing_head.conv_out_channels,
            num_convs=2,
            conv_out_channels=128,
            num_fcs=2,
            fc_out_channels=256,
            # lambda_r = 1 (Table 5)
            loss_iou=dict(type='mmdet.MSELoss', loss_weight=1.0))))
