"""The RP R-CNN / Parsing R-CNN paper configs hold the constants of the
table "Paper constants" in configs/rp_rcnn/README.md (loss weights, RoI
counts, schedules, inference thresholds): the test reads the table, so the
README and the configs cannot drift apart."""
import glob
import os.path as osp
import re

import pytest
from mmengine.config import Config

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
README = osp.join(REPO, 'configs', 'rp_rcnn', 'README.md')
CONFIGS = sorted(
    osp.relpath(p, osp.join(REPO, 'configs'))
    for pattern in ('rp_rcnn/*_r50_*.py', 'parsing_rcnn/*_r50_*.py')
    for p in glob.glob(osp.join(REPO, 'configs', pattern)))


def read_constants(path: str = README) -> dict:
    """``| name | value | source |`` rows of the "Paper constants" section
    -> {name: value string}."""
    with open(path, encoding='utf-8') as f:
        text = f.read()
    section = text.split('## Paper constants', 1)[1].split('\n## ', 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip('|').split('|')]
        if len(cells) == 3 and cells[0] not in ('Constant', '---'):
            rows[cells[0]] = cells[1]
    return rows


CONSTANTS = read_constants()


def number(name: str) -> float:
    return float(CONSTANTS[name])


def numbers(name: str) -> list:
    return [int(v) for v in re.split(r'[,x ]+', CONSTANTS[name]) if v]


def test_table_is_read():
    """The table has every constant the configs are checked against."""
    assert len(CONSTANTS) == 20
    assert number('lambda_r') == 1.0 and numbers('CIHP 3x lr steps') == [
        105000, 125000
    ]
    assert len(CONFIGS) == 12, CONFIGS


@pytest.mark.parametrize('name', CONFIGS)
def test_config_holds_the_paper_constants(name):
    cfg = Config.fromfile(osp.join(REPO, 'configs', name))
    model, roi = cfg.model, cfg.model.roi_head
    assert roi.parsing_head.loss_parsing.loss_weight == number('lambda_p')
    if model.get('semantic_head'):
        assert model.semantic_head.loss_seg.loss_weight == number('lambda_s')
        assert model.test_cfg.rcnn.semseg_fuse_weight == number(
            'semantic fusion weight')
        assert model.test_cfg.semantic.score_thr == number(
            'global map threshold')
    if roi.get('parsing_iou_head'):
        assert roi.parsing_iou_head.loss_iou.loss_weight == number(
            'lambda_r')
    assert model.train_cfg.rcnn.sampler.num == number('box RoIs per image')
    assert model.train_cfg.rcnn.max_parsing_rois_per_img == number(
        'parsing RoIs per image')
    assert model.test_cfg.rcnn.max_per_img == number('test boxes per image')
    per_gpu, gpus = numbers('images per GPU x GPUs')
    assert cfg.train_dataloader.batch_size == per_gpu
    assert cfg.auto_scale_lr.base_batch_size == per_gpu * gpus
    assert cfg.optim_wrapper.optimizer.lr == number('base lr')

    dataset = 'MHP-v2' if 'mhp-v2' in name else 'CIHP'
    schedule = '6x' if '_6x_' in name else '3x'
    iters = number(f'{dataset} {schedule} iterations')
    steps = numbers(f'{dataset} {schedule} lr steps')
    assert cfg.train_cfg.max_iters == iters
    multistep, = [s for s in cfg.param_scheduler
                  if s.type == 'MultiStepLR']
    assert (multistep.milestones, multistep.end) == (steps, iters)
    combine = number(f'{dataset} combine threshold')
    assert model.test_cfg.combine.score_thr == combine
    assert cfg.tta_model.tta_cfg.combine_score_thr == combine
