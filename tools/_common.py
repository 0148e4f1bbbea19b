"""Helpers shared by tools/train.py and tools/test.py."""
import os
import os.path as osp

import torch
from mmengine.config import Config


def load_config(path: str, cfg_options=None, work_dir=None,
                launcher='none') -> Config:
    """Read a config, merge ``--cfg-options``, set ``work_dir``/launcher.

    On a machine without CUDA the distributed backend becomes ``gloo``, so
    ``tools/dist_train.sh`` also runs on CPU.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'config file not found: {path}')
    cfg = Config.fromfile(path)
    cfg.launcher = launcher
    if cfg_options is not None:
        cfg.merge_from_dict(cfg_options)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(path))[0])
    if not torch.cuda.is_available():
        env = cfg.setdefault('env_cfg', {})
        dist = env.setdefault('dist_cfg', {})
        if dist.get('backend', 'nccl') == 'nccl':
            dist['backend'] = 'gloo'
    return cfg


def setup_local_rank(local_rank: int) -> None:
    """Set LOCAL_RANK for launchers that pass ``--local-rank``."""
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(local_rank)


def register() -> None:
    """Register mmhumanparse modules without changing the config's scope."""
    from mmhumanparse.utils import register_all_modules
    register_all_modules(init_default_scope=False)
