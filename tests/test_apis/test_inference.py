"""init_parser / inference_parser: segmentors (tiny toy-LIP FCN) and a stub
multi-person detector; every input kind, errors and the dataset meta."""
import os.path as osp
import shutil

import cv2
import numpy as np
import pytest
import torch
from mmdet.models.detectors import BaseDetector
from mmdet.structures import DetDataSample
from mmengine.config import Config
from mmengine.structures import InstanceData

from mmhumanparse.apis import (inference_parser, init_parser, is_detector,
                               label_map, list_images)
from mmhumanparse.datasets.metainfo import CIHP_METAINFO, LIP_METAINFO
from mmhumanparse.evaluation.functional.combine import paint_instances
from mmhumanparse.registry import MODELS
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


def _val_images(toy_roots):
    return list_images(osp.join(toy_roots['LIP'], 'val_images'))


def test_numpy_image_equals_path(seg, toy_roots):
    # regression: LoadImageFromNDArray used to be looked up in our scope
    model = init_parser(seg[0], seg[1])
    path = _val_images(toy_roots)[0]
    img = cv2.imread(path)
    from_array = inference_parser(model, img)
    from_path = inference_parser(model, path)
    labels = label_map(from_array)
    assert labels.shape == img.shape[:2]
    assert len(np.unique(labels)) > 1  # a non-trivial map to compare
    np.testing.assert_array_equal(labels, label_map(from_path))
    logits = from_array.seg_logits.data
    assert logits.shape == (20, ) + img.shape[:2]
    np.testing.assert_array_equal(labels, logits.argmax(0).numpy())


def test_list_batch_and_mixed_sizes(seg, toy_roots):
    # keep_ratio resize: images of different sizes reach the network at
    # different sizes, so a batch is split by size and order is kept.
    model = init_parser(
        seg[0], seg[1],
        cfg_options={'test_dataloader.dataset.pipeline.1.keep_ratio': True})
    paths = _val_images(toy_roots)
    big = cv2.resize(cv2.imread(paths[1]), (150, 200))
    inputs = [paths[0], big, cv2.imread(paths[2]), paths[1]]
    one_by_one = [label_map(inference_parser(model, i)) for i in inputs]
    batched = inference_parser(model, inputs, batch_size=3)
    assert isinstance(batched, list) and len(batched) == 4
    for ref, got in zip(one_by_one, batched):
        np.testing.assert_array_equal(ref, label_map(got))
    assert label_map(batched[1]).shape == (200, 150)


def test_folder_is_recursive(seg, toy_roots, tmp_path):
    model = init_parser(seg[0], seg[1])
    src = _val_images(toy_roots)
    (tmp_path / 'sub' / 'deeper').mkdir(parents=True)
    shutil.copy(src[0], tmp_path / 'b.jpg')
    shutil.copy(src[1], tmp_path / 'sub' / 'a.jpg')
    shutil.copy(src[2], tmp_path / 'sub' / 'deeper' / 'c.jpg')
    (tmp_path / 'notes.txt').write_text('not an image')
    files = list_images(str(tmp_path))
    assert [osp.relpath(f, tmp_path) for f in files] == [
        'b.jpg', osp.join('sub', 'a.jpg'),
        osp.join('sub', 'deeper', 'c.jpg')
    ]
    results = inference_parser(model, str(tmp_path))
    assert len(results) == 3
    for f, res in zip(files, results):
        assert res.img_path == f
        np.testing.assert_array_equal(
            label_map(res), label_map(inference_parser(model, f)))


def test_init_errors(seg, tmp_path, toy_roots):
    with pytest.raises(FileNotFoundError, match='nope.py'):
        init_parser(str(tmp_path / 'nope.py'))
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        init_parser(seg[0], str(tmp_path / 'missing.pth'))
    with pytest.raises(TypeError, match='config must be'):
        init_parser(dict(model=None))
    wrong = tmp_path / 'wrong.pth'
    torch.save(dict(state_dict={'backbone.foo': torch.zeros(1)}), wrong)
    with pytest.raises(RuntimeError, match='does not fit'):
        init_parser(seg[0], str(wrong))
    model = init_parser(seg[0], seg[1])
    with pytest.raises(FileNotFoundError, match='nothere.jpg'):
        inference_parser(model, str(tmp_path / 'nothere.jpg'))
    with pytest.raises(ValueError, match=r'\(H, W, 3\)'):
        inference_parser(model, np.zeros((4, 5, 2), np.uint8))
    with pytest.raises(ValueError, match='batch_size'):
        inference_parser(model, [], batch_size=0)


def test_dataset_meta_checkpoint_then_config(seg):
    cfg, with_meta, bare = seg
    assert init_parser(cfg, with_meta).dataset_meta['classes'][3] == 'c3'
    for ckpt in (bare, None):  # fallback: the config's dataset class
        meta = init_parser(cfg, ckpt).dataset_meta
        assert tuple(meta['classes']) == LIP_METAINFO['classes']
        assert list(map(list, meta['palette'])) == LIP_METAINFO['palette']
        assert tuple(meta['flip_pairs']) == LIP_METAINFO['flip_pairs']


def test_config_object_not_modified(seg):
    cfg = Config.fromfile(seg[0])
    before = cfg.pretty_text
    model = init_parser(cfg, seg[1], cfg_options={'model.test_cfg.mode':
                                                  'whole'})
    assert cfg.pretty_text == before
    assert not model.training and not is_detector(model)


# ---------------------------------------------------------------- detector
@MODELS.register_module(force=True)
class StubParsingDetector(BaseDetector):
    """Two fixed persons per image, at the original image size; no
    pred_sem_seg (inference_parser paints it)."""

    def __init__(self, backbone=None, data_preprocessor=None, init_cfg=None):
        super().__init__(data_preprocessor=data_preprocessor)
        self.conv = torch.nn.Conv2d(3, 1, 1)

    @staticmethod
    def persons(h, w):
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


def test_detector_path(toy_roots, tmp_path):
    cfg = stub_detector_config(toy_roots['CIHP'])
    model = init_parser(cfg)
    assert is_detector(model)
    assert tuple(model.dataset_meta['part_classes']) == CIHP_METAINFO[
        'classes']
    ckpt = tmp_path / 'det.pth'
    torch.save(dict(state_dict=model.state_dict()), ckpt)
    model = init_parser(cfg, str(ckpt))
    img = np.full((90, 70, 3), 100, np.uint8)
    path = str(tmp_path / 'x.png')
    cv2.imwrite(path, img)
    for sample in (inference_parser(model, img),
                   inference_parser(model, [path])[0]):
        assert isinstance(sample, DetDataSample)
        inst = sample.pred_instances
        parsings, _, scores = StubParsingDetector.persons(90, 70)
        np.testing.assert_array_equal(inst.parsings.numpy(), parsings)
        expected, _ = paint_instances(parsings, scores, (90, 70))
        np.testing.assert_array_equal(label_map(sample), expected)
        # the better person wins where the two overlap
        assert label_map(sample)[40, 30] == 2
