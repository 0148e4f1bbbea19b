"""Build a config's model for analysis and count its parameters and FLOPs.

Used by ``tools/analysis_tools/{get_flops,benchmark,benchmark_detector}.py``.
The model is built on CPU without loading any weights (``pretrained`` and
``Pretrained`` init configs are removed, ``init_weights`` is never called)
and with ``SyncBN`` replaced by ``BN``, so stock mmseg/mmdet configs build
too. The config's scope must be current (see
:func:`mmhumanparse.utils.tool_utils.init_config_scope`).
"""
import copy
from typing import Any, Callable, Sequence, Tuple

import torch
from mmengine.config import Config

DEFAULT_SHAPE = (512, 512)


def _walk_dicts(node: Any, fn: Callable[[dict], None]) -> Any:
    """Call ``fn`` on every dict nested in ``node`` (parents first)."""
    if isinstance(node, dict):
        fn(node)
        children = node.values()
    elif isinstance(node, (list, tuple)):
        children = node
    else:
        return node
    for value in children:
        _walk_dicts(value, fn)
    return node


def _drop_pretrained(node: dict) -> None:
    if 'pretrained' in node:
        node['pretrained'] = None
    init_cfg = node.get('init_cfg')
    if isinstance(init_cfg, dict) and init_cfg.get('type') == 'Pretrained':
        node['init_cfg'] = None
    elif isinstance(init_cfg, (list, tuple)):
        node['init_cfg'] = [
            c for c in init_cfg
            if not (isinstance(c, dict) and c.get('type') == 'Pretrained')
        ] or None


def _plain_bn(node: dict) -> None:
    if node.get('type') in ('SyncBN', 'mmseg.SyncBN', 'MMSyncBN'):
        node['type'] = 'BN'


def strip_pretrained(node: Any) -> Any:
    """Recursively drop weight loading from a model config (in place).

    ``pretrained`` becomes ``None``; ``init_cfg`` entries of type
    ``Pretrained`` are removed (``None`` when nothing is left).
    """
    return _walk_dicts(node, _drop_pretrained)


def sync_bn_to_bn(node: Any) -> Any:
    """Recursively replace ``SyncBN`` norm configs by ``BN`` (in place)."""
    return _walk_dicts(node, _plain_bn)


def build_model(cfg: Config, device: str = 'cpu') -> torch.nn.Module:
    """Build ``cfg.model`` in eval mode, without weights, with plain BN."""
    from mmengine.model import revert_sync_batchnorm
    from mmengine.registry import MODELS

    model_cfg = copy.deepcopy(cfg.model)
    strip_pretrained(model_cfg)
    sync_bn_to_bn(model_cfg)
    model = MODELS.build(model_cfg)
    model = revert_sync_batchnorm(model)
    return model.to(device).eval()


def default_shape(cfg: Config) -> Tuple[int, int]:
    """The config's test size ``(H, W)``.

    Taken from the data preprocessor's ``size`` (the crop size of mmseg and
    mmhumanparse configs), else a ``Resize`` with ``keep_ratio=False`` in the
    test pipeline, else 512 x 512.
    """
    size = cfg.model.get('data_preprocessor', {}).get('size')
    if size:
        return int(size[0]), int(size[1])
    pipeline = cfg.get('test_pipeline') or []
    for t in pipeline:
        if str(t.get('type', '')).endswith('Resize') and \
                not t.get('keep_ratio', True) and t.get('scale'):
            w, h = t['scale']
            return int(h), int(w)
    return DEFAULT_SHAPE


def count_params(model: torch.nn.Module) -> int:
    """Number of parameter elements of ``model``."""
    return sum(p.numel() for p in model.parameters())


def complexity(model: torch.nn.Module, shape: Sequence[int],
               show_table: bool = False) -> dict:
    """FLOPs/params of ``model(1 x 3 x H x W)`` on the tensor path.

    mmengine's ``get_model_complexity_info`` (fvcore rules: one multiply-add
    counts as one FLOP).

    Returns:
        dict: ``flops``, ``flops_str``, ``params``, ``params_str`` and
        ``out_table`` (when ``show_table``).
    """
    from mmengine.analysis import get_model_complexity_info
    h, w = shape
    inputs = torch.rand(1, 3, h, w)
    with torch.no_grad():
        info = get_model_complexity_info(
            model, inputs=(inputs, ), show_table=show_table, show_arch=False)
    return info
