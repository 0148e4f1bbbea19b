# Ablation (without the joint loss): stage 2 of SS-NAN on LIP fine-tuned
# with L_parsing only, so it gets the same 40 + 30 epochs as
# ss-nan_r101-d8_1xb30-30e_lip-321x321.py (the paper reports ~1 point lower
# mIoU without the joint loss, Sec. 4.2).
_base_ = ['./ss-nan_r101-d8_1xb30-30e_lip-321x321.py']
model = dict(decode_head=dict(loss_joint=None))
