from .package_configs import enable_package_configs
from .setup_env import register_all_modules, trust_local_checkpoints

enable_package_configs()

__all__ = [
    'enable_package_configs', 'register_all_modules', 'trust_local_checkpoints'
]
