"""Register every mmhumanparse module and set the default scope."""
import datetime
import warnings

from mmengine import DefaultScope

from ..version import check_versions


def register_all_modules(init_default_scope: bool = True) -> None:
    """Import all mmhumanparse modules so they register themselves.

    Args:
        init_default_scope (bool): If True, make ``'mmhumanparse'`` the
            current default scope (a new uniquely named instance is created
            when another scope is current, as mmseg/mmdet do).
    """
    check_versions()  # names a missing or unsupported mm package

    import mmhumanparse.codecs  # noqa: F401
    import mmhumanparse.datasets  # noqa: F401
    import mmhumanparse.evaluation  # noqa: F401
    import mmhumanparse.models  # noqa: F401
    import mmhumanparse.visualization  # noqa: F401

    if not init_default_scope:
        return
    current = DefaultScope.get_current_instance()
    never_created = current is None or not DefaultScope.check_instance_created(
        'mmhumanparse')
    if never_created:
        DefaultScope.get_instance('mmhumanparse', scope_name='mmhumanparse')
        return
    if current.scope_name != 'mmhumanparse':
        warnings.warn('The current default scope '
                      f'"{current.scope_name}" is not "mmhumanparse", '
                      '`register_all_modules` will force the current '
                      'default scope to be "mmhumanparse".')
        new_name = f'mmhumanparse-{datetime.datetime.now()}'
        DefaultScope.get_instance(new_name, scope_name='mmhumanparse')


def trust_local_checkpoints() -> None:
    """Let ``torch.load`` read full mmengine checkpoints (torch >= 2.6).

    torch 2.6 made ``weights_only=True`` the default; mmengine 0.10.7 calls
    ``torch.load`` without the argument, and its checkpoints hold the message
    hub (``HistoryBuffer``) and numpy objects, so resuming or testing fails.
    The tools (train/test/infer) load checkpoints the user chose, so they set
    ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD=1`` unless the user set it already.
    Only load checkpoints you trust.
    """
    import os
    os.environ.setdefault('TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD', '1')
