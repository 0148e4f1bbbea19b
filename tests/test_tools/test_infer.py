"""tools/infer.py on toy LIP with a tiny segmentor checkpoint: label PNGs
equal inference_parser's labels, palette, overlays, logits, video frames,
unreadable files; a multi-person detector's json and RLE."""
import glob
import json
import os
import os.path as osp
import shutil

import cv2
import numpy as np
import pytest
import torch
from PIL import Image

from mmhumanparse.apis import (inference_parser, init_parser, label_map,
                               list_images, logits, parts_from_json)
from mmhumanparse.datasets.metainfo import LIP_METAINFO
from mmhumanparse.testing.random_checkpoint import random_segmentor_checkpoint
from mmhumanparse.testing.tiny_configs import tiny_lip_config
from mmhumanparse.testing.tool_scripts import load_tool

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


@pytest.fixture(scope='module')
def seg(toy_roots, tmp_path_factory):
    """(config, checkpoint, model) of a tiny FCN with random weights."""
    tmp = tmp_path_factory.mktemp('infer')
    cfg = tmp / 'tiny.py'
    cfg.write_text(tiny_lip_config(toy_roots['LIP']))
    ckpt = random_segmentor_checkpoint(
        str(cfg), str(tmp / 'tiny.pth'), dataset_meta=dict(LIP_METAINFO))
    return str(cfg), ckpt, init_parser(str(cfg), ckpt)


@pytest.fixture()
def folder(toy_roots, tmp_path):
    """src/{a.jpg, sub/b.jpg, sub/broken.jpg (not an image)}."""
    src = tmp_path / 'src'
    (src / 'sub').mkdir(parents=True)
    imgs = list_images(osp.join(toy_roots['LIP'], 'val_images'))
    shutil.copy(imgs[0], src / 'a.jpg')
    shutil.copy(imgs[1], src / 'sub' / 'b.jpg')
    (src / 'sub' / 'broken.jpg').write_bytes(b'not a jpeg')
    return src


def test_folder_outputs(seg, folder, tmp_path, capfd):
    main = load_tool('infer.py').main
    out = tmp_path / 'out'
    code = main([
        seg[0], seg[1],
        str(folder), '--out-dir',
        str(out), '--overlay', '--save-logits', '--batch-size', '2'
    ])
    printed = capfd.readouterr()  # fd level: the progress bar too
    assert code == 1  # one unreadable file
    assert 'could not be read' in printed.out and 'broken.jpg' in printed.out
    assert 'ETA' in printed.out  # the progress bar
    last = printed.out.strip().splitlines()[-1]
    assert last.startswith('wrote 2 results') and '1 failed' in last
    assert not (out / 'sub' / 'broken.png').exists()
    for rel in ('a', osp.join('sub', 'b')):
        sample = inference_parser(seg[2], str(folder / f'{rel}.jpg'))
        png = Image.open(out / f'{rel}.png')
        assert png.mode == 'P'
        labels = np.array(png)
        np.testing.assert_array_equal(labels, label_map(sample))
        assert len(np.unique(labels)) > 1  # a non-trivial map
        palette = np.array(png.getpalette()[:60]).reshape(20, 3)
        np.testing.assert_array_equal(palette, LIP_METAINFO['palette'])
        saved = np.load(out / f'{rel}_logits.npy')
        assert saved.dtype == np.float16
        ref = logits(sample)
        assert saved.shape == ref.shape == (20, ) + labels.shape
        np.testing.assert_allclose(saved, ref, rtol=1e-2, atol=1e-2)
        overlay = cv2.imread(str(out / f'{rel}_overlay.jpg'))
        assert overlay.shape[:2] == labels.shape


def test_single_image(seg, folder, tmp_path, capsys):
    out = tmp_path / 'one'
    assert load_tool('infer.py').main(
        [seg[0], seg[1], str(folder / 'a.jpg'), '--out-dir', str(out)]) == 0
    assert 'wrote 1 results' in capsys.readouterr().out
    assert sorted(os.listdir(out)) == ['a.png']


def test_video_in_video_out(seg, toy_roots, tmp_path, capsys):
    main = load_tool('infer.py').main
    imgs = list_images(osp.join(toy_roots['LIP'], 'val_images'))
    frame0 = cv2.imread(imgs[0])
    h, w = frame0.shape[:2]
    src = str(tmp_path / 'clip.avi')
    writer = cv2.VideoWriter(src, cv2.VideoWriter_fourcc(*'MJPG'), 5,
                             (w, h))
    for i in range(7):
        writer.write(cv2.imread(imgs[i % len(imgs)]))
    writer.release()
    out = tmp_path / 'vid'
    assert main([seg[0], seg[1], src, '--out-dir', str(out),
                 '--batch-size', '3']) == 0
    assert 'wrote 7 frames' in capsys.readouterr().out
    cap = cv2.VideoCapture(str(out / 'clip.avi'))
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(frame)
    assert len(frames) == 7
    assert frames[0].shape == (h, w, 3)


def test_bad_arguments(seg, tmp_path):
    main = load_tool('infer.py').main
    with pytest.raises(FileNotFoundError, match='nowhere'):
        main([seg[0], seg[1], str(tmp_path / 'nowhere'), '--out-dir', 'x'])
    txt = tmp_path / 'a.txt'
    txt.write_text('x')
    with pytest.raises(ValueError, match='neither an image nor a video'):
        main([seg[0], seg[1], str(txt), '--out-dir', 'x'])
    with pytest.raises(SystemExit):
        main([seg[0], seg[1], str(txt), '--out-dir', 'x', '--opacity', '2'])


