"""ResNetV1cWithStem: mmseg's ResNetV1c that also returns the stem (E1)."""
import pytest
import torch
from mmseg.models.backbones import ResNetV1c

from mmhumanparse.models.backbones import ResNetV1cWithStem
from mmhumanparse.registry import MODELS
from mmhumanparse.utils import register_all_modules

KW = dict(depth=18, base_channels=8, stem_channels=8, num_stages=4,
          out_indices=(0, 1, 2, 3), strides=(1, 2, 2, 1),
          dilations=(1, 1, 1, 2), contract_dilation=True, init_cfg=None)


@pytest.fixture(scope='module')
def pair():
    torch.manual_seed(0)
    ours, ref = ResNetV1cWithStem(**KW), ResNetV1c(**KW)
    ref.load_state_dict(ours.state_dict())  # same parameter names
    ours.eval()  # (mmseg's ResNet.train returns None: no chaining)
    ref.eval()
    return ours, ref


def test_registered():
    register_all_modules(init_default_scope=True)
    assert MODELS.get('ResNetV1cWithStem') is ResNetV1cWithStem


def test_same_parameters_as_resnetv1c(pair):
    """V1c checkpoints load unchanged: identical state-dict keys/shapes."""
    ours, ref = pair
    a = {k: v.shape for k, v in ours.state_dict().items()}
    b = {k: v.shape for k, v in ref.state_dict().items()}
    assert a == b


def test_stem_first_then_the_stages(pair):
    ours, ref = pair
    x = torch.rand(2, 3, 64, 48)
    with torch.no_grad():
        out = ours(x)
        stages = ref(x)
        stem = ref.stem(x)
    assert len(out) == 5
    # E1: the stem before max-pooling, stride 2, stem_channels
    assert out[0].shape == (2, 8, 32, 24)
    torch.testing.assert_close(out[0], stem)
    for a, b in zip(out[1:], stages):
        torch.testing.assert_close(a, b)
    # E5 dilated: output stride 16 like E4
    assert [o.shape[2] for o in out] == [32, 16, 8, 4, 4]


def test_without_stem_out_is_resnetv1c(pair):
    ours, ref = pair
    plain = ResNetV1cWithStem(with_stem_out=False, **KW)
    plain.load_state_dict(ref.state_dict())
    plain.eval()
    x = torch.rand(1, 3, 32, 32)
    with torch.no_grad():
        for a, b in zip(plain(x), ref(x)):
            torch.testing.assert_close(a, b)
        assert len(plain(x)) == 4
