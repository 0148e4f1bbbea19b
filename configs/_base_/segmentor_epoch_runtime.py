# segmentor_runtime.py for the epoch-based schedules (schedule_120e.py and
# the schedules built on it): logs and checkpoints count epochs; the last
# three checkpoints, one every 10 epochs, are kept.
_base_ = './segmentor_runtime.py'
default_hooks = dict(
    checkpoint=dict(by_epoch=True, interval=10, max_keep_ckpts=3))
log_processor = dict(by_epoch=True)
