"""Building blocks shared by mmhumanparse models."""
from .cdlinknet_blocks import CDLinkNetASPP, DBlock, LinkDecoderBlock
from .parsing_flip import flip_permutation, swap_flip_channels

__all__ = [
    'CDLinkNetASPP', 'DBlock', 'LinkDecoderBlock', 'flip_permutation',
    'swap_flip_channels'
]