def test_detector_json_rle_and_png(toy_roots, tmp_path, capsys):
    """RP R-CNN toy config (random weights): one json per image whose RLE
    decodes to the model's part maps, and the combined map as the PNG."""
    cfg = glob.glob(osp.join(REPO, 'configs/rp_rcnn/*toy*.py'))[0]
    opts = {'test_dataloader.dataset.data_root': toy_roots['CIHP']}
    torch.manual_seed(0)
    ckpt = str(tmp_path / 'det.pth')
    torch.save(dict(state_dict=init_parser(cfg, cfg_options=opts)
                    .state_dict()), ckpt)
    model = init_parser(cfg, ckpt, cfg_options=opts)
    src = osp.join(toy_roots['CIHP'],
                   'instance-level_human_parsing/Validation/Images')
    out = tmp_path / 'det'
    main = load_tool('infer.py').main
    assert main([
        cfg, ckpt, src, '--out-dir',
        str(out), '--overlay', '--cfg-options',
        f'test_dataloader.dataset.data_root={toy_roots["CIHP"]}'
    ]) == 0
    assert 'wrote 3 results' in capsys.readouterr().out
    checked = 0
    for path in list_images(src):
        stem = osp.splitext(osp.basename(path))[0]
        sample = inference_parser(model, path)
        inst = sample.pred_instances
        rec = json.load(open(out / f'{stem}.json'))
        h, w = rec['height'], rec['width']
        assert (h, w) == cv2.imread(path).shape[:2]
        order = np.argsort(-inst.scores.numpy(), kind='stable')
        assert len(rec['persons']) == len(order) > 0
        for person, k in zip(rec['persons'], order):
            np.testing.assert_allclose(person['bbox'],
                                       inst.bboxes[k].numpy(), atol=0.01)
            assert person['score'] == pytest.approx(float(inst.scores[k]),
                                                    abs=1e-5)
            np.testing.assert_array_equal(
                parts_from_json(person, (h, w)), inst.parsings[k].numpy())
            checked += int(bool(person['parts']))
        png = np.array(Image.open(out / f'{stem}.png'))
        np.testing.assert_array_equal(png, label_map(sample))
        assert (out / f'{stem}_overlay.jpg').exists()
    assert checked > 0  # some persons had parts to decode


# ------------------------------------- issue 20: nothing lost, all named
def test_out_dir_inside_input_refused(seg, folder, capsys):
    """--out-dir equal to (or inside) the input folder overwrote inputs
    and a rerun parsed the outputs as inputs."""
    main = load_tool('infer.py').main
    before = sorted(p.name for p in folder.rglob('*'))
    for out in (folder, folder / 'sub', folder / 'new'):
        with pytest.raises(ValueError, match='inside'):
            main([seg[0], seg[1], str(folder), '--out-dir', str(out)])
    assert sorted(p.name for p in folder.rglob('*')) == before


def test_same_stem_two_extensions_both_kept(seg, toy_roots, tmp_path,
                                            capsys):
    src = tmp_path / 'src'
    src.mkdir()
    imgs = list_images(osp.join(toy_roots['LIP'], 'val_images'))
    shutil.copy(imgs[0], src / 'a.jpg')
    cv2.imwrite(str(src / 'a.png'), cv2.imread(imgs[1]))
    out = tmp_path / 'out'
    assert load_tool('infer.py').main(
        [seg[0], seg[1], str(src), '--out-dir', str(out), '--overlay']) == 0
    assert sorted(os.listdir(out)) == [
        'a_jpg.png', 'a_jpg_overlay.jpg', 'a_png.png', 'a_png_overlay.jpg'
    ]
    for name in ('a.jpg', 'a.png'):
        np.testing.assert_array_equal(
            np.array(Image.open(out / (name.replace('.', '_') + '.png'))),
            label_map(inference_parser(seg[2], str(src / name))))
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith(
        'wrote 2 results')


def test_skipped_files_listed_with_reason(seg, folder, tmp_path, capsys):
    for name in ('anim.gif', 'clip.mp4', 'notes.txt'):
        (folder / name).write_bytes(b'x')
    shutil.copy(folder / 'a.jpg', folder / 'c.jfif')
    out = tmp_path / 'out'
    assert load_tool('infer.py').main(
        [seg[0], seg[1], str(folder), '--out-dir', str(out)]) == 1
    printed = capsys.readouterr().out
    assert '3 file(s) skipped' in printed
    assert 'anim.gif: GIF' in printed and 'clip.mp4: a video' in printed
    assert 'notes.txt: not an image' in printed
    assert 'broken.jpg' in printed  # unreadable: listed as failed
    last = printed.strip().splitlines()[-1]
    assert last.startswith('wrote 3 results') and '3 skipped' in last
    assert (out / 'c.png').exists()


def test_logits_size_said_and_network_size_offered(seg, folder, tmp_path,
                                                   capsys):
    main = load_tool('infer.py').main
    with pytest.raises(SystemExit):
        main(['--help'])
    help_text = ' '.join(capsys.readouterr().out.split())
    assert '480 MB' in help_text and '--logits-size' in help_text
    out = tmp_path / 'out'
    main([seg[0], seg[1], str(folder / 'a.jpg'), '--out-dir', str(out),
          '--save-logits', '--logits-size', 'network'])
    saved = np.load(out / 'a_logits.npy')
    assert saved.shape == (20, 64, 48)  # the tiny config's test resize
    labels = np.array(Image.open(out / 'a.png'))
    assert labels.shape == cv2.imread(str(folder / 'a.jpg')).shape[:2]
    np.testing.assert_array_equal(
        labels, label_map(inference_parser(seg[2], str(folder / 'a.jpg'))))
