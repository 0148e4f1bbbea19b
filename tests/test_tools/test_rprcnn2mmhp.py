"""tools/model_converters/rprcnn2mmhp.py: official RP R-CNN / Parsing R-CNN
checkpoints (fakes with the official key names and shapes, pickled as the
official checkpointer does) convert completely onto our configs, and the
converted modules compute what the official modules compute."""
import math
import os.path as osp

import pytest
import torch

from mmhumanparse.apis import init_parser
from mmhumanparse.testing import official_rprcnn_forward as official
from mmhumanparse.testing.official_rprcnn import (official_shapes,
                                                  official_state_dict,
                                                  save_official_checkpoint)
from mmhumanparse.testing.tool_scripts import load_tool
from mmhumanparse.utils.rprcnn_checkpoint import (convert_official,
                                                  load_official_state_dict)

TOOL = load_tool('model_converters/rprcnn2mmhp.py')
REPO = TOOL.REPO
RP_CIHP = osp.join(REPO, 'configs/rp_rcnn/rp-rcnn_r50_fpn_6x_cihp.py')


def _numel(shapes, prefixes=('', )):
    return sum(
        math.prod(s) for k, s in shapes.items()
        if k.startswith(tuple('module.' + p for p in prefixes)))


def _params(model, prefixes):
    return sum(p.numel() for n, p in model.named_parameters()
               if n.startswith(prefixes))


def test_fake_has_the_official_model_size():
    """The official RP R-CNN CIHP R-50 holds 286 tensors (58.7 M values);
    GCE 13,216,276, PRSN 859,649 and GSE-FPN 6,633,492 parameters
    (numbers from building the official model)."""
    shapes = official_shapes(20, rp_rcnn=True)
    assert len(shapes) == 286
    assert round(_numel(shapes) / 1e6, 1) == 58.7
    assert _numel(shapes, ('Parsing_RCNN.Head', 'Parsing_RCNN.Output')) \
        == 13216276
    assert _numel(shapes, ('Parsing_RCNN.ParsingIoU', )) == 859649
    assert _numel(shapes, ('SemSeg', 'Conv_Body_FPN')) == 6633492


def test_plain_load_fails_ours_reads(tmp_path):
    """The scheduler entry pickles a class of the official repo: torch.load
    fails either way; load_official_state_dict returns the weights."""
    state = official_state_dict(20, rp_rcnn=False)
    src = save_official_checkpoint(state, str(tmp_path / 'model.pth'))
    with pytest.raises(Exception, match='official_rprcnn_utils_collections'):
        torch.load(src, weights_only=False)
    with pytest.raises(Exception):
        torch.load(src, weights_only=True)
    loaded = load_official_state_dict(src)
    assert list(loaded) == [k[len('module.'):] for k in state]
    assert all(torch.equal(loaded[k[7:]], v) for k, v in state.items())


@pytest.mark.parametrize('rp_rcnn, parts, config', [
    (True, 20, 'rp_rcnn/rp-rcnn_r50_fpn_6x_cihp.py'),
    (True, 59, 'rp_rcnn/rp-rcnn_r50_fpn_6x_mhp-v2.py'),
    (False, 20, 'parsing_rcnn/parsing-rcnn_r50_fpn_3x_cihp.py'),
    (False, 59, 'parsing_rcnn/parsing-rcnn_r50_fpn_3x_mhp-v2.py'),
])
def test_tool_converts_every_tensor(tmp_path, capsys, rp_rcnn, parts,
                                    config):
    """The tool picks the config from the checkpoint, maps every official
    tensor (zero unmapped / missing / mismatched) and writes a checkpoint
    that loads strictly, with as many parameters as the official model
    has values (its affine norms are our BN weights and biases), less its
    RPN anchors and the background class's box deltas."""
    shapes = official_shapes(parts, rp_rcnn)
    src = save_official_checkpoint(
        official_state_dict(parts, rp_rcnn), str(tmp_path / 'model.pth'))
    dst = str(tmp_path / 'converted.pth')
    assert TOOL.main([src, dst]) == 0
    assert config in capsys.readouterr().out
    ckpt = torch.load(dst, weights_only=False)
    assert len(ckpt['meta']['dataset_meta']['part_classes']) == parts
    model = init_parser(osp.join(REPO, 'configs', config), dst)
    anchors = _numel(shapes, ('RPN.anchor_generator', ))
    bg_deltas = 4 * 1024 + 4
    assert _params(model, ('', )) == _numel(shapes) - anchors - bg_deltas
    if rp_rcnn:
        assert _params(model, ('roi_head.mask_head', )) == _numel(
            shapes, ('Parsing_RCNN.Head', 'Parsing_RCNN.Output'))
        assert _params(model, ('roi_head.parsing_iou_head', )) == _numel(
            shapes, ('Parsing_RCNN.ParsingIoU', ))
        assert _params(model, ('neck', 'semantic_head')) == _numel(
            shapes, ('SemSeg', 'Conv_Body_FPN'))
    if (rp_rcnn, parts) == (True, 20):  # the numbers
        assert _params(model, ('roi_head.mask_head', )) == 13216276
        assert _params(model, ('roi_head.parsing_iou_head', )) == 859649
        assert _params(model, ('neck', 'semantic_head')) == 6633492


