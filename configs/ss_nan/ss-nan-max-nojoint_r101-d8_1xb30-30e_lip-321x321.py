# Ablation (maximum over scales, without the joint loss), stage 2 on LIP:
# fine-tunes ss-nan-max-stage1_r101-d8_1xb30-40e_lip-321x321.py with
# L_parsing only.
_base_ = ['./ss-nan-nojoint_r101-d8_1xb30-30e_lip-321x321.py']
model = dict(aggregation=dict(_delete_=True, type='MaxAggregation'))
load_from = ('work_dirs/ss-nan-max-stage1_r101-d8_1xb30-40e_lip-321x321/'
             'epoch_40.pth')
