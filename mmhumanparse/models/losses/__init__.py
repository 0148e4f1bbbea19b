"""Losses (registered in MODELS)."""
from .joint_loss import SSJointLoss
from .l2_loss import L2Loss
from .weighted_cross_entropy_loss import WeightedCrossEntropyLoss

__all__ = ['L2Loss', 'SSJointLoss', 'WeightedCrossEntropyLoss']
