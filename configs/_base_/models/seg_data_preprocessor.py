# mmseg's data preprocessor with ImageNet mean / std (RGB), shared by the
# segmentor model bases: `model.data_preprocessor` is this dict; leaf
# configs add `size=crop_size`.
data_preprocessor = dict(
    type='mmseg.SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255)
