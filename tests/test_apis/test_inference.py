"""init_parser / inference_parser: segmentors (tiny toy-LIP FCN) and a stub
multi-person detector (tests/test_apis/conftest.py); every input kind, strict
inputs (dtype, grayscale, empty or unreadable files), errors, dataset meta."""
import os.path as osp
import shutil

import cv2
import numpy as np
import pytest
import torch
from mmdet.structures import DetDataSample
from mmengine.config import Config

from mmhumanparse.apis import (inference_parser, init_parser, is_detector,
                               label_map, list_images)
from mmhumanparse.datasets.metainfo import CIHP_METAINFO, LIP_METAINFO
from mmhumanparse.structures.paint import paint_persons


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


def test_detector_path(stub_det, tmp_path):
    cfg, persons = stub_det
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
        parsings, _, scores = persons(90, 70)
        np.testing.assert_array_equal(inst.parsings.numpy(), parsings)
        expected, _ = paint_persons(parsings, scores, 0.001)
        np.testing.assert_array_equal(label_map(sample), expected)
        # the better person wins where the two overlap
        assert label_map(sample)[40, 30] == 2


# ------------------------------------------------------------ strict inputs
def test_only_uint8_arrays(seg, toy_roots):
    """uint16 and float 0..1 arrays gave wrong labels silently; now they
    are refused with the dtype named."""
    model = init_parser(seg[0], seg[1])
    img = cv2.imread(_val_images(toy_roots)[0])
    for bad in (img.astype(np.uint16) * 257, img / 255.0,
                (img / 255.0).astype(np.float32)):
        with pytest.raises(ValueError, match=str(bad.dtype)):
            inference_parser(model, bad)
        with pytest.raises(ValueError, match=str(bad.dtype)):
            inference_parser(model, [img, bad])


def test_grayscale_arrays_as_the_message_promises(seg, toy_roots):
    model = init_parser(seg[0], seg[1])
    gray = cv2.imread(_val_images(toy_roots)[0], cv2.IMREAD_GRAYSCALE)
    ref = label_map(inference_parser(model, np.dstack([gray] * 3)))
    for img in (gray, gray[..., None]):  # (H, W) and (H, W, 1)
        np.testing.assert_array_equal(label_map(inference_parser(
            model, img)), ref)
    with pytest.raises(ValueError, match=r'\(H, W, 3\) BGR or \(H, W\)'):
        inference_parser(model, np.zeros((4, 5, 2), np.uint8))


def test_empty_or_unreadable_files_are_named(seg, toy_roots, tmp_path):
    model = init_parser(seg[0], seg[1])
    empty = tmp_path / 'empty.jpg'
    empty.write_bytes(b'')
    broken = tmp_path / 'broken.png'
    broken.write_bytes(b'not a png at all')
    good = _val_images(toy_roots)[0]
    with pytest.raises(ValueError, match='empty.jpg: empty file'):
        inference_parser(model, str(empty))
    with pytest.raises(ValueError, match='broken.png: not a readable'):
        inference_parser(model, str(broken))
    # a list with one bad file names that file
    with pytest.raises(ValueError, match='broken.png'):
        inference_parser(model, [good, str(broken), good])
