"""Checkpoints of segmentors with random weights, for the inference, tool
and export tests (no trained weights are ever downloaded)."""
from typing import Optional

import torch

from mmhumanparse.apis import init_parser


def random_segmentor_checkpoint(config: str,
                                out: str,
                                dataset_meta: Optional[dict] = None,
                                seed: int = 0) -> str:
    """Save a segmentor of ``config`` with seeded random weights.

    The classifier (``decode_head.conv_seg``) gets N(0, 1) weights and zero
    bias: a wide classifier, so that random features give many labels (a
    label map worth comparing), not one.

    Args:
        config (str): segmentor config file.
        out (str): checkpoint file to write.
        dataset_meta (dict, optional): stored as ``meta['dataset_meta']``
            (what ``init_parser`` prefers to the config's dataset); None
            writes a checkpoint without meta.
        seed (int): torch seed of the weights; the same seed gives the same
            weights.

    Returns:
        str: ``out``.
    """
    torch.manual_seed(seed)
    model = init_parser(config)
    torch.nn.init.normal_(model.decode_head.conv_seg.weight, std=1.0)
    torch.nn.init.zeros_(model.decode_head.conv_seg.bias)
    checkpoint = dict(state_dict=model.state_dict())
    if dataset_meta is not None:
        checkpoint['meta'] = dict(dataset_meta=dataset_meta)
    torch.save(checkpoint, out)
    return out
