"""Losses (registered in MODELS)."""
from .joint_loss import SSJointLoss
from .weighted_cross_entropy_loss import WeightedCrossEntropyLoss

__all__ = ['SSJointLoss', 'WeightedCrossEntropyLoss']
