"""Base of our losses: the ``loss_weight`` / ``loss_name`` of mmseg's."""
import torch.nn as nn


class NamedLoss(nn.Module):
    """A loss module as mmseg's decode heads use it: ``forward`` returns the
    weighted loss, ``loss_name`` is its key in the loss dict (mmseg adds
    the losses of a head whose names start with ``loss_``).

    Args:
        loss_weight (float): multiplier of the loss, applied by
            the subclass's ``forward``.
        loss_name (str): key in the loss dict.
    """

    def __init__(self, loss_weight: float, loss_name: str) -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    @property
    def loss_name(self) -> str:
        """Name of the loss in loss dicts."""
        return self._loss_name
