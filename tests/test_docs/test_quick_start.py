"""The README Quick start writes its toy LIP into a folder of its own, not
into the ``data/toy`` that ``make demo`` fills with 240 images (which the
6-image Quick start would silently replace), and trains on that folder.
(test_docs_snippets.py runs the block itself.)"""
import os.path as osp
import re

from mmhumanparse.testing.tool_scripts import REPO, load_tool
from .test_docs_snippets import runnable_blocks


def _quick_start():
    for lang, code in runnable_blocks(osp.join(REPO, 'README.md')):
        if 'make_toy_data.py' in code:
            return code
    raise AssertionError('README has no runnable Quick start block')


def test_quick_start_data_is_not_the_demo_data():
    code = _quick_start()
    out = re.search(r'make_toy_data\.py --out (\S+)', code).group(1)
    demo = load_tool('demo.py').parse_args([]).data_dir
    norm = [osp.normpath(p) + osp.sep for p in (out, demo)]
    assert not norm[0].startswith(norm[1]) and not norm[1].startswith(
        norm[0]), (out, demo)
    # training and inference read the Quick start's folder
    data = re.search(r'^DATA=(\S+)', code, re.M).group(1)
    assert osp.normpath(data).startswith(osp.normpath(out) + osp.sep)
    for key in ('train_dataloader', 'val_dataloader'):
        assert f'{key}.dataset.data_root=$DATA' in code
    assert '$DATA/val_images' in code
