"""Tiny mmhumanparse-scoped training config builder used by the tool tests."""
import os.path as osp

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def tiny_lip_config(lip_root: str, max_iters: int = 4,
                    extra: str = '') -> str:
    """Text of a config: toy LIP, a tiny ResNet-18 FCN, CPU, ``max_iters``.

    Inherits the repo's LIP dataset and runtime bases (absolute paths).
    """
    base = osp.join(REPO, 'configs', '_base_')
    return f'''
_base_ = ["{base}/datasets/lip.py", "{base}/segmentor_runtime.py"]
data_root = "{lip_root}"
crop_size = (64, 48)
load_img = dict(type='LoadImageFromFile')
load_ann = dict(type='LoadParsingAnnotations')
resize = dict(type='Resize', scale=(48, 64), keep_ratio=False)
pack = dict(type='PackParsingInputs')
train_pipeline = [
    load_img, load_ann, resize, dict(type='HumanRandomFlip', prob=0.5), pack]
# labels loaded after the resize: scored at the original size
test_pipeline = [load_img, resize, load_ann, pack]
train_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=train_pipeline))
val_dataloader = dict(num_workers=0, persistent_workers=False,
    dataset=dict(data_root=data_root, pipeline=test_pipeline))
test_dataloader = val_dataloader
model = dict(
    type='mmseg.EncoderDecoder',
    data_preprocessor=dict(type='mmseg.SegDataPreProcessor',
        mean=[123.675, 116.28, 103.53], std=[58.395, 57.12, 57.375],
        bgr_to_rgb=True, pad_val=0, seg_pad_val=255, size=crop_size),
    backbone=dict(type='mmseg.ResNetV1c', depth=18, stem_channels=8,
        base_channels=8, num_stages=4, out_indices=(3, ), norm_cfg=dict(
        type='BN', requires_grad=True)),
    decode_head=dict(type='mmseg.FCNHead', in_channels=64, in_index=0,
        channels=16, num_convs=1, num_classes=20, concat_input=False,
        loss_decode=dict(type='mmseg.CrossEntropyLoss', loss_weight=1.0)),
    train_cfg=dict(), test_cfg=dict(mode='whole'))
optim_wrapper = dict(type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.01, momentum=0.9))
param_scheduler = []
train_cfg = dict(type='IterBasedTrainLoop', max_iters={max_iters},
    val_interval=1000)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=1, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=False,
                    interval={max_iters}),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='mmseg.SegVisualizationHook'))
env_cfg = dict(cudnn_benchmark=False)
{extra}
'''
