"""`.gitignore` covers what the tools write at the places the README and
docs point them (work dirs, toy data, --out pickles, checkpoints, ONNX
exports, infer outputs), so `git status` stays clean after the examples."""
import os.path as osp
import shutil
import subprocess

import pytest

from mmhumanparse.testing.tool_scripts import REPO

WRITTEN = [
    'work_dirs/quick/iter_4.pth',            # tools/train.py
    'work_dirs/toy/vis/vis_data/vis_image/a.png',  # tools/test.py --show-dir
    'data/toy/LIP/train_images/a.jpg',       # make demo, make_toy_data.py
    'data/quick/LIP/val_id.txt',             # README Quick start
    'res.pkl',                               # tools/test.py --out res.pkl
    'model.onnx', 'ckpt.pth',                # pytorch2onnx.py, checkpoints
    'out/a.png',                             # tools/infer.py --out-dir out/
    'work_dirs/legends/lip.png',             # palette_legend.py
]


@pytest.mark.skipif(
    shutil.which('git') is None or not osp.exists(osp.join(REPO, '.git')),
    reason='needs a git checkout')
def test_tool_outputs_are_ignored():
    proc = subprocess.run(['git', 'check-ignore', '--no-index', *WRITTEN],
                          cwd=REPO, capture_output=True, text=True)
    ignored = set(proc.stdout.split())
    assert ignored == set(WRITTEN), sorted(set(WRITTEN) - ignored)
