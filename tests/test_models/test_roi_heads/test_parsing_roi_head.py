"""ParsingRoIHead: box + parsing branch losses, RoI picking, S2-only parsing
features, predictions pasted at the original size."""
from types import SimpleNamespace

import torch
from mmdet.structures import DetDataSample
from mmengine.config import ConfigDict
from mmengine.structures import InstanceData

from mmhumanparse.registry import MODELS

W = 16
GN = dict(type='GN', num_groups=4, requires_grad=True)


def roi_head_cfg(num_parts=5, with_iou=True, max_rois=4):
    cfg = dict(
        type='ParsingRoIHead',
        bbox_roi_extractor=dict(
            type='mmdet.SingleRoIExtractor',
            roi_layer=dict(type='RoIAlign', output_size=7, sampling_ratio=0),
            out_channels=W,
            featmap_strides=[4, 8, 16, 32]),
        bbox_head=dict(
            type='mmdet.Shared2FCBBoxHead',
            in_channels=W,
            fc_out_channels=32,
            roi_feat_size=7,
            num_classes=1,
            bbox_coder=dict(
                type='mmdet.DeltaXYWHBBoxCoder',
                target_means=[0., 0., 0., 0.],
                target_stds=[0.1, 0.1, 0.2, 0.2]),
            cls_predictor_cfg=dict(type='mmdet.Linear'),
            reg_predictor_cfg=dict(type='mmdet.Linear'),
            loss_cls=dict(type='mmdet.CrossEntropyLoss', loss_weight=1.0),
            loss_bbox=dict(type='mmdet.L1Loss', loss_weight=1.0)),
        parsing_roi_extractor=dict(
            type='mmdet.SingleRoIExtractor',
            roi_layer=dict(type='RoIAlign', output_size=8, sampling_ratio=2),
            out_channels=W,
            featmap_strides=[4]),
        parsing_head=dict(
            type='GCEHead',
            num_classes=num_parts,
            in_channels=W,
            roi_feat_size=8,
            aspp_channels=8,
            aspp_dilations=(1, 2),
            conv_out_channels=8,
            num_convs=2,
            norm_cfg=GN),
        train_cfg=ConfigDict(
            assigner=dict(
                type='mmdet.MaxIoUAssigner',
                pos_iou_thr=0.5,
                neg_iou_thr=0.5,
                min_pos_iou=0.5,
                match_low_quality=True,
                ignore_iof_thr=-1,
                iou_calculator=dict(type='mmdet.BboxOverlaps2D')),
            sampler=dict(
                type='mmdet.RandomSampler',
                num=32,
                pos_fraction=0.25,
                neg_pos_ub=-1,
                add_gt_as_proposals=True),
            max_parsing_rois_per_img=max_rois,
            pos_weight=-1),
        test_cfg=ConfigDict(
            score_thr=0.0,
            nms=dict(type='nms', iou_threshold=0.5),
            max_per_img=5))
    if with_iou:
        cfg['parsing_iou_head'] = dict(
            type='ParsingIoUHead',
            num_classes=num_parts,
            in_channels=8,
            conv_out_channels=8,
            fc_out_channels=16)
    return cfg


def _feats(n=2, size=64):
    torch.manual_seed(1)
    return tuple(
        torch.randn(n, W, size // s, size // s) for s in (4, 8, 16, 32, 64))


def _sample(size=64):
    parsings = torch.zeros((2, size, size), dtype=torch.uint8)
    parsings[0, 8:40, 6:24] = 1
    parsings[0, 20:40, 6:24] = 2
    parsings[1, 12:60, 30:58] = 3
    s = DetDataSample(
        metainfo=dict(
            img_shape=(size, size),
            ori_shape=(size, size),
            scale_factor=(1., 1.),
            batch_input_shape=(size, size)))
    s.gt_instances = InstanceData(
        bboxes=torch.tensor([[6., 8., 24., 40.], [30., 12., 58., 60.]]),
        labels=torch.zeros(2, dtype=torch.long),
        parsings=parsings)
    return s


def _proposals(sample, num=30):
    torch.manual_seed(2)
    gt = sample.gt_instances.bboxes.repeat(num // 2, 1)
    return InstanceData(bboxes=gt + torch.randn_like(gt) * 2)


def test_loss_keys_and_gradients():
    head = MODELS.build(roi_head_cfg())
    samples = [_sample(), _sample()]
    x = _feats()
    losses = head.loss(x, [_proposals(s) for s in samples], samples)
    for key in ('loss_cls', 'loss_bbox', 'loss_parsing', 'loss_parsing_iou'):
        assert torch.isfinite(losses[key]), key
    sum(v for k, v in losses.items() if 'loss' in k).backward()
    for name in ('parsing_head.deconv.weight',
                 'parsing_iou_head.fc_iou.weight', 'bbox_head.fc_cls.weight'):
        grad = dict(head.named_parameters())[name].grad
        assert grad is not None and grad.abs().sum() > 0, name


def test_at_most_max_positive_rois_per_image():
    head = MODELS.build(roi_head_cfg(max_rois=3))
    many = SimpleNamespace(
        pos_priors=torch.rand(40, 4), pos_assigned_gt_inds=torch.arange(40))
    few = SimpleNamespace(
        pos_priors=torch.rand(2, 4), pos_assigned_gt_inds=torch.arange(2))
    boxes, inds = head._pick_positives([many, few])
    assert [len(b) for b in boxes] == [3, 2]
    # picked boxes keep their own GT index
    for b, i in zip(boxes[0], inds[0]):
        assert torch.equal(b, many.pos_priors[i])


def test_parsing_branch_reads_s2_only():
    head = MODELS.build(roi_head_cfg()).eval()
    x = _feats()
    rois = torch.tensor([[0., 6., 8., 24., 40.], [1., 30., 12., 58., 60.]])
    changed = (x[0], ) + tuple(torch.randn_like(f) for f in x[1:])
    with torch.no_grad():
        a = head._parsing_forward(x, rois)['parsing_preds']
        b = head._parsing_forward(changed, rois)['parsing_preds']
    torch.testing.assert_close(a, b)


def test_predict_outputs_at_original_size():
    head = MODELS.build(roi_head_cfg()).eval()
    sample = _sample()
    sample.set_metainfo(dict(ori_shape=(32, 32), scale_factor=(2., 2.)))
    with torch.no_grad():
        res = head.predict(_feats(n=1), [_proposals(sample)], [sample],
                           rescale=True)[0]
    n = len(res)
    assert 0 < n <= 5
    assert res.parsings.shape == (n, 32, 32)
    assert res.parsings.dtype == torch.uint8
    assert res.masks.dtype == torch.bool
    assert torch.equal(res.masks, res.parsings > 0)
    assert res.bboxes.max() <= 32 + 1e-3  # rescaled to the original image
    torch.testing.assert_close(res.scores,
                               torch.sqrt(res.bbox_scores * res.iou_scores))


def test_without_prsn_scores_are_box_scores_and_empty_input():
    head = MODELS.build(roi_head_cfg(with_iou=False)).eval()
    sample = _sample()
    with torch.no_grad():
        res = head.predict(_feats(n=1), [_proposals(sample)], [sample],
                           rescale=True)[0]
        assert 'bbox_scores' not in res and len(res) > 0
        empty = head.predict(
            _feats(n=1), [InstanceData(bboxes=torch.zeros((0, 4)))],
            [sample],
            rescale=True)[0]
    assert empty.parsings.shape == (0, 64, 64)
