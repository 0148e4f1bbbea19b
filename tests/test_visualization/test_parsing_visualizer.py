"""ParsingLocalVisualizer: pixel colours on hand-made samples, both sample
types, both OpenMMLab visualization hooks, and the palette legend tool."""
import os
import os.path as osp
from types import SimpleNamespace

import cv2
import numpy as np
import pytest
import torch
from mmdet.engine.hooks import DetVisualizationHook
from mmdet.structures import DetDataSample
from mmengine.structures import InstanceData, PixelData
from mmseg.engine.hooks import SegVisualizationHook
from mmseg.structures import SegDataSample

from mmhumanparse.datasets.metainfo import CIHP_METAINFO, LIP_METAINFO
from mmhumanparse.registry import VISUALIZERS
from mmhumanparse.testing.tool_scripts import load_tool
from mmhumanparse.visualization import (ParsingLocalVisualizer, person_colors,
                                        save_indexed_png)

PAL = np.array(LIP_METAINFO['palette'], np.uint8)
GRAY = (40, 80, 120)
_count = [0]


def _vis(**kwargs):
    """A new instance, registered as the current one (as the Runner
    builds it), so hooks built afterwards pick it up."""
    _count[0] += 1
    return ParsingLocalVisualizer.get_instance(f'vis{_count[0]}', **kwargs)


def _labels():
    labels = np.zeros((8, 6), np.int64)
    labels[1:4, 1:3] = 2  # hair
    labels[5:7, 2:5] = 14  # left arm
    labels[7, 5] = 255  # ignore
    return labels


def test_semantic_colours_alpha_one_and_half():
    img = np.empty((8, 6, 3), np.uint8)
    img[:] = GRAY
    labels = _labels()
    sample = SegDataSample(pred_sem_seg=PixelData(data=torch.from_numpy(
        labels)[None]))
    vis = _vis(alpha=1.0)
    vis.add_datasample('x', img, sample, draw_gt=False)
    out = vis.get_image()
    assert out.shape == img.shape
    np.testing.assert_array_equal(out[2, 1], PAL[2])
    np.testing.assert_array_equal(out[6, 4], PAL[14])
    np.testing.assert_array_equal(out[0, 0], GRAY)  # background kept
    np.testing.assert_array_equal(out[7, 5], GRAY)  # ignore label kept
    vis = _vis(alpha=0.5)
    vis.add_datasample('x', img, sample, draw_gt=False)
    expected = np.floor(np.array(GRAY) * 0.5 + PAL[14] * 0.5 + 0.5)
    np.testing.assert_array_equal(vis.get_image()[5, 2], expected)
    np.testing.assert_array_equal(vis.get_image()[0, 0], GRAY)


def test_gt_left_pred_right_and_mmdet_key(tmp_path):
    img = np.zeros((8, 6, 3), np.uint8)
    gt = _labels()
    pred = np.zeros_like(gt)
    pred[0, 0] = 5
    sample = DetDataSample()  # mmdet's PixelData key is `sem_seg`
    sample.gt_sem_seg = PixelData(sem_seg=torch.from_numpy(gt)[None])
    sample.pred_sem_seg = PixelData(sem_seg=torch.from_numpy(pred)[None])
    vis = _vis(alpha=1.0)
    out_file = str(tmp_path / 'o.png')
    vis.add_datasample('x', img, sample, out_file=out_file)
    out = vis.get_image()
    assert out.shape == (8, 12, 3)
    np.testing.assert_array_equal(out[2, 1], PAL[2])  # gt panel
    np.testing.assert_array_equal(out[2, 7], 0)  # pred panel: background
    np.testing.assert_array_equal(out[0, 6], PAL[5])
    np.testing.assert_array_equal(cv2.imread(out_file)[..., ::-1], out)


def _persons():
    parsings = np.zeros((2, 40, 40), np.uint8)
    parsings[0, 10:30, 5:20] = 2
    parsings[0, 20:30, 5:20] = 5
    parsings[1, 12:32, 22:36] = 14
    return InstanceData(
        bboxes=torch.tensor([[5., 10., 20., 30.], [22., 12., 36., 32.]]),
        scores=torch.tensor([0.9, 0.2]),
        labels=torch.zeros(2, dtype=torch.long),
        parsings=torch.from_numpy(parsings))


