"""Parse images with a trained segmentor or multi-person detector.

Built on mmseg's ``init_model`` and mmdet's ``init_detector`` /
``inference_detector``; what is added here:

- the registry scope: pipelines are built under the config's
  ``default_scope`` (``'mmhumanparse'``), and array inputs use the prefixed
  ``mmseg.LoadImageFromNDArray`` / ``mmdet.LoadImageFromNDArray`` (mmseg's
  own ``inference_model`` writes the bare name, which our scope cannot
  resolve);
- annotation loaders and target generators are dropped from the test
  pipeline (there is no annotation at inference);
- checkpoints must match the model (strict loading) and the dataset meta
  (classes, palette, flip pairs) comes from the checkpoint, else from the
  config's test dataset class;
- a folder is parsed recursively; segmentor images of one size are batched.
"""
import copy
import os.path as osp
import warnings
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Union
from unittest import mock

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.registry import DefaultScope, init_default_scope
from mmengine.runner import load_checkpoint
from mmengine.structures import PixelData

from .inputs import list_images

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
    from mmdet.apis import init_detector
    from mmseg.apis import init_model

    from mmhumanparse.utils import (register_all_modules,
                                    trust_local_checkpoints)
    cfg = _load_config(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    if checkpoint is not None and not osp.isfile(checkpoint):
        raise FileNotFoundError(f'checkpoint not found: {checkpoint}')
    register_all_modules(init_default_scope=False)
    trust_local_checkpoints()
    init_default_scope(_scope(cfg))
    detector = is_detector(cfg)
    with warnings.catch_warnings(), mock.patch.object(warnings,
                                                      'simplefilter'):
        # Both warn that no checkpoint was given (it is loaded below) and
        # mmdet's that it uses COCO classes (they are set below); they reset
        # the filters first, hence the patch.
        warnings.filterwarnings('ignore')
        if detector:
            model = init_detector(cfg, None, device='cpu')
        else:
            model = init_model(cfg, None, device='cpu')
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
        list[dict]: transform configs.
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


def _pipelines(model) -> Dict[bool, Compose]:
    """{for_arrays: Compose} built once per model under its scope."""
    cached = getattr(model, '_inference_pipelines', None)
    if cached is None:
        detector = is_detector(model)
        with DefaultScope.overwrite_default_scope(_scope(model.cfg)):
            cached = {
                arrays:
                Compose(inference_pipeline_cfg(model.cfg, arrays, detector))
                for arrays in (False, True)
            }
        model._inference_pipelines = cached
    return cached


def _check_input(img) -> Union[str, np.ndarray]:
    if isinstance(img, np.ndarray):
        if img.ndim == 2:
            img = np.repeat(img[..., None], 3, axis=-1)
        if img.ndim != 3 or img.shape[-1] != 3 or img.size == 0:
            raise ValueError('an image array must be (H, W, 3) BGR or '
                             f'(H, W), got shape {img.shape}')
        return img
    if isinstance(img, (str, Path)):
        if not osp.isfile(img):
            raise FileNotFoundError(f'image not found: {img}')
        return str(img)
    raise TypeError('images must be file paths or numpy arrays, got '
                    f'{type(img).__name__}')


def _add_semantic_map(sample) -> None:
    """Give a detector sample ``pred_sem_seg`` if the model did not."""
    from mmhumanparse.evaluation.functional.combine import paint_instances
    if 'pred_sem_seg' in sample or 'pred_instances' not in sample:
        return
    inst = sample.pred_instances
    if 'parsings' not in inst:
        return
    shape = tuple(sample.metainfo['ori_shape'][:2])
    semantic, _ = paint_instances(inst.parsings.cpu().numpy(),
                                  inst.scores.cpu().numpy(), shape)
    sample.pred_sem_seg = PixelData(
        sem_seg=torch.from_numpy(semantic)[None].long())


def _run_segmentor(model, items: List, pipelines, batch_size: int) -> List:
    results: List = [None] * len(items)
    for start in range(0, len(items), batch_size):
        chunk = range(start, min(start + batch_size, len(items)))
        groups: Dict[tuple, List] = {}
        for i in chunk:
            img = items[i]
            arrays = isinstance(img, np.ndarray)
            data = pipelines[arrays](
                dict(img=img) if arrays else dict(img_path=img))
            groups.setdefault(tuple(data['inputs'].shape), []).append(
                (i, data))
        for group in groups.values():
            batch = dict(
                inputs=[d['inputs'] for _, d in group],
                data_samples=[d['data_samples'] for _, d in group])
            with torch.no_grad():
                outs = model.test_step(batch)
            for (i, _), out in zip(group, outs):
                results[i] = out
    return results


def _run_detector(model, items: List, pipelines) -> List:
    from mmdet.apis import inference_detector
    results = []
    for img in items:
        sample = inference_detector(
            model, img,
            test_pipeline=pipelines[isinstance(img, np.ndarray)])
        _add_semantic_map(sample)
        results.append(sample)
    return results


def inference_parser(model: torch.nn.Module,
                     imgs: Union[ImageInput, Sequence[ImageInput]],
                     batch_size: int = 1):
    """Parse one image, a list of images or every image in a folder.

    Args:
        model (nn.Module): from :func:`init_parser`.
        imgs: a file path, an (H, W, 3) uint8 BGR array (as ``cv2.imread``
            gives), a list of those, or a folder (parsed recursively, in
            sorted relative-path order, see :func:`list_images`).
        batch_size (int): segmentors run images of the same network input
            size this many at a time; detectors run one image at a time
            (mmdet's ``inference_detector``).

    Returns:
        One data sample for one path or array, else a list in input order.
        Segmentors give ``SegDataSample`` with ``pred_sem_seg.data``
        (1, H, W) labels and ``seg_logits.data`` (C, H, W) at the input
        size. Detectors give ``DetDataSample`` with ``pred_instances``
        (``bboxes`` (N, 4) xyxy, ``scores`` (N,), ``labels``, ``parsings``
        (N, H, W) uint8 part labels, ...) and the combined part map
        ``pred_sem_seg`` (1, H, W).

    Raises:
        FileNotFoundError: a path that is not a file (or folder).
        ValueError: an array that is not an image.
    """
    if batch_size < 1:
        raise ValueError(f'batch_size must be >= 1, got {batch_size}')
    single = isinstance(imgs, (str, Path, np.ndarray))
    if single and not isinstance(imgs, np.ndarray) and osp.isdir(imgs):
        items = list_images(str(imgs))
        single = False
    else:
        items = [imgs] if single else list(imgs)
    items = [_check_input(i) for i in items]
    pipelines = _pipelines(model)
    if is_detector(model):
        results = _run_detector(model, items, pipelines)
    else:
        results = _run_segmentor(model, items, pipelines, batch_size)
    return results[0] if single else results
