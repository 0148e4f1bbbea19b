"""Fixtures shared by the dataset tests: dataset configs on the toy data."""
import shutil

import pytest

from mmhumanparse.converters import cihp_to_coco, dump_coco, mhp_to_coco

SEG_PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadParsingAnnotations'),
    dict(type='PackParsingInputs')
]

DET_PIPELINE = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadMultiPersonAnnotations'),
    dict(type='PackParsingDetInputs')
]

CIHP_DIR = 'instance-level_human_parsing'


def _single_cfgs(roots, split='train'):
    """Dataset configs of the four mmseg-pipeline datasets for ``split``."""
    lip_split = split
    cihp_split = 'Training' if split == 'train' else 'Validation'

    def ds(type_, root, img, seg, ann, **kw):
        return dict(type=type_, data_root=roots[root],
                    data_prefix=dict(img_path=img, seg_map_path=seg),
                    ann_file=ann, pipeline=SEG_PIPELINE, **kw)

    cihp = f'{CIHP_DIR}/{cihp_split}'
    return {
        'LIP': ds('LIPDataset', 'LIP', f'{lip_split}_images',
                  f'{lip_split}_segmentations', f'{lip_split}_id.txt',
                  pose_file=f'TrainVal_pose_annotations/lip_{split}_set.csv'),
        'ATR': ds('ATRDataset', 'ATR', 'JPEGImages', 'SegmentationClassAug',
                  f'{split}_id.txt'),
        'PPP': ds('PPPDataset', 'PPP', 'JPEGImages', 'SegmentationPart',
                  f'list/{split}_id.txt'),
        'CIHP': ds('CIHPDataset', 'CIHP', f'{cihp}/Images',
                   f'{cihp}/Category_ids', f'{cihp}/{split}_id.txt'),
    }


def _copy_lip(toy_roots, tmp_path):
    """A private copy of the toy LIP root (a test may damage it) and its
    train config: ``(root, cfg)``."""
    root = str(tmp_path / 'LIP')
    shutil.copytree(toy_roots['LIP'], root)
    cfg = _single_cfgs({'LIP': root, 'ATR': '', 'PPP': '', 'CIHP': ''})['LIP']
    return root, cfg


@pytest.fixture(scope='session')
def single_cfgs():
    """``single_cfgs(roots, split='train')`` -> {'LIP', 'ATR', 'PPP', 'CIHP'}
    configs of the single-person (mmseg pipeline) datasets."""
    return _single_cfgs


@pytest.fixture(scope='session')
def copy_lip():
    """``copy_lip(toy_roots, tmp_path)`` -> ``(root, cfg)`` of a private
    copy of the toy LIP train split."""
    return _copy_lip


@pytest.fixture(scope='session')
def instance_cfgs(toy_roots, tmp_path_factory):
    """{'CIHP', 'MHP'} configs of the instance (mmdet pipeline) datasets on
    the toy val split, converted to COCO-style json once per session."""
    out = tmp_path_factory.mktemp('coco')
    cihp, mhp = toy_roots['CIHP'], toy_roots['MHP']
    dump_coco(cihp_to_coco(cihp, 'val', verbose=False), str(out / 'cihp.json'))
    dump_coco(mhp_to_coco(mhp, 'val', verbose=False), str(out / 'mhp.json'))
    split_dir = 'instance-level_human_parsing/Validation'
    return {
        'CIHP':
        dict(
            type='CIHPInstanceDataset',
            data_root=cihp,
            ann_file=str(out / 'cihp.json'),
            data_prefix=dict(img=f'{split_dir}/Images'),
            global_seg_dir=f'{split_dir}/Category_ids',
            test_mode=True,
            pipeline=DET_PIPELINE),
        'MHP':
        dict(
            type='MHPv2Dataset',
            data_root=mhp,
            ann_file=str(out / 'mhp.json'),
            data_prefix=dict(img='LV-MHP-v2/val/images'),
            test_mode=True,
            pipeline=DET_PIPELINE),
    }
