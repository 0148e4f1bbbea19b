"""mmhumanparse.converters.label_io: the one label-PNG reader."""
import numpy as np
import pytest
from PIL import Image

from mmhumanparse.converters import image_size, read_label_png


def test_single_channel_and_palette(tmp_path):
    lab = np.arange(12, dtype=np.uint8).reshape(3, 4) * 20
    Image.fromarray(lab).save(tmp_path / 'l.png')
    out = read_label_png(str(tmp_path / 'l.png'))
    assert out.dtype == np.uint8 and np.array_equal(out, lab)
    # palette PNG: indices are the labels, never the palette colours
    pal = Image.fromarray(lab, mode='P')
    pal.putpalette([255 - i % 256 for i in range(768)])
    pal.save(tmp_path / 'p.png')
    assert np.array_equal(read_label_png(str(tmp_path / 'p.png')), lab)
    assert np.array_equal(
        read_label_png(str(tmp_path / 'l.png'), channel=None), lab)


def test_three_channels_give_channel_0_as_pillow_reads_it(tmp_path):
    """MHP-v2: labels in R; a BGR (OpenCV) or grey read would be wrong."""
    r = np.array([[1, 2], [3, 0]], np.uint8)
    rgb = np.dstack([r, r + 50, np.full_like(r, 7)])
    Image.fromarray(rgb).save(tmp_path / 'm.png')
    assert np.array_equal(read_label_png(str(tmp_path / 'm.png')), r)
    assert np.array_equal(
        read_label_png(str(tmp_path / 'm.png'), channel=2), rgb[..., 2])
    with pytest.raises(ValueError, match='m.png has 3 channels'):
        read_label_png(str(tmp_path / 'm.png'), channel=None)


def test_16_bit(tmp_path):
    lab = np.array([[0, 5], [255, 19]], np.uint16)
    Image.fromarray(lab).save(tmp_path / 'a.png')
    out = read_label_png(str(tmp_path / 'a.png'))
    assert out.dtype == np.uint8 and np.array_equal(out, lab)
    lab[0, 0] = 300
    Image.fromarray(lab).save(tmp_path / 'b.png')
    with pytest.raises(ValueError, match='b.png holds values outside'):
        read_label_png(str(tmp_path / 'b.png'))


def test_errors_name_the_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.png'):
        read_label_png(str(tmp_path / 'nope.png'))
    (tmp_path / 'bad.png').write_bytes(b'not a png')
    with pytest.raises(ValueError, match='cannot read annotation .*bad.png'):
        read_label_png(str(tmp_path / 'bad.png'))
    with pytest.raises(ValueError, match='cannot read image .*bad.png'):
        image_size(str(tmp_path / 'bad.png'))
    with pytest.raises(FileNotFoundError, match='image not found'):
        image_size(str(tmp_path / 'none.jpg'))


def test_image_size(tmp_path):
    Image.fromarray(np.zeros((5, 7, 3), np.uint8)).save(tmp_path / 'i.jpg')
    assert image_size(str(tmp_path / 'i.jpg')) == (5, 7)
