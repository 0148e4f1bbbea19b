# Runtime of the segmentor pipeline (mmseg data samples): our parsing
# visualizer with mmseg's visualization hook, and the flip test-time augmentation
# that also swaps left/right part channels (`--tta`).
_base_ = './default_runtime.py'
visualizer = dict(
    type='mmhumanparse.ParsingLocalVisualizer',
    vis_backends={{_base_.vis_backends}},
    name='visualizer')
default_hooks = dict(visualization=dict(type='mmseg.SegVisualizationHook'))
tta_model = dict(type='ParsingTTAModel')
