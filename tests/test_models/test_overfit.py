"""Fast learning checks (``make test``), one per model: one fixed batch of
toy LIP through the model's real toy config; the loss falls by at least
half and every parameter gets a finite non-zero gradient
(mmhumanparse.testing.overfit). The held-out toy mIoU tests are the slow
ones in test_toy_training.py."""
import importlib.util
import os.path as osp

from mmhumanparse.testing.overfit import overfit_one_batch

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG_DIR = osp.join(ROOT, 'configs')


def _class_weights_tool():
    spec = importlib.util.spec_from_file_location(
        'class_weights',
        osp.join(ROOT, 'tools', 'analysis_tools', 'class_weights.py'))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_c_dlinknet_overfits_one_batch(toy_roots):
    res = overfit_one_batch(
        osp.join(CFG_DIR, 'c_dlinknet',
                 'c-dlinknet_r18-d16_1xb8-900iter_toy-lip-128x96.py'),
        steps=16,
        data_root=toy_roots['LIP'],
        batch_size=2,
        # 3x the config's AdamW lr: five CE terms (Eq. (2)) start at ~9 and
        # 16 steps at 0.002 leave them at ~0.6 of that
        lr=0.006)
    res.assert_all_grads()
    res.assert_learns(ratio=0.5)


def test_lipnet_overfits_one_batch(toy_roots, tmp_path):
    """With the paper's weighted CE: the weights of the toy training split
    are written by tools/analysis_tools/class_weights.py first."""
    cfg = osp.join(CFG_DIR, 'lipnet', 'lipnet_1xb8-2k_toy-lip-128x96.py')
    weights = str(tmp_path / 'class_weights.json')
    out = _class_weights_tool().main([
        cfg, '--out', weights, '--cfg-options',
        f'train_dataloader.dataset.data_root={toy_roots["LIP"]}'
    ])
    assert len(out['weights']) == 20 and out['num_images'] == 6
    res = overfit_one_batch(
        cfg,
        steps=16,
        data_root=toy_roots['LIP'],
        batch_size=2,
        cfg_options={'model.decode_head.class_weight_file': weights})
    res.assert_all_grads()
    res.assert_learns(ratio=0.5)
