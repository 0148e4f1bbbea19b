# Pieces shared by the segmentor model bases, which inherit this file and
# take them from `_base_`:
# - data_preprocessor: mmseg's, with ImageNet mean / std (RGB); leaf
#   configs add `size=crop_size`.
# - ce_loss: mmseg's cross-entropy averaged over the labelled pixels only
#   (avg_non_ignore: the 255 padding of small crops does not dilute it).
# - resnet101_v1c: mmseg's ResNet-101-V1c from its ImageNet weights, output
#   stride 16 (rate 2 in the last stage); a model base sets its norm_cfg
#   and, where it differs, the type, outputs, strides and dilations.
# - resnet18_scratch: the ResNet-18 of the small CPU models (toy configs):
#   no pre-trained weights, plain BN (one process). No type: it is merged
#   over a model base's ResNet-101 (keeping its type, strides and
#   dilations), and the toy config sets the widths.
data_preprocessor = dict(
    type='mmseg.SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
ce_loss = dict(
    type='mmseg.CrossEntropyLoss',
    use_sigmoid=False,
    loss_weight=1.0,
    avg_non_ignore=True)
resnet101_v1c = dict(
    type='mmseg.ResNetV1c',
    depth=101,
    num_stages=4,
    out_indices=(0, 1, 2, 3),
    strides=(1, 2, 2, 1),
    dilations=(1, 1, 1, 2),
    norm_eval=False,
    style='pytorch',
    contract_dilation=True,
    init_cfg=dict(type='Pretrained', checkpoint='open-mmlab://resnet101_v1c'))
resnet18_scratch = dict(
    depth=18, norm_cfg=dict(type='BN', requires_grad=True), init_cfg=None)