@pytest.fixture(scope='module')
def rp_cihp():
    """Official weights, our RP R-CNN CIHP model and its converted dict."""
    sd = {k[7:]: v for k, v in official_state_dict(20, True, 1).items()}
    model = init_parser(RP_CIHP)
    converted, report = convert_official(sd, model)
    return sd, model, converted, report


def test_refuses_with_the_lists(tmp_path, capsys, rp_cihp):
    """A missing, an unknown and a wrongly shaped tensor are each listed;
    the tool writes nothing and exits 1 for a checkpoint of the other
    dataset."""
    sd, model, _, report = rp_cihp
    assert report['skipped'] == [
        f'RPN.anchor_generator.cell_anchors.{i}' for i in range(5)
    ]
    bad = dict(sd)
    del bad['Conv_Body_FPN.fpn_out.1.1.bias']
    bad['Parsing_RCNN.Head.extra.weight'] = torch.zeros(1)
    bad['RPN.head.conv.weight'] = torch.zeros(256, 256, 1, 1)
    _, rep = convert_official(bad, model)
    assert rep['unmapped'] == ['Parsing_RCNN.Head.extra.weight']
    assert rep['missing'] == [
        'neck.fpn_convs.1.gn.bias', 'rpn_head.rpn_conv.weight'
    ]
    assert rep['mismatched'] == [('RPN.head.conv.weight',
                                  'rpn_head.rpn_conv.weight',
                                  (256, 256, 1, 1), (256, 256, 3, 3))]
    src = save_official_checkpoint(
        official_state_dict(59, True), str(tmp_path / 'mhp.pth'))
    dst = tmp_path / 'out.pth'
    assert TOOL.main([src, str(dst), '--config', RP_CIHP]) == 1
    err = capsys.readouterr().err
    assert 'shape mismatch: SemSeg.Output.conv_logits.weight' in err
    assert 'Parsing_RCNN.Output.parsing_score_lowres.bias (59,)' in err
    assert not dst.exists()


def _close(ours, theirs):
    """Equal up to float32 rounding: max |d| < 5e-6 of the largest value
    (the backbone is within 7e-7; BN variance 1 instead of 1 - eps gives
    1.7e-5 on C2)."""
    assert ours.shape == theirs.shape
    scale = theirs.abs().max().clamp(min=1e-6)
    assert ((ours - theirs).abs().max() / scale).item() < 5e-6


@torch.no_grad()
def test_converted_modules_compute_the_official_outputs(rp_cihp):
    """Backbone (affine norms -> frozen BN), FPN (GN, top-down order), GSE,
    RPN, box head (class rows swapped), GCE head (pooled non-local) and
    PRSN (logits input, stride 2) equal the official functions."""
    sd, model, converted, _ = rp_cihp
    model.load_state_dict(converted, strict=True)
    model.eval()
    gen = torch.Generator().manual_seed(0)
    img = torch.randn(1, 3, 64, 96, generator=gen) * 50
    c_ours, c_off = model.backbone(img), official.resnet50(sd, img)
    for ours, theirs in zip(c_ours, c_off):
        _close(ours, theirs)
    p_ours, p_off = model.neck(c_off), official.fpn(sd, c_off)
    assert len(p_ours) == len(p_off) == 5
    for ours, theirs in zip(p_ours, p_off):
        _close(ours, theirs)
    sem = model.semantic_head(p_off)
    logits, enhanced = official.semseg(sd, p_off)
    _close(sem['seg_preds'], logits)
    assert len(sem['feats']) == len(enhanced) == 4
    for ours, theirs in zip(sem['feats'], enhanced):
        _close(ours, theirs)
    for ours, theirs in zip(
            model.rpn_head.forward_single(enhanced[1]),
            official.rpn_head(sd, enhanced[1])):
        _close(ours, theirs)
    rois = torch.randn(3, 256, 7, 7, generator=gen)
    cls_score, deltas = model.roi_head.bbox_head(rois)
    off_cls, off_deltas = official.box_head(sd, rois)
    _close(cls_score, off_cls[:, [1, 0]])
    _close(deltas, off_deltas[:, 4:])
    rois = torch.randn(2, 256, 32, 32, generator=gen)
    (parse_logits, feat), (off_logits, off_feat) = \
        model.roi_head.mask_head(rois), official.gce_head(sd, rois)
    _close(feat, off_feat)
    _close(parse_logits, off_logits)
    _close(
        model.roi_head.parsing_iou_head(off_feat, off_logits),
        official.prsn(sd, off_feat, off_logits)[:, 0])
