"""Blocks of the C-DLinkNet head (models/utils/c_dlinknet_blocks.py,
arXiv:2001.11690): the LinkNet decoder block and the D-LinkNet centre."""
import pytest
import torch
import torch.nn as nn

from mmhumanparse.models.utils.c_dlinknet_blocks import (DBlock,
                                                         LinkDecoderBlock)


def test_link_decoder_block_strides():
    """Output size is stride x input; odd sizes are fixed by ``size``."""
    x = torch.rand(1, 16, 5, 3)
    for s in (1, 2, 4, 8):
        blk = LinkDecoderBlock(16, 8, stride=s)
        assert blk(x).shape == (1, 8, 5 * s, 3 * s)
    assert LinkDecoderBlock(16, 8, 2)(x, size=(9, 6)).shape == (1, 8, 9, 6)
    assert LinkDecoderBlock(16, 8, 2).reduce.conv.out_channels == 4
    assert LinkDecoderBlock(16, 8, 2, mid_channels=16).reduce.conv \
        .out_channels == 16
    with pytest.raises(ValueError, match='stride'):
        LinkDecoderBlock(16, 8, stride=3)


def test_dblock_sums_the_cascade():
    """y = x + c1(x) + c2(c1(x)) + ... on a hand-checkable block."""
    blk = DBlock(2, dilations=(1, 2), act_cfg=None)
    for m in blk.convs:
        nn.init.zeros_(m.conv.weight)
        nn.init.constant_(m.conv.bias, 1.0)
    x = torch.rand(1, 2, 6, 6)
    # c1(x) = 1 everywhere, c2(.) = 1 everywhere
    torch.testing.assert_close(blk(x), x + 2.0)
