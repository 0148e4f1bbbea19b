"""mmhumanparse/testing/toy_cihp.py: COCO jsons of a toy CIHP root and a
detector config pointed at them."""
import os.path as osp

from mmhumanparse.registry import DATASETS
from mmhumanparse.testing import make_toy_data
from mmhumanparse.testing.toy_cihp import cihp_config, write_cihp_coco
from mmhumanparse.utils import register_all_modules

REPO = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
TOY = osp.join(REPO, 'configs/rp_rcnn/rp-rcnn_r18_fpn_toy_toy-cihp.py')


def test_relative_root_builds_both_splits(tmp_path, monkeypatch):
    """A relative data dir (as `make demo-multi-person` passes) must not be
    joined below ``data_root`` twice."""
    register_all_modules()
    monkeypatch.chdir(tmp_path)
    root = make_toy_data('data', 'cihp', num=2, seed=0)['CIHP']
    anns = write_cihp_coco(root, osp.join(root, 'annotations'))
    assert all(osp.isabs(p) and osp.isfile(p) for p in anns.values())
    cfg = cihp_config(TOY, root, anns)
    for name, num in (('train_dataloader', 2), ('val_dataloader', 2)):
        ds = DATASETS.build(cfg[name].dataset)
        assert len(ds) == num
    assert cfg.val_evaluator[1].ann_file == anns['val']
