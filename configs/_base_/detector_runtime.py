# Runtime of the detector pipeline (mmdet data samples): mmdet's
# visualization hook, drawing with default_runtime.py's parsing visualizer
# (persons outlined, part palette inside, scores). The detector schedules
# are iteration-based (schedule_3x.py): logs and checkpoints count
# iterations; leaf configs set the checkpoint interval.
_base_ = './default_runtime.py'
default_hooks = dict(
    logger=dict(log_metric_by_epoch=False),
    checkpoint=dict(by_epoch=False),
    visualization=dict(type='mmdet.DetVisualizationHook'))
