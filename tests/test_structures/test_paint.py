"""The one painter of persons into a part map (structures/paint.py)."""
import numpy as np
import pytest
import torch

from mmhumanparse.structures.paint import global_part_map, paint_persons

# three persons on a 2 x 3 image
PARSINGS = np.array(
    [[[0, 0, 3], [3, 0, 255]],  # A, score 0.9
     [[4, 4, 4], [0, 0, 4]],  # B, score 0.5: A wins where both paint
     [[5, 5, 5], [5, 5, 5]]],  # C, score 0.1
    dtype=np.uint8)
SCORES = np.array([0.9, 0.5, 0.1])


def test_best_person_wins_threshold_and_255_rule():
    sem, person = paint_persons(PARSINGS, SCORES, score_thr=0.3)
    # C is below the threshold; A's 255 pixel is not painted (B shows)
    assert sem.tolist() == [[4, 4, 3], [3, 0, 4]]
    assert person.tolist() == [[2, 2, 1], [1, 0, 2]]  # 1 = best score
    assert sem.dtype == np.uint8 and person.dtype == np.int32
    sem, person = paint_persons(PARSINGS, SCORES)  # everyone
    assert sem.tolist() == [[4, 4, 3], [3, 5, 4]]
    assert person.tolist() == [[2, 2, 1], [1, 3, 2]]
    # listed order does not matter, only scores
    order = [2, 0, 1]
    sem2, person2 = paint_persons(PARSINGS[order], SCORES[order])
    np.testing.assert_array_equal(sem2, sem)
    np.testing.assert_array_equal(person2, person)


def test_equal_scores_first_listed_wins():
    a = np.zeros((1, 2, 2), np.uint8) + 1
    b = np.zeros((1, 2, 2), np.uint8) + 2
    sem, person = paint_persons(np.concatenate([a, b]), [0.5, 0.5])
    assert (sem == 1).all() and (person == 1).all()
    sem, _ = paint_persons(np.concatenate([b, a]), [0.5, 0.5])
    assert (sem == 2).all()


def test_base_map_is_painted_over_fig4():
    """Fig. 4 (c): the global map (a) under the persons (b), persons win
    where they have a part; a person's 255 keeps the global label."""
    base = np.array([[0, 1, 1], [2, 2, 7]], np.uint8)
    sem, _ = paint_persons(PARSINGS[:1], SCORES[:1], 0.3, base=base)
    assert sem.tolist() == [[0, 1, 3], [3, 2, 7]]
    assert base.tolist() == [[0, 1, 1], [2, 2, 7]]  # not modified


def test_torch_equals_numpy_and_keeps_type():
    base = np.array([[0, 1, 1], [2, 2, 7]], np.uint8)
    ref = paint_persons(PARSINGS, SCORES, 0.3, base)
    got = paint_persons(torch.from_numpy(PARSINGS),
                        torch.tensor(SCORES, dtype=torch.float32), 0.3,
                        torch.from_numpy(base))
    assert isinstance(got[0], torch.Tensor) and got[0].dtype == torch.uint8
    np.testing.assert_array_equal(got[0].numpy(), ref[0])
    np.testing.assert_array_equal(got[1].numpy(), ref[1])


def test_no_person_and_bad_input():
    sem, person = paint_persons(np.zeros((0, 2, 3), np.uint8), [])
    assert sem.shape == person.shape == (2, 3) and not sem.any()
    with pytest.raises(ValueError, match='same N persons'):
        paint_persons(PARSINGS, SCORES[:2])
    with pytest.raises(ValueError, match='differ in size'):
        paint_persons(PARSINGS, SCORES, base=np.zeros((3, 3), np.uint8))


def test_global_part_map_keeps_confident_labels():
    """Official parsing_eval.py: a label only where its probability is
    > 0.7; threshold 0 is the plain argmax."""
    probs = torch.tensor([[[0.1, 0.2, 0.25]], [[0.8, 0.7, 0.25]],
                          [[0.1, 0.1, 0.5]]])  # (3, 1, 3)
    assert global_part_map(probs, 0.7).tolist() == [[1, 0, 0]]
    assert global_part_map(probs, 0.).tolist() == [[1, 1, 2]]
    assert global_part_map(probs).dtype == torch.uint8
    with pytest.raises(ValueError, match='C, H, W'):
        global_part_map(probs[0])
