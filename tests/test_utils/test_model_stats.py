"""mmhumanparse.utils.model_stats: weight loading and SyncBN removed from
hand-made configs, the test size read from a config, parameter counts and
FLOPs of a hand-built model (build_model/complexity on real configs run
through tools/analysis_tools/get_flops.py in tests/test_tools)."""
import torch
from mmengine.config import Config

from mmhumanparse.utils.model_stats import (DEFAULT_SHAPE, complexity,
                                            count_params, default_shape,
                                            strip_pretrained, sync_bn_to_bn)


def test_strip_pretrained_and_sync_bn():
    cfg = dict(
        pretrained='open-mmlab://x',
        backbone=dict(
            init_cfg=dict(type='Pretrained', checkpoint='a.pth'),
            norm_cfg=dict(type='SyncBN', requires_grad=True)),
        heads=[
            dict(init_cfg=[dict(type='Pretrained', checkpoint='b'),
                           dict(type='Normal', std=0.01)],
                 norm_cfg=dict(type='mmseg.SyncBN')),
            dict(init_cfg=[dict(type='Pretrained', checkpoint='c')])
        ])
    strip_pretrained(cfg)
    sync_bn_to_bn(cfg)
    assert cfg['pretrained'] is None
    assert cfg['backbone']['init_cfg'] is None
    assert cfg['heads'][0]['init_cfg'] == [dict(type='Normal', std=0.01)]
    assert cfg['heads'][1]['init_cfg'] is None
    assert cfg['backbone']['norm_cfg'] == dict(type='BN', requires_grad=True)
    assert cfg['heads'][0]['norm_cfg']['type'] == 'BN'


def test_default_shape():
    pre = Config(dict(model=dict(data_preprocessor=dict(size=(128, 96)))))
    assert default_shape(pre) == (128, 96)
    resize = Config(dict(model=dict(), test_pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='mmseg.Resize', scale=(80, 60), keep_ratio=False)]))
    assert default_shape(resize) == (60, 80)  # scale is (w, h)
    keep = Config(dict(model=dict(), test_pipeline=[
        dict(type='Resize', scale=(80, 60), keep_ratio=True)]))
    assert default_shape(keep) == DEFAULT_SHAPE


def test_count_params_and_complexity():
    conv = torch.nn.Conv2d(3, 4, 3, padding=1)  # 4*3*3*3 + 4 = 112
    assert count_params(conv) == 112
    info = complexity(conv, (8, 10))
    assert info['flops'] == 4 * 27 * 8 * 10  # one multiply-add = one FLOP
    assert info['params'] == 112
