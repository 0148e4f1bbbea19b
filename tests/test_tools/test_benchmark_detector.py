"""tools/analysis_tools/benchmark_detector.py: every stage of both models
is timed at every shape and box count, and the tables report them."""
from mmhumanparse.testing.tool_scripts import load_tool

TOOL = load_tool('analysis_tools/benchmark_detector.py')
TOY = 'configs/rp_rcnn/rp-rcnn_r18_fpn_toy_toy-cihp.py'
MASK_RCNN = 'mmdet::mask_rcnn/mask-rcnn_r50_fpn_1x_coco.py'


def test_stages_and_tables(capsys):
    models = TOOL.main([
        TOY, '--compare', MASK_RCNN, '--shapes', '64x96', '--boxes', '2',
        '5', '--repeat', '1', '--warmup', '0', '--threads', '1',
        '--markdown'
    ])
    out = capsys.readouterr().out
    tables = [t for t in out.split('**')[1:] if 'boxes' in t]
    assert [t.split(' (ms')[0] for t in tables] == [
        '64 x 96 input, 2 boxes', '64 x 96 input, 5 boxes'
    ]
    for box_count, table in zip((2, 5), out.split('**64 x 96')[1:]):
        rows = [r.split('|')[1:-1] for r in table.splitlines()
                if r.startswith('| rp-') or r.startswith('| mask-')]
        header = [c.strip() for c in table.splitlines()[2].split('|')[1:-1]]
        assert header[4:] == list(TOOL.SHARED + TOOL.PER_BOX)
        rp, mask = ({h: c.strip() for h, c in zip(header, r)} for r in rows)
        assert mask[header[3]] == '1.00x'
        assert float(rp['params (M)']) < float(mask['params (M)'])
        # each total is the sum of its stages (rounding aside)
        for row in (rp, mask):
            stages = sum(float(row[s]) for s in header[4:])
            assert abs(float(row['total ms']) - stages) <= len(header)
    # every stage ran; Mask R-CNN has no GSE and no combined map
    rp, mask = models
    for stage in TOOL.SHARED + TOOL.PER_BOX:
        for boxes in (2, 5):
            assert rp.stages((64, 96), boxes)[stage] > 0, stage
    assert mask.stages((64, 96), 2)['gse'] == 0
    assert mask.stages((64, 96), 2)['combine'] == 0
    assert mask.stages((64, 96), 5)['instance heads'] > 0
