"""The main job on bundled toy data (``make demo``).

1. writes a toy LIP dataset (tools/make_toy_data.py logic) to DATA_DIR;
2. trains the small C-DLinkNet (ResNet-18) on it on CPU;
3. evaluates on the toy val split (mIoU / aAcc / mAcc, flip test with
   left/right swap);
4. writes image | prediction | ground truth panels to WORK_DIR/vis/*.png;
5. prints ``mIoU: <percent>`` as its last line.

With ``--multi-person`` (``make demo-multi-person``) it does the same for
the toy RP R-CNN on toy CIHP: writes the data and its COCO jsons (the
CIHP converter), trains, tests with ``ParsingAPMetric`` + bbox AP, draws
each val image's persons to WORK_DIR/vis/ and prints ``AP_p50: <percent>``
as its last line. Measured (48 train / 24 val toy images, 800 iterations,
2026-12-04, idle 2-core machine, about 5 min): seeds 0 / 1 / 2 give
AP^p50 61.8 / 62.3 / 62.7; expect about 55-70.
"""
import argparse
import os
import os.path as osp
import time

import cv2
import numpy as np

REPO = osp.dirname(osp.dirname(osp.abspath(__file__)))
DEFAULT_CONFIG = osp.join(
    REPO, 'configs/c_dlinknet',
    'c-dlinknet_r18-d16_1xb8-900iter_toy-lip-128x96.py')
MULTI_PERSON_CONFIG = osp.join(
    REPO, 'configs/rp_rcnn/rp-rcnn_r18_fpn_toy_toy-cihp.py')


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--multi-person', action='store_true',
                   help='toy RP R-CNN on toy CIHP instead')
    p.add_argument('--config', default=None,
                   help='defaults to the toy C-DLinkNet (toy RP R-CNN with '
                   '--multi-person)')
    p.add_argument('--work-dir', default='work_dirs/demo')
    p.add_argument('--data-dir', default='data/toy')
    p.add_argument('--num', type=int, default=None,
                   help='train images (240 toy LIP / 48 toy CIHP; val gets '
                   'half as many)')
    p.add_argument('--iters', type=int, default=None,
                   help='override train_cfg.max_iters')
    p.add_argument('--seed', type=int, default=0)
    return p.parse_args(argv)


def save_panels(model, root, out_dir, limit=12):
    """Write image | prediction | ground truth panels (column titles and a
    legend of the parts present) for val images."""
    from PIL import Image

    from mmhumanparse.apis import inference_parser, label_map
    from mmhumanparse.visualization import labelled_panel
    os.makedirs(out_dir, exist_ok=True)
    ids = open(osp.join(root, 'val_id.txt')).read().split()[:limit]
    files = [osp.join(root, 'val_images', i + '.jpg') for i in ids]
    meta = model.dataset_meta
    for i, f, res in zip(ids, files, inference_parser(model, files)):
        gt = np.array(Image.open(osp.join(root, 'val_segmentations',
                                          i + '.png')))
        panel, _ = labelled_panel(
            cv2.imread(f), [label_map(res), gt],
            ('image', 'prediction', 'ground truth'), meta['classes'],
            meta['palette'])
        cv2.imwrite(osp.join(out_dir, i + '.png'), panel)
    return len(files)


def multi_person(args):
    """Toy RP R-CNN on toy CIHP: train, test, draw; returns the metrics."""
    from mmengine.runner import Runner

    from mmhumanparse.testing import make_toy_data
    from mmhumanparse.testing.toy_cihp import cihp_config, write_cihp_coco
    from mmhumanparse.utils.tool_utils import register

    t0 = time.time()
    # 48 train / 24 val images: with 12 val images (about 35 persons)
    # AP^p50 swung from 39.6 to 64.1 between seeds 0 and 1
    root = make_toy_data(args.data_dir, dataset='cihp', num=args.num or 48,
                         seed=args.seed)['CIHP']
    anns = write_cihp_coco(root, osp.join(root, 'annotations'))
    print(f'toy CIHP and its COCO jsons written to {root} '
          f'({time.time() - t0:.1f} s)')
    register()
    cfg = cihp_config(args.config or MULTI_PERSON_CONFIG, root, anns)
    cfg.work_dir = args.work_dir
    cfg.randomness = dict(seed=args.seed)
    if args.iters:
        cfg.train_cfg.max_iters = args.iters
        cfg.param_scheduler[-1].end = args.iters
    cfg.train_cfg.val_interval = cfg.train_cfg.max_iters + 1  # test once
    # draw every val image (persons outlined, part palette) to vis/
    cfg.default_hooks.visualization.update(
        draw=True, interval=1, test_out_dir='vis')
    runner = Runner.from_cfg(cfg)
    t1 = time.time()
    runner.train()
    train_s = time.time() - t1
    metrics = runner.test()
    vis = osp.join(runner.log_dir, 'vis')
    print(f'train {train_s:.0f} s, total {time.time() - t0:.0f} s; '
          f'drawings in {vis}')
    print(f'AP_p_vol: {metrics["AP_p_vol"]:.2f}  PCP50: '
          f'{metrics["PCP50"]:.2f}  mIoU: {metrics["mIoU"]:.2f}  '
          f'bbox AP50: {100 * metrics["coco/bbox_mAP_50"]:.1f}')
    print(f'AP_p50: {metrics["AP_p50"]:.2f}')
    return metrics


def main(argv=None):
    args = parse_args(argv)
    if args.multi_person:
        return multi_person(args)
    args.config = args.config or DEFAULT_CONFIG
    args.num = args.num or 240
    from mmengine.runner import Runner

    from mmhumanparse.apis import init_parser
    from mmhumanparse.testing import make_toy_data
    from mmhumanparse.utils.tool_utils import load_config, register

    t0 = time.time()
    roots = make_toy_data(args.data_dir, dataset='lip', num=args.num,
                          seed=args.seed)
    root = roots['LIP']
    print(f'toy LIP written to {root} ({time.time() - t0:.1f} s)')

    register()
    opts = {
        'train_dataloader.dataset.data_root': root,
        'val_dataloader.dataset.data_root': root,
        'test_dataloader.dataset.data_root': root,
        'randomness': dict(seed=args.seed),
    }
    if args.iters:
        opts['train_cfg.max_iters'] = args.iters
        opts['param_scheduler'] = [
            dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0,
                 end=args.iters, by_epoch=False)]
    cfg = load_config(args.config, opts, args.work_dir)
    runner = Runner.from_cfg(cfg)
    t1 = time.time()
    runner.train()
    train_s = time.time() - t1
    metrics = runner.test()
    ckpt = osp.join(args.work_dir, f'iter_{runner.iter}.pth')
    runner.save_checkpoint(args.work_dir, osp.basename(ckpt))
    model = init_parser(cfg, ckpt, device='cpu')
    n = save_panels(model, root, osp.join(args.work_dir, 'vis'))
    print(f'train {train_s:.0f} s, total {time.time() - t0:.0f} s; '
          f'{n} panels in {osp.join(args.work_dir, "vis")}')
    print(f'aAcc: {metrics["aAcc"]:.2f}  mAcc: {metrics["mAcc"]:.2f}')
    print(f'mIoU: {metrics["mIoU"]:.2f}')


if __name__ == '__main__':
    main()
