"""paint_instances: flatten person part maps into one semantic map."""
import numpy as np

from mmhumanparse.evaluation.functional import paint_instances


def test_paint_instances_highest_score_wins():
    a = np.zeros((4, 4), np.uint8)
    a[:, :3] = 1
    b = np.zeros((4, 4), np.uint8)
    b[:, 2:] = 2
    sem, person = paint_instances(np.stack([a, b]), [0.9, 0.5], (4, 4))
    assert (sem[:, :3] == 1).all() and (sem[:, 3] == 2).all()
    assert (person[:, :3] == 1).all() and (person[:, 3] == 2).all()
    sem, person = paint_instances(np.stack([a, b]), [0.5, 0.9], (4, 4))
    assert (sem[:, :2] == 1).all() and (sem[:, 2:] == 2).all()
    assert (person[:, 2:] == 1).all()
    # below the threshold nothing is painted
    sem, person = paint_instances(np.stack([a, b]), [0.5, 0.9], (4, 4),
                                  score_thr=0.95)
    assert not sem.any() and not person.any()
    sem, person = paint_instances(np.zeros((0, 4, 4)), [], (4, 4))
    assert sem.shape == (4, 4) and not sem.any()
