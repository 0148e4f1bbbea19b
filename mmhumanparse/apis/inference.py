"""Build a trained segmentor or multi-person detector; the functional API.

What mmseg's ``init_model`` and mmdet's ``init_detector`` do, plus:

- the registry scope: models and pipelines are built under the config's
  ``default_scope`` (``'mmhumanparse'``); array inputs use the prefixed
  ``mmseg.LoadImageFromNDArray`` / ``mmdet.LoadImageFromNDArray``;
- annotation loaders and target generators are dropped from the test
  pipeline (there is no annotation at inference);
- checkpoints must match the model (strict loading) and the dataset meta
  (classes, palette, flip pairs) comes from the checkpoint, else from the
  config's test dataset class.

``inference_parser`` runs :class:`HumanParsingInferencer` (a folder is
parsed recursively; images of one network size are batched).
"""
import copy
import os.path as osp
import warnings
from pathlib import Path
from typing import List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.registry import DefaultScope, init_default_scope
from mmengine.runner import load_checkpoint

ImageInput = Union[str, Path, np.ndarray]

# Transforms that need annotations: dropped from the inference pipeline.
_NEEDS_ANNOTATIONS = ('Annotations', )
_TARGET_PREFIXES = ('Generate', )


def _load_config(config: Union[str, Path, Config]) -> Config:
    if isinstance(config, (str, Path)):
        if not osp.isfile(config):
            raise FileNotFoundError(f'config file not found: {config}')
        return Config.fromfile(str(config))
    if isinstance(config, Config):
        return copy.deepcopy(config)
    raise TypeError('config must be a file name or an mmengine Config, '
                    f'got {type(config).__name__}')


def _scope(cfg: Config) -> str:
    return cfg.get('default_scope', None) or 'mmhumanparse'


def is_detector(model_or_cfg) -> bool:
    """True for an mmdet detector (model or config), False for a segmentor.

    Args:
        model_or_cfg (nn.Module | Config): a built model, or a config whose
            ``model.type`` is resolved under the config's default scope.
    """
    from mmdet.models.detectors import BaseDetector
    from mmseg.models.segmentors import BaseSegmentor
    if isinstance(model_or_cfg, torch.nn.Module):
        return isinstance(model_or_cfg, BaseDetector)
    from mmhumanparse.registry import MODELS
    model_type = model_or_cfg.model.type
    with DefaultScope.overwrite_default_scope(_scope(model_or_cfg)):
        cls = MODELS.get(model_type)
    if cls is None:
        raise KeyError(f'model type {model_type!r} is not registered under '
                       f'scope {_scope(model_or_cfg)!r}')
    if issubclass(cls, BaseDetector):
        return True
    if issubclass(cls, BaseSegmentor):
        return False
    raise TypeError(f'{model_type} is neither an mmseg segmentor nor an '
                    'mmdet detector')


def _test_dataset_cfg(cfg: Config) -> Optional[dict]:
    loader = cfg.get('test_dataloader', None)
    dataset = loader.get('dataset') if loader else None
    while dataset is not None and 'pipeline' not in dataset and (
            'dataset' in dataset or 'datasets' in dataset):
        dataset = dataset.get('dataset') or dataset['datasets'][0]
    return dataset


def _fallback_meta(cfg: Config, model: torch.nn.Module) -> dict:
    """Dataset meta from the config's test dataset class (+ its metainfo)."""
    from mmhumanparse.datasets.metainfo import voc_palette
    from mmhumanparse.registry import DATASETS
    dataset = _test_dataset_cfg(cfg)
    if dataset is not None and 'type' in dataset:
        with DefaultScope.overwrite_default_scope(_scope(cfg)):
            cls = DATASETS.get(dataset['type'])
        if cls is not None:
            meta = copy.deepcopy(dict(getattr(cls, 'METAINFO', {})))
            meta.update(dataset.get('metainfo', None) or {})
            if 'classes' in meta:
                return meta
    num = getattr(getattr(model, 'decode_head', None), 'num_classes', 256)
    warnings.warn('no dataset meta in the checkpoint and no dataset class '
                  'in the config: classes are numbered and the palette is '
                  'the VOC palette')
    return dict(
        classes=tuple(str(i) for i in range(num)), palette=voc_palette(num))


