"""mmhumanparse.converters.coco: shared pieces of the converters."""
import json

import numpy as np
import pytest

from mmhumanparse.converters.coco import (converter_cli, dump_coco,
                                          mask_to_box, read_ids)


def test_mask_to_box():
    mask = np.zeros((6, 8), bool)
    mask[2, 3] = True
    assert mask_to_box(mask) == ([3, 2, 1, 1], 1)
    mask[4, 6] = True
    assert mask_to_box(mask) == ([3, 2, 4, 3], 2)


def test_dump_coco(tmp_path):
    out = tmp_path / 'a' / 'b.json'
    coco = dict(images=[dict(id=1)], annotations=[], categories=[])
    dump_coco(coco, str(out))
    assert json.loads(out.read_text()) == coco


def test_read_ids(tmp_path):
    f = tmp_path / 'ids.txt'
    f.write_text('1\n\n 2 \n3\n')
    assert read_ids(str(f)) == ['1', '2', '3']
    f.write_text('1\n2\n1\n')
    with pytest.raises(ValueError,
                       match=r"ids.txt lists IDs more than once: \['1'\]"):
        read_ids(str(f))
    f.write_text('\n')
    with pytest.raises(ValueError, match='list file is empty: .*ids.txt'):
        read_ids(str(f))
    with pytest.raises(FileNotFoundError, match='none.txt'):
        read_ids(str(tmp_path / 'none.txt'))


def test_converter_cli(tmp_path, capsys):
    calls = []

    def convert(root, split):
        calls.append((root, split))
        return dict(images=[{}, {}], annotations=[{}], categories=[])

    out = tmp_path / 'o' / 'x.json'
    converter_cli('X', convert, ['some/root', '--split', 'val', '--out',
                                 str(out)])
    assert calls == [('some/root', 'val')]
    assert json.loads(out.read_text())['images'] == [{}, {}]
    last = capsys.readouterr().out.strip().splitlines()[-1]
    assert last == f'wrote {out} (2 images, 1 persons)'
    with pytest.raises(SystemExit):
        converter_cli('X', convert, ['r', '--split', 'test', '--out', 'o'])
