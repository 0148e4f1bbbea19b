"""Run, verbatim, every code block marked runnable in README.md and
docs/*.md: a ```bash / ```python fence right after a line
``<!-- runnable -->``. The blocks of one file run in order in one scratch
folder that links configs/ and tools/ (so the commands read as in the repo
root), on CPU, with the venv's python first on PATH."""
import glob
import os
import os.path as osp
import re
import subprocess
import sys

import pytest

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
MARK = '<!-- runnable -->'
FENCE = re.compile(r'^```(\w+)\s*$')
# files that must keep at least one runnable block
MUST_RUN = ('README.md', 'docs/get_started.md', 'docs/inference.md',
            'docs/train_test.md', 'docs/use_in_your_config.md',
            'docs/datasets.md')


def runnable_blocks(path: str):
    """[(language, code)] of the blocks marked runnable in a markdown file.

    Raises:
        ValueError: a marker not followed by a fenced block.
    """
    lines = open(path, encoding='utf-8').read().splitlines()
    blocks, i = [], 0
    while i < len(lines):
        if lines[i].strip() != MARK:
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        m = FENCE.match(lines[j]) if j < len(lines) else None
        if m is None:
            raise ValueError(f'{path}:{i + 1}: {MARK} must be followed by a '
                             'fenced code block')
        k = j + 1
        while k < len(lines) and lines[k].strip() != '```':
            k += 1
        blocks.append((m.group(1), '\n'.join(lines[j + 1:k]) + '\n'))
        i = k + 1
    return blocks


def _docs():
    files = ['README.md'] + sorted(
        osp.relpath(p, REPO) for p in glob.glob(osp.join(REPO, 'docs',
                                                         '*.md')))
    return [f for f in files if runnable_blocks(osp.join(REPO, f))]


def test_every_required_file_has_runnable_blocks():
    found = _docs()
    missing = [f for f in MUST_RUN if f not in found]
    assert not missing, f'no runnable block in {missing}'


def test_marker_parser(tmp_path):
    md = tmp_path / 'x.md'
    md.write_text('text\n<!-- runnable -->\n\n```bash\necho 1\necho 2\n```\n'
                  '```python\nnot marked\n```\n<!-- runnable -->\n'
                  '```python\nprint(3)\n```\n')
    assert runnable_blocks(str(md)) == [('bash', 'echo 1\necho 2\n'),
                                        ('python', 'print(3)\n')]
    md.write_text('<!-- runnable -->\nno fence\n')
    with pytest.raises(ValueError, match='fenced'):
        runnable_blocks(str(md))


@pytest.mark.slow  # trains toy models verbatim as the docs do (~1 min each)
@pytest.mark.parametrize('doc', _docs())
def test_runnable_blocks(doc, tmp_path):
    for name in ('configs', 'tools'):
        os.symlink(osp.join(REPO, name), tmp_path / name)
    env = dict(os.environ, OMP_NUM_THREADS='1', MKL_NUM_THREADS='1')
    env['PATH'] = osp.dirname(sys.executable) + os.pathsep + env['PATH']
    env['PYTHONPATH'] = REPO + os.pathsep + env.get('PYTHONPATH', '')
    for n, (lang, code) in enumerate(runnable_blocks(osp.join(REPO, doc))):
        if lang in ('bash', 'sh', 'shell'):
            cmd = ['bash', '-e', '-o', 'pipefail', '-c', code]
        elif lang == 'python':
            cmd = [sys.executable, '-c', code]
        else:
            raise ValueError(f'{doc}: cannot run a {lang!r} block')
        proc = subprocess.run(cmd, cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=600)
        assert proc.returncode == 0, (
            f'{doc} block {n} failed:\n{code}\n--- stdout\n'
            f'{proc.stdout[-3000:]}\n--- stderr\n{proc.stderr[-5000:]}')
