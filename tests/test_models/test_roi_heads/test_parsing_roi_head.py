"""ParsingRoIHead: box + parsing branch losses, RoI picking, S2-only parsing
features, predictions pasted at the original size."""
import copy
import functools
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.structures import InstanceData

from mmhumanparse.registry import MODELS
from mmhumanparse.testing.det_samples import persons_det_sample

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
TOY = osp.join(REPO, 'configs/rp_rcnn/rp-rcnn_r18_fpn_toy_toy-cihp.py')


@functools.lru_cache()
def _toy_model_cfg():
    return Config.fromfile(TOY).model


W = _toy_model_cfg().roi_head.bbox_roi_extractor.out_channels  # FPN width


def roi_head_cfg(num_parts=5, with_iou=True, max_rois=4):
    """The toy RP R-CNN config's RoI head with its rcnn train / test
    settings: ``num_parts`` part classes, at most ``max_rois`` parsing RoIs
    per image, every box (at most 5) kept at test time."""
    model = copy.deepcopy(_toy_model_cfg())
    cfg = model.roi_head
    cfg.parsing_head.num_classes = num_parts
    if with_iou:
        cfg.parsing_iou_head.num_classes = num_parts
    else:
        cfg.parsing_iou_head = None
    cfg.train_cfg = model.train_cfg.rcnn
    cfg.train_cfg.max_parsing_rois_per_img = max_rois
    cfg.test_cfg = model.test_cfg.rcnn
    cfg.test_cfg.update(score_thr=0.0, max_per_img=5)
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
    return persons_det_sample(parsings)


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
    for name in ('mask_head.deconv.weight', 'parsing_iou_head.fc_iou.weight',
                 'bbox_head.fc_cls.weight'):
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
        a = head._mask_forward(x, rois)['mask_preds']
        b = head._mask_forward(changed, rois)['mask_preds']
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


@pytest.mark.parametrize('parsing_input', ['logits', 'probs'])
def test_prsn_sees_the_same_input_in_loss_and_predict(parsing_input):
    """What the PRSN max-pools is the GCE logits (official) or their
    softmax (paper), in training and at inference alike."""
    cfg = roi_head_cfg()
    cfg.parsing_iou_head.parsing_input = parsing_input
    head = MODELS.build(cfg)
    seen = {}
    head.mask_head.register_forward_hook(
        lambda m, args, out: seen.update(logits=out[0]))
    head.parsing_iou_head.max_pool.register_forward_hook(
        lambda m, args, out: seen.update(prsn_in=args[0]))

    def check():
        expect = seen['logits']
        if parsing_input == 'probs':
            expect = expect.softmax(1)
        torch.testing.assert_close(seen['prsn_in'], expect)

    samples = [_sample(), _sample()]
    head.loss(_feats(), [_proposals(s) for s in samples], samples)
    check()
    seen.clear()
    head.eval()
    sample = _sample()
    with torch.no_grad():
        res = head.predict(_feats(n=1), [_proposals(sample)], [sample])[0]
    assert len(res) > 0
    check()


def test_semantic_probs_fused_with_test_cfg_weight():
    """``sem_probs`` reach the paste: with a large weight, every person's
    foreground takes the semantic label; the background stays 0."""
    cfg = roi_head_cfg()
    head = MODELS.build(cfg).eval()
    sample = _sample()
    sem = torch.zeros(5, 64, 64)
    sem[4] = 1.
    with torch.no_grad():
        plain = head.predict(_feats(n=1), [_proposals(sample)], [sample],
                             sem_probs=[sem])[0]
        head.test_cfg.semseg_fuse_weight = 100.
        fused = head.predict(_feats(n=1), [_proposals(sample)], [sample],
                             sem_probs=[sem])[0]
    assert (plain.parsings > 0).any() and not (plain.parsings == 4).all()
    assert torch.equal(fused.parsings > 0, plain.parsings > 0)
    assert set(fused.parsings.unique().tolist()) <= {0, 4}


def test_forward_raw_outputs_for_tensor_mode():
    head = MODELS.build(roi_head_cfg()).eval()
    sample = _sample()
    with torch.no_grad():
        cls_score, bbox_pred, parsing, iou = head.forward(
            _feats(n=1), [_proposals(sample)])
    size = head.mask_head.out_size
    assert cls_score.shape == (30, 2) and bbox_pred.shape == (30, 4)
    assert parsing.shape == (30, 5, size, size) and iou.shape == (30, )
