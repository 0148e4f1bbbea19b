"""model-index.yml, the per-method metafiles and docs/model_zoo.md."""
import glob
import importlib.util
import os.path as osp
import re

import pytest
import yaml

from mmhumanparse.testing.tiny_configs import REPO

METHODS = sorted(
    osp.basename(d) for d in glob.glob(osp.join(REPO, 'configs', '*'))
    if osp.isdir(d) and osp.basename(d) != '_base_')


def _load(rel):
    with open(osp.join(REPO, rel)) as f:
        return yaml.safe_load(f)


def _tool():
    spec = importlib.util.spec_from_file_location(
        'model_zoo', osp.join(REPO, 'tools', 'misc', 'model_zoo.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _models():
    out = []
    for rel in _load('model-index.yml')['Import']:
        meta = _load(rel)
        out += [(rel, meta['Collections'][0], m) for m in meta['Models']]
    return out


def test_index_imports_one_metafile_per_method():
    imports = _load('model-index.yml')['Import']
    assert sorted(imports) == [f'configs/{m}/metafile.yml' for m in METHODS]


@pytest.mark.parametrize('method', METHODS)
def test_metafile_lists_every_config_once(method):
    meta = _load(f'configs/{method}/metafile.yml')
    coll = meta['Collections'][0]
    for key in ('Training Data', 'Training Techniques', 'Architecture'):
        assert coll['Metadata'][key], key
    assert coll['Paper']['Title']
    assert osp.isfile(osp.join(REPO, coll['README']))
    assert osp.isfile(osp.join(REPO, coll['Code']['URL']))
    configs = sorted(
        osp.relpath(p, REPO)
        for p in glob.glob(osp.join(REPO, 'configs', method, '*.py')))
    listed = [m['Config'] for m in meta['Models']]
    assert sorted(listed) == configs
    for model in meta['Models']:
        assert model['Name'] == osp.splitext(osp.basename(model['Config']))[0]
        assert model['In Collection'] == coll['Name']


def test_every_model_has_size_and_marked_paper_results():
    for rel, _, model in _models():
        md = model['Metadata']
        where = f"{rel}: {model['Name']}"
        assert isinstance(md['Parameters'], int) and md['Parameters'] > 0, \
            where
        assert isinstance(md['FLOPs'], int) and md['FLOPs'] > 0, where
        assert re.fullmatch(r'\d+x\d+', md['Input Size']), where
        for res in model.get('Results', []):
            assert res['Notes'].startswith('paper-reported: '), where
            assert res['Metrics'] and all(
                isinstance(v, float) for v in res['Metrics'].values()), where
        if 'Weights' in model:
            assert 'tools/model_converters/' in model['Weights Conversion']


@pytest.mark.parametrize('config', [
    'configs/lipnet/lipnet_1xb8-2k_toy-lip-128x96.py',
    'configs/ss_nan/ss-nan_r18-d4_1xb4-100iter_toy-lip-128x96.py',
    'configs/rp_rcnn/rp-rcnn_r18_fpn_toy_toy-cihp.py'
])
def test_metafile_size_is_the_built_model(config):
    """The toy entries' Parameters and FLOPs are what the model gives now
    (the paper-size ones come from the same tool, see model_zoo.py)."""
    entry = [m for _, _, m in _models() if m['Config'] == config][0]
    stats = _tool().model_stats(osp.join(REPO, config))
    assert entry['Metadata']['Parameters'] == stats['params']
    assert entry['Metadata']['FLOPs'] == stats['flops']
    assert entry['Metadata']['Input Size'] == '{}x{}'.format(*stats['shape'])


def test_model_zoo_doc_is_generated_from_the_metafiles():
    tool = _tool()
    assert tool.write_docs(check=True), (
        'docs/model_zoo.md differs from the metafiles: run '
        'python tools/misc/model_zoo.py docs')
    with open(osp.join(REPO, 'docs', 'model_zoo.md')) as f:
        doc = f.read()
    assert 'see README' not in doc
    block = doc.split(tool.BEGIN)[1].split(tool.END)[0]
    for _, _, model in _models():
        row = [ln for ln in block.splitlines()
               if f"[{osp.basename(model['Config'])}]" in ln]
        assert row, model['Name']
        params = tool.fmt_params(model['Metadata']['Parameters'])
        flops = tool.fmt_flops(model['Metadata']['FLOPs'])
        assert all(f'| {params} | {flops} |' in r for r in row)


def test_render_marks_results_and_missing_ones():
    """A hand-made index: rows per result, '-' where the paper has none."""
    meta = dict(
        Collections=[dict(Name='X-Net', README='configs/x/README.md')],
        Models=[
            dict(Name='a', Config='configs/x/a.py',
                 Metadata={'Training Data': 'LIP', 'Parameters': 1234567,
                           'FLOPs': 2500000000, 'Input Size': '8x6'},
                 Results=[dict(Task='Human Parsing', Dataset='LIP',
                               Metrics={'mIoU': 50.5},
                               Notes='paper-reported: Table 1')]),
            dict(Name='b', Config='configs/x/b.py',
                 Metadata={'Training Data': 'toy LIP', 'Parameters': 10,
                           'FLOPs': 20, 'Input Size': '4x4'})
        ])
    text = _tool().render_tables([('configs/x/metafile.yml', meta)])
    assert ('| [a.py](../configs/x/a.py) | Human Parsing | LIP | mIoU 50.5 '
            '| 1.23 M | 2.50 G | 8x6 |') in text
    assert ('| [b.py](../configs/x/b.py) | - | toy LIP | - | 0.00 M '
            '| 0.00 G | 4x4 |') in text


@pytest.mark.slow
def test_metafile_parameters_of_every_config():
    """Every entry's Parameters is the count of the model its config builds
    (paper-size models too; no forward pass, so FLOPs are not redone)."""
    from mmhumanparse.utils.model_stats import build_model, count_params
    from mmhumanparse.utils.tool_utils import init_config_scope, load_config
    wrong = []
    for _, _, model in _models():
        cfg = load_config(osp.join(REPO, model['Config']))
        init_config_scope(cfg)
        n = count_params(build_model(cfg))
        if n != model['Metadata']['Parameters']:
            wrong.append((model['Name'], model['Metadata']['Parameters'], n))
    assert not wrong
