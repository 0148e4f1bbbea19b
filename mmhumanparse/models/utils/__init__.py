"""Building blocks shared by mmhumanparse models."""
from .c_dlinknet_blocks import CDLinkNetASPP, DBlock, LinkDecoderBlock

__all__ = ['CDLinkNetASPP', 'DBlock', 'LinkDecoderBlock']
