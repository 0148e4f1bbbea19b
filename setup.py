"""mmhumanparse: human parsing plugin for OpenMMLab.

``mmhumanparse/.mim/`` carries ``configs/``, ``tools/`` and
``model-index.yml`` (and ``demo/`` once it exists) inside the package, as
mmdet's and mmseg's ``add_mim_extension`` do, so that
``_base_ = 'mmhumanparse::<method>/<config>.py'``,
``mmengine.hub.get_config('mmhumanparse::...')`` and ``mim train / test /
search mmhumanparse`` find them in any install:

- editable install (``pip install -e .``, PEP 660 ``editable_wheel``, or the
  legacy ``develop``): ``mmhumanparse/.mim/<item>`` in the source tree is a
  relative symlink to ``../../<item>`` (a copy on Windows), so config edits
  show at once;
- wheel (``pip wheel .``, ``python -m build``): ``build_py`` writes copies
  into the build directory (the source tree is left alone);
- sdist: the release tree gets copies under ``mmhumanparse/.mim`` beside the
  top-level folders (MANIFEST.in), and a wheel built from it copies again.

The commands are chosen by setuptools, not by ``sys.argv``: PEP 660
editable installs (pip >= 21.3, setuptools >= 64) run ``editable_wheel``,
never ``develop``.
"""
import os
import os.path as osp
import platform
import shutil
from setuptools import find_packages, setup
from setuptools.command.build_py import build_py
from setuptools.command.develop import develop
from setuptools.command.editable_wheel import editable_wheel
from setuptools.command.sdist import sdist

HERE = osp.dirname(osp.abspath(__file__))
PACKAGE = 'mmhumanparse'
MIM_ITEMS = ('configs', 'tools', 'demo', 'model-index.yml')
COPY_IGNORE = shutil.ignore_patterns('__pycache__', '*.pyc', '*.pyo')


def read_requirements(name):
    path = osp.join(HERE, 'requirements', name)
    with open(path) as f:
        return [ln.strip() for ln in f
                if ln.strip() and not ln.startswith('#')]


def get_version():
    ns = {}
    with open(osp.join(HERE, PACKAGE, 'version.py')) as f:
        exec(f.read(), ns)
    return ns['__version__']


def _remove(path):
    if osp.islink(path) or osp.isfile(path):
        os.remove(path)
    elif osp.isdir(path):
        shutil.rmtree(path)


def add_mim_extension(mim_dir, mode, src_root=HERE):
    """Fill ``mim_dir`` with the MIM items found in ``src_root``.

    Args:
        mim_dir (str): the ``<package>/.mim`` folder to fill (created).
        mode (str): ``'symlink'`` (relative links, for editable installs)
            or ``'copy'`` (wheels and sdists).
        src_root (str): the project root holding ``configs/`` etc.
    """
    if mode not in ('symlink', 'copy'):
        raise ValueError(f'setup.py: mode must be symlink or copy, got '
                         f'{mode!r}')
    if mode == 'symlink' and platform.system() == 'Windows':
        mode = 'copy'  # symlinks need extra rights on Windows
    os.makedirs(mim_dir, exist_ok=True)
    for name in MIM_ITEMS:
        src = osp.join(src_root, name)
        dst = osp.join(mim_dir, name)
        if not osp.exists(src):
            continue
        _remove(dst)
        if mode == 'symlink':
            os.symlink(osp.relpath(src, mim_dir), dst)
        elif osp.isdir(src):
            shutil.copytree(src, dst, ignore=COPY_IGNORE)
        else:
            shutil.copyfile(src, dst)


class BuildPy(build_py):
    """``build_py`` that also copies the MIM items into the build tree."""

    def run(self):
        super().run()
        if not self.editable_mode:
            add_mim_extension(
                osp.join(self.build_lib, PACKAGE, '.mim'), 'copy')


class EditableWheel(editable_wheel):
    """PEP 660 editable install: link the MIM items into the source tree."""

    def run(self):
        add_mim_extension(osp.join(HERE, PACKAGE, '.mim'), 'symlink')
        super().run()


class Develop(develop):
    """Legacy ``setup.py develop``: link the MIM items as well."""

    def run(self):
        add_mim_extension(osp.join(HERE, PACKAGE, '.mim'), 'symlink')
        super().run()


class SDist(sdist):
    """sdist whose release tree holds copies under ``<package>/.mim``."""

    def make_release_tree(self, base_dir, files):
        super().make_release_tree(base_dir, files)
        add_mim_extension(osp.join(base_dir, PACKAGE, '.mim'), 'copy')


def readme():
    path = osp.join(HERE, 'README.md')
    if not osp.exists(path):
        return ''
    with open(path, encoding='utf-8') as f:
        return f.read()


if __name__ == '__main__':
    setup(
        name=PACKAGE,
        version=get_version(),
        description='Human parsing (single- and multi-person) for OpenMMLab',
        long_description=readme(),
        long_description_content_type='text/markdown',
        packages=find_packages(
            exclude=('configs', 'configs.*', 'tools', 'tools.*', 'tests',
                     'tests.*', 'docs')),
        include_package_data=True,
        python_requires='>=3.8',
        install_requires=read_requirements('runtime.txt'),
        extras_require={
            'mim': read_requirements('mminstall.txt'),
            'tests': read_requirements('tests.txt'),
        },
        cmdclass={
            'build_py': BuildPy,
            'editable_wheel': EditableWheel,
            'develop': Develop,
            'sdist': SDist,
        },
        license='Apache License 2.0',
        zip_safe=False)
