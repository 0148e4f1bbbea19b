# Runtime shared by both pipelines (segmentors and detectors). Leaf configs
# inherit it through segmentor_runtime.py or detector_runtime.py, which add
# the visualization hook (mmseg's or mmdet's) and (segmentors) the TTA model.
# Hooks are mmdet's defaults; a config whose loop is iteration-based sets
# `checkpoint=dict(by_epoch=False, interval=N)` and
# `logger=dict(log_metric_by_epoch=False)`, an epoch-based one sets
# `log_processor = dict(by_epoch=True)`.
default_scope = 'mmhumanparse'
env_cfg = dict(
    cudnn_benchmark=True,
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0),
    # tools/train.py switches to gloo when CUDA is unavailable.
    dist_cfg=dict(backend='nccl'),
)
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', interval=1),
    sampler_seed=dict(type='DistSamplerSeedHook'))
vis_backends = [dict(type='LocalVisBackend')]
# our parsing visualizer draws both pipelines' data samples
visualizer = dict(
    type='mmhumanparse.ParsingLocalVisualizer',
    vis_backends=vis_backends,
    name='visualizer')
log_processor = dict(by_epoch=False)
log_level = 'INFO'
load_from = None
resume = False
