"""HumanParsingInferencer: mmengine's ``BaseInferencer`` for segmentors and
multi-person detectors (in the manner of mmseg's ``MMSegInferencer`` and
mmdet's ``DetInferencer``)."""
import os.path as osp
import sys
import warnings
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple, Union

import mmcv
import numpy as np
import torch
from mmengine.config import Config, ConfigDict
from mmengine.dataset import Compose
from mmengine.infer import BaseInferencer
from mmengine.registry import DefaultScope
from mmengine.structures import PixelData
from mmengine.utils import ProgressBar

from .inference import (_scope, build_parser, inference_pipeline_cfg,
                        is_detector)
from .inputs import (check_array, check_no_overwrite, check_out_dirs,
                     is_video_file, list_inputs, output_stems)
from .results import sample_to_dict, write_prediction
from .video import parse_video

InputType = Union[str, Path, np.ndarray]


class HumanParsingInferencer(BaseInferencer):
    """Parse images, folders, lists and videos; write and draw the results.

    ``preprocess`` loads each input (a path with the config's test
    pipeline, an array with ``LoadImageFromNDArray``) without annotation
    steps; ``forward`` runs ``model.test_step`` on images of the same
    network input size together; ``visualize`` draws with
    :class:`ParsingLocalVisualizer`; ``postprocess`` writes the
    prediction files (:func:`write_prediction`) and returns the results.

    Args:
        model (str | Path | Config | dict | nn.Module): a config file, a
            model name of ``model-index.yml`` (mmengine's metafile
            mechanism, from the repo or ``mmhumanparse/.mim``), a config,
            or a model built by :func:`init_parser`.
        weights (str, optional): checkpoint, loaded strictly (its
            ``meta['dataset_meta']`` gives classes and palette, else the
            config's test dataset). None: random weights, or the
            metafile's ``Weights``.
        device (str, optional): None picks mmengine's default device.
        scope (str): registry scope. Defaults to ``'mmhumanparse'``.
        show_progress (bool): a progress bar over the images (or frames).
        cfg_options (dict, optional): ``{'a.b': value}`` merged into the
            config.

    Call arguments (``inferencer(inputs, **kwargs)``):
        inputs: an (H, W, 3) BGR or (H, W) grayscale uint8 array, an image
            file, a folder (recursive), a list of arrays and files, or a
            video file.
        batch_size (int): images per ``test_step`` (split by input size).
        return_datasamples (bool): predictions as data samples instead of
            dicts (``{'sem_seg': (H, W) uint8, 'persons': [...]}``).
        return_predictions (bool): False keeps nothing in memory (for long
            runs that only write files).
        pred_out_dir (str): write ``<stem>.png`` (indexed PNG),
            ``<stem>.json`` (detectors: persons, per-part COCO RLE) and
            with ``save_logits`` ``<stem>_logits.npy`` (float16). A video
            gives ``<name>`` with the coloured part maps.
        save_logits (bool): see ``pred_out_dir``; (C, H, W) float16 is
            ``2 * C * H * W`` bytes: 20 x 3000 x 4000 is 480 MB.
        logits_size (str): ``'image'`` (the input's size) or ``'network'``
            (the network's input size, after the test resize; the label
            maps stay at the image size).
        vis_out_dir (str): write ``<stem>_overlay.jpg`` (a video:
            ``<stem>_overlay.<ext>``).
        opacity (float), score_thr (float): overlay part opacity; lowest
            score of a drawn person (detectors).
        show (bool), wait_time (float), return_vis (bool): as mmseg's.
        skip_unreadable (bool): skip (and list in ``failed``) inputs that
            cannot be read instead of raising.

    A folder's outputs keep the relative paths; ``a.jpg`` and ``a.png``
    in one folder write ``a_jpg.*`` and ``a_png.*`` (see
    :func:`output_stems`). Output folders inside a folder input, and any
    output file that is an input, are refused (``ValueError``).

    Returns:
        dict: ``predictions``, ``visualization`` (RGB drawings),
        ``written`` (the label PNGs or videos written), ``failed``
        (``(input, reason)``), ``skipped`` (``(path, reason)`` of folder
        files that are not images), and ``frames`` for a video.
    """

    preprocess_kwargs: set = {'skip_unreadable'}
    forward_kwargs: set = {'logits_size'}
    visualize_kwargs: set = {
        'vis_out_dir', 'opacity', 'score_thr', 'show', 'wait_time',
        'return_vis'
    }
    postprocess_kwargs: set = {'pred_out_dir', 'save_logits'}

    def __init__(self,
                 model: Union[str, Path, Config, dict, torch.nn.Module],
                 weights: Optional[str] = None,
                 device: Optional[str] = None,
                 scope: str = 'mmhumanparse',
                 show_progress: bool = True,
                 cfg_options: Optional[dict] = None) -> None:
        self._built = model if isinstance(model, torch.nn.Module) else None
        self._cfg_options = cfg_options
        self.num_arrays = 0
        if self._built is not None:
            param = next(iter(self._built.parameters()), None)
            model = self._built.cfg
            device = str(param.device) if param is not None else 'cpu'
        elif isinstance(model, Path):
            model = str(model)
        elif isinstance(model, dict) and not isinstance(model, Config):
            model = Config(dict(model))
        if isinstance(model, str) and model.endswith('.py') and (
                not osp.isfile(model)):
            raise FileNotFoundError(f'config file not found: {model}')
        super().__init__(model, weights, device, scope, show_progress)
        self.detector = is_detector(self.model)

    # ------------------------------------------------------------ set-up
    def _init_model(self, cfg, weights, device) -> torch.nn.Module:
        if self._built is not None:
            return self._built
        if not isinstance(cfg, Config):
            cfg = Config(cfg.to_dict() if isinstance(cfg, ConfigDict) else
                         cfg)
        if self._cfg_options:
            cfg.merge_from_dict(self._cfg_options)
        return build_parser(cfg, weights, device)

    def _init_pipeline(self, cfg) -> Compose:
        """The test pipeline after its loader; the loaders (file, array)
        are kept apart so that a read failure names the file."""
        cfg = self.model.cfg
        detector = is_detector(self.model)
        with DefaultScope.overwrite_default_scope(_scope(cfg)):
            files = inference_pipeline_cfg(cfg, False, detector)
            arrays = inference_pipeline_cfg(cfg, True, detector)
            self.loaders = {False: Compose(files[:1]),
                            True: Compose(arrays[:1])}
            return Compose(files[1:])

    def _init_visualizer(self, cfg):
        from mmhumanparse.visualization import ParsingLocalVisualizer
        vis = ParsingLocalVisualizer(name=f'parsing-inferencer-{id(self)}')
        vis.dataset_meta = self.model.dataset_meta
        return vis

    def _load_model_from_metafile(self, model: str) -> Tuple[Config, str]:
        """Config and weights of a ``model-index.yml`` entry (by ``Name``
        or ``Alias``); ``Weights`` may be absent."""
        root = self._get_repo_or_mim_dir(self.scope)
        for entry in self._get_models_from_metafile(root):
            aliases = entry.get('Alias', [])
            names = [entry['Name']] + ([aliases] if isinstance(
                aliases, str) else list(aliases))
            if model.lower() in (n.lower() for n in names):
                weights = entry.get('Weights')
                if isinstance(weights, list):
                    weights = weights[0]
                return Config.fromfile(osp.join(root,
                                                entry['Config'])), weights
        raise ValueError(f'no model named {model!r} in '
                         f'{osp.join(root, "model-index.yml")}')

    @property
    def palette(self) -> list:
        from mmhumanparse.visualization import part_meta
        return part_meta(self.model.dataset_meta)[1]

    # ------------------------------------------------------------ inputs
    def _collect(self, inputs) -> Tuple[list, List[str], List[str], list]:
        """(items, output stems, source names, skipped folder files)."""
        if isinstance(inputs, (str, Path)) and osp.isdir(inputs):
            items, skipped = list_inputs(str(inputs))
            if not items:
                listed = ''.join(f'\n  {p}: {r}' for p, r in skipped[:10])
                raise FileNotFoundError(f'no images found under {inputs}'
                                        f'{listed}')
            sources = [osp.relpath(p, inputs) for p in items]
            return items, output_stems(sources), sources, skipped
        if not isinstance(inputs, (list, tuple)):
            inputs = [inputs]
        sources = []
        for item in inputs:
            if isinstance(item, np.ndarray):
                sources.append(f'{self.num_arrays:08d}')
                self.num_arrays += 1
            elif isinstance(item, (str, Path)):
                sources.append(osp.basename(str(item)))
            else:
                raise TypeError('images must be file paths or numpy '
                                f'arrays, got {type(item).__name__}')
        return list(inputs), output_stems(sources), sources, []

    def load_input(self, item: InputType) -> dict:
        """``{'img': (H, W, 3) BGR at the input size, 'data': packed}``.

        Raises:
            FileNotFoundError: a missing file.
            ValueError: a bad array, an empty or unreadable file.
        """
        if isinstance(item, np.ndarray):
            loaded = self.loaders[True](dict(img=check_array(item)))
        else:
            path = str(item)
            if not osp.isfile(path):
                raise FileNotFoundError(f'image not found: {path}')
            if osp.getsize(path) == 0:
                raise ValueError(f'{path}: empty file, not an image')
            try:
                loaded = self.loaders[False](dict(img_path=path))
            except Exception as err:
                raise ValueError(f'{path}: not a readable image '
                                 f'({type(err).__name__}: {err})') from err
            if loaded is None or loaded.get('img') is None:
                raise ValueError(f'{path}: not a readable image')
        return dict(img=loaded['img'], data=self.pipeline(dict(loaded)))

    def preprocess(self, inputs: list, batch_size: int = 1,
                   skip_unreadable: bool = False):
        """Yield chunks of ``batch_size`` entries ``{'input', 'stem',
        'source', 'img', 'data'}`` (or ``'error'`` with
        ``skip_unreadable``) from ``(input, stem, source)`` triples."""
        chunk = []
        for item, stem, source in inputs:
            try:
                entry = self.load_input(item)
            except (OSError, ValueError) as err:
                if not skip_unreadable:
                    raise
                entry = dict(error=str(err))
            chunk.append(dict(entry, input=item, stem=stem, source=source))
            if len(chunk) == batch_size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    # ----------------------------------------------------------- running
    @torch.no_grad()
    def forward(self, data: List[dict], logits_size: str = 'image') -> list:
        """``model.test_step`` on the packed inputs, grouped by size.

        ``logits_size='network'`` (segmentors) gives ``seg_logits`` at the
        network's input size (the model resizes to ``img_shape`` instead of
        ``ori_shape``) and labels from them resized as mmseg does.
        """
        if logits_size not in ('image', 'network'):
            raise ValueError("logits_size must be 'image' or 'network', "
                             f'got {logits_size!r}')
        network = logits_size == 'network' and not self.detector
        groups: Dict[tuple, List[int]] = {}
        for i, d in enumerate(data):
            groups.setdefault(tuple(d['inputs'].shape), []).append(i)
        preds: list = [None] * len(data)
        for idx in groups.values():
            batch = self.collate_fn([data[i] for i in idx])
            shapes = [s.ori_shape for s in batch['data_samples']]
            if network:
                for s in batch['data_samples']:
                    s.set_metainfo(dict(ori_shape=s.img_shape))
            for i, out, shape in zip(idx, self.model.test_step(batch),
                                     shapes):
                if network:
                    self._labels_at(out, shape)
                preds[i] = out
        return preds

    def _labels_at(self, sample, shape) -> None:
        """Labels at the image size from network-size logits (mmseg's
        bilinear resize, then argmax)."""
        from mmseg.models.utils import resize
        up = resize(sample.seg_logits.data[None], size=tuple(shape[:2]),
                    mode='bilinear',
                    align_corners=getattr(self.model, 'align_corners',
                                          False))[0]
        sample.set_metainfo(dict(ori_shape=tuple(shape)))
        sample.pred_sem_seg = PixelData(data=up.argmax(0, keepdim=True))

    def visualize(self,
                  images: List[np.ndarray],
                  preds: list,
                  stems: Sequence[str] = (),
                  vis_out_dir: str = '',
                  opacity: float = 0.5,
                  score_thr: float = 0.3,
                  show: bool = False,
                  wait_time: float = 0,
                  return_vis: bool = False) -> Optional[List[np.ndarray]]:
        """Draw each prediction over its (H, W, 3) BGR image; write
        ``vis_out_dir/<stem>_overlay.jpg``; return RGB drawings if
        ``return_vis``."""
        if not (vis_out_dir or show or return_vis):
            return None
        if not 0 <= opacity <= 1:
            raise ValueError(f'opacity must be in [0, 1], got {opacity}')
        self.visualizer.alpha = opacity
        drawn = []
        for img, pred, stem in zip(images, preds, stems):
            out_file = (osp.join(vis_out_dir, stem + '_overlay.jpg')
                        if vis_out_dir else None)
            self.visualizer.add_datasample(
                stem, mmcv.bgr2rgb(img), pred, draw_gt=False, show=show,
                wait_time=wait_time, out_file=out_file,
                pred_score_thr=score_thr)
            if return_vis:
                drawn.append(self.visualizer.get_image())
        return drawn if return_vis else None

    def postprocess(self,
                    preds: list,
                    visualization: Optional[List[np.ndarray]],
                    return_datasamples: bool = False,
                    stems: Sequence[str] = (),
                    sources: Sequence[str] = (),
                    pred_out_dir: str = '',
                    save_logits: bool = False) -> dict:
        """Write each prediction under ``pred_out_dir`` and pack them."""
        written = [
            write_prediction(pred, osp.join(pred_out_dir, stem), source,
                             self.palette, save_logits)
            for pred, stem, source in zip(preds, stems, sources)
        ] if pred_out_dir else []
        return dict(
            predictions=list(preds) if return_datasamples else
            [sample_to_dict(p) for p in preds],
            visualization=visualization or [],
            written=written)

    def __call__(self,
                 inputs,
                 batch_size: int = 1,
                 return_datasamples: bool = False,
                 return_predictions: bool = True,
                 **kwargs) -> dict:
        """Parse ``inputs``; see the class doc for the arguments."""
        if batch_size < 1:
            raise ValueError(f'batch_size must be >= 1, got {batch_size}')
        pre, fwd, vis, post = self._dispatch_kwargs(**kwargs)
        if post.get('save_logits') and self.detector:
            warnings.warn('save_logits: a detector has no per-pixel '
                          'logits; none are written')
        out_dirs = (post.get('pred_out_dir', ''), vis.get('vis_out_dir', ''))
        if isinstance(inputs, (str, Path)) and is_video_file(str(inputs)):
            return parse_video(self, str(inputs), batch_size, fwd, vis, post,
                               return_predictions and
                               (return_datasamples or 'dicts'))
        check_out_dirs(inputs, out_dirs)
        items, stems, sources, skipped = self._collect(inputs)
        check_no_overwrite(items, [
            osp.join(d, s + suffix) for s in stems for d, suffixes in zip(
                out_dirs, (('.png', '.json', '_logits.npy'),
                           ('_overlay.jpg', ))) if d for suffix in suffixes
        ])
        results: Dict[str, list] = dict(
            predictions=[], visualization=[], written=[], failed=[],
            skipped=skipped)
        bar = (ProgressBar(len(items), file=sys.stdout)
               if self.show_progress and items else None)
        for chunk in self.preprocess(list(zip(items, stems, sources)),
                                     batch_size, **pre):
            ok = [e for e in chunk if 'error' not in e]
            results['failed'] += [(e['input'], e['error']) for e in chunk
                                  if 'error' in e]
            preds = self.forward([e['data'] for e in ok], **fwd)
            drawn = self.visualize([e['img'] for e in ok], preds,
                                   [e['stem'] for e in ok], **vis)
            out = self.postprocess(preds, drawn, return_datasamples,
                                   [e['stem'] for e in ok],
                                   [e['source'] for e in ok], **post)
            results['written'] += out['written']
            if return_predictions:
                results['predictions'] += out['predictions']
                results['visualization'] += out['visualization']
            for _ in range(len(chunk) if bar else 0):
                bar.update()
        return results
