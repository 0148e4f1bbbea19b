"""Single-person parsing inference on image files or arrays."""
import os.path as osp
from typing import List, Optional, Sequence, Union

import numpy as np
import torch
from mmengine.config import Config
from mmengine.dataset import Compose
from mmengine.registry import init_default_scope
from mmengine.runner import load_checkpoint

from mmhumanparse.registry import DATASETS, MODELS

_ANNOTATION_LOADERS = ('LoadParsingAnnotations', 'LoadAnnotations',
                       'mmseg.LoadAnnotations')


def init_parser(config: Union[str, Config],
                checkpoint: Optional[str] = None,
                device: str = 'cpu') -> torch.nn.Module:
    """Build a model from a config and load its checkpoint.

    Args:
        config (str | Config): config file or object.
        checkpoint (str, optional): checkpoint file; None keeps random
            weights (and the config's ``init_cfg`` is not applied).
        device (str): 'cpu' or 'cuda:0' ...

    Returns:
        nn.Module: the model in eval mode with ``cfg`` and ``dataset_meta``
        (classes, palette, flip_pairs) attached.
    """
    if isinstance(config, str):
        if not osp.isfile(config):
            raise FileNotFoundError(f'config file not found: {config}')
        config = Config.fromfile(config)
    init_default_scope(config.get('default_scope', 'mmhumanparse'))
    from mmhumanparse.utils import (register_all_modules,
                                    trust_local_checkpoints)
    register_all_modules(init_default_scope=False)
    trust_local_checkpoints()
    model_cfg = config.model.copy()
    model_cfg.pop('pretrained', None)
    if 'backbone' in model_cfg:
        model_cfg.backbone.init_cfg = None
    model = MODELS.build(model_cfg)
    meta = None
    if checkpoint is not None:
        if not osp.isfile(checkpoint):
            raise FileNotFoundError(f'checkpoint not found: {checkpoint}')
        ckpt = load_checkpoint(model, checkpoint, map_location='cpu')
        meta = ckpt.get('meta', {}).get('dataset_meta')
    if meta is None:
        ds_type = config.test_dataloader.dataset.type
        meta = DATASETS.get(ds_type).METAINFO
    model.dataset_meta = dict(meta)
    model.cfg = config
    return model.to(device).eval()


def inference_parser(model: torch.nn.Module,
                     imgs: Union[str, np.ndarray, Sequence]) -> List:
    """Parse one image or a list of images.

    Args:
        model: a model from :func:`init_parser`.
        imgs: file path(s) or (H, W, 3) BGR uint8 array(s).

    Returns:
        list[SegDataSample] (or one, for a single input) whose
        ``pred_sem_seg.data`` is (1, H, W) part labels at the input size.
    """
    single = isinstance(imgs, (str, np.ndarray))
    imgs = [imgs] if single else list(imgs)
    steps = [
        t for t in model.cfg.test_dataloader.dataset.pipeline
        if t['type'] not in _ANNOTATION_LOADERS
    ]
    results = []
    for img in imgs:
        if isinstance(img, np.ndarray):
            steps_ = [dict(type='LoadImageFromNDArray')] + steps[1:]
            data = dict(img=img)
        else:
            if not osp.isfile(img):
                raise FileNotFoundError(f'image not found: {img}')
            steps_, data = steps, dict(img_path=img)
        data = Compose(steps_)(data)
        batch = dict(
            inputs=[data['inputs']], data_samples=[data['data_samples']])
        with torch.no_grad():
            results.extend(model.test_step(batch))
    return results[0] if single else results


def colorize(labels: np.ndarray, palette) -> np.ndarray:
    """(H, W) labels -> (H, W, 3) BGR image in the dataset palette."""
    pal = np.zeros((256, 3), np.uint8)
    pal[:len(palette)] = np.asarray(palette, np.uint8)
    return pal[labels][..., ::-1].copy()
