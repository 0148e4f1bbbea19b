"""Tests of mmhumanparse/datasets/mhp.py (MHPv2Dataset)."""
import numpy as np
from PIL import Image

from mmhumanparse.registry import DATASETS


def test_mhp_overlapping_persons_keep_own_maps(instance_cfgs):
    ds = DATASETS.build(instance_cfgs['MHP'])
    overlap_found = False
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        parsings = ds[i]['data_samples'].gt_instances.parsings.numpy()
        for inst, part in zip(info['instances'], parsings):
            raw = np.array(Image.open(inst['parsing']['file']))
            assert raw.ndim == 3 and not (raw[..., 0] == raw[..., 1]).all()
            np.testing.assert_array_equal(part, raw[..., 0])  # channel 0 (R)
        overlap_found |= bool(((parsings > 0).sum(0) > 1).any())
    assert overlap_found


def test_mhp_global_map_later_person_wins(instance_cfgs):
    """MHP-v2 has no global PNG: the map is composed from the persons in
    json order, a later person painting over an earlier one (documented in
    MHPv2Dataset / LoadMultiPersonAnnotations)."""
    ds = DATASETS.build(instance_cfgs['MHP'])
    contested = 0
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        seg = ds[i]['data_samples'].gt_sem_seg.sem_seg[0].numpy()
        raws = [np.array(Image.open(inst['parsing']['file']))[..., 0]
                for inst in info['instances']]
        exp = np.zeros_like(seg)
        for raw in raws:
            fg = (raw > 0) & (raw != 255)
            exp[fg] = raw[fg]
        np.testing.assert_array_equal(seg, exp)
        # pixels two persons claim with different labels: the later wins
        for a in range(len(raws)):
            for b in range(a + 1, len(raws)):
                both = (raws[a] > 0) & (raws[b] > 0) & (raws[a] != raws[b])
                contested += int(both.sum())
    assert contested > 0  # the toy data really has such overlaps
