"""tools/misc/check_dataset.py: the pre-flight of a config's datasets
lists every faulty file (missing, undecodable, wrong size, out-of-range
labels, json records without keys) and exits 1; clean toy data exits 0."""
import os
import os.path as osp
import shutil

import numpy as np
from PIL import Image

from mmhumanparse.converters import cihp_to_coco, dump_coco
from mmhumanparse.testing.tool_scripts import REPO, load_tool

LIP_BASE = osp.join(REPO, 'configs/_base_/datasets/toy_lip.py')
CIHP_BASE = osp.join(REPO, 'configs/_base_/datasets/cihp_instance.py')


def _run(config, capsys, *extra):
    code = load_tool('misc/check_dataset.py').main(
        [str(config), '--workers', '2', *extra])
    return code, capsys.readouterr().out


def _lip_config(tmp_path, root):
    cfg = tmp_path / 'lip_cfg.py'
    cfg.write_text(f'_base_ = {LIP_BASE!r}\ndata_root = {root!r}\n'
                   'train_dataloader = dict(dataset=dict(data_root='
                   'data_root))\nval_dataloader = dict(dataset=dict('
                   'data_root=data_root))\ntest_dataloader = '
                   'val_dataloader\n')
    return cfg


def test_clean_toy_lip_passes(toy_roots, tmp_path, capsys):
    code, out = _run(_lip_config(tmp_path, toy_roots['LIP']), capsys)
    assert code == 0, out
    assert 'train: LIPDataset' in out and '6 samples, 12 files' in out
    assert 'val: LIPDataset' in out and '3 samples, 6 files' in out
    assert 'test: the dataset of an earlier split' in out
    assert 'no problem found' in out


def test_every_faulty_file_listed(toy_roots, tmp_path, capsys):
    root = str(tmp_path / 'LIP')
    shutil.copytree(toy_roots['LIP'], root)
    with open(osp.join(root, 'train_id.txt')) as f:
        ids = f.read().split()
    img = osp.join(root, 'train_images', '{}.jpg').format
    seg = osp.join(root, 'train_segmentations', '{}.png').format
    os.remove(img(ids[0]))                         # missing image
    os.remove(seg(ids[1]))                         # missing label
    with open(img(ids[2]), 'wb') as f:             # not an image
        f.write(b'not a jpeg')
    lab = np.array(Image.open(seg(ids[3])))
    Image.fromarray(lab[:-2]).save(seg(ids[3]))    # 2 rows short
    lab = np.array(Image.open(seg(ids[4])))
    lab[0, :3] = (20, 255, 37)                     # 20, 37 >= 20 classes
    Image.fromarray(lab).save(seg(ids[4]))
    code, out = _run(_lip_config(tmp_path, root), capsys, '--split',
                     'train')
    assert code == 1
    assert '5 faulty file(s)' in out and '5 faulty' in out
    assert f'{img(ids[0])}: not found (train_id.txt line 1)' in out
    assert f'{seg(ids[1])}: not found (train_id.txt line 2)' in out
    assert f'{img(ids[2])}: cannot be decoded as an image' in out
    assert f'{seg(ids[3])}: label size (126, 96)' in out
    assert f'{seg(ids[4])}: label values [20, 37] are >= num_classes=20' in out
    assert 'val:' not in out  # --split train only


def test_multi_person_json_records_and_files(toy_roots, tmp_path, capsys):
    root = str(tmp_path / 'CIHP')
    shutil.copytree(toy_roots['CIHP'], root)
    coco = cihp_to_coco(root, 'val', verbose=False)
    del coco['annotations'][0]['parsing']
    del coco['images'][1]['file_name']
    part = coco['annotations'][-1]['parsing']['file']
    os.remove(osp.join(root, part))
    ann = str(tmp_path / 'val.json')
    dump_coco(coco, ann)
    split = 'instance-level_human_parsing/Validation'
    cfg = tmp_path / 'cihp_cfg.py'
    cfg.write_text(
        f'_base_ = {CIHP_BASE!r}\nval_dataloader = dict(dataset=dict('
        f'data_root={root!r}, ann_file={ann!r}, data_prefix=dict('
        f"img='{split}/Images'), global_seg_dir='{split}/Category_ids'))\n")
    code, out = _run(cfg, capsys, '--split', 'val')
    assert code == 1
    ann_id = coco['annotations'][0]['id']
    assert f"annotations[0] (id {ann_id}): missing key(s) ['parsing']" in out
    img_id = coco['images'][1]['id']
    assert f"images[1] (id {img_id}): missing key(s) ['file_name']" in out
    assert f'{osp.join(root, part)}: not found (val.json image id' in out
