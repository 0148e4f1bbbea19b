# Small HTCorrM for unit tests, CPU smoke training and the toy-data checks:
# quarter-width ResNet-18 (output stride 16: G1..G3 = res2..res4, ASPP and
# pose encoder on res5, as htcorrm_r101-d16.py) and a 32-channel head.
# Same structure as the paper models, from scratch; not a benchmark setting.
_base_ = './htcorrm_r101-d16.py'
norm_cfg = dict(type='BN', requires_grad=True)
# Gaussian heatmaps (sigma 2) at 1/4 of a 128 x 96 input
codec = dict(
    type='PoseHeatmapCodec',
    input_size=(96, 128),  # (w, h)
    heatmap_size=(24, 32),
    sigma=2)
model = dict(
    data_preprocessor=dict(size=(128, 96)),  # (h, w), as the codec
    backbone=dict(
        _base_.resnet18_scratch, stem_channels=16, base_channels=16),
    decode_head=dict(
        in_channels=[16, 32, 64, 128],
        # rates scaled to the 8 x 6 res5 map of a 128 x 96 input
        aspp_dilations=(1, 2, 4, 6),
        aspp_channels=32,
        edge_channels=16,
        channels=32,
        hnl_channels=32,
        chunk_size=None,
        norm_cfg=norm_cfg,
        codec=codec))
