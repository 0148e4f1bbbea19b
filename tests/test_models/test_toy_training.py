"""Small C-DLinkNet and LIP-Net learn toy LIP on CPU: loss falls, mIoU >= 60.

These are the slowest tests of the suite (a few minutes each on 2 cores);
they train the real small configs through the mmengine Runner.
"""
import os.path as osp

import pytest
from mmengine.runner import Runner

from mmhumanparse.utils.toy_data import make_toy_data

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.fixture(scope='module')
def toy_lip(tmp_path_factory):
    out = tmp_path_factory.mktemp('toy_train')
    return make_toy_data(str(out), dataset='lip', num=200, seed=1)['LIP']


@pytest.mark.parametrize('config,iters', [
    ('c_dlinknet/c-dlinknet_r18-d16_1xb8-900iter_lip-128x96.py', 500),
    ('lipnet/lipnet_1xb8-2k_toy-lip-128x96.py', 600),
])
def test_small_model_learns_toy_lip(toy_lip, tmp_path, config, iters):
    import sys
    sys.path.insert(0, osp.join(REPO, 'tools'))
    from _common import load_config
    opts = {
        'train_dataloader.dataset.data_root': toy_lip,
        'val_dataloader.dataset.data_root': toy_lip,
        'test_dataloader.dataset.data_root': toy_lip,
        'train_dataloader.num_workers': 0,
        'train_dataloader.persistent_workers': False,
        'val_dataloader.num_workers': 0,
        'val_dataloader.persistent_workers': False,
        'test_dataloader.num_workers': 0,
        'test_dataloader.persistent_workers': False,
        'train_cfg.max_iters': iters,
        'train_cfg.val_interval': iters,
        'param_scheduler': [
            dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0,
                 end=iters, by_epoch=False)
        ],
        'default_hooks.checkpoint.interval': iters,
        'default_hooks.logger.interval': 10,
        'randomness': dict(seed=0),
    }
    cfg = load_config(
        osp.join(REPO, 'configs', config), opts, str(tmp_path / 'work'))
    runner = Runner.from_cfg(cfg)
    runner.train()
    losses = runner.message_hub.get_scalar('train/loss').data[0]
    first, last = float(losses[:5].mean()), float(losses[-10:].mean())
    assert last < 0.4 * first, (first, last)
    metrics = runner.val_loop.run()
    assert metrics['mIoU'] >= 60, metrics
