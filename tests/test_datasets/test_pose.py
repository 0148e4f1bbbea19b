"""load_lip_pose_csv (mmhumanparse/datasets/pose.py) on hand-written csvs."""
import numpy as np
import pytest

from mmhumanparse.datasets.pose import load_lip_pose_csv


def _row(name, triples):
    return ','.join([name] + [str(v) for t in triples for v in t])


def test_values_order_and_missing_joints(tmp_path):
    """Joint k is the k-th (x, y, v) triple; a nan joint is 0 and invisible;
    blank lines are skipped; the key drops the extension."""
    triples = [(10 + k, 20 + k, 1) for k in range(3)]
    triples[1] = ('nan', 'nan', 'nan')
    path = tmp_path / 'pose.csv'
    path.write_text(_row('a.jpg', triples) + '\n\n' +
                    _row('b.jpg', [(1, 2, 0)] * 3) + '\n')
    out = load_lip_pose_csv(str(path), num_keypoints=3)
    assert sorted(out) == ['a', 'b']
    kpts, vis = out['a']
    assert kpts.dtype == np.float32 and kpts.shape == (3, 2)
    np.testing.assert_array_equal(kpts, [[10, 20], [0, 0], [12, 22]])
    np.testing.assert_array_equal(vis, [1, 0, 1])
    # v = 0 (annotated but occluded) still counts as annotated
    np.testing.assert_array_equal(out['b'][1], [1, 1, 1])


def test_missing_file_named(tmp_path):
    path = tmp_path / 'nope.csv'
    with pytest.raises(FileNotFoundError, match='nope.csv'):
        load_lip_pose_csv(str(path))


@pytest.mark.parametrize('row,match', [
    (_row('a.jpg', [(1, 2, 1)] * 2), r'pose.csv:2: expected 10 fields'),
    (_row('a.jpg', [(1, 'x', 1)] * 3), r'pose.csv:2: .*x'),
])
def test_bad_row_names_file_and_line(tmp_path, row, match):
    path = tmp_path / 'pose.csv'
    path.write_text(_row('ok.jpg', [(1, 2, 1)] * 3) + '\n' + row + '\n')
    with pytest.raises(ValueError, match=match):
        load_lip_pose_csv(str(path), num_keypoints=3)
