"""mmhumanparse: human parsing plugin for OpenMMLab."""
import os.path as osp

from setuptools import find_packages, setup


def read_requirements(name):
    path = osp.join(osp.dirname(__file__), 'requirements', name)
    with open(path) as f:
        return [ln.strip() for ln in f
                if ln.strip() and not ln.startswith('#')]


def get_version():
    ns = {}
    with open(osp.join('mmhumanparse', 'version.py')) as f:
        exec(f.read(), ns)
    return ns['__version__']


setup(
    name='mmhumanparse',
    version=get_version(),
    description='Human parsing (single- and multi-person) for OpenMMLab',
    long_description=open('README.md').read() if osp.exists('README.md') else '',
    long_description_content_type='text/markdown',
    packages=find_packages(exclude=('configs', 'tools', 'tests', 'docs')),
    include_package_data=True,
    python_requires='>=3.8',
    install_requires=read_requirements('runtime.txt'),
    extras_require={
        'mim': read_requirements('mminstall.txt'),
        'tests': read_requirements('tests.txt'),
    },
    license='Apache License 2.0',
    zip_safe=False,
)