def test_persons_parts_outline_and_threshold():
    img = np.empty((40, 40, 3), np.uint8)
    img[:] = GRAY
    sample = DetDataSample(pred_instances=_persons())
    vis = _vis(alpha=1.0, line_width=1)
    vis.dataset_meta = dict(
        classes=('person', ),
        palette=[(220, 20, 60)],
        part_classes=CIHP_METAINFO['classes'],
        part_palette=CIHP_METAINFO['palette'])
    vis.add_datasample('x', img, sample, draw_gt=False, pred_score_thr=0.3)
    out = vis.get_image()
    pal = np.array(CIHP_METAINFO['palette'], np.uint8)
    first = person_colors(1)[0]
    np.testing.assert_array_equal(out[15, 10], pal[2])  # inside, part 2
    np.testing.assert_array_equal(out[25, 10], pal[5])  # inside, part 5
    np.testing.assert_array_equal(out[29, 10], first)  # outline, bottom
    np.testing.assert_array_equal(out[20, 19], first)  # outline, right
    np.testing.assert_array_equal(out[20, 30], GRAY)  # score 0.2 < 0.3
    np.testing.assert_array_equal(out[35, 2], GRAY)  # nobody
    # lower threshold: the second person appears in the second colour
    vis.add_datasample('x', img, sample, draw_gt=False, pred_score_thr=0.1)
    out = vis.get_image()
    np.testing.assert_array_equal(out[20, 30], pal[14])
    np.testing.assert_array_equal(out[31, 30], person_colors(2)[1])
    # the score is written above the box, in the person's colour
    strip = out[:10, 5:20].reshape(-1, 3)
    assert (strip == first).all(axis=1).any()


def test_registered_and_defaults():
    _count[0] += 1
    vis = VISUALIZERS.build(
        dict(type='ParsingLocalVisualizer', name=f'reg{_count[0]}',
             dataset_name='atr'))
    assert isinstance(vis, ParsingLocalVisualizer)
    assert len(vis.dataset_meta['classes']) == 18
    with pytest.raises(KeyError, match='dataset_name'):
        _vis(dataset_name='coco')
    with pytest.raises(ValueError, match='alpha'):
        _vis(alpha=2)


def test_works_with_mmseg_and_mmdet_hooks(tmp_path):
    img_path = str(tmp_path / 'img.png')
    cv2.imwrite(img_path, np.full((8, 6, 3), 30, np.uint8))
    labels = torch.from_numpy(_labels())[None]
    vis = _vis(alpha=1.0, vis_backends=[dict(type='LocalVisBackend')],
               save_dir=str(tmp_path / 'seg'))
    hook = SegVisualizationHook(draw=True, interval=1)
    assert hook._visualizer is vis
    out = SegDataSample(pred_sem_seg=PixelData(data=labels))
    out.set_metainfo(dict(img_path=img_path))
    hook.after_test_iter(SimpleNamespace(iter=0), 0, {}, [out])
    saved = [f for _, _, fs in os.walk(tmp_path / 'seg') for f in fs
             if f.endswith('.png')]
    assert saved == ['test_img.png_0.png']

    vis = _vis(alpha=1.0)
    hook = DetVisualizationHook(draw=True, test_out_dir='vis')
    det = DetDataSample(pred_instances=_persons())
    det.set_metainfo(dict(img_path=img_path))
    runner = SimpleNamespace(work_dir=str(tmp_path), timestamp='t', iter=0)
    hook.after_test_iter(runner, 0, {}, [det])
    drawn = cv2.imread(str(tmp_path / 't' / 'vis' / 'img.png'))
    assert drawn.shape == (8, 6, 3)


def test_indexed_png_values_and_palette(tmp_path):
    from PIL import Image
    labels = _labels().copy()
    labels[labels == 255] = 19
    path = str(tmp_path / 'l.png')
    save_indexed_png(path, labels, LIP_METAINFO['palette'])
    img = Image.open(path)
    assert img.mode == 'P'
    np.testing.assert_array_equal(np.array(img), labels)
    pal = np.array(img.getpalette()[:60]).reshape(20, 3)
    np.testing.assert_array_equal(pal, PAL)
    with pytest.raises(ValueError, match='0..255'):
        save_indexed_png(path, labels + 300, LIP_METAINFO['palette'])


def test_palette_legend_tool(tmp_path):
    tool = load_tool('analysis_tools/palette_legend.py')
    ROW, SWATCH, legend_image, main = (tool.ROW, tool.SWATCH,
                                       tool.legend_image, tool.main)
    img = legend_image(LIP_METAINFO['classes'], LIP_METAINFO['palette'])
    for i in (0, 5, 19):
        y, x = i * ROW + 3 + SWATCH // 2, 6 + SWATCH // 2
        np.testing.assert_array_equal(img[y, x, ::-1], PAL[i])
    main(['--out-dir', str(tmp_path), '--datasets', 'lip', 'mhp'])
    assert sorted(os.listdir(tmp_path)) == ['lip_legend.png',
                                            'mhp_legend.png']
    mhp = cv2.imread(osp.join(tmp_path, 'mhp_legend.png'))
    assert mhp.shape[1] == 3 * 260  # 59 classes, 20 per column


def test_colorize_is_bgr_on_a_known_colour():
    """LIP label 1 (hat) is RGB (128, 0, 0): colorize gives BGR, so blue
    is 0 and red 128 in cv2's channel order."""
    from mmhumanparse.visualization import colorize
    assert tuple(LIP_METAINFO['palette'][1]) == (128, 0, 0)
    out = colorize(np.array([[0, 1], [13, 255]]), LIP_METAINFO['palette'])
    assert out.dtype == np.uint8 and out.shape == (2, 2, 3)
    np.testing.assert_array_equal(out[0, 1], (0, 0, 128))
    np.testing.assert_array_equal(out[1, 0], PAL[13][::-1])
    np.testing.assert_array_equal(out[1, 1], (0, 0, 0))  # past the palette


