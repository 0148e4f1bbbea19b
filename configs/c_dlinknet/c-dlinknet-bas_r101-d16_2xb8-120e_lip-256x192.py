# Table 1 (arXiv:2001.11690) ablation "B + A + S" (LIP val mIoU 52.22):
# ASPP centre (Eq. (1)),
# Smooth module (Sec. 2.3),
# no deep supervision ("L"). Everything else as the paper config.
_base_ = './c-dlinknet_r101-d16_2xb8-120e_lip-256x192.py'
model = dict(
    decode_head=dict(
        deep_supervision=False))
