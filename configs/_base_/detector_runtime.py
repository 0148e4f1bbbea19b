# Runtime of the detector pipeline (mmdet data samples): our parsing visualizer
# (persons outlined, part palette inside, scores) with mmdet's hook.
_base_ = './default_runtime.py'
visualizer = dict(
    type='mmhumanparse.ParsingLocalVisualizer',
    vis_backends={{_base_.vis_backends}},
    name='visualizer')
default_hooks = dict(visualization=dict(type='mmdet.DetVisualizationHook'))
