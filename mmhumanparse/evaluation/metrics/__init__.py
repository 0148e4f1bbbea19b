"""Registered metrics (mmengine ``BaseMetric`` wrappers of the kernels)."""
from .atr_metric import ATRMetric
from .edge_metric import EdgeMetric
from .parsing_ap_metric import ParsingAPMetric
from .pckh_metric import PCKhMetric

__all__ = ['ParsingAPMetric', 'ATRMetric', 'PCKhMetric', 'EdgeMetric']
