"""Shared fixtures: toy datasets generated once per test session."""
import pytest


@pytest.fixture(scope='session')
def toy_roots(tmp_path_factory):
    """{'LIP': root, 'ATR': ..., 'PPP': ..., 'CIHP': ..., 'MHP': ...} of a
    small deterministic toy copy of every dataset (6 train / 3 val)."""
    from mmhumanparse.testing import make_toy_data
    out = tmp_path_factory.mktemp('toy')
    return make_toy_data(str(out), dataset='all', num=6, seed=0)


@pytest.fixture(scope='session', autouse=True)
def _register():
    from mmhumanparse.utils import register_all_modules
    register_all_modules(init_default_scope=True)
