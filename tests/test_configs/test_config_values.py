"""Values that configs derive from their bases (through `_base_` variables
and edits) instead of re-typing them: each must reach the loader, model or
evaluator with the paper's / dataset's value."""
import os.path as osp

import pytest
from mmengine.config import Config

from mmhumanparse.datasets.metainfo import LIP_METAINFO, PPP_METAINFO

CFG_DIR = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'configs')


def _load(name):
    return Config.fromfile(osp.join(CFG_DIR, name))


def _types(pipeline):
    return [t['type'] for t in pipeline]


@pytest.mark.parametrize('name, groups', [
    ('ss_nan/ss-nan_r101-d8_1xb30-30e_lip-321x321.py',
     LIP_METAINFO['joint_groups']),
    ('ss_nan/ss-nan_r18-d4_1xb4-100iter_toy-lip-128x96.py',
     LIP_METAINFO['joint_groups']),
    ('ss_nan/ss-nan_r101-d8_1xb30-30e_ppp-321x321.py',
     PPP_METAINFO['joint_groups']),
])
def test_ss_nan_joint_groups_are_the_datasets(name, groups):
    """Stage 2 adds the model base's loss_joint with the dataset's joints."""
    loss = _load(name).model.decode_head.loss_joint
    assert loss.type == 'SSJointLoss' and loss.loss_weight == 1.0
    assert [tuple(g) for g in loss.joint_groups] == [tuple(g) for g in groups]


def test_ss_nan_stage1_has_no_joint_loss():
    cfg = _load('ss_nan/ss-nan-stage1_r101-d8_1xb30-40e_lip-321x321.py')
    assert 'loss_joint' not in cfg.model.decode_head


@pytest.mark.parametrize('base, dataset, prefix, ann', [
    ('atr.py', 'ATRDataset', 'SegmentationClassAug', ''),
    ('ppp.py', 'PPPDataset', 'SegmentationPart', 'list/'),
])
def test_atr_ppp_bases_are_lip_at_512(base, dataset, prefix, ann):
    """atr.py edits lip.py's pipelines to 512 x 512, ppp.py swaps atr.py's
    files; the edited pipelines are the ones in the loaders."""
    cfg = _load(f'_base_/datasets/{base}')
    lip = _load('_base_/datasets/lip.py')
    train, val = cfg.train_dataloader, cfg.val_dataloader
    for loader, split in ((train, 'train'), (val, 'val')):
        ds = loader.dataset
        assert ds.type == dataset and ds.data_root == cfg.data_root
        assert ds.data_prefix.seg_map_path == prefix
        assert ds.ann_file == f'{ann}{split}_id.txt'
    assert _types(train.dataset.pipeline) == _types(lip.train_pipeline)
    assert train.dataset.pipeline[2].scale == (512, 512)
    assert train.dataset.pipeline[4].crop_size == (512, 512)
    assert val.dataset.pipeline[1].scale == (512, 512)
    assert cfg.test_dataloader == val
    assert lip.train_pipeline[2].scale == (473, 473)  # lip.py untouched
    metrics = [m['type'] for m in
               (cfg.val_evaluator if isinstance(cfg.val_evaluator, list)
                else [cfg.val_evaluator])]
    assert metrics == (['mmseg.IoUMetric', 'ATRMetric']
                       if base == 'atr.py' else ['mmseg.IoUMetric'])


def test_ss_nan_ppp_reads_ppp_files():
    cfg = _load('ss_nan/ss-nan-stage1_r101-d8_1xb30-40e_ppp-321x321.py')
    ppp = _load('_base_/datasets/ppp.py')
    for split in ('train', 'val'):
        ds, ref = cfg[f'{split}_dataloader'].dataset, \
            ppp[f'{split}_dataloader'].dataset
        for key in ('type', 'data_root', 'data_prefix', 'ann_file'):
            assert ds[key] == ref[key], (split, key)
        # SS-NAN's size, not ppp.py's 512
        resize = [t for t in ds.pipeline if 'Resize' in t.type]
        assert [t.scale for t in resize] == [(321, 321)], split


@pytest.mark.parametrize('size', ['hrnetv2-w48_4xb8-40k_lip-384x384',
                                  'r18-d16_1xb8-300iter_toy-lip-128x96'])
