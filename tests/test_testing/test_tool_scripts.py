"""load_tool: a tools/ script imported as a module."""
import os.path as osp

import pytest

from mmhumanparse.testing.tiny_configs import REPO
from mmhumanparse.testing.tool_scripts import load_tool


def test_loads_script_as_module_without_running_main():
    tool = load_tool('deployment/pytorch2onnx.py')
    assert tool.__name__ == 'pytorch2onnx'
    assert tool.__file__ == osp.join(REPO, 'tools', 'deployment',
                                     'pytorch2onnx.py')
    assert callable(tool.main) and callable(tool.parse_args)


def test_missing_script_named():
    with pytest.raises(FileNotFoundError, match='no_such_tool.py'):
        load_tool('no_such_tool.py')
