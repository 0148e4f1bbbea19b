"""Small readers of mmseg / mmdet data samples shared by the inference API
and the visualizer."""
import numpy as np
import torch


def to_numpy(x) -> np.ndarray:
    """A tensor, an mmdet box object (``.tensor``) or an array-like as a
    numpy array (detached, on the CPU)."""
    if hasattr(x, 'tensor'):  # mmdet box types
        x = x.tensor
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    return np.asarray(x)


def pixel_labels(pixel_data) -> np.ndarray:
    """(H, W) labels of a PixelData holding ``data`` (mmseg's packing) or
    ``sem_seg`` (mmdet's); a leading channel axis of size 1 is dropped."""
    key = 'data' if 'data' in pixel_data else 'sem_seg'
    labels = to_numpy(pixel_data.get(key))
    return labels.reshape(labels.shape[-2:])
