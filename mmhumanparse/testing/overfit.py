"""Fast learning check: overfit one fixed batch through a model's real config.

Every model of the package has one such test in ``make test`` (<= 60 s on a
CPU): it builds the model, its data pipeline and its optimizer from the
model's toy config exactly as ``tools/train.py`` would, takes ONE batch from
the training dataloader and trains on it for a few steps. It then checks

* that the loss falls (by at least half, :meth:`OverfitResult.assert_learns`);
* that every trainable parameter received a finite, non-zero gradient
  (a layer that is built but never used, or whose output is detached,
  shows up by name).

Works for both pipelines: mmseg segmentors (``SegDataSample``) and mmdet
detectors (``DetDataSample``); it only relies on
``model.data_preprocessor(batch, True)`` and ``model(**data, mode='loss')``.

Example::

    from mmhumanparse.testing.overfit import overfit_one_batch

    def test_overfit(toy_roots):
        res = overfit_one_batch(
            'configs/c_dlinknet/'
            'c-dlinknet_r18-d16_1xb8-900iter_toy-lip-128x96.py',
            steps=25, data_root=toy_roots['LIP'], batch_size=4)
        res.assert_learns(ratio=0.5)   # loss falls by half
        res.assert_all_grads()         # finite non-zero grad everywhere

``cfg_options`` reaches anything else (e.g. a detector's
``{'train_dataloader.dataset.ann_file': ...}`` or a class-weight file).
The held-out learning tests (toy mIoU, AP^p) are separate and marked
``slow``.
"""
import copy
import math
import time
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Union

import torch
from mmengine.config import Config

__all__ = [
    'OverfitResult', 'drop_pretrained', 'load_overfit_config',
    'overfit_one_batch'
]


@dataclass
class OverfitResult:
    """Outcome of :func:`overfit_one_batch`.

    Attributes:
        losses (list[float]): Total loss (sum of all ``loss*`` terms) at each
            step, before that step's update.
        no_grad (list[str]): Trainable parameters whose gradient was None or
            all zeros at every step.
        nonfinite_grad (list[str]): Parameters with a NaN/inf gradient at
            some step.
        num_params (int): Number of trainable parameter tensors checked.
        seconds (float): Wall time of the training steps.
    """
    losses: List[float] = field(default_factory=list)
    no_grad: List[str] = field(default_factory=list)
    nonfinite_grad: List[str] = field(default_factory=list)
    num_params: int = 0
    seconds: float = 0.0

    @property
    def first(self) -> float:
        """Loss before any update."""
        return self.losses[0]

    @property
    def last(self) -> float:
        """Mean loss of the last three steps."""
        tail = self.losses[-3:]
        return sum(tail) / len(tail)

    def assert_learns(self, ratio: float = 0.5) -> None:
        """Raise if the final loss is not below ``ratio`` x the first one."""
        if not all(math.isfinite(x) for x in self.losses):
            raise AssertionError(f'non-finite loss: {self.losses}')
        if not self.last < ratio * self.first:
            raise AssertionError(
                f'loss did not fall below {ratio} x its start: first '
                f'{self.first:.4f}, last {self.last:.4f} '
                f'(all: {[round(x, 4) for x in self.losses]})')

    def assert_all_grads(self) -> None:
        """Raise naming the parameters without a finite non-zero gradient."""
        if self.nonfinite_grad or self.no_grad:
            raise AssertionError(
                f'{len(self.no_grad)} of {self.num_params} parameters got no '
                f'(or an all-zero) gradient: {self.no_grad[:20]}; '
                f'non-finite gradient: {self.nonfinite_grad[:20]}')


def drop_pretrained(cfg: Any) -> None:
    """Remove ``Pretrained`` init configs and ``pretrained=`` paths in place
    (tests run offline, without weight downloads)."""
    if isinstance(cfg, dict):
        init = cfg.get('init_cfg')
        if isinstance(init, dict) and init.get('type') == 'Pretrained':
            cfg['init_cfg'] = None
        elif isinstance(init, list):
            cfg['init_cfg'] = [
                c for c in init
                if not (isinstance(c, dict) and c.get('type') == 'Pretrained')
            ] or None
        if isinstance(cfg.get('pretrained'), str):
            cfg['pretrained'] = None
        for value in cfg.values():
            drop_pretrained(value)
    elif isinstance(cfg, (list, tuple)):
        for value in cfg:
            drop_pretrained(value)


