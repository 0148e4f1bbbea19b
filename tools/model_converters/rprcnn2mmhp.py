"""Convert a released RP R-CNN / Parsing R-CNN checkpoint to mmhumanparse.

Usage::

    python tools/model_converters/rprcnn2mmhp.py SRC DST [--config CFG]

``SRC`` is a ``model_*.pth`` of the official code (soeaver/RP-R-CNN or
soeaver/Parsing-R-CNN; its ``utils.collections.AttrDict`` need not be
importable). ``DST`` is an mmengine checkpoint (``state_dict`` and
``meta.dataset_meta``) for ``tools/test.py`` / ``tools/infer.py`` with
``CFG``. Without ``--config`` the config is chosen from the checkpoint:
RP R-CNN (it has the semantic branch) or Parsing R-CNN, CIHP (20 parts) or
MHP-v2 (59). Every official tensor must find its place and every weight of
the model must be filled, with equal shapes; otherwise nothing is written
and the problems are listed (exit 1). The mapping is in
:mod:`mmhumanparse.utils.rprcnn_checkpoint`.
"""
import argparse
import os.path as osp
import sys

import torch

from mmhumanparse.apis import init_parser
from mmhumanparse.utils.rprcnn_checkpoint import (convert_official,
                                                  format_report,
                                                  load_official_state_dict)

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
# (RP R-CNN?, part classes) -> the config of the released checkpoint
CONFIGS = {
    (True, 20): 'configs/rp_rcnn/rp-rcnn_r50_fpn_6x_cihp.py',
    (True, 59): 'configs/rp_rcnn/rp-rcnn_r50_fpn_6x_mhp-v2.py',
    (False, 20): 'configs/parsing_rcnn/parsing-rcnn_r50_fpn_3x_cihp.py',
    (False, 59): 'configs/parsing_rcnn/parsing-rcnn_r50_fpn_3x_mhp-v2.py',
}
DECONV = 'Parsing_RCNN.Output.parsing_score_lowres.bias'


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description='Convert an official RP R-CNN / Parsing R-CNN '
        'checkpoint to an mmhumanparse checkpoint')
    p.add_argument('src', help='official checkpoint (model_*.pth)')
    p.add_argument('dst', help='mmengine checkpoint to write')
    p.add_argument(
        '--config',
        help='our config of the same model (default: chosen from the '
        'checkpoint, see CONFIGS)')
    return p.parse_args(argv)


def default_config(state: dict, src: str) -> str:
    """Our config for an official state dict (method and part count)."""
    if DECONV not in state:
        raise ValueError(f'{src}: no parsing head ({DECONV}); not an '
                         'RP R-CNN / Parsing R-CNN checkpoint')
    key = (any(k.startswith('SemSeg.') for k in state),
           int(state[DECONV].shape[0]))
    if key not in CONFIGS:
        raise ValueError(f'{src}: {key[1]} part classes; give --config')
    return osp.join(REPO, CONFIGS[key])


def main(argv=None) -> int:
    args = parse_args(argv)
    state = load_official_state_dict(args.src)
    config = args.config or default_config(state, args.src)
    model = init_parser(config)
    converted, report = convert_official(state, model)
    problems = format_report(report)
    if problems:
        print(f'{args.src} does not fit {config}:\n{problems}',
              file=sys.stderr)
        return 1
    torch.save(
        dict(
            state_dict=converted,
            meta=dict(
                dataset_meta=model.dataset_meta,
                source=osp.abspath(args.src),
                config=config)), args.dst)
    print(f'{len(state) - len(report["skipped"])} tensors of {args.src} -> '
          f'{args.dst} ({config}); skipped buffers: {len(report["skipped"])}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
