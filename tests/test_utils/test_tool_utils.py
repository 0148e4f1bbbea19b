"""mmhumanparse.utils.tool_utils: the helpers of tools/train.py and
tools/test.py (config loading, --show-dir wiring)."""
import os
import os.path as osp

import pytest
from mmengine.hooks import Hook

from mmhumanparse.registry import HOOKS
from mmhumanparse.utils.tool_utils import (enable_show_dir, init_config_scope,
                                           load_config, setup_local_rank,
                                           visualization_hook_class)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
RUNTIME = osp.join(REPO, 'configs', '_base_')


class _OutDirHookForTest(Hook):
    """A hook of our own scope built like mmdet's (``test_out_dir``)."""

    def __init__(self, draw=False, test_out_dir=None):
        self.draw, self.test_out_dir = draw, test_out_dir


@pytest.fixture
def out_dir_hook():
    """Registered in our HOOKS node for one test only."""
    HOOKS.register_module(module=_OutDirHookForTest)
    yield _OutDirHookForTest
    HOOKS.module_dict.pop('_OutDirHookForTest')


def _cfg(tmp_path, base, **extra):
    lines = [f'_base_ = [r"{osp.join(RUNTIME, base)}"]']
    lines += [f'{k} = {v!r}' for k, v in extra.items()]
    path = tmp_path / 'c.py'
    path.write_text('\n'.join(lines) + '\n')
    return str(path)


def test_load_config(tmp_path):
    path = _cfg(tmp_path, 'segmentor_runtime.py', a=1)
    cfg = load_config(path, {'a': 2})
    assert cfg.a == 2 and cfg.launcher == 'none'
    assert cfg.work_dir == osp.join('./work_dirs', 'c')
    assert load_config(path, work_dir='w').work_dir == 'w'
    with pytest.raises(FileNotFoundError, match='none.py'):
        load_config(str(tmp_path / 'none.py'))


def test_show_dir_segmentor_hook_uses_visualizer(tmp_path):
    cfg = load_config(_cfg(tmp_path, 'segmentor_runtime.py'))
    out = enable_show_dir(cfg, 'vis_out')
    assert cfg.default_hooks.visualization.draw is True
    # under the work dir, not the current folder
    assert out == cfg.visualizer.save_dir == osp.join(
        './work_dirs', 'c', 'vis_out')
    assert 'test_out_dir' not in cfg.default_hooks.visualization


def test_show_dir_detector_hook_gets_test_out_dir(tmp_path):
    cfg = load_config(_cfg(tmp_path, 'detector_runtime.py'))
    out = enable_show_dir(cfg, 'vis_out')
    vis = cfg.default_hooks.visualization
    assert out == osp.join('./work_dirs', 'c', 'vis_out')
    assert vis.draw is True and vis.test_out_dir == osp.abspath(out)
    assert 'save_dir' not in cfg.visualizer


def test_show_dir_found_by_class_not_name(tmp_path, out_dir_hook):
    """Our own hook (no 'Det' or 'mmdet' in its name) with test_out_dir."""
    cfg = load_config(_cfg(tmp_path, 'segmentor_runtime.py'))
    cfg.default_hooks.visualization = dict(type='_OutDirHookForTest')
    assert visualization_hook_class(cfg, '_OutDirHookForTest') is \
        _OutDirHookForTest
    # an absolute folder is kept
    assert enable_show_dir(cfg, str(tmp_path / 'v')) == str(tmp_path / 'v')
    assert cfg.default_hooks.visualization.test_out_dir == str(tmp_path / 'v')
    assert 'save_dir' not in cfg.visualizer


def test_show_dir_errors(tmp_path):
    cfg = load_config(_cfg(tmp_path, 'default_runtime.py'))
    with pytest.raises(ValueError, match='x.py: default_hooks.visualization'):
        enable_show_dir(cfg, 'v', 'x.py')
    cfg.default_hooks.visualization = dict(type='NoSuchHook')
    with pytest.raises(KeyError, match='NoSuchHook'):
        enable_show_dir(cfg, 'v')


def test_setup_local_rank(monkeypatch):
    monkeypatch.delenv('LOCAL_RANK', raising=False)
    setup_local_rank(3)
    assert os.environ['LOCAL_RANK'] == '3'
    setup_local_rank(5)  # an existing value wins
    assert os.environ['LOCAL_RANK'] == '3'


def test_init_config_scope(tmp_path):
    from mmengine.registry import DefaultScope
    cfg = load_config(_cfg(tmp_path, 'segmentor_runtime.py'))
    assert init_config_scope(cfg) == 'mmhumanparse'
    assert DefaultScope.get_current_instance().scope_name == 'mmhumanparse'
    cfg.default_scope = None
    assert init_config_scope(cfg) == 'mmseg'
    assert DefaultScope.get_current_instance().scope_name == 'mmseg'
    # leave our scope current for the tests that follow
    assert init_config_scope(cfg, default='mmhumanparse') == 'mmhumanparse'
