"""Parse images with a trained model and save palette maps and overlays.

Example:
    python tools/infer.py CONFIG CHECKPOINT path/to/img_or_dir --out-dir out
Writes OUT/NAME.png (palette label map) and OUT/NAME_overlay.jpg.
"""
import argparse
import glob
import os
import os.path as osp

import cv2

from mmhumanparse.apis import colorize, inference_parser, init_parser


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('inputs', help='an image file or a directory')
    parser.add_argument('--out-dir', default='work_dirs/infer')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--opacity', type=float, default=0.5)
    args = parser.parse_args(argv)
    if osp.isdir(args.inputs):
        files = sorted(
            f for ext in ('jpg', 'jpeg', 'png')
            for f in glob.glob(osp.join(args.inputs, f'*.{ext}')))
    elif osp.isfile(args.inputs):
        files = [args.inputs]
    else:
        raise FileNotFoundError(f'no such image or directory: {args.inputs}')
    model = init_parser(args.config, args.checkpoint, args.device)
    palette = model.dataset_meta['palette']
    os.makedirs(args.out_dir, exist_ok=True)
    for f, res in zip(files, inference_parser(model, files)):
        labels = res.pred_sem_seg.data[0].cpu().numpy().astype('uint8')
        color = colorize(labels, palette)
        stem = osp.splitext(osp.basename(f))[0]
        cv2.imwrite(osp.join(args.out_dir, stem + '.png'), color)
        img = cv2.imread(f)
        overlay = cv2.addWeighted(img, 1 - args.opacity, color, args.opacity,
                                  0)
        cv2.imwrite(osp.join(args.out_dir, stem + '_overlay.jpg'), overlay)
    print(f'wrote {len(files)} results to {args.out_dir}')


if __name__ == '__main__':
    main()
