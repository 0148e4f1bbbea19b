"""random_segmentor_checkpoint: seeded random weights, a wide classifier,
optional dataset meta."""
import torch

from mmhumanparse.apis import init_parser
from mmhumanparse.testing.random_checkpoint import random_segmentor_checkpoint
from mmhumanparse.testing.tiny_configs import tiny_lip_config


def test_seeded_wide_classifier_and_meta(tmp_path):
    cfg = tmp_path / 'tiny.py'
    cfg.write_text(tiny_lip_config(str(tmp_path / 'no_data')))
    meta = dict(classes=tuple(f'c{i}' for i in range(20)))
    a = random_segmentor_checkpoint(str(cfg), str(tmp_path / 'a.pth'), meta)
    assert a == str(tmp_path / 'a.pth')
    b = random_segmentor_checkpoint(str(cfg), str(tmp_path / 'b.pth'))
    c = random_segmentor_checkpoint(
        str(cfg), str(tmp_path / 'c.pth'), seed=1)
    ca, cb, cc = (torch.load(p, weights_only=False) for p in (a, b, c))
    assert ca['meta'] == dict(dataset_meta=meta) and 'meta' not in cb
    assert ca['state_dict'].keys() == cb['state_dict'].keys()
    for key, value in ca['state_dict'].items():  # same seed, same weights
        torch.testing.assert_close(cb['state_dict'][key], value)
    weight = ca['state_dict']['decode_head.conv_seg.weight']
    assert not torch.equal(cc['state_dict']['decode_head.conv_seg.weight'],
                           weight)
    assert 0.8 < weight.std() < 1.2  # N(0, 1), not the default init
    assert not ca['state_dict']['decode_head.conv_seg.bias'].any()
    # init_parser loads it strictly and prefers its meta to the config's
    assert init_parser(str(cfg), a).dataset_meta['classes'][3] == 'c3'
