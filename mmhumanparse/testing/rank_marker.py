"""Test-only hook: each rank writes how many iterations it trained."""
import os.path as osp

from mmengine.dist import get_rank, get_world_size
from mmengine.hooks import Hook

from mmhumanparse.registry import HOOKS


@HOOKS.register_module(force=True)
class RankMarkerHook(Hook):
    """Writes ``WORK_DIR/rank{r}.txt`` = 'world_size iters' after training."""

    def __init__(self):
        self.iters = 0

    def after_train_iter(self, runner, batch_idx, data_batch=None,
                         outputs=None):
        self.iters += 1

    def after_train(self, runner):
        with open(osp.join(runner.work_dir, f'rank{get_rank()}.txt'),
                  'w') as f:
            f.write(f'{get_world_size()} {self.iters} {runner.iter}')