def load_overfit_config(cfg: Union[str, Config],
                        data_root: Optional[str] = None,
                        batch_size: Optional[int] = None,
                        cfg_options: Optional[Dict[str, Any]] = None
                        ) -> Config:
    """Read a config and make its training dataloader test-friendly.

    Args:
        cfg (str | Config): Config path or object (copied, not modified).
        data_root (str, optional): Replaces
            ``train_dataloader.dataset.data_root`` (e.g. a toy-data root
            from the ``toy_roots`` fixture).
        batch_size (int, optional): Replaces the training batch size.
        cfg_options (dict, optional): Extra ``--cfg-options`` style
            overrides, merged last.

    Returns:
        Config: with ``num_workers=0``, no persistent workers and no
        ``Pretrained`` initialisation anywhere in ``model``.
    """
    cfg = Config.fromfile(cfg) if isinstance(cfg, str) else copy.deepcopy(cfg)
    loader = cfg.train_dataloader
    loader.num_workers = 0
    loader.persistent_workers = False
    if batch_size is not None:
        loader.batch_size = batch_size
    if data_root is not None:
        loader.dataset.data_root = data_root
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    drop_pretrained(cfg.model)
    return cfg


def _grad_ok(grad: Optional[torch.Tensor]):
    """(non-zero, finite) of one gradient."""
    if grad is None:
        return False, True
    return bool(grad.abs().sum() > 0), bool(torch.isfinite(grad).all())


def overfit_one_batch(cfg: Union[str, Config],
                      steps: int = 30,
                      data_root: Optional[str] = None,
                      batch_size: Optional[int] = None,
                      lr: Optional[float] = None,
                      cfg_options: Optional[Dict[str, Any]] = None,
                      seed: int = 0,
                      device: str = 'cpu') -> OverfitResult:
    """Train a config's model on one fixed training batch for ``steps``.

    The model, data pipeline and optimizer (``optim_wrapper``, including its
    type, weight decay and gradient clipping) come from the config; the
    param scheduler is not used (constant lr). The batch is drawn once from
    the config's training dataloader (augmentation included) and reused at
    every step.

    Args:
        cfg (str | Config): Config path or object, e.g. a model's toy config.
        steps (int): Optimizer steps. Defaults to 30.
        data_root (str, optional): Training data root (see
            :func:`load_overfit_config`).
        batch_size (int, optional): Training batch size override (smaller
            is faster; keep >= 2 for BatchNorm).
        lr (float, optional): Overrides ``optim_wrapper.optimizer.lr``.
        cfg_options (dict, optional): Extra config overrides.
        seed (int): Seeds torch/numpy/random before building anything.
        device (str): Device of the model. Defaults to ``'cpu'``.

    Returns:
        OverfitResult: losses per step and the parameters whose gradient
        was missing/zero (at every step) or non-finite (at some step).
    """
    from mmengine.optim import build_optim_wrapper
    from mmengine.registry import DefaultScope
    from mmengine.runner import Runner
    from mmengine.runner.utils import set_random_seed

    from mmhumanparse.registry import MODELS
    from mmhumanparse.utils import register_all_modules

    register_all_modules(init_default_scope=False)
    cfg = load_overfit_config(cfg, data_root, batch_size, cfg_options)
    if lr is not None:
        cfg.optim_wrapper.optimizer.lr = lr
    set_random_seed(seed)
    scope = cfg.get('default_scope', 'mmhumanparse')
    with DefaultScope.overwrite_default_scope(scope):
        model = MODELS.build(cfg.model)
        model.init_weights()
        model.to(device)
        loader = Runner.build_dataloader(cfg.train_dataloader, seed=seed)
        batch = next(iter(loader))
        optim_wrapper = build_optim_wrapper(model, cfg.optim_wrapper)

    params = {
        n: p
        for n, p in model.named_parameters() if p.requires_grad
    }
    got_grad = {n: False for n in params}
    nonfinite = set()
    result = OverfitResult(num_params=len(params))
    model.train()
    t0 = time.time()
    for _ in range(steps):
        data = model.data_preprocessor(copy.copy(batch), True)
        losses = model(**data, mode='loss')
        loss, _ = model.parse_losses(losses)
        optim_wrapper.zero_grad()
        optim_wrapper.backward(loss)
        for name, p in params.items():
            nonzero, finite = _grad_ok(p.grad)
            got_grad[name] |= nonzero
            if not finite:
                nonfinite.add(name)
        optim_wrapper.step()
        result.losses.append(float(loss.detach()))
    result.seconds = time.time() - t0
    result.no_grad = [n for n, ok in got_grad.items() if not ok]
    result.nonfinite_grad = sorted(nonfinite)
    return result
