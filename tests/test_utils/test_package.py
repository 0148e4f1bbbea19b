"""Package-level checks: version guard and registry nodes."""
import pytest

import mmhumanparse
from mmhumanparse import check_versions

GOOD = {
    'mmcv': '2.1.0',
    'mmengine': '0.10.7',
    'mmsegmentation': '1.2.2',
    'mmdet': '3.3.0'
}


def test_installed_versions_pass():
    check_versions()
    check_versions(GOOD)


@pytest.mark.parametrize('dist,bad', [('mmcv', '1.7.1'), ('mmcv', '2.2.0'),
                                      ('mmengine', '0.9.0'),
                                      ('mmsegmentation', '0.30.0'),
                                      ('mmdet', '2.28.2')])
def test_wrong_version_is_named(dist, bad):
    with pytest.raises(ImportError, match=f'{dist}=={bad} is installed'):
        check_versions(dict(GOOD, **{dist: bad}))


def test_missing_package_is_named():
    found = dict(GOOD)
    del found['mmdet']
    with pytest.raises(ImportError, match='needs mmdet .* not installed'):
        check_versions(found)


def test_registry_nodes_are_children_of_mmengine_root():
    from mmengine.registry import DATASETS as ROOT
    from mmhumanparse.registry import DATASETS, MODELS, TRANSFORMS
    assert DATASETS.parent is ROOT and DATASETS.scope == 'mmhumanparse'
    assert 'LIPDataset' in DATASETS.module_dict
    assert 'HumanRandomFlip' in TRANSFORMS.module_dict
    assert 'CDLinkNetHead' in MODELS.module_dict
    # mmseg's own LIPDataset is untouched (no registration into mmseg)
    from mmseg.registry import DATASETS as SEG
    assert SEG.get('LIPDataset').__module__.startswith('mmseg.')
    assert mmhumanparse.__version__
