"""Parse an image, a folder or a video: a command line over
``mmhumanparse.apis.HumanParsingInferencer`` (docs/inference.md lists the
files it writes). Unreadable files are skipped and listed, other folder
files are listed with the reason; the exit code is 1 if any file failed."""
import argparse
import os.path as osp
import sys
import time

from mmengine.config import DictAction

from mmhumanparse.apis import HumanParsingInferencer
from mmhumanparse.apis.inputs import check_input_path, check_out_dirs


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('config', help='config file or model-index name')
    p.add_argument('checkpoint', help='checkpoint file')
    p.add_argument('input', help='an image, a folder or a video file')
    p.add_argument('--out-dir', required=True,
                   help='output folder (not inside the input folder)')
    p.add_argument('--overlay', action='store_true', help='write overlays')
    p.add_argument('--opacity', type=float, default=0.5, help='in [0, 1]')
    p.add_argument(
        '--save-logits', action='store_true',
        help='write float16 (C, H, W) logits as .npy (segmentors): '
        '2*C*H*W bytes, e.g. 20 classes at 4000x3000 = 480 MB per image; '
        'see --logits-size')
    p.add_argument(
        '--logits-size', choices=('image', 'network'), default='image',
        help="'network': logits at the network's input size (e.g. 20 x "
        '473 x 473 = 9 MB), labels still at the image size')
    p.add_argument('--device', default='cpu', help="e.g. 'cpu', 'cuda:0'")
    p.add_argument('--batch-size', type=int, default=1)
    p.add_argument('--score-thr', type=float, default=0.3,
                   help='lowest score of a person drawn (detectors)')
    p.add_argument('--cfg-options', nargs='+', action=DictAction,
                   help='override config settings, key=value')
    args = p.parse_args(argv)
    if not 0 <= args.opacity <= 1:
        p.error(f'--opacity must be in [0, 1], got {args.opacity}')
    if args.batch_size < 1:
        p.error(f'--batch-size must be >= 1, got {args.batch_size}')
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    src = check_input_path(args.input)
    check_out_dirs(src, [args.out_dir])
    inferencer = HumanParsingInferencer(args.config, args.checkpoint,
                                        args.device,
                                        cfg_options=args.cfg_options)
    start = time.perf_counter()
    res = inferencer(
        src, batch_size=args.batch_size, return_predictions=False,
        pred_out_dir=args.out_dir, save_logits=args.save_logits,
        logits_size=args.logits_size, opacity=args.opacity,
        vis_out_dir=args.out_dir if args.overlay else '',
        score_thr=args.score_thr, skip_unreadable=True)
    secs = time.perf_counter() - start
    for title, pairs in (('skipped (not parsed)', res['skipped']),
                         ('could not be read', res['failed'])):
        if pairs:
            print(f'\n{len(pairs)} file(s) {title}:')
            print('\n'.join(f'  {p}: {why}' for p, why in pairs))
    on_disk = len({p for p in res['written'] if osp.isfile(p)})
    done = res.get('frames', on_disk)
    what = (f'wrote {done} frames to {", ".join(res["written"])}'
            if 'frames' in res else
            f'wrote {on_disk} results to {args.out_dir}')
    print(f'\n{what}; {len(res["failed"])} failed, '
          f'{len(res["skipped"])} skipped; {secs:.1f} s, '
          f'{done / max(secs, 1e-9):.2f} img/s')
    return 1 if res['failed'] else 0


if __name__ == '__main__':
    sys.exit(main())
