"""Measures a rendered image: dominant foreground colour, shape and position (mirrors the C# ShapeAnalyser)."""
import numpy as np

from shapes_data import COLOURS

PALETTE = {k: np.array(v, np.float32) for k, v in COLOURS.items()}


def analyse(img):
    """img uint8 [h, w, 3] -> dict(colour, shape, pos) or None when no foreground is found."""
    a = img.astype(np.float32)
    h, w, _ = a.shape
    ring = np.concatenate([a[:2].reshape(-1, 3), a[-2:].reshape(-1, 3), a[:, :2].reshape(-1, 3), a[:, -2:].reshape(-1, 3)])
    bg = np.median(ring, axis=0)
    dist = np.sqrt(((a - bg) ** 2).sum(-1))
    peak = np.percentile(dist, 99.5)
    if peak < 40:
        return None
    mask = dist > 0.5 * peak
    core = dist > 0.75 * peak
    n = mask.sum()
    if n < 0.003 * h * w:
        return None
    mean = a[core].mean(0)
    colour = min(PALETTE, key=lambda k: ((PALETTE[k] - mean) ** 2).sum())
    ys, xs = np.nonzero(mask)
    cx, cy = (xs.mean() + 0.5) / w - 0.5, (ys.mean() + 0.5) / h - 0.5
    if max(abs(cx), abs(cy)) < 0.11:
        pos = "centre"
    elif abs(cx) >= abs(cy):
        pos = "left" if cx < 0 else "right"
    else:
        pos = "top" if cy < 0 else "bottom"
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    box = mask[y0:y1, x0:x1]
    fill = box.mean()
    mid = (y1 - y0) // 2
    top, bottom = box[:mid].mean() if mid > 0 else 0, box[mid:].mean()
    asym = top / max(bottom, 1e-6)
    if asym < 0.7:
        shape = "triangle"
    elif fill > 0.88:
        shape = "square"
    else:
        shape = "circle"
    return dict(colour=colour, shape=shape, pos=pos, fill=float(fill), asym=float(asym))
