"""Helpers shared by the command-line tools (``tools/*.py``).

The tools import them from the installed package (``pip install -e .``), so
no tool edits ``sys.path``.
"""
import inspect
import os
import os.path as osp
from typing import Optional

from mmengine.config import Config


def load_config(path: str,
                cfg_options: Optional[dict] = None,
                work_dir: Optional[str] = None,
                launcher: str = 'none') -> Config:
    """Read a config, merge ``--cfg-options``, set ``work_dir``/launcher.

    On a machine without CUDA a distributed launch gets the ``gloo``
    backend (:func:`setup_cpu_distributed`), so ``tools/dist_train.sh`` and
    ``tools/dist_test.sh`` also run as CPU processes.

    Args:
        path (str): config file.
        cfg_options (dict, optional): ``--cfg-options`` to merge.
        work_dir (str, optional): overrides the config's ``work_dir``; if
            neither is set, ``./work_dirs/<config name>``.
        launcher (str): ``'none'``, ``'pytorch'``, ``'slurm'`` or ``'mpi'``.

    Returns:
        Config: the merged config.
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
    import torch
    if not torch.cuda.is_available() and launcher != 'none':
        setup_cpu_distributed(cfg)
    return cfg


def init_config_scope(cfg: Config, default: str = 'mmseg') -> str:
    """Register the modules a config may name and make its scope current.

    For tools that build a model without a Runner (``get_flops.py``,
    ``benchmark.py``): mmseg's modules are always registered (stock configs
    and our ``mmseg.*`` prefixed modules need them), mmdet's for an mmdet
    scoped config, ours always (a stock config's ``custom_imports`` is
    handled by :meth:`Config.fromfile`).

    Args:
        cfg (Config): the config.
        default (str): scope of a config without ``default_scope``.

    Returns:
        str: the scope made current.
    """
    from mmengine.registry import init_default_scope
    from mmseg.utils import register_all_modules as register_mmseg

    from .setup_env import register_all_modules
    scope = cfg.get('default_scope', None) or default
    register_mmseg(init_default_scope=False)
    if scope == 'mmdet':
        from mmdet.utils import register_all_modules as register_mmdet
        register_mmdet(init_default_scope=False)
    register_all_modules(init_default_scope=False)
    init_default_scope(scope)
    return scope


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
    from .setup_env import register_all_modules, trust_local_checkpoints
    register_all_modules(init_default_scope=False)
    trust_local_checkpoints()


def teardown() -> None:
    """Destroy the process group (a clean exit for gloo/nccl workers)."""
    import torch.distributed as dist
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def visualization_hook_class(cfg: Config, hook_type) -> type:
    """The hook class a config's ``type`` names, resolved in its scope.

    Args:
        cfg (Config): config (its ``default_scope`` resolves bare names).
        hook_type (str | type): e.g. ``'mmseg.SegVisualizationHook'``.

    Returns:
        type: the registered hook class.
    """
    if inspect.isclass(hook_type):
        return hook_type
    from mmengine.registry import HOOKS
    scope = cfg.get('default_scope', None)
    with HOOKS.switch_scope_and_registry(scope) as registry:
        cls = registry.get(hook_type)
    if cls is None:
        raise KeyError(f'visualization hook type {hook_type!r} is not '
                       f'registered (default_scope={scope!r})')
    return cls


def enable_show_dir(cfg: Config, show_dir: str, config_path: str = '') -> str:
    """Make the test run draw its predictions into ``show_dir`` (in place).

    A relative ``show_dir`` is taken under the config's ``work_dir`` (as
    mmdet's ``DetVisualizationHook`` does with ``test_out_dir``), never
    under the current folder; an absolute one is kept.

    The hook is recognised by its class, not by its name: a hook with a
    ``test_out_dir`` argument (mmdet's ``DetVisualizationHook`` and hooks
    built like it) gets that folder as an absolute ``test_out_dir``; any
    other hook (mmseg's ``SegVisualizationHook``) draws through the
    visualizer, whose ``save_dir`` becomes that folder (images under
    ``<folder>/vis_data/vis_image``). Every test image is drawn
    (``interval=1``).

    Returns:
        str: the folder the painted predictions go to.

    Raises:
        ValueError: the config has no ``default_hooks.visualization``.
    """
    vis = cfg.get('default_hooks', {}).get('visualization')
    if vis is None:
        raise ValueError(f'{config_path or "config"}: '
                         'default_hooks.visualization is needed for '
                         '--show-dir')
    out = show_dir if osp.isabs(show_dir) else osp.join(
        cfg.work_dir, show_dir)
    vis['draw'] = True
    cls = visualization_hook_class(cfg, vis['type'])
    params = inspect.signature(cls.__init__).parameters
    if 'interval' in params:
        vis['interval'] = 1  # mmseg's hook draws every `interval`-th batch
    if 'test_out_dir' in params:
        # mmdet joins a relative one to work_dir/timestamp
        vis['test_out_dir'] = osp.abspath(out)
    else:
        cfg.visualizer['save_dir'] = out
    return out
