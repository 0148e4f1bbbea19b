"""Edge ODS / OIS / AP on the BSDS protocol, through ``pyEdgeEval``.

The protocol of the BSDS500 boundary benchmark (Arbelaez et al.,
"Contour Detection and Hierarchical Image Segmentation", TPAMI 2011),
used for the edge-main numbers of HTCorrM (TPAMI 2021) Table 9: for every
threshold t the map ``prob >= t`` is thinned to one-pixel-wide lines
(morphological thinning, MATLAB ``bwmorph(.., 'thin', inf)``) and matched
one-to-one to the GT edge pixels by a minimum-cost bipartite assignment
(``correspondPixels``) within ``max_dist`` times the image diagonal
(0.0075). ``pyEdgeEval`` (PyPI ``pyEdgeEval==0.2.8``, a Cython port of the
original C++ matcher) does the per-threshold work; this module only feeds
it one image at a time and reduces the split as its ``calculate_metrics``
does (interpolated ODS, OIS from each image's best threshold, AP).

The original matcher draws a few random outlier edges seeded from the
clock, so the counts of a pixel can differ by a handful between runs on
ambiguous maps (the MATLAB benchmark has the same property).
"""
import contextlib
import io
from typing import Dict, Sequence

import numpy as np

from .edge import _counts_at_or_above, default_thresholds, prepare_edge_maps

_PYEDGEEVAL = None


def _pyedgeeval():
    """Import the pyEdgeEval pieces once (silencing its import-time print)."""
    global _PYEDGEEVAL
    if _PYEDGEEVAL is None:
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                from pyEdgeEval.common.binary_label.evaluate_boundaries import \
                    evaluate_boundaries_threshold  # noqa: E501
                from pyEdgeEval.common.metrics import (compute_rec_prec_f1,
                                                       interpolated_max_scores)
        except ImportError as e:
            raise ImportError(
                'the BSDS edge protocol needs pyEdgeEval: pip install '
                "pyEdgeEval==0.2.8 (or use EdgeMetric(protocol='fast') for "
                f'the approximate preview); import failed with: {e}') from e
        _PYEDGEEVAL = dict(
            evaluate=evaluate_boundaries_threshold,
            rec_prec_f1=compute_rec_prec_f1,
            interpolated_max=interpolated_max_scores)
    return _PYEDGEEVAL


def bsds_edge_counts(prob,
                     gt,
                     thresholds: np.ndarray = None,
                     max_dist: float = 0.0075,
                     ignore_index: int = 255) -> np.ndarray:
    """BSDS matched / total edge pixels of one image at every threshold.

    Pixels where the GT is ``ignore_index`` are removed from both maps
    (BSDS has no ignore label). Thresholds that select the same pixels
    (equal counts of ``prob >= t``, the sets being nested) are matched
    once, so a map with few distinct values is cheap.

    Args:
        prob (array-like): (H, W) or (1, H, W) edge probability in [0, 1].
        gt (array-like): same shape, 1 = edge, 0 = no edge, ``ignore_index``
            = not evaluated.
        thresholds (np.ndarray): (T,) increasing; default 99 BSDS values.
        max_dist (float): match distance as a fraction of the image
            diagonal (BSDS: 0.0075).
        ignore_index (int): ignored GT value.

    Returns:
        np.ndarray: (4, T) int64 rows ``cntP`` (matched thinned predicted
        pixels), ``sumP`` (thinned predicted pixels), ``cntR`` (matched GT
        pixels), ``sumR`` (GT edge pixels): the layout of
        :func:`edge_pr_counts`.

    Raises:
        ValueError: on bad input, see :func:`prepare_edge_maps`.
        ImportError: when pyEdgeEval is not installed.
    """
    pe = _pyedgeeval()
    prob, edge, _ = prepare_edge_maps(prob, gt, ignore_index)
    if thresholds is None:
        thresholds = default_thresholds()
    thresholds = np.asarray(thresholds, np.float64)
    num_t = thresholds.shape[0]
    counts = np.zeros((4, num_t), np.int64)
    counts[3] = int(edge.sum())
    selected = _counts_at_or_above(prob.ravel(), thresholds)
    todo = np.flatnonzero(selected > 0)
    if todo.size == 0:
        return counts
    # one representative threshold per distinct selected set
    _, first, group = np.unique(
        selected[todo], return_index=True, return_inverse=True)
    cnt_r, sum_r, cnt_p, sum_p = pe['evaluate'](
        thresholds[todo[first]], prob, edge, max_dist, apply_thinning=True)
    for row, vals in enumerate((cnt_p, sum_p, cnt_r)):
        counts[row, todo] = np.asarray(vals, np.int64)[group]
    return counts


def bsds_ods_ois_ap(counts: Sequence[np.ndarray],
                    thresholds: np.ndarray = None) -> Dict:
    """ODS, OIS and AP of a split from per-image BSDS counts.

    As ``pyEdgeEval.common.binary_label.calculate_metrics`` (the BSDS
    ``collect_eval_bdry``): ODS is the best F on the split PR curve
    linearly interpolated between neighbouring thresholds; OIS sums over
    images the counts at each image's best threshold (the first one on
    ties) and takes their F; AP averages over the 101 recall levels 0,
    0.01, ..., 1 the best precision at that recall or above (pyEdgeEval
    0.2.8 omits the level 1 but still divides by 101).
    A 0/0 precision or recall is 0, and so is F.

    Args:
        counts (Sequence[np.ndarray]): per image the (4, T) output of
            :func:`bsds_edge_counts` (``cntP, sumP, cntR, sumR``).
        thresholds (np.ndarray): (T,) thresholds, for ``ODS_thr``.

    Returns:
        dict: ``ODS``, ``OIS``, ``AP`` (fractions), ``ODS_thr``,
        ``ODS_precision``, ``ODS_recall`` and the split curves
        ``precision``, ``recall``, ``f`` (T,).
    """
    if len(counts) == 0:
        raise ValueError('bsds_ods_ois_ap needs the counts of at least one '
                         'image')
    pe = _pyedgeeval()
    stack = np.stack([np.asarray(c, np.float64) for c in counts])
    num_t = stack.shape[2]
    if thresholds is None:
        thresholds = default_thresholds(num_t)
    cnt_p, sum_p, cnt_r, sum_r = stack.transpose(1, 0, 2)  # (I, T) each
    _, _, f_img = pe['rec_prec_f1'](cnt_r, sum_r, cnt_p, sum_p)
    best = np.argmax(f_img, axis=1)
    pick = np.arange(stack.shape[0])
    _, _, ois = pe['rec_prec_f1'](cnt_r[pick, best].sum(),
                                  sum_r[pick, best].sum(),
                                  cnt_p[pick, best].sum(),
                                  sum_p[pick, best].sum())
    rec, prec, f = pe['rec_prec_f1'](cnt_r.sum(0), sum_r.sum(0),
                                     cnt_p.sum(0), sum_p.sum(0))
    thr, best_r, best_p, ods = pe['interpolated_max'](thresholds, rec, prec)
    # 101 recall levels 0, 0.01, ..., 1 (pyEdgeEval 0.2.8 stops at 0.99 but
    # still divides by 101, so a perfect map would get 100/101)
    levels = np.linspace(0, 1, 101)
    ap = np.mean([np.max(prec[rec >= t - 1e-12], initial=0) for t in levels])
    return dict(
        ODS=float(ods),
        OIS=float(ois),
        AP=float(ap),
        ODS_thr=float(thr),
        ODS_precision=float(best_p),
        ODS_recall=float(best_r),
        precision=prec,
        recall=rec,
        f=f)
