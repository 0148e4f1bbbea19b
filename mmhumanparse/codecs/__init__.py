"""Target codecs: encode annotations into training targets, decode outputs.

One codec per file, with mmpose's interface (``encode`` for the pipeline,
``decode`` / ``batch_decode`` for heads, losses and metrics), so a config
defines ``codec = dict(type=...)`` once and passes it to the target
transform and to the head.
"""
from .joint_center import JointCenterCodec
from .pose_heatmap import PoseHeatmapCodec

__all__ = ['JointCenterCodec', 'PoseHeatmapCodec']
