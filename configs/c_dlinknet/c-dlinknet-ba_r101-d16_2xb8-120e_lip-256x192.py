# Table 1 (arXiv:2001.11690) ablation "B + A" (LIP val mIoU 51.42):
# ASPP centre (Eq. (1)),
# no Smooth module (final prediction: two 3x3 convs + classifier on D2),
# no deep supervision ("L"). Everything else as the paper config.
_base_ = './c-dlinknet_r101-d16_2xb8-120e_lip-256x192.py'
model = dict(
    decode_head=dict(
        smooth=False,
        channels=256,  # like a deep-supervision branch
        deep_supervision=False))
