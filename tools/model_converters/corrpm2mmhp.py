"""Convert the released CorrPM LIP model to an mmhumanparse checkpoint.

Usage::

    python tools/model_converters/corrpm2mmhp.py SRC DST

``SRC``: the authors' ``LIP_best.pth`` (links in configs/htcorrm/README.md),
a state dict saved from their DataParallel model (``module.`` keys).
``DST``: an mmengine checkpoint (``state_dict`` + ``meta.dataset_meta`` =
LIP's) for ``configs/htcorrm/corrpm_r101-d16_2xb4-180e_lip-384x384.py``.
Every tensor of SRC is mapped (three groups the released forward never
uses are dropped and listed); the tool refuses, listing the keys, when SRC
has a key that maps nowhere or lacks one the model needs
(``mmhumanparse.utils.corrpm_checkpoint``).
"""
import argparse
import os
import os.path as osp

import torch

from mmhumanparse.datasets.metainfo import LIP_METAINFO
from mmhumanparse.utils.corrpm_checkpoint import convert_corrpm


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        description='CorrPM (LIP) checkpoint -> mmhumanparse')
    parser.add_argument('src', help="the released file, e.g. LIP_best.pth")
    parser.add_argument('dst', help='the mmengine checkpoint to write')
    return parser.parse_args(argv)


def main(argv=None) -> dict:
    args = parse_args(argv)
    if not osp.isfile(args.src):
        raise FileNotFoundError(f'corrpm2mmhp: no file {args.src}')
    src = torch.load(args.src, map_location='cpu', weights_only=True)
    if 'state_dict' in src:
        src = src['state_dict']
    try:
        state_dict, dropped = convert_corrpm(src)
    except ValueError as err:
        raise ValueError(f'corrpm2mmhp: {args.src}: {err}') from err
    ckpt = dict(meta=dict(dataset_meta=dict(LIP_METAINFO),
                          converted_from=osp.basename(args.src),
                          dropped_keys=dropped),
                state_dict=state_dict)
    if osp.dirname(args.dst):
        os.makedirs(osp.dirname(args.dst), exist_ok=True)
    torch.save(ckpt, args.dst)
    print(f'corrpm2mmhp: {len(src)} tensors read, {len(state_dict)} '
          f'written to {args.dst}; dropped (unused by the released forward):'
          f' {dropped}')
    return ckpt


if __name__ == '__main__':
    main()
