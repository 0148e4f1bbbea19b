"""Print the parameter count and FLOPs of a segmentation config.

Usage::

    python tools/analysis_tools/get_flops.py CONFIG [--shape H W]

Works with mmhumanparse configs (``default_scope='mmhumanparse'``) and stock
mmseg configs (``default_scope='mmseg'``, e.g. the ones shipped in mmseg's
wheel under ``mmseg/.mim/configs``). The model is built on CPU without loading
any weights (``pretrained`` and ``Pretrained`` init configs are removed,
``init_weights`` is never called) and with ``SyncBN`` replaced by ``BN``.

FLOPs are counted by mmengine's ``get_model_complexity_info`` (fvcore rules:
one multiply-add counts as one FLOP) on the ``mode='tensor'`` path, i.e.
backbone + neck + decode head for one ``1 x 3 x H x W`` image, without the
final resize to the image size and the argmax.

``benchmark.py`` in this folder imports the config/model helpers from here.
"""
import argparse
import copy
from typing import Any, Optional, Sequence, Tuple

import torch
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope

DEFAULT_SHAPE = (512, 512)


def _strip_pretrained(node: Any) -> Any:
    """Recursively drop weight loading from a model config (in place)."""
    if isinstance(node, dict):
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
        for value in node.values():
            _strip_pretrained(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _strip_pretrained(value)
    return node


def _sync_bn_to_bn(node: Any) -> Any:
    """Recursively replace ``SyncBN`` norm configs by ``BN`` (in place)."""
    if isinstance(node, dict):
        if node.get('type') in ('SyncBN', 'mmseg.SyncBN', 'MMSyncBN'):
            node['type'] = 'BN'
        for value in node.values():
            _sync_bn_to_bn(value)
    elif isinstance(node, (list, tuple)):
        for value in node:
            _sync_bn_to_bn(value)
    return node


def load_config(path: str, cfg_options: Optional[dict] = None) -> Config:
    """Read a config, apply ``--cfg-options`` and register its scope.

    The scope's modules are imported: mmseg's always (stock configs and our
    ``mmseg.*`` prefixed modules need them), mmhumanparse's when the config
    uses it as default scope or it is importable (``custom_imports`` in a
    stock config is handled by :meth:`Config.fromfile`).
    """
    cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if 'model' not in cfg:
        raise KeyError(f'{path}: the config has no `model` field.')
    scope = cfg.get('default_scope', 'mmseg')
    from mmseg.utils import register_all_modules as register_mmseg
    register_mmseg(init_default_scope=False)
    try:
        from mmhumanparse.utils import \
            register_all_modules as register_mmhumanparse
    except ImportError:
        if scope == 'mmhumanparse':
            raise
    else:
        register_mmhumanparse(init_default_scope=False)
    init_default_scope(scope)
    return cfg


def build_model(cfg: Config, device: str = 'cpu') -> torch.nn.Module:
    """Build ``cfg.model`` in eval mode, without weights, with plain BN."""
    from mmengine.model import revert_sync_batchnorm
    from mmengine.registry import MODELS

    model_cfg = copy.deepcopy(cfg.model)
    _strip_pretrained(model_cfg)
    _sync_bn_to_bn(model_cfg)
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
    return sum(p.numel() for p in model.parameters())


def complexity(model: torch.nn.Module, shape: Sequence[int],
               show_table: bool = False) -> dict:
    """FLOPs/params of ``model(1 x 3 x H x W)`` on the tensor path."""
    from mmengine.analysis import get_model_complexity_info
    h, w = shape
    inputs = torch.rand(1, 3, h, w)
    with torch.no_grad():
        info = get_model_complexity_info(
            model, inputs=(inputs, ), show_table=show_table, show_arch=False)
    return info


def parse_args():
    parser = argparse.ArgumentParser(
        description='Params and FLOPs of a segmentation config')
    parser.add_argument('config', help='config file')
    parser.add_argument(
        '--shape',
        type=int,
        nargs=2,
        metavar=('H', 'W'),
        help='input height and width (default: the config test size)')
    parser.add_argument(
        '--show-table', action='store_true', help='print per-module table')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction,
        help='override config settings, key=value')
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    shape = tuple(args.shape) if args.shape else default_shape(cfg)
    model = build_model(cfg)
    info = complexity(model, shape, show_table=args.show_table)
    if args.show_table:
        print(info['out_table'])
    params = count_params(model)
    split = '=' * 30
    print(f'{split}\nConfig: {args.config}\n'
          f'Input shape: (1, 3, {shape[0]}, {shape[1]})\n'
          f'Flops: {info["flops_str"]} ({info["flops"] / 1e9:.3f} G)\n'
          f'Params: {info["params_str"]} ({params / 1e6:.3f} M, '
          f'{params} parameters)\n{split}')
    print('FLOPs: mmengine get_model_complexity_info, 1 multiply-add = 1 '
          'FLOP, mode="tensor" (no final resize/argmax).')


if __name__ == '__main__':
    main()
