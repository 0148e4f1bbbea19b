# Runtime of the detector pipeline (mmdet data samples): mmdet's visualizer
# and visualization hook.
_base_ = './default_runtime.py'
visualizer = dict(
    type='mmdet.DetLocalVisualizer',
    vis_backends={{_base_.vis_backends}},
    name='visualizer')
default_hooks = dict(visualization=dict(type='mmdet.DetVisualizationHook'))
