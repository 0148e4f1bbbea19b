"""decode_as_batch: one sample through a codec's batch_decode."""
import numpy as np
import pytest
import torch

from mmhumanparse.codecs.utils import decode_as_batch


class RecordingCodec:
    """batch_decode returns its input and the per-sample sum."""

    def __init__(self):
        self.seen = None

    def batch_decode(self, batch):
        self.seen = batch
        return batch * 2, batch.sum(dim=(1, 2, 3))


def test_one_sample_as_a_contiguous_batch_of_one():
    codec = RecordingCodec()
    sample = np.arange(24, dtype=np.int64).reshape(2, 3, 4)[:, :, ::-1]
    doubled, total = decode_as_batch(codec, sample.tolist(), np.float32,
                                     'x must be (C, H, W)')
    assert isinstance(codec.seen, torch.Tensor)
    assert codec.seen.shape == (1, 2, 3, 4)
    assert codec.seen.dtype == torch.float32
    assert codec.seen.is_contiguous()
    assert isinstance(doubled, np.ndarray) and doubled.shape == (1, 2, 3, 4)
    np.testing.assert_array_equal(doubled[0], 2 * sample)
    np.testing.assert_array_equal(total, [sample.sum()])


def test_error_names_codec_expectation_and_shape():
    with pytest.raises(ValueError) as err:
        decode_as_batch(RecordingCodec(), np.zeros((1, 2, 3, 4)), np.float64,
                        'probs must be (C, H, W)')
    assert str(err.value) == ('RecordingCodec.decode: probs must be '
                              '(C, H, W), got shape (1, 2, 3, 4)')