def test_htcorrm_edge_main_weights(size):
    """Sec. 4.2, edge main: L_b(O_m) + 0.08 L_p + 200 L_k + 1 L_b."""
    head = _load(f'htcorrm/htcorrm-edge_{size}.py').model.decode_head
    assert head.main_task == 'edge' and head.num_classes == 2
    assert head.loss_decode.type == head.loss_edge.type == \
        'WeightedCrossEntropyLoss'
    assert head.loss_decode.class_weight == 'batch_balanced'  # CorrPM
    assert '_delete_' not in head.loss_decode
    assert (head.loss_decode.loss_weight, head.loss_parsing.loss_weight,
            head.loss_pose.loss_weight,
            head.loss_edge.loss_weight) == (1.0, 0.08, 200.0, 1.0)


@pytest.mark.parametrize('size', ['hrnetv2-w48_2xb16-220e_lip-256x256',
                                  'r18-d16_1xb8-300iter_toy-lip-128x96'])
def test_htcorrm_pose_main_weights_and_pckh(size):
    """Sec. 4.2, pose main: L_k(O_m) + 0.001 L_p + 1 L_k + 0.0025 L_b;
    scored with PCKh on the val pose csv, keypoints hidden from Resize."""
    cfg = _load(f'htcorrm/htcorrm-pose_{size}.py')
    head = cfg.model.decode_head
    assert head.main_task == 'pose' and head.num_classes == 16
    assert head.loss_decode.type == 'mmdet.MSELoss'
    assert (head.loss_decode.loss_weight, head.loss_parsing.loss_weight,
            head.loss_pose.loss_weight,
            head.loss_edge.loss_weight) == (1.0, 0.001, 1.0, 0.0025)
    val = cfg.val_dataloader.dataset
    assert val.pose_file.endswith('lip_val_set.csv')
    assert _types(val.pipeline) == [
        'LoadImageFromFile', 'KeyMapper', 'PackParsingInputs'
    ]
    assert cfg.val_evaluator.type == 'PCKhMetric'


def test_detector_sampling_derived_from_rpn():
    """Faster R-CNN sampling (RPN 0.7 / 0.3, 256, 1/2; box branch 0.5, 512,
    1/4); proposals 2000 before NMS in training, 1000 at test."""
    cfg = _load('rp_rcnn/rp-rcnn_r50_fpn_3x_cihp.py').model
    rpn, rcnn = cfg.train_cfg.rpn, cfg.train_cfg.rcnn
    assert (rpn.assigner.pos_iou_thr, rpn.assigner.neg_iou_thr,
            rpn.assigner.min_pos_iou) == (0.7, 0.3, 0.3)
    assert (rcnn.assigner.pos_iou_thr, rcnn.assigner.neg_iou_thr,
            rcnn.assigner.min_pos_iou) == (0.5, 0.5, 0.5)
    assert rcnn.assigner.type == rpn.assigner.type == 'mmdet.MaxIoUAssigner'
    assert (rpn.sampler.num, rpn.sampler.pos_fraction,
            rpn.sampler.add_gt_as_proposals) == (256, 0.5, False)
    assert (rcnn.sampler.num, rcnn.sampler.pos_fraction,
            rcnn.sampler.add_gt_as_proposals) == (512, 0.25, True)
    assert cfg.train_cfg.rpn_proposal.nms_pre == 2000
    assert cfg.test_cfg.rpn.nms_pre == 1000
    roi = cfg.roi_head
    assert roi.parsing_iou_head.in_channels == \
        roi.parsing_head.conv_out_channels == 512
    assert roi.parsing_head.loss_parsing.loss_weight == 2.0  # lambda_p
    assert cfg.semantic_head.loss_seg.loss_weight == 2.0  # lambda_s


@pytest.mark.parametrize('name, parts, json', [
    ('rp_rcnn/rp-rcnn_r50_fpn_3x_cihp.py', 20, 'data/CIHP/annotations/'
     'cihp_val.json'),
    ('rp_rcnn/rp-rcnn_r50_fpn_3x_mhp-v2.py', 59, 'data/MHP/annotations/'
     'mhp_val.json'),
])
def test_multi_person_evaluators(name, parts, json):
    cfg = _load(name)
    ap, coco = cfg.val_evaluator
    assert (ap.type, ap.num_parts) == ('ParsingAPMetric', parts)
    assert (coco.type, coco.ann_file) == ('mmdet.CocoMetric', json)
    assert cfg.val_dataloader.dataset.ann_file == json.split('/', 2)[2]
