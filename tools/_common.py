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
    if not torch.cuda.is_available() and launcher != 'none':
        setup_cpu_distributed(cfg)
    return cfg


def setup_cpu_distributed(cfg: Config) -> None:
    """Let a distributed launch run on CPU processes (gloo).

    mmengine's ``init_dist`` always calls ``torch.cuda.set_device`` and its
    DDP wrapper passes ``device_ids=[LOCAL_RANK]``; both fail without CUDA.
    So the gloo process group is created here (the Runner then skips
    ``init_dist``) and DDP gets ``device_ids=None``.
    """
    import torch.distributed as dist
    env = cfg.setdefault('env_cfg', {})
    dist_cfg = env.setdefault('dist_cfg', {})
    dist_cfg['backend'] = 'gloo'
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')
    if cfg.get('model_wrapper_cfg') is None:
        cfg.model_wrapper_cfg = dict(
            type='MMDistributedDataParallel',
            device_ids=None,
            broadcast_buffers=False,
            find_unused_parameters=cfg.get('find_unused_parameters', False))


def setup_local_rank(local_rank: int) -> None:
    """Set LOCAL_RANK for launchers that pass ``--local-rank``."""
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(local_rank)


def register() -> None:
    """Register mmhumanparse modules without changing the config's scope."""
    from mmhumanparse.utils import (register_all_modules,
                                    trust_local_checkpoints)
    register_all_modules(init_default_scope=False)
    trust_local_checkpoints()


def teardown() -> None:
    """Destroy the process group (a clean exit for gloo/nccl workers)."""
    import torch.distributed as dist
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()
