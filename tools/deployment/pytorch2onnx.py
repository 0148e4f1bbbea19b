"""Export a single-person parsing segmentor to ONNX and check it.

Usage::

    python tools/deployment/pytorch2onnx.py CONFIG CHECKPOINT --shape H W
        [--out model.onnx] [--opset 17] [--fuse-conv-bn] [--verify]
        [--verify-images DIR] [--cfg-options k=v ...]

Works for every ``mmseg`` ``EncoderDecoder`` subclass, ours included
(``ParsingEncoderDecoder`` and the method segmentors built on it): the
graph is the model's own ``inference`` (``encode_decode``, plus the
left/right-swapping flip test if ``test_cfg.flip``) traced at one input
size. The exported graph:

- input ``img``: (N, 3, H, W) float32 **BGR** pixels in 0..255, already
  resized to the export size (the test pipeline's Resize is not in the
  graph); the data preprocessor's channel swap and mean/std are;
- outputs ``logits`` (N, C, H, W) float32 and ``labels`` (N, H, W) int64.

``--verify`` runs ONNX Runtime and PyTorch on toy images (written by
``mmhumanparse.testing.make_toy_data``, or ``--verify-images``), resized
to the export size, prints the share of equal labels and exits with 1
below ``--min-agreement`` (default 99.9 %).

The export itself lives in :mod:`mmhumanparse.deployment.onnx_export`.
"""
import argparse
import os.path as osp
import sys
import tempfile

import cv2
from mmengine.config import DictAction

from mmhumanparse.apis import list_images
from mmhumanparse.deployment import (agreement, export_onnx, load_parser,
                                     ort_session)


def read_images(folder: str, num: int) -> list:
    """The first ``num`` readable BGR images of ``folder`` (sorted)."""
    images = [cv2.imread(f) for f in list_images(folder)[:num]]
    return [i for i in images if i is not None]


def toy_images(num: int) -> list:
    """``num`` BGR toy LIP images (mmhumanparse.testing, seed 0)."""
    from mmhumanparse.testing import make_toy_data
    with tempfile.TemporaryDirectory() as tmp:
        root = make_toy_data(tmp, dataset='lip', num=num, seed=0)['LIP']
        return read_images(osp.join(root, 'train_images'), num)


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description='Export a parsing segmentor to ONNX')
    p.add_argument('config')
    p.add_argument('checkpoint')
    p.add_argument(
        '--shape',
        type=int,
        nargs=2,
        metavar=('H', 'W'),
        required=True,
        help='input height and width of the graph')
    p.add_argument('--out', help='output .onnx (default: next to CHECKPOINT)')
    p.add_argument('--opset', type=int, default=17)
    p.add_argument(
        '--fuse-conv-bn',
        action='store_true',
        help='fold BN into convs before export (ONNX Runtime does it too)')
    p.add_argument('--verify', action='store_true')
    p.add_argument('--verify-images', help='folder of images for --verify')
    p.add_argument('--verify-num', type=int, default=4)
    p.add_argument('--min-agreement', type=float, default=0.999)
    p.add_argument('--cfg-options', nargs='+', action=DictAction)
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    out = args.out or osp.splitext(args.checkpoint)[0] + '.onnx'
    model = load_parser(args.config, args.checkpoint, args.cfg_options,
                        args.fuse_conv_bn)
    wrapper = export_onnx(model, args.shape, out, args.opset)
    print(f'wrote {out} (input img 1x3x{args.shape[0]}x{args.shape[1]} BGR '
          '0..255; outputs logits, labels)')
    if not args.verify:
        return 0
    if args.verify_images:
        images = read_images(args.verify_images, args.verify_num)
    else:
        images = toy_images(args.verify_num)
    if not images:
        raise FileNotFoundError('no images to verify with')
    share = agreement(wrapper, ort_session(out), images, args.shape)
    ok = share >= args.min_agreement
    print(f'ONNX Runtime vs PyTorch: {100 * share:.3f} % equal labels on '
          f'{len(images)} images ({"OK" if ok else "FAILED"}, need '
          f'>= {100 * args.min_agreement:.1f} %)')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
