# SS-NAN on LIP, stage 2, tested with the mirrored view added (left/right
# channels swapped): ss-nan_r101-d8_1xb30-30e_lip-321x321.py, whose test
# (as the paper's) reads one 321 x 321 view. Not a paper setting.
_base_ = ['./ss-nan_r101-d8_1xb30-30e_lip-321x321.py']
model = dict(test_cfg=dict(flip=True))
