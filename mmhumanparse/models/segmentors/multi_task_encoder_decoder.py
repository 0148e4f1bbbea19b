"""Segmentor of HTCorrM: one main task, parsing / pose / edge outputs.

"On the Correlation among Edge, Pose and Parsing" (Zhang et al., TPAMI 2021;
journal version of CorrPM, arXiv:2005.01431).
"""
from typing import Dict, List, Optional, Sequence

import torch
from mmengine.structures import InstanceData, PixelData
from mmseg.models.utils import resize
from mmseg.structures import SegDataSample
from torch import Tensor

from mmhumanparse.codecs import PoseHeatmapCodec
from mmhumanparse.registry import MODELS
from mmhumanparse.structures.flip import (flip_permutation, resolve_flip_pairs,
                                          swap_flip_channels)
from .parsing_encoder_decoder import ParsingEncoderDecoder

TASKS = ('parsing', 'pose', 'edge')


@MODELS.register_module()
class MultiTaskEncoderDecoder(ParsingEncoderDecoder):
    """``ParsingEncoderDecoder`` whose head (``HTCorrMHead``) predicts the
    main task plus parsing, pose and edge from its encoders.

    Training is ``EncoderDecoder``'s (the head computes Eq. 4). ``predict``
    fills, per data sample, the fields of the main task:

    - parsing: ``seg_logits`` (Q, H0, W0) and ``pred_sem_seg`` (1, H0, W0)
      (``mmseg.IoUMetric``);
    - pose: ``pred_keypoints`` InstanceData(``keypoints`` (1, K, 2) x, y in
      original-image pixels, ``keypoint_scores`` (1, K)), heatmaps decoded
      by the head's ``codec`` (``PCKhMetric``);
    - edge: ``pred_edge`` PixelData(data (1, H0, W0) edge probability)
      (``EdgeMetric``).

    ``(H0, W0)`` is ``ori_shape``: outputs are resized to the network input,
    cropped of the preprocessor's padding, un-flipped when the meta says
    ``flip`` (TTA) and resized to the original image (mmseg's
    ``postprocess_result`` steps); keypoints are mapped the same way.

    ``test_cfg`` keys (besides ``mode='whole'``; sliding windows are not
    supported):
        flip (bool): Average with the mirrored image: parsing channels and
            keypoint heatmaps are mirrored back and their left/right
            channels swapped (heatmaps also shifted one cell right, as
            mmpose's ``flip_heatmaps``); edges are only mirrored.
        flip_pairs (list, optional): Part-label pairs (else the sample's
            ``flip_pairs``, then ``dataset_meta``).
        keypoint_flip_pairs (list, optional): Keypoint pairs (else the
            sample's / ``dataset_meta``'s ``keypoint_flip_pairs``).
        output_aux (bool): Also fill the two other tasks' fields from their
            encoders' outputs. Defaults to False.
    """

    def _pairs(self, key: str, meta: dict) -> Sequence:
        if key == 'flip_pairs':
            return resolve_flip_pairs(self.test_cfg.get('flip_pairs'), meta,
                                      getattr(self, 'dataset_meta', None),
                                      'MultiTaskEncoderDecoder flip test')
        for source in (self.test_cfg.get(key), meta.get(key),
                       (getattr(self, 'dataset_meta', None) or {}).get(key)):
            if source is not None:
                return source
        raise ValueError(
            f'MultiTaskEncoderDecoder: no {key} for image '
            f"{meta.get('img_path', '<unknown>')!r}; set model.test_cfg."
            f'{key} (e.g. LIP_METAINFO["{key}"])')

    def _unflip(self, task: str, x: Tensor, metas: List[dict]) -> Tensor:
        """Mirror a task output of the flipped image back (see class doc)."""
        x = x.flip(-1)
        if task == 'edge':
            return x
        key = 'flip_pairs' if task == 'parsing' else 'keypoint_flip_pairs'
        x = torch.stack([
            swap_flip_channels(xi, self._pairs(key, meta), dim=0)
            for xi, meta in zip(x, metas)
        ])
        if task == 'pose':  # mmpose flip_heatmaps(shift_heatmap=True)
            x = torch.cat([x[..., :1], x[..., :-1]], dim=-1)
        return x

    def task_outputs(self, inputs: Tensor,
                     batch_img_metas: List[dict]) -> Dict[str, Tensor]:
        """Head outputs at the head's resolution, flip-averaged if asked.

        Returns:
            dict: ``parsing``, ``pose``, ``edge`` (encoders) and the main
            task's HNL output under its task name prefixed ``main_``.
        """
        mode = self.test_cfg.get('mode', 'whole')
        if mode != 'whole':
            raise ValueError(f"MultiTaskEncoderDecoder supports test_cfg."
                             f"mode='whole' only, got {mode!r}")
        main = self.decode_head.main_task

        def run(x):
            outs = self.decode_head.forward_tasks(self.extract_feat(x))
            outs[f'main_{main}'] = outs.pop('main')
            return outs

        outs = run(inputs)
        if self.test_cfg.get('flip', False):
            mirrored = run(inputs.flip(-1))
            outs = {
                k: (v + self._unflip(k.replace('main_', ''), mirrored[k],
                                     batch_img_metas)) / 2
                for k, v in outs.items()
            }
        return outs

    def _restore(self, x: Tensor, input_hw, metas: List[dict]) -> List[Tensor]:
        """(N, C, h, w) -> per image (C, H0, W0) at ``ori_shape``."""
        x = resize(x,
                   input_hw,
                   mode='bilinear',
                   align_corners=self.align_corners)
        out = []
        for xi, meta in zip(x, metas):
            left, right, top, bottom = meta.get('padding_size', [0] * 4)
            xi = xi[None, :, top:input_hw[0] - bottom,
                    left:input_hw[1] - right]
            if meta.get('flip', False):
                xi = xi.flip(3 if meta.get('flip_direction') ==
                             'horizontal' else 2)
            out.append(
                resize(xi,
                       meta['ori_shape'][:2],
                       mode='bilinear',
                       align_corners=self.align_corners)[0])
        return out

    def _codec_for(self, heatmaps: Tensor, input_hw) -> PoseHeatmapCodec:
        codec = getattr(self.decode_head, 'codec', None)
        if codec is None:
            raise ValueError('MultiTaskEncoderDecoder: decoding keypoints '
                             'needs decode_head.codec (a PoseHeatmapCodec)')
        h, w = heatmaps.shape[2:]
        if (w, h) == codec.heatmap_size:
            return codec
        # another input size at test time: same stride, new sizes
        stride = float(codec.stride[0])
        kwargs = dict(input_size=(input_hw[1], input_hw[0]),
                      heatmap_size=(w, h),
                      sigma=codec.sigma)
        try:
            return PoseHeatmapCodec(stride=int(stride), **kwargs)
        except ValueError:
            return PoseHeatmapCodec(**kwargs)

    def _keypoints(self, heatmaps: Tensor, input_hw,
                   metas: List[dict]) -> List[InstanceData]:
        kpts, scores = self._codec_for(heatmaps,
                                       input_hw).batch_decode(heatmaps)
        out = []
        for k, s, meta in zip(kpts, scores, metas):
            left, right, top, bottom = meta.get('padding_size', [0] * 4)
            eff_w = input_hw[1] - left - right
            eff_h = input_hw[0] - top - bottom
            k = k - k.new_tensor([left, top])
            if meta.get('flip', False):
                if meta.get('flip_direction') != 'horizontal':
                    raise ValueError('MultiTaskEncoderDecoder: keypoints of '
                                     'vertically flipped inputs')
                perm = flip_permutation(
                    len(k), self._pairs('keypoint_flip_pairs', meta))
                k = k[perm.to(k.device)]
                s = s[perm.to(s.device)]
                k[:, 0] = eff_w - 1 - k[:, 0]
            ori_h, ori_w = meta['ori_shape'][:2]
            k = k * k.new_tensor([ori_w / eff_w, ori_h / eff_h])
            out.append(InstanceData(keypoints=k[None],
                                    keypoint_scores=s[None]))
        return out

    def predict(
        self,
        inputs: Tensor,
        data_samples: Optional[List[SegDataSample]] = None
    ) -> List[SegDataSample]:
        """Fill the main task's (and with ``output_aux`` all tasks') fields.

        Args:
            inputs (Tensor): (N, 3, H, W) images.
            data_samples (list[SegDataSample], optional): With metainfo.

        Returns:
            list[SegDataSample]: see the class docstring.
        """
        if data_samples is None:
            hw = tuple(inputs.shape[2:])
            data_samples = [
                SegDataSample(metainfo=dict(
                    ori_shape=hw, img_shape=hw, padding_size=[0] * 4))
                for _ in range(len(inputs))
            ]
        metas = [s.metainfo for s in data_samples]
        outs = self.task_outputs(inputs, metas)
        main = self.decode_head.main_task
        fill = {main: outs[f'main_{main}']}
        if self.test_cfg.get('output_aux', False):
            fill.update({t: outs[t] for t in TASKS if t != main})
        hw = tuple(inputs.shape[2:])
        for task, x in fill.items():
            if task == 'pose':
                for s, k in zip(data_samples, self._keypoints(x, hw, metas)):
                    s.pred_keypoints = k
            elif task == 'edge':
                for s, e in zip(data_samples, self._restore(x, hw, metas)):
                    s.pred_edge = PixelData(data=e.softmax(0)[1:])
            else:
                for s, p in zip(data_samples, self._restore(x, hw, metas)):
                    s.seg_logits = PixelData(data=p)
                    s.pred_sem_seg = PixelData(data=p.argmax(0, keepdim=True))
        return data_samples
