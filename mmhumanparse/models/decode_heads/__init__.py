from .aspp_smooth_head import CDLinkNetHead
from .lipnet_head import LIPNetHead

__all__ = ['CDLinkNetHead', 'LIPNetHead']
