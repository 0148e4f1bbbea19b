# RP R-CNN on MHP-v2 (59 parts, arXiv:2009.09447 Tables 8/9).
_base_ = '../parsing_rcnn/parsing-rcnn_r50_fpn_3x_mhp-v2.py'
num_parts = 59
model = dict(
    neck=dict(
        type='GSEFPN',
        semantic_head=dict(
            num_classes=num_parts,
            num_convs=4,
            norm_cfg=dict(type='GN', num_groups=32, requires_grad=True),
            loss_seg=dict(
                type='mmdet.CrossEntropyLoss',
                ignore_index=255,
                avg_non_ignore=True,
                loss_weight=2.0))),
    roi_head=dict(
        parsing_iou_head=dict(
            type='ParsingIoUHead',
            num_classes=num_parts,
            in_channels=512,
            num_convs=2,
            conv_out_channels=128,
            num_fcs=2,
            fc_out_channels=256,
            loss_iou=dict(type='mmdet.MSELoss', loss_weight=1.0))))