def _overlapping(best_first: bool):
    """Two persons whose part maps overlap on rows 35..49, cols 12..19:
    person 0 part 2, person 1 part 14; the best-scoring one is listed
    first or second. Their score labels lie above row 35."""
    parsings = np.zeros((2, 80, 80), np.uint8)
    parsings[0, 30:50, 2:20] = 2
    parsings[1, 35:60, 12:32] = 14
    scores = [0.9, 0.5] if best_first else [0.5, 0.9]
    return InstanceData(
        bboxes=torch.tensor([[2., 30., 20., 50.], [12., 35., 32., 60.]]),
        scores=torch.tensor(scores),
        labels=torch.zeros(2, dtype=torch.long),
        parsings=torch.from_numpy(parsings))


def test_overlay_best_person_on_top_where_persons_overlap():
    img = np.full((80, 80, 3), GRAY, np.uint8)
    pal = np.array(CIHP_METAINFO['palette'], np.uint8)
    vis = _vis(alpha=1.0, line_width=1)
    vis.dataset_meta = dict(part_classes=CIHP_METAINFO['classes'],
                            part_palette=CIHP_METAINFO['palette'],
                            classes=('person', ), palette=[(0, 0, 0)])
    for best_first, top in ((True, 2), (False, 14)):
        vis.add_datasample('x', img,
                           DetDataSample(pred_instances=_overlapping(
                               best_first)), draw_gt=False,
                           pred_score_thr=0.0)
        out = vis.get_image()
        np.testing.assert_array_equal(out[45, 16], pal[top])  # overlap
        np.testing.assert_array_equal(out[40, 5], pal[2])
        np.testing.assert_array_equal(out[55, 25], pal[14])


def test_score_labels_of_nearby_persons_do_not_overlap():
    from mmhumanparse.visualization import place_labels
    sizes = [(30, 12), (30, 12), (30, 12), (20, 10)]
    wished = [(10, 5), (12, 7), (10, 5), (200, 5)]
    got = place_labels(wished, sizes, (100, 100))
    boxes = [(x, y, x + w, y + h) for (x, y), (w, h) in zip(got, sizes)]
    for i in range(len(boxes)):
        for j in range(i):
            a, b = boxes[i], boxes[j]
            assert not (a[0] < b[2] and b[0] < a[2] and a[1] < b[3]
                        and b[1] < a[3]), (i, j, boxes)
    assert got[0] == (10, 5)  # the best keeps its place
    assert got[3] == (80, 5)  # clamped into the image, no neighbour
    # drawn: two persons with the same corner get two separate labels
    img = np.full((300, 300, 3), GRAY, np.uint8)
    inst = InstanceData(
        bboxes=torch.tensor([[5., 150., 95., 250.], [8., 152., 98., 252.]]),
        scores=torch.tensor([0.9, 0.8]),
        labels=torch.zeros(2, dtype=torch.long))
    vis = _vis(alpha=1.0, line_width=1)
    vis.add_datasample('x', img, DetDataSample(pred_instances=inst),
                       draw_gt=False, pred_score_thr=0.0)
    out = vis.get_image()[:150].astype(int)  # above the boxes: labels only
    rows = [np.flatnonzero((abs(out - c).sum(-1) < 60).any(1))
            for c in person_colors(2)]
    assert len(rows[0]) and len(rows[1])
    assert rows[0].max() < rows[1].min() or rows[1].max() < rows[0].min()


def test_panel_titles_and_legend_of_parts_present(tmp_path):
    from mmhumanparse.visualization import labelled_panel
    img = np.full((40, 30, 3), 128, np.uint8)
    pred = np.zeros((40, 30), np.uint8)
    pred[5:20, 5:25] = 2
    gt = pred.copy()
    gt[25:35, 5:25] = 13
    gt[0, 0] = 255  # ignore: not in the legend
    panel, present = labelled_panel(img, [pred, gt],
                                    ('image', 'prediction', 'ground truth'),
                                    LIP_METAINFO['classes'],
                                    LIP_METAINFO['palette'])
    assert present == [0, 2, 13]
    k = 192 // 40 + 1  # enlarged to >= 192 rows
    assert panel.shape[1] == 3 * 30 * k
    title = panel[:22]
    assert (title == 0).all(-1).any()  # black title text on white
    for col in range(3):  # every column has a title
        assert (title[:, col * 30 * k:(col + 1) * 30 * k] < 128).any()
    body = panel[22:22 + 40 * k]
    np.testing.assert_array_equal(body[10 * k, 30 * k + 10 * k],
                                  PAL[2][::-1])
    legend = panel[22 + 40 * k:]
    for label in present:  # one swatch per part present, in its colour
        assert (legend == PAL[label][::-1]).all(-1).sum() >= 20
    assert not (legend == PAL[14][::-1]).all(-1).any()  # absent part
    cv2.imwrite(str(tmp_path / 'panel.png'), panel)
