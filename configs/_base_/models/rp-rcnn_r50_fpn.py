# RP R-CNN (arXiv:2009.09447) model: Parsing R-CNN (parsing-rcnn_r50_fpn.py)
# + GSE-FPN (lambda_s = 2.0, Table 4) + PRSN (lambda_r = 1.0, Table 5);
# lambda_p = 2.0 (Table 3). 20 parts (CIHP); MHP-v2 leaves set 59.
_base_ = './parsing-rcnn_r50_fpn.py'
num_parts = 20
model = dict(
    neck=dict(
        type='GSEFPN',
        semantic_head=dict(
            num_classes=num_parts,
            num_convs=4,
            norm_cfg=_base_.gn,
            # lambda_s = 2 (Table 4)
            loss_seg=dict(_base_.ce_loss, ignore_index=255, loss_weight=2.0))),
    roi_head=dict(
        parsing_iou_head=dict(
            type='ParsingIoUHead',
            num_classes=num_parts,
            # the GCE head's features (its last conv's output)
            in_channels=_base_.model.roi_head.parsing_head.conv_out_channels,
            num_convs=2,
            conv_out_channels=128,
            num_fcs=2,
            fc_out_channels=256,
            loss_iou=dict(type='mmdet.MSELoss', loss_weight=1.0))))
