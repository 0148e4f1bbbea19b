from .setup_env import register_all_modules, trust_local_checkpoints

__all__ = ['register_all_modules', 'trust_local_checkpoints']
