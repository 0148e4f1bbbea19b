"""HumanParsingInferencer: outputs (indexed PNG, json with per-part COCO RLE
checked by pycocotools on overlapping persons, float16 logits at the image
or the network size, overlays), a video, the model-index name, and the
safety rules of outputs (unique names, no output inside a folder input)."""
import json
import os
import os.path as osp
import shutil

import cv2
import numpy as np
import pytest
import torch
from PIL import Image
from pycocotools import mask as mask_utils

from mmhumanparse.apis import (HumanParsingInferencer, inference_parser,
                               init_parser, label_map, list_images,
                               list_inputs, logits, output_stems)
from mmhumanparse.datasets.metainfo import CIHP_METAINFO, LIP_METAINFO


def _val_images(toy_roots):
    return list_images(osp.join(toy_roots['LIP'], 'val_images'))


@pytest.fixture(scope='module')
def inferencer(seg):
    return HumanParsingInferencer(seg[0], seg[1], device='cpu',
                                  show_progress=False)


def test_config_path_outputs(inferencer, seg, toy_roots, tmp_path):
    src = _val_images(toy_roots)[:2]
    res = inferencer(src, batch_size=2, pred_out_dir=str(tmp_path / 'p'),
                     vis_out_dir=str(tmp_path / 'v'), save_logits=True)
    model = init_parser(seg[0], seg[1])
    assert res['written'] == [
        str(tmp_path / 'p' / (osp.splitext(osp.basename(f))[0] + '.png'))
        for f in src
    ]
    for f, pred, png in zip(src, res['predictions'], res['written']):
        ref = inference_parser(model, f)
        np.testing.assert_array_equal(pred['sem_seg'], label_map(ref))
        img = Image.open(png)
        assert img.mode == 'P'
        np.testing.assert_array_equal(np.array(img), label_map(ref))
        pal = np.array(img.getpalette()[:60]).reshape(20, 3)
        np.testing.assert_array_equal(pal, LIP_METAINFO['palette'])
        saved = np.load(png[:-4] + '_logits.npy')
        assert saved.dtype == np.float16
        np.testing.assert_allclose(saved, logits(ref), atol=1e-2, rtol=1e-2)
        stem = osp.splitext(osp.basename(f))[0]
        overlay = cv2.imread(str(tmp_path / 'v' / f'{stem}_overlay.jpg'))
        assert overlay.shape == cv2.imread(f).shape


def test_logits_at_network_size(inferencer, toy_roots):
    """The tiny config resizes to 64 x 48 (keep_ratio False); labels stay
    at the image size and equal mmseg's resize-then-argmax."""
    path = _val_images(toy_roots)[0]
    h, w = cv2.imread(path).shape[:2]
    full = inferencer(path, return_datasamples=True)['predictions'][0]
    net = inferencer(path, return_datasamples=True,
                     logits_size='network')['predictions'][0]
    size = tuple(inferencer.model.cfg.test_dataloader.dataset.pipeline[1]
                 ['scale'])[::-1]
    assert tuple(net.seg_logits.data.shape) == (20, ) + size != (20, h, w)
    assert tuple(full.seg_logits.data.shape) == (20, h, w)
    np.testing.assert_array_equal(label_map(net), label_map(full))


