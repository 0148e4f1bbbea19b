"""Export a single-person parsing segmentor to ONNX (fp32, optionally int8)
and check it.

Usage::

    python tools/deployment/pytorch2onnx.py CONFIG CHECKPOINT --shape H W
        [--out model.onnx] [--opset 17] [--fuse-conv-bn] [--static-shape]
        [--int8] [--calib-num 16] [--calib-images DIR]
        [--verify] [--verify-images DIR] [--cfg-options k=v ...]

Works for every ``mmseg`` ``EncoderDecoder`` subclass, ours included
(``ParsingEncoderDecoder`` and the method segmentors built on it): the
graph is the model's own ``inference`` (``encode_decode``, plus the
left/right-swapping flip test if ``test_cfg.flip``) traced at ``--shape``.
The exported graph:

- input ``img``: (N, 3, H, W) float32 **BGR** pixels in 0..255, already
  resized (the test pipeline's Resize is not in the graph); the data
  preprocessor's channel swap and mean/std are;
- outputs ``logits`` (N, C, H, W) float32 and ``labels`` (N, H, W) int64.

``N`` is dynamic; ``H`` and ``W`` are dynamic where the model allows it
(the graph is checked at a second size; otherwise, and with
``--static-shape``, they are fixed to ``--shape``).

``--int8`` also writes ``<out>_int8.onnx``: static quantization with ONNX
Runtime (int8 weights per channel, uint8 activations, QDQ), calibrated on
``--calib-num`` images spread over the config's training list (or the
images of ``--calib-images``), resized to ``--shape``. The layers at the
input resolution and the output tail (logit resizes, argmax) stay fp32.
Run it in ONNX Runtime with
``disabled_optimizers=['QDQPropagationTransformer']`` (as
:func:`mmhumanparse.deployment.ort_session` does; ``docs/inference.md``
says why).

``--verify`` runs PyTorch and ONNX Runtime on images (toy images written
by ``mmhumanparse.testing.make_toy_data``, or ``--verify-images``) resized
to ``--shape``, as one batch, prints the share of equal labels and exits
with 1 below ``--min-agreement`` (default 99.9 %); with ``--int8`` it also
compares the int8 labels with the fp32 graph's (``--min-int8-agreement``,
default 99 %).

The export lives in :mod:`mmhumanparse.deployment`.
"""
import argparse
import os.path as osp
import sys

from mmengine.config import DictAction

from mmhumanparse.deployment import (agreement, export_onnx, load_parser,
                                     ort_session, quantize_int8, read_images)
from mmhumanparse.testing import toy_images


def training_images(model, num: int) -> list:
    """``num`` images of the training list of the model's config."""
    from mmhumanparse.registry import DATASETS
    ds_cfg = model.cfg.train_dataloader.dataset
    while 'dataset' in ds_cfg:  # RepeatDataset and the like
        ds_cfg = ds_cfg.dataset
    dataset = DATASETS.build(dict(ds_cfg, lazy_init=True, pipeline=[]))
    data_list, problems = dataset.read_split()
    if problems:
        raise FileNotFoundError(
            f'calibration needs the training list of the config: '
            f'{problems[0][0]}: {problems[0][1]} (or pass --calib-images)')
    return read_images([d['img_path'] for d in data_list], num)


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
        help='input height and width of the trace')
    p.add_argument('--out', help='output .onnx (default: next to CHECKPOINT)')
    p.add_argument('--opset', type=int, default=17)
    p.add_argument(
        '--fuse-conv-bn',
        action='store_true',
        help='fold BN into convs before export (ONNX Runtime does it too)')
    p.add_argument(
        '--static-shape',
        action='store_true',
        help='fix H and W to --shape (default: dynamic where the model '
        'allows); the batch axis stays dynamic')
    p.add_argument(
        '--int8',
        action='store_true',
        help='also write <out>_int8.onnx (static int8, ONNX Runtime)')
    p.add_argument('--calib-num', type=int, default=16)
    p.add_argument(
        '--calib-images',
        help='calibration images (default: the config\'s training list)')
    p.add_argument('--verify', action='store_true')
    p.add_argument('--verify-images', help='folder of images for --verify')
    p.add_argument('--verify-num', type=int, default=4)
    p.add_argument('--min-agreement', type=float, default=0.999)
    p.add_argument('--min-int8-agreement', type=float, default=0.99)
    p.add_argument('--cfg-options', nargs='+', action=DictAction)
    return p.parse_args(argv)


def _report(what: str, share: float, need: float, num: int) -> bool:
    ok = share >= need
    print(f'{what}: {100 * share:.3f} % equal labels on {num} images '
          f'({"OK" if ok else "FAILED"}, need >= {100 * need:.1f} %)')
    return ok


def main(argv=None) -> int:
    args = parse_args(argv)
    out = args.out or osp.splitext(args.checkpoint)[0] + '.onnx'
    model = load_parser(args.config, args.checkpoint, args.cfg_options,
                        args.fuse_conv_bn)
    wrapper = export_onnx(model, args.shape, out, args.opset,
                          False if args.static_shape else None)
    h, w = args.shape
    dims = 'H, W dynamic' if wrapper.dynamic_hw else f'H, W fixed {h}x{w}'
    print(f'wrote {out} (input img Nx3xHxW BGR 0..255, N dynamic, {dims}; '
          'outputs logits, labels)')
    int8 = None
    if args.int8:
        int8 = osp.splitext(out)[0] + '_int8.onnx'
        calib = (read_images(args.calib_images, args.calib_num)
                 if args.calib_images else training_images(
                     model, args.calib_num))
        quantize_int8(out, int8, calib, args.shape)
        print(f'wrote {int8} (static int8, calibrated on {len(calib)} '
              f'images of {args.calib_images or "the training list"})')
    if not args.verify:
        return 0
    images = (read_images(args.verify_images, args.verify_num)
              if args.verify_images else toy_images(args.verify_num))
    if not images:
        raise FileNotFoundError('no images to verify with')
    fp32 = ort_session(out)
    ok = _report('ONNX Runtime vs PyTorch',
                 agreement(wrapper, fp32, images, args.shape),
                 args.min_agreement, len(images))
    if int8:
        ok &= _report('int8 vs fp32 ONNX Runtime',
                      agreement(fp32, ort_session(int8), images, args.shape),
                      args.min_int8_agreement, len(images))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
