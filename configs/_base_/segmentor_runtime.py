# Runtime of the segmentor pipeline (mmseg data samples): mmseg's
# visualization hook (drawing with default_runtime.py's parsing visualizer)
# and the flip test-time augmentation that also swaps left/right part
# channels (`--tta`).
_base_ = './default_runtime.py'
default_hooks = dict(visualization=dict(type='mmseg.SegVisualizationHook'))
tta_model = dict(type='ParsingTTAModel')
