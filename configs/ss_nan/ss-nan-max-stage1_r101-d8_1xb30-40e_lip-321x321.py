# Ablation (maximum over scales instead of the neural aggregation, Sec. 3.2),
# stage 1 on LIP: as ss-nan-stage1_r101-d8_1xb30-40e_lip-321x321.py.
_base_ = ['./ss-nan-stage1_r101-d8_1xb30-40e_lip-321x321.py']
model = dict(aggregation=dict(_delete_=True, type='MaxAggregation'))
