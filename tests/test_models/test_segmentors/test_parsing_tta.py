"""Flip test with left/right channel swap: ParsingTTAModel and the
``test_cfg.flip`` of ParsingEncoderDecoder.

The network is replaced by an ideal parser with a fixed, asymmetric answer:
on the image it predicts the label map ``LABEL`` (confidence 1), on the
mirrored image it predicts what a correct parser sees there, the mirrored
map with left and right exchanged (confidence 3, so that averaging without
the swap would turn every left part into a right part and vice versa).
"""
import os.path as osp

import pytest
import torch
from mmengine import Config
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmhumanparse.registry import MODELS
from mmhumanparse.structures.flip import flip_permutation, swap_flip_channels
from mmhumanparse.utils import register_all_modules

register_all_modules()

REPO = osp.dirname(osp.dirname(osp.dirname(osp.dirname(
    osp.abspath(__file__)))))
CFG = osp.join(REPO, 'configs', 'c_dlinknet',
               'c-dlinknet_r18-d16_1xb8-900iter_toy-lip-128x96.py')
NUM_CLASSES = 4
PAIRS = [(1, 2)]  # 1: left arm, 2: right arm; 3 (hat) has no partner
LABEL = torch.tensor([[0, 1, 1, 0, 3, 2],
                      [1, 1, 0, 0, 2, 2],
                      [0, 1, 3, 3, 0, 2],
                      [0, 0, 0, 2, 2, 0]])
H, W = LABEL.shape


def _one_hot(label):
    return torch.nn.functional.one_hot(label, NUM_CLASSES).permute(2, 0, 1)


def _image():
    """uint8 (3, H, W); the bright top-left pixel tells the orientation."""
    img = torch.zeros(3, H, W, dtype=torch.uint8)
    img[:, 0, 0] = 255
    return img


def ideal_parser(inputs, batch_img_metas):
    """(N, C, H, W) logits of an ideal parser (see module docstring)."""
    outs = []
    for img in inputs:
        mirrored = img[:, 0, -1].mean() > img[:, 0, 0].mean()
        if mirrored:
            seen = swap_flip_channels(_one_hot(LABEL.flip(-1)), PAIRS, dim=0)
            outs.append(3.0 * seen.float())
        else:
            outs.append(_one_hot(LABEL).float())
    return torch.stack(outs)


def _model(flip=False, flip_pairs=None):
    cfg = Config.fromfile(CFG).model
    cfg.backbone.init_cfg = None
    cfg.decode_head.num_classes = NUM_CLASSES
    cfg.test_cfg = dict(mode='whole', flip=flip, flip_pairs=flip_pairs)
    model = MODELS.build(cfg).eval()
    model.encode_decode = ideal_parser
    return model


def _sample(flip=False, pairs=PAIRS):
    meta = dict(
        img_shape=(H, W), ori_shape=(H, W), pad_shape=(H, W), flip=flip,
        flip_direction='horizontal' if flip else None,
        img_path='toy.jpg')
    if pairs is not None:
        meta['flip_pairs'] = pairs
    s = SegDataSample(metainfo=meta)
    s.gt_sem_seg = PixelData(data=LABEL[None])
    return s


def _tta(module=None, flip_pairs=None):
    """ParsingTTAModel around ``module`` (default: a model without flip)."""
    return MODELS.build(
        dict(
            type='ParsingTTAModel',
            module=module if module is not None else _model(),
            flip_pairs=flip_pairs))


def _two_views(pairs=PAIRS):
    """A test_step batch of one image in two views, as TestTimeAug +
    HumanRandomFlip(prob=0 / 1) produce them: the second view's image is
    mirrored, flip=True."""
    img = _image()
    return dict(
        inputs=[[img], [img.flip(-1)]],
        data_samples=[[_sample(False, pairs)], [_sample(True, pairs)]])


def test_flip_permutation():
    assert flip_permutation(5, [(1, 2), (3, 4)]).tolist() == [0, 2, 1, 4, 3]
    with pytest.raises(ValueError, match='flip_pairs'):
        flip_permutation(3, [(1, 3)])


