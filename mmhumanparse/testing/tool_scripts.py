"""Import the repository's ``tools/`` scripts in-process, for their tests."""
import importlib.util
import os.path as osp
from types import ModuleType

from .tiny_configs import REPO


def load_tool(rel_path: str) -> ModuleType:
    """Import a script under ``tools/`` as a module (not run as __main__).

    Args:
        rel_path (str): path below ``tools/``, e.g. ``'infer.py'`` or
            ``'deployment/pytorch2onnx.py'``; the module is named after
            the file.

    Returns:
        ModuleType: the executed module (its ``main``, ``parse_args``...).
    """
    path = osp.join(REPO, 'tools', rel_path)
    spec = importlib.util.spec_from_file_location(
        osp.splitext(osp.basename(path))[0], path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
