"""SS-NAN's Skip-Net starts from PSPNet (Sec. 4.1): the paper configs load
the ``backbone.`` tensors of mmseg's PSPNet R-101-D8 checkpoint.

No download: a randomly initialised PSPNet built from mmseg's own config
stands in for the published checkpoint."""
import copy
import os.path as osp

import mmseg
import torch
import yaml
from mmengine import Config
from mmengine.model import revert_sync_batchnorm
from mmengine.registry import DefaultScope
from mmseg.registry import MODELS as MMSEG_MODELS

from mmhumanparse.registry import MODELS

REPO = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))
PAPER = osp.join(REPO, 'configs', 'ss_nan',
                 'ss-nan-stage1_r101-d8_1xb30-40e_lip-321x321.py')
MMSEG_CFG = osp.join(
    osp.dirname(mmseg.__file__), '.mim', 'configs', 'pspnet',
    'pspnet_r101-d8_4xb4-160k_ade20k-512x512.py')


def _pspnet(depth):
    """mmseg's PSPNet R-101-D8 (ADE20K) model, random weights, ``depth``
    changed only where the test must stay small."""
    cfg = Config.fromfile(MMSEG_CFG).model
    cfg.pretrained = None
    cfg.data_preprocessor = None
    if depth != 101:
        cfg.backbone.depth = depth
    with DefaultScope.overwrite_default_scope('mmseg'):
        return MMSEG_MODELS.build(cfg)


def _ss_nan_backbone(depth, checkpoint=None):
    cfg = copy.deepcopy(Config.fromfile(PAPER).model.backbone)
    cfg.depth = depth
    cfg.init_cfg = None if checkpoint is None else dict(
        Config.fromfile(PAPER).model.backbone.init_cfg,
        checkpoint=checkpoint)
    return MODELS.build(cfg)


def _backbone_shapes(module, prefix=''):
    return {
        k[len(prefix):]: tuple(v.shape)
        for k, v in module.state_dict().items() if k.startswith(prefix)
    }


def test_paper_config_points_at_mmseg_pspnet_r101_d8():
    init = Config.fromfile(PAPER).model.backbone.init_cfg
    assert init.type == 'Pretrained' and init.prefix == 'backbone.'
    meta = osp.join(osp.dirname(MMSEG_CFG), 'metafile.yaml')
    with open(meta) as f:
        models = yaml.safe_load(f)['Models']
    name = osp.basename(MMSEG_CFG)[:-3]
    weights = [m['Weights'] for m in models if m['Name'] == name]
    assert weights == [init.checkpoint]


def test_pspnet_r101_d8_backbone_keys_match_ours():
    """Every ``backbone.*`` tensor of PSPNet R-101-D8 has a tensor of the
    same name and shape in our Skip-Net, and the other way round."""
    theirs = _backbone_shapes(_pspnet(101), 'backbone.')
    ours = _backbone_shapes(_ss_nan_backbone(101))
    assert len(ours) > 500
    assert set(theirs) == set(ours)
    assert theirs == ours


def test_pspnet_checkpoint_loads_into_our_backbone(tmp_path):
    """Loading through the config's init_cfg (prefix ``backbone.``): no
    missing and no unexpected key, every tensor taken over (ResNet-50
    keeps the test small; the R-101 key sets are compared above)."""
    psp = revert_sync_batchnorm(_pspnet(50))
    state = psp.state_dict()
    path = str(tmp_path / 'pspnet.pth')
    torch.save(dict(state_dict=state, meta=dict()), path)
    theirs = {
        k[len('backbone.'):]: v
        for k, v in state.items() if k.startswith('backbone.')
    }
    assert any(k.startswith('decode_head.') for k in state)  # dropped
    ours = _ss_nan_backbone(50, checkpoint=path)
    before = {k: v.clone() for k, v in ours.state_dict().items()}
    ours.init_weights()
    after = ours.state_dict()
    assert set(after) == set(theirs)
    for key, value in theirs.items():
        torch.testing.assert_close(after[key], value, msg=key)
    # the weights did come from the file: every conv kernel changed
    kernels = [k for k, v in after.items() if v.dim() == 4]
    assert len(kernels) > 50
    assert not any(torch.equal(after[k], before[k]) for k in kernels)
