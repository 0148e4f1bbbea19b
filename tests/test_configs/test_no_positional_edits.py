"""No config edits a pipeline by list position (`train_pipeline[2].scale`,
`_base_.train_pipeline[:6]`, `test_pipeline.insert(-1, ...)`): one step
added to a base would silently move every such edit onto the wrong step.
Per-size bases and leaves write their pipelines out (as mmseg's
`cityscapes_769x769.py`) or pick steps by `type`."""
import ast
import glob
import os.path as osp

import pytest

CFG_DIR = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'configs')
LIST_EDITS = ('insert', 'pop', 'remove', 'append', 'extend', 'reverse',
              'sort')


def _is_pipeline(node):
    """`x_pipeline` or `_base_.x_pipeline` (any attribute chain)."""
    name = node.id if isinstance(node, ast.Name) else getattr(
        node, 'attr', '')
    return name.endswith('pipeline')


def _by_position(index):
    """An int (also negative) or a slice of ints."""
    if isinstance(index, ast.Slice):
        return True
    if isinstance(index, ast.UnaryOp):
        index = index.operand
    return isinstance(index, ast.Constant) and isinstance(index.value, int)


def positional_edits(source):
    """(line, text) of every positional use of a pipeline in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and _is_pipeline(node.value):
            if _by_position(node.slice):
                found.append(node.lineno)
        elif (isinstance(node, ast.Call)
              and isinstance(node.func, ast.Attribute)
              and node.func.attr in LIST_EDITS
              and _is_pipeline(node.func.value)):
            found.append(node.lineno)
        elif (isinstance(node, ast.AugAssign)
              and _is_pipeline(node.target)):
            found.append(node.lineno)
    lines = source.splitlines()
    return [(n, lines[n - 1].strip()) for n in sorted(set(found))]


@pytest.mark.parametrize('source, lines', [
    ('train_pipeline[2].scale = (1, 1)', [1]),
    ('p = _base_.train_pipeline[:6]', [1]),
    ('tta_pipeline[1].transforms[0] = x', [1]),
    ('del test_pipeline[-1]', [1]),
    ('test_pipeline.insert(-1, dict(type="A"))', [1]),
    ('train_pipeline += [dict(type="A")]', [1]),
    ('p = [t for t in _base_.train_pipeline if t.type != "A"]', []),
    ('p = [dict(type="A")]\nval_evaluator[0].num_parts = 2', []),
])
def test_detector_finds_positional_edits(source, lines):
    assert [n for n, _ in positional_edits(source)] == lines


def test_no_config_edits_a_pipeline_by_position():
    offenders = []
    for path in sorted(glob.glob(osp.join(CFG_DIR, '**', '*.py'),
                                 recursive=True)):
        with open(path, encoding='utf-8') as f:
            for line, text in positional_edits(f.read()):
                rel = osp.relpath(path, CFG_DIR)
                offenders.append(f'{rel}:{line}: {text}')
    assert not offenders, 'pipelines edited by position:\n' + '\n'.join(
        offenders)
