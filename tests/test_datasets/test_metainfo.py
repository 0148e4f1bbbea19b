"""Class names, palettes and left/right pairs of every dataset, checked
against the datasets' documented class lists (not against metainfo.py)."""
import pytest

from mmhumanparse.datasets import metainfo as M
from mmhumanparse.datasets.cihp import CIHPDataset, CIHPInstanceDataset
from mmhumanparse.datasets.mhp import MHPv2Dataset
from mmhumanparse.structures.flip import check_flip_pairs

# LIP / CIHP: the 20 classes of the LIP benchmark (CIHP renames 10 to
# torso-skin); ATR: 18 classes of the ATR release; PASCAL-Person-Part:
# 7 classes; MHP-v2: the 59 classes of the LV-MHP-v2 README.
DOCUMENTED = dict(
    LIP=('background', 'hat', 'hair', 'glove', 'sunglasses', 'upper-clothes',
         'dress', 'coat', 'socks', 'pants', 'jumpsuits', 'scarf', 'skirt',
         'face', 'left-arm', 'right-arm', 'left-leg', 'right-leg',
         'left-shoe', 'right-shoe'),
    CIHP=('background', 'hat', 'hair', 'glove', 'sunglasses',
          'upper-clothes', 'dress', 'coat', 'socks', 'pants', 'torso-skin',
          'scarf', 'skirt', 'face', 'left-arm', 'right-arm', 'left-leg',
          'right-leg', 'left-shoe', 'right-shoe'),
    ATR=('background', 'hat', 'hair', 'sunglasses', 'upper-clothes', 'skirt',
         'pants', 'dress', 'belt', 'left-shoe', 'right-shoe', 'face',
         'left-leg', 'right-leg', 'left-arm', 'right-arm', 'bag', 'scarf'),
    PPP=('background', 'head', 'torso', 'upper-arms', 'lower-arms',
         'upper-legs', 'lower-legs'),
    MHP=('background', 'cap/hat', 'helmet', 'face', 'hair', 'left-arm',
         'right-arm', 'left-hand', 'right-hand', 'protector', 'bikini/bra',
         'jacket/windbreaker/hoodie', 't-shirt', 'polo-shirt', 'sweater',
         'singlet', 'torso-skin', 'pants', 'shorts/swim-shorts', 'skirt',
         'stockings', 'socks', 'left-boot', 'right-boot', 'left-shoe',
         'right-shoe', 'left-highheel', 'right-highheel', 'left-sandal',
         'right-sandal', 'left-leg', 'right-leg', 'left-foot', 'right-foot',
         'coat', 'dress', 'robe', 'jumpsuit', 'other-full-body-clothes',
         'headwear', 'backpack', 'ball', 'bats', 'belt', 'bottle',
         'carrybag', 'cases', 'sunglasses', 'eyewear', 'glove', 'scarf',
         'umbrella', 'wallet/purse', 'watch', 'wristband', 'tie',
         'other-accessary', 'other-upper-body-clothes',
         'other-lower-body-clothes'))

# every left-X class with a right-X partner (documented number of pairs)
NUM_PAIRS = dict(LIP=3, CIHP=3, ATR=3, PPP=0, MHP=8)


def _pairs_from_names(names):
    return {(i, names.index('right-' + n[5:]))
            for i, n in enumerate(names) if n.startswith('left-')}


@pytest.mark.parametrize('name', sorted(DOCUMENTED))
def test_classes_and_flip_pairs_match_documented_left_right(name):
    meta = getattr(M, f'{name}_METAINFO')
    assert tuple(meta['classes']) == DOCUMENTED[name]
    expected = _pairs_from_names(DOCUMENTED[name])
    assert len(expected) == NUM_PAIRS[name]
    # as a set of (left, right): no pair missing, none extra, none reversed
    assert set(map(tuple, meta['flip_pairs'])) == expected
    check_flip_pairs(meta['flip_pairs'], len(meta['classes']), name)


def test_instance_datasets_carry_part_pairs():
    assert (set(MHPv2Dataset.METAINFO['flip_pairs']) == _pairs_from_names(
        DOCUMENTED['MHP']))
    for cls in (CIHPInstanceDataset, ):
        assert set(cls.METAINFO['flip_pairs']) == _pairs_from_names(
            DOCUMENTED['CIHP'])
        assert tuple(cls.METAINFO['part_classes']) == DOCUMENTED['CIHP']
    assert tuple(MHPv2Dataset.METAINFO['part_classes']) == DOCUMENTED['MHP']
    assert CIHPDataset.METAINFO is M.CIHP_METAINFO


def test_voc_palette_values():
    # the PASCAL VOC colour map (bit-interleaved), first classes by hand
    pal = M.voc_palette(8)
    assert pal == [[0, 0, 0], [128, 0, 0], [0, 128, 0], [128, 128, 0],
                   [0, 0, 128], [128, 0, 128], [0, 128, 128],
                   [128, 128, 128]]
    assert M.voc_palette(20)[19] == [128, 192, 0]
    assert M.voc_palette(16)[15] == [192, 128, 128]
    for name in DOCUMENTED:
        meta = getattr(M, f'{name}_METAINFO')
        assert meta['palette'] == M.voc_palette(len(DOCUMENTED[name]))


@pytest.mark.parametrize('name', ['LIP', 'CIHP', 'ATR', 'MHP'])
def test_joint_groups_follow_the_nine_joints(name):
    """SS-NAN's nine joints: the left/right joints hold only left/right
    classes of the matching side and the joint flip pairs map left to
    right (checked by class name)."""
    meta = getattr(M, f'{name}_METAINFO')
    names = meta['classes']
    assert meta['joint_names'] == M.NINE_JOINTS
    for a, b in M.NINE_JOINT_FLIP_PAIRS:
        assert meta['joint_names'][a].startswith('left_')
        assert meta['joint_names'][b] == 'right_' + meta['joint_names'][a][5:]
        assert all(names[c].startswith('left-')
                   for c in meta['joint_groups'][a])
        assert all(names[c].startswith('right-')
                   for c in meta['joint_groups'][b])
    # every label in at most one group
    flat = [c for g in meta['joint_groups'] for c in g]
    assert len(flat) == len(set(flat)) and 0 not in flat


def test_lip_keypoint_flip_pairs_by_name():
    names = M.LIP_METAINFO['keypoint_names']
    expected = {(i, names.index('l_' + n[2:])) for i, n in enumerate(names)
                if n.startswith('r_')}
    assert set(M.LIP_METAINFO['keypoint_flip_pairs']) == expected
    assert len(expected) == 6
    assert names[0] == 'r_ankle' and names[9] == 'head_top'  # MPII order


def test_bad_metainfo_flip_pairs_named_at_construction(toy_roots):
    """A dataset whose METAINFO pairs overlap fails when it is built, and the
    error names the dataset class."""
    from mmhumanparse.datasets import ATRDataset
    bad = dict(ATRDataset.METAINFO)
    bad['flip_pairs'] = ((9, 10), (10, 11))
    with pytest.raises(ValueError, match='ATRDataset'):
        ATRDataset(data_root=toy_roots['ATR'], metainfo=bad,
                   data_prefix=dict(img_path='JPEGImages',
                                    seg_map_path='SegmentationClassAug'),
                   ann_file='train_id.txt')


def test_dataset_metainfo_by_lower_case_name():
    assert list(M.DATASET_METAINFO) == ['lip', 'atr', 'ppp', 'cihp', 'mhp']
    for name in DOCUMENTED:
        assert M.DATASET_METAINFO[name.lower()] is getattr(
            M, f'{name}_METAINFO')