def test_ideal_parser_is_flip_equivariant():
    """Sanity check of the fake: mirrored input -> swapped mirrored map."""
    x = _image().float()[None]
    mirrored = ideal_parser(x.flip(-1), None)[0].argmax(0)
    label_swapped = flip_permutation(NUM_CLASSES, PAIRS)[LABEL.flip(-1)]
    assert torch.equal(mirrored, label_swapped)


@pytest.mark.parametrize('pairs_in', ['metainfo', 'config'])
def test_encoder_decoder_flip_test(pairs_in):
    model = _model(
        flip=True, flip_pairs=PAIRS if pairs_in == 'config' else None)
    samples = [_sample(pairs=PAIRS if pairs_in == 'metainfo' else None)]
    x = _image().float()[None]
    pred = model.predict(x, samples)[0]
    assert torch.equal(pred.pred_sem_seg.data[0], LABEL)
    # both views agree after the swap: (1 + 3) / 2 on the true class
    torch.testing.assert_close(pred.seg_logits.data,
                               2.0 * _one_hot(LABEL).float())


def test_encoder_decoder_flip_needs_pairs():
    model = _model(flip=True)
    with pytest.raises(ValueError, match='flip pairs'):
        model.predict(_image().float()[None], [_sample(pairs=None)])


def test_encoder_decoder_without_flip():
    model = _model(flip=False)
    pred = model.predict(_image().float()[None], [_sample(pairs=None)])[0]
    assert torch.equal(pred.pred_sem_seg.data[0], LABEL)


@pytest.mark.parametrize('pairs_in', ['metainfo', 'argument'])
def test_tta_model_swaps_flipped_views(pairs_in):
    tta = _tta(flip_pairs=PAIRS if pairs_in == 'argument' else None)
    data = _two_views(PAIRS if pairs_in == 'metainfo' else None)
    pred = tta.test_step(data)[0]
    assert torch.equal(pred.pred_sem_seg.data[0], LABEL)
    assert torch.equal(pred.gt_sem_seg.data, LABEL[None])
    assert pred.img_path == 'toy.jpg'


def test_tta_model_needs_pairs_for_flipped_views():
    with pytest.raises(ValueError, match='flip pairs'):
        _tta().test_step(_two_views(None))


def test_encoder_decoder_config_pairs_beat_metainfo():
    """test_cfg.flip_pairs wins over the sample's (here wrong: no pairs)."""
    model = _model(flip=True, flip_pairs=PAIRS)
    pred = model.predict(_image().float()[None], [_sample(pairs=())])[0]
    assert torch.equal(pred.pred_sem_seg.data[0], LABEL)
    # the sample's empty pairs alone would leave left/right unswapped
    model = _model(flip=True)
    pred = model.predict(_image().float()[None], [_sample(pairs=())])[0]
    assert not torch.equal(pred.pred_sem_seg.data[0], LABEL)


def test_encoder_decoder_dataset_meta_fallback():
    model = _model(flip=True)
    model.dataset_meta = dict(flip_pairs=PAIRS)
    pred = model.predict(_image().float()[None], [_sample(pairs=None)])[0]
    assert torch.equal(pred.pred_sem_seg.data[0], LABEL)
    # the sample's own pairs win over dataset_meta
    model.dataset_meta = dict(flip_pairs=[(1, 3)])
    pred = model.predict(_image().float()[None], [_sample(pairs=PAIRS)])[0]
    assert torch.equal(pred.pred_sem_seg.data[0], LABEL)


def test_flip_test_rejects_bad_pairs_naming_the_source():
    model = _model(flip=True, flip_pairs=[(1, 4)])  # 4 >= NUM_CLASSES
    with pytest.raises(ValueError, match=r'config.*\[0, 4\)'):
        model.predict(_image().float()[None], [_sample()])
    bad = [(1, 2), (2, 3)]
    with pytest.raises(ValueError,
                       match='ParsingTTAModel.*toy.jpg.*disjoint'):
        _tta().test_step(_two_views(bad))


def test_tta_dataset_meta_fallback():
    module = _model()
    module.dataset_meta = dict(flip_pairs=PAIRS)
    pred = _tta(module).test_step(_two_views(None))[0]
    assert torch.equal(pred.pred_sem_seg.data[0], LABEL)
