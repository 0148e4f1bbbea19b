"""Shared fixtures of the API tests: a tiny toy-LIP segmentor with random
weights, and a stub multi-person detector with two overlapping persons."""
import os.path as osp

import numpy as np
import pytest
import torch
from mmdet.models.detectors import BaseDetector
from mmengine.config import Config
from mmengine.structures import InstanceData, PixelData

from mmhumanparse.datasets.metainfo import LIP_METAINFO
from mmhumanparse.registry import MODELS
from mmhumanparse.structures.paint import paint_persons
from mmhumanparse.testing.random_checkpoint import random_segmentor_checkpoint
from mmhumanparse.testing.tiny_configs import tiny_lip_config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOY_DETECTOR = osp.join(REPO,
                        'configs/rp_rcnn/rp-rcnn_r18_fpn_toy_toy-cihp.py')


@pytest.fixture(scope='module')
def seg(toy_roots, tmp_path_factory):
    """(config path, checkpoint with dataset meta, checkpoint without)."""
    tmp = tmp_path_factory.mktemp('seg')
    cfg = tmp / 'tiny.py'
    cfg.write_text(tiny_lip_config(toy_roots['LIP']))
    meta = dict(LIP_METAINFO, classes=tuple(f'c{i}' for i in range(20)))
    # the same seed: the same weights in both
    with_meta = random_segmentor_checkpoint(
        str(cfg), str(tmp / 'with_meta.pth'), dataset_meta=meta)
    bare = random_segmentor_checkpoint(str(cfg), str(tmp / 'bare.pth'))
    return str(cfg), with_meta, bare


@MODELS.register_module(force=True)
class StubParsingDetector(BaseDetector):
    """Two fixed, overlapping persons per image at the original image size;
    ``pred_sem_seg`` painted as the detectors do (best person on top)."""

    def __init__(self, backbone=None, data_preprocessor=None, init_cfg=None):
        super().__init__(data_preprocessor=data_preprocessor)
        self.conv = torch.nn.Conv2d(3, 1, 1)

    @staticmethod
    def persons(h, w):
        """(parsings (2, h, w), boxes (2, 4), scores (2,)): person 0 (score
        0.9) has parts 2 and 5, person 1 (0.6) part 14; they overlap."""
        a = np.zeros((h, w), np.uint8)
        a[h // 10:h // 2, w // 10:w // 2] = 2
        a[h // 2:9 * h // 10, w // 10:w // 2] = 5
        b = np.zeros((h, w), np.uint8)
        b[h // 5:4 * h // 5, 2 * w // 5:9 * w // 10] = 14
        boxes = [[w // 10, h // 10, w // 2, 9 * h // 10],
                 [2 * w // 5, h // 5, 9 * w // 10, 4 * h // 5]]
        return np.stack([a, b]), np.array(boxes, np.float32), np.array(
            [0.9, 0.6], np.float32)

    def predict(self, batch_inputs, batch_data_samples, rescale=True):
        for sample in batch_data_samples:
            h, w = sample.metainfo['ori_shape'][:2]
            parsings, boxes, scores = self.persons(h, w)
            sample.pred_instances = InstanceData(
                bboxes=torch.from_numpy(boxes),
                scores=torch.from_numpy(scores),
                labels=torch.zeros(2, dtype=torch.long),
                parsings=torch.from_numpy(parsings),
                masks=torch.from_numpy(parsings > 0))
            semantic, _ = paint_persons(parsings, scores, 0.001)
            sample.pred_sem_seg = PixelData(
                sem_seg=torch.from_numpy(semantic)[None].long())
        return batch_data_samples

    def loss(self, batch_inputs, batch_data_samples):
        return dict(loss=self.conv(batch_inputs).mean())

    def _forward(self, batch_inputs, batch_data_samples=None):
        return self.conv(batch_inputs)

    def extract_feat(self, batch_inputs):
        return self.conv(batch_inputs)


def stub_detector_config(cihp_root: str) -> Config:
    """The stub with the toy RP R-CNN's data preprocessor, on toy CIHP."""
    preprocessor = Config.fromfile(TOY_DETECTOR).model.data_preprocessor
    pipeline = [
        dict(type='LoadImageFromFile'),
        dict(type='HumanDetResize', scale=(80, 80), keep_ratio=True),
        dict(type='LoadMultiPersonAnnotations', with_mask=False),
        dict(type='PackParsingDetInputs')
    ]
    return Config(
        dict(
            default_scope='mmhumanparse',
            model=dict(
                type='StubParsingDetector',
                backbone=dict(init_cfg=None),  # init_detector reads it
                data_preprocessor=preprocessor,
                init_cfg=None),
            test_dataloader=dict(
                dataset=dict(
                    type='CIHPInstanceDataset',
                    data_root=cihp_root,
                    ann_file='unused.json',
                    test_mode=True,
                    pipeline=pipeline))))


@pytest.fixture()
def stub_det(toy_roots):
    """(config of the stub detector, StubParsingDetector.persons)."""
    return stub_detector_config(toy_roots['CIHP']), \
        StubParsingDetector.persons
