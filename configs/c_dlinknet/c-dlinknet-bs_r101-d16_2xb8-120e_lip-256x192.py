# Table 1 (arXiv:2001.11690) ablation "B + S" (LIP val mIoU 51.93):
# D-LinkNet D-block centre (cascaded dilated 3x3 convs at 1, 2, 4, 8,
# summed; full 2048 channels as in D-LinkNet),
# Smooth module (Sec. 2.3),
# no deep supervision ("L"). Everything else as the paper config.
_base_ = './c-dlinknet_r101-d16_2xb8-120e_lip-256x192.py'
model = dict(
    decode_head=dict(
        centre=dict(_delete_=True, type='DBlock', dilations=(1, 2, 4, 8)),
        deep_supervision=False))