def build_parser(cfg: Config,
                 checkpoint: Optional[str] = None,
                 device: str = 'cpu') -> torch.nn.Module:
    """Build the model of ``cfg`` and load ``checkpoint`` strictly.

    What mmseg's ``init_model`` and mmdet's ``init_detector`` do (no
    ``pretrained`` / backbone ``init_cfg`` weights, SyncBN reverted), with
    strict loading and our dataset meta.

    Args:
        cfg (Config): the model's config; kept as ``model.cfg`` (its
            ``model`` entry is not modified).
        checkpoint (str, optional): checkpoint file; None keeps random
            weights.
        device (str): ``'cpu'``, ``'cuda:0'``...

    Returns:
        nn.Module: the model in eval mode with ``cfg`` and
        ``dataset_meta``.
    """
    from mmengine.model import revert_sync_batchnorm

    from mmhumanparse.registry import MODELS
    from mmhumanparse.utils import (register_all_modules,
                                    trust_local_checkpoints)
    if checkpoint is not None and not (osp.isfile(checkpoint) or '://' in
                                       checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {checkpoint}')
    register_all_modules(init_default_scope=False)
    trust_local_checkpoints()
    init_default_scope(_scope(cfg))
    model_cfg = copy.deepcopy(cfg.model)
    if isinstance(model_cfg.get('backbone'), dict):
        model_cfg.backbone.init_cfg = None
    if not is_detector(cfg):
        model_cfg.pretrained = None
        model_cfg.train_cfg = None
    with DefaultScope.overwrite_default_scope(_scope(cfg)):
        model = revert_sync_batchnorm(MODELS.build(model_cfg))
    ckpt_meta = None
    if checkpoint is not None:
        try:
            ckpt = load_checkpoint(
                model, checkpoint, map_location='cpu', strict=True)
        except RuntimeError as err:
            raise RuntimeError(f'checkpoint {checkpoint} does not fit the '
                               f'model of the config: {err}') from err
        ckpt_meta = (ckpt.get('meta') or {}).get('dataset_meta')
    if ckpt_meta and 'classes' in ckpt_meta:
        meta = {k.lower(): v for k, v in ckpt_meta.items()}
        if 'palette' not in meta:
            meta['palette'] = _fallback_meta(cfg, model).get('palette')
    else:
        meta = _fallback_meta(cfg, model)
    model.dataset_meta = meta
    model.cfg = cfg
    return model.to(device).eval()


def init_parser(config: Union[str, Path, Config],
                checkpoint: Optional[str] = None,
                device: str = 'cpu',
                cfg_options: Optional[dict] = None) -> torch.nn.Module:
    """Build a segmentor or detector from a config and load a checkpoint.

    Args:
        config (str | Path | Config): config file or object (not modified).
        checkpoint (str, optional): checkpoint file. It must match the model
            (strict loading). None keeps random weights; no ``init_cfg`` or
            ``pretrained`` weights are loaded either way.
        device (str): ``'cpu'``, ``'cuda'``, ``'cuda:1'``...
        cfg_options (dict, optional): ``{'a.b': value}`` overrides merged
            into the config first.

    Returns:
        nn.Module: the model in eval mode with ``cfg`` (the config) and
        ``dataset_meta`` (classes, palette, flip pairs...; for detectors
        also ``part_classes`` / ``part_palette``): from the checkpoint's
        ``meta['dataset_meta']``, else the config's test dataset class.

    Raises:
        FileNotFoundError: missing config or checkpoint file.
        TypeError: ``config`` is neither a path nor a Config.
        RuntimeError: the checkpoint does not fit the model.
    """
    cfg = _load_config(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    return build_parser(cfg, checkpoint, device)


def _type_name(transform: dict) -> str:
    t = transform.get('type', '')
    return (t if isinstance(t, str) else t.__name__).split('.')[-1]


def inference_pipeline_cfg(cfg: Config, for_arrays: bool,
                           detector: bool) -> List[dict]:
    """The config's test pipeline without annotation loading.

    Args:
        cfg (Config): the model's config.
        for_arrays (bool): replace the image loader with
            ``LoadImageFromNDArray`` (mmseg's or mmdet's, scope-prefixed).
        detector (bool): which library's data sample type is produced.

    Returns:
        list[dict]: transform configs; the first loads the image.
    """
    dataset = _test_dataset_cfg(cfg)
    if dataset is not None and 'pipeline' in dataset:
        pipeline = dataset['pipeline']
    elif cfg.get('test_pipeline', None) is not None:
        pipeline = cfg.test_pipeline
    else:
        raise KeyError('the config has no test_dataloader.dataset.pipeline '
                       'and no test_pipeline')
    steps = [
        copy.deepcopy(dict(t)) for t in pipeline
        if not _type_name(t).endswith(_NEEDS_ANNOTATIONS)
        and not _type_name(t).startswith(_TARGET_PREFIXES)
    ]
    if not steps or not _type_name(steps[0]).startswith('Load'):
        raise ValueError('the test pipeline must start with an image loader '
                         f'(e.g. LoadImageFromFile), got {steps[:1]}')
    if for_arrays:
        lib = 'mmdet' if detector else 'mmseg'
        steps[0] = dict(type=f'{lib}.LoadImageFromNDArray')
    return steps


def inference_parser(model: torch.nn.Module,
                     imgs: Union[ImageInput, Sequence[ImageInput]],
                     batch_size: int = 1):
    """Parse one image, a list of images or every image in a folder.

    The functional form of :class:`HumanParsingInferencer` (same code;
    one inferencer is kept per model).

    Args:
        model (nn.Module): from :func:`init_parser`.
        imgs: a file path, an (H, W, 3) uint8 BGR array (as ``cv2.imread``
            gives) or (H, W) uint8 grayscale array, a list of those, or a
            folder (parsed recursively, in sorted relative-path order, see
            :func:`list_inputs`).
        batch_size (int): images of the same network input size run this
            many at a time.

    Returns:
        One data sample for one path or array, else a list in input order.
        Segmentors give ``SegDataSample`` with ``pred_sem_seg.data``
        (1, H, W) labels and ``seg_logits.data`` (C, H, W) at the input
        size. Detectors give ``DetDataSample`` with ``pred_instances``
        (``bboxes`` (N, 4) xyxy, ``scores`` (N,), ``labels``, ``parsings``
        (N, H, W) uint8 part labels, ...) and the combined part map
        ``pred_sem_seg`` (1, H, W) that the detector painted.

    Raises:
        FileNotFoundError: a path that is not a file (or folder).
        ValueError: an array that is not a uint8 image, or a file that is
            empty or not a readable image (the message names it).
    """
    from .parsing_inferencer import HumanParsingInferencer
    if batch_size < 1:
        raise ValueError(f'batch_size must be >= 1, got {batch_size}')
    inferencer = getattr(model, '_parsing_inferencer', None)
    if inferencer is None:
        inferencer = HumanParsingInferencer(model, show_progress=False)
        model._parsing_inferencer = inferencer
    single = isinstance(imgs, np.ndarray) or (isinstance(imgs, (str, Path))
                                              and not osp.isdir(imgs))
    samples = inferencer(
        imgs, batch_size=batch_size, return_datasamples=True)['predictions']
    return samples[0] if single else samples
