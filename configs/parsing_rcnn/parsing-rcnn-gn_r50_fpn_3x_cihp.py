# Parsing R-CNN as re-implemented in RP R-CNN (arXiv:2009.09447 Table 7,
# first row; "baseline" of soeaver/RP-R-CNN's README, which gives no yaml
# for it): the RP R-CNN model and recipe without GSE-FPN and PRSN, so GN in
# the FPN and the GCE head (convs without bias). CIHP, 135k iterations.
_base_ = '../rp_rcnn/rp-rcnn-prsn_r50_fpn_3x_cihp.py'
model = dict(roi_head=dict(parsing_iou_head=None))