def test_detector_folder_json_rle_by_pycocotools(stub_det, tmp_path):
    """Per person, per part: pycocotools' decoding of the json RLE equals
    ``parsings[k] == label``; the two persons overlap, so a json built from
    the combined map, or a part mask holding other labels, fails."""
    cfg, persons = stub_det
    src = tmp_path / 'imgs'
    (src / 'sub').mkdir(parents=True)
    cv2.imwrite(str(src / 'a.png'), np.full((90, 70, 3), 90, np.uint8))
    cv2.imwrite(str(src / 'sub' / 'b.jpg'), np.full((60, 80, 3), 9,
                                                    np.uint8))
    out = tmp_path / 'out'
    res = HumanParsingInferencer(cfg, show_progress=False)(
        str(src), pred_out_dir=str(out), vis_out_dir=str(out))
    assert sorted(res['written']) == [str(out / 'a.png'),
                                      str(out / 'sub' / 'b.png')]
    for stem, (h, w) in (('a', (90, 70)), ('sub/b', (60, 80))):
        parsings, boxes, scores = persons(h, w)
        assert (parsings[0] > 0).__and__(parsings[1] > 0).any()  # overlap
        rec = json.load(open(out / f'{stem}.json'))
        assert (rec['height'], rec['width']) == (h, w)
        assert rec['image'] == stem + ('.png' if stem == 'a' else '.jpg')
        assert [p['score'] for p in rec['persons']] == pytest.approx(scores)
        for k, person in enumerate(rec['persons']):  # best first
            np.testing.assert_allclose(person['bbox'], boxes[k])
            assert sorted(map(int, person['parts'])) == sorted(
                set(np.unique(parsings[k])) - {0})
            for label, rle in person['parts'].items():
                got = mask_utils.decode(
                    dict(size=rle['size'], counts=rle['counts'].encode()))
                np.testing.assert_array_equal(got,
                                              parsings[k] == int(label))
        png = np.array(Image.open(out / f'{stem}.png'))
        assert png[h // 3, int(0.45 * w)] == 2  # better person on top
        assert (out / f'{stem}_overlay.jpg').exists()
    pal = np.array(Image.open(out / 'a.png').getpalette()[:60]).reshape(20, 3)
    np.testing.assert_array_equal(pal, CIHP_METAINFO['palette'])


def test_video(inferencer, toy_roots, tmp_path):
    imgs = _val_images(toy_roots)
    h, w = cv2.imread(imgs[0]).shape[:2]
    src = str(tmp_path / 'clip.avi')
    writer = cv2.VideoWriter(src, cv2.VideoWriter_fourcc(*'MJPG'), 5, (w, h))
    for i in range(5):
        writer.write(cv2.resize(cv2.imread(imgs[i % len(imgs)]), (w, h)))
    writer.release()
    res = inferencer(src, batch_size=2, pred_out_dir=str(tmp_path / 'o'),
                     vis_out_dir=str(tmp_path / 'o'))
    assert res['frames'] == len(res['predictions']) == 5
    for name in ('clip.avi', 'clip_overlay.avi'):
        cap = cv2.VideoCapture(str(tmp_path / 'o' / name))
        assert int(cap.get(cv2.CAP_PROP_FRAME_COUNT)) == 5
        ok, frame = cap.read()
        assert ok and frame.shape == (h, w, 3)


def test_model_index_name(seg, tmp_path, monkeypatch):
    """A model-index.yml name (mmengine's metafile mechanism) gives the
    config; Weights is optional."""
    (tmp_path / 'configs' / 'tiny').mkdir(parents=True)
    shutil.copy(seg[0], tmp_path / 'configs' / 'tiny' / 'tiny.py')
    (tmp_path / 'model-index.yml').write_text(
        'Import:\n  - configs/tiny/metafile.yml\n')
    (tmp_path / 'configs' / 'tiny' / 'metafile.yml').write_text(
        'Models:\n  - Name: tiny-fcn_toy-lip\n    Alias: tiny\n'
        '    Config: configs/tiny/tiny.py\n')
    monkeypatch.setattr(HumanParsingInferencer, '_get_repo_or_mim_dir',
                        staticmethod(lambda scope: str(tmp_path)))
    inf = HumanParsingInferencer('TINY', seg[1], show_progress=False)
    assert inf.model.dataset_meta['classes'][3] == 'c3'
    with pytest.raises(ValueError, match='no model named'):
        HumanParsingInferencer('nothing-like-it')


# --------------------------------------------------------- output safety
def test_output_names_unique_per_input():
    assert output_stems(['a.jpg', 'sub/a.jpg', 'a.png', 'b.PNG', 'B.jpg',
                         'c.jpg']) == [
                             'a_jpg', 'sub/a', 'a_png', 'b_PNG', 'B_jpg', 'c'
                         ]
    assert output_stems(['x.jpg', 'x.jpg', 'x_jpg.png']) == [
        'x_jpg', 'x_jpg_2', 'x_jpg_3'
    ]


def test_same_stem_two_extensions(inferencer, toy_roots, tmp_path):
    """a.jpg and a.png both wrote a.png before (one result lost)."""
    src = tmp_path / 'src'
    src.mkdir()
    imgs = _val_images(toy_roots)
    shutil.copy(imgs[0], src / 'a.jpg')
    cv2.imwrite(str(src / 'a.png'), cv2.imread(imgs[1]))
    out = tmp_path / 'out'
    res = inferencer(str(src), pred_out_dir=str(out))
    assert sorted(os.listdir(out)) == ['a_jpg.png', 'a_png.png']
    for name in ('a.jpg', 'a.png'):
        ref = label_map(inference_parser(inferencer.model, str(src / name)))
        np.testing.assert_array_equal(
            np.array(Image.open(out / (name.replace('.', '_') + '.png'))), ref)
    assert len(set(res['written'])) == 2


def test_out_dir_inside_input_refused(inferencer, toy_roots, tmp_path):
    src = tmp_path / 'src'
    src.mkdir()
    shutil.copy(_val_images(toy_roots)[0], src / 'person.png')
    before = (src / 'person.png').read_bytes()
    for out in (src, src / 'out', src / '.' / 'x' / '..'):
        with pytest.raises(ValueError, match='inside'):
            inferencer(str(src), pred_out_dir=str(out))
        with pytest.raises(ValueError, match='inside'):
            inferencer(str(src), vis_out_dir=str(out))
    # a single file whose output would be the file itself
    with pytest.raises(ValueError, match='person.png is an input'):
        inferencer(str(src / 'person.png'), pred_out_dir=str(src))
    assert sorted(os.listdir(src)) == ['person.png']
    assert (src / 'person.png').read_bytes() == before


def test_folder_skips_are_listed(inferencer, toy_roots, tmp_path):
    src = tmp_path / 'src'
    src.mkdir()
    img = cv2.imread(_val_images(toy_roots)[0])
    cv2.imwrite(str(src / 'a.jpg'), img)
    shutil.copy(src / 'a.jpg', src / 'c.jfif')  # a JPEG: parsed
    for name in ('b.gif', 'clip.mp4', 'notes.txt'):
        (src / name).write_bytes(b'x')
    images, skipped = list_inputs(str(src))
    assert [osp.basename(p) for p in images] == ['a.jpg', 'c.jfif']
    why = {osp.basename(p): r for p, r in skipped}
    assert sorted(why) == ['b.gif', 'clip.mp4', 'notes.txt']
    assert 'GIF' in why['b.gif'] and 'video' in why['clip.mp4']
    res = inferencer(str(src), pred_out_dir=str(tmp_path / 'o'))
    assert [osp.basename(p) for p, _ in res['skipped']] == sorted(why)
    assert sorted(os.listdir(tmp_path / 'o')) == ['a.png', 'c.png']
    only_videos = tmp_path / 'videos'
    only_videos.mkdir()
    (only_videos / 'v.mp4').write_bytes(b'x')
    with pytest.raises(FileNotFoundError, match='v.mp4: a video'):
        inferencer(str(only_videos))


def test_unreadable_skipped_on_request(inferencer, toy_roots, tmp_path):
    bad = tmp_path / 'bad.jpg'
    bad.write_bytes(b'')
    good = _val_images(toy_roots)[0]
    res = inferencer([good, str(bad)], skip_unreadable=True,
                     pred_out_dir=str(tmp_path / 'o'))
    assert [f for f, _ in res['failed']] == [str(bad)]
    assert 'empty file' in res['failed'][0][1]
    assert len(res['predictions']) == 1
    with pytest.raises(ValueError, match='bad.jpg'):
        inferencer([good, str(bad)])
    with pytest.raises(ValueError, match='float64'):
        inferencer(np.zeros((8, 8, 3)))
    assert torch.is_tensor(inferencer([good], return_datasamples=True)[
        'predictions'][0].seg_logits.data)
