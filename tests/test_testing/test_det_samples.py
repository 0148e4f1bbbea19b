"""persons_det_sample: boxes, labels, global map and metainfo of
hand-drawn persons."""
import pytest
import torch

from mmhumanparse.testing.det_samples import persons_det_sample


def test_tight_boxes_global_map_and_metainfo():
    parsings = torch.zeros((3, 40, 30), dtype=torch.uint8)
    parsings[0, 8:40, 6:24] = 1
    parsings[0, 20:40, 6:24] = 2
    parsings[1, 0:5, 29] = 3  # one column at the right border
    parsings[2, 10, 0] = 4  # one pixel
    sample = persons_det_sample(parsings)
    gt = sample.gt_instances
    torch.testing.assert_close(
        gt.bboxes,
        torch.tensor([[6., 8., 24., 40.], [29., 0., 30., 5.],
                      [0., 10., 1., 11.]]))
    assert gt.labels.tolist() == [0, 0, 0]
    assert gt.parsings is parsings
    global_map = sample.gt_sem_seg.sem_seg
    assert global_map.shape == (1, 40, 30)
    assert global_map[0, 30, 10] == 2 and global_map[0, 2, 29] == 3
    assert global_map[0, 0, 0] == 0
    for key in ('img_shape', 'ori_shape', 'batch_input_shape'):
        assert sample.metainfo[key] == (40, 30)
    assert sample.scale_factor == (1., 1.) and sample.flip is False


def test_bad_input_named():
    with pytest.raises(ValueError, match=r'\(n, H, W\)'):
        persons_det_sample(torch.zeros((40, 30), dtype=torch.uint8))
    parsings = torch.zeros((2, 8, 8), dtype=torch.uint8)
    parsings[0, 2, 2] = 1
    with pytest.raises(ValueError, match=r'persons \[1\] have no part'):
        persons_det_sample(parsings)
