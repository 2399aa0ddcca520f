"""Deterministic, on-the-fly generator of captioned shape images (numpy only).

Every sample is one shape (circle, square, triangle) in a named colour, size and position on a plain background,
with an English caption drawn from templates. Some templates and some (colour, shape) pairs are held out of
training; `heldout_*` produce them for the generalisation check.
"""
import numpy as np

SHAPES = ["circle", "square", "triangle"]
COLOURS = {  # RGB 0..255; the C# analyser (ShapeAnalyser.cs) uses the same palette
    "red": (220, 40, 40),
    "green": (40, 170, 60),
    "blue": (40, 80, 220),
    "yellow": (240, 210, 40),
    "purple": (150, 50, 200),
}
BACKGROUNDS = {"white": (245, 245, 245), "black": (20, 20, 20), "gray": (128, 128, 128)}
SIZES = {"small": 0.15, "large": 0.23}  # "radius" as a fraction of the image side
POSITIONS = {"left": (0.27, 0.5), "right": (0.73, 0.5), "top": (0.5, 0.27), "bottom": (0.5, 0.73),
             "centre": (0.5, 0.5)}
POSITION_PHRASES = {
    "left": ["on the left", "at the left"], "right": ["on the right", "at the right"],
    "top": ["at the top", "on the top"], "bottom": ["at the bottom", "on the bottom"],
    "centre": ["in the centre", "in the center", "in the middle"],
}

TRAIN_TEMPLATES = [
    "a {size} {colour} {shape} {pos} of a {bg} background",
    "a {colour} {shape}, {size}, {pos}, on a {bg} background",
    "{size} {colour} {shape} {pos}, {bg} background",
    "a picture of a {size} {colour} {shape} {pos} on {bg}",
    "{bg} background, a {size} {colour} {shape} {pos}",
    "a {colour} {shape} {pos}",  # size and background left open
]
HELDOUT_TEMPLATES = [
    "there is a {size} {colour} {shape} {pos} of the image and the background is {bg}",
    "draw one {colour} {shape} that is {size}, {pos}, over a plain {bg} background",
]
HELDOUT_PAIRS = {("green", "triangle"), ("yellow", "circle"), ("purple", "square")}
TRAIN_PAIRS = [(c, s) for c in COLOURS for s in SHAPES if (c, s) not in HELDOUT_PAIRS]


def caption(template, size, colour, shape, pos, bg, phrase=0):
    phrases = POSITION_PHRASES[pos]
    return template.format(size=size, colour=colour, shape=shape, pos=phrases[phrase % len(phrases)], bg=bg)


def all_words():
    """Every word the captions can contain (for the tokenizer)."""
    words = set()
    for t in TRAIN_TEMPLATES + HELDOUT_TEMPLATES:
        for p in POSITIONS:
            for i in range(3):
                words.update(caption(t, "small", "red", "circle", p, "white", i).replace(",", " ").split())
    words.update(SHAPES, COLOURS, BACKGROUNDS, SIZES)
    return sorted(words)


def shape_masks(shape, cx, cy, r, n):
    """Anti-aliased coverage [k, n, n] of k shapes (arrays cx, cy, r in unit coordinates), 2x2 supersampled."""
    ss = 2
    g = (np.arange(n * ss) + 0.5) / (n * ss)
    x = g[None, None, :]
    y = g[None, :, None]
    cx, cy, r = cx[:, None, None], cy[:, None, None], r[:, None, None]
    if shape == "circle":
        m = (x - cx) ** 2 + (y - cy) ** 2 <= r ** 2
    elif shape == "square":
        h = 0.85 * r
        m = (np.abs(x - cx) <= h) & (np.abs(y - cy) <= h)
    else:  # upright isosceles triangle
        y0, y1, hw = cy - r, cy + 0.85 * r, 1.05 * r
        frac = (y - y0) / (y1 - y0)
        m = (frac >= 0) & (frac <= 1) & (np.abs(x - cx) <= hw * frac)
    m = m.astype(np.float32)
    k = m.shape[0]
    return m.reshape(k, n, ss, n, ss).mean(axis=(2, 4))


def render(specs, n, rng, masks=False):
    """specs: list of dicts(shape, colour, size, pos, bg). Returns float32 [k, 3, n, n] in [-1, 1] (and with masks,
    also the shapes' coverage [k, 1, n, n])."""
    k = len(specs)
    out = np.empty((k, 3, n, n), np.float32)
    cover = np.empty((k, 1, n, n), np.float32)
    jit = rng.uniform(-0.03, 0.03, size=(k, 2))
    scale = rng.uniform(0.9, 1.1, size=k)
    for shape in SHAPES:
        idx = [i for i, s in enumerate(specs) if s["shape"] == shape]
        if not idx:
            continue
        idx = np.array(idx)
        cx = np.array([POSITIONS[specs[i]["pos"]][0] for i in idx]) + jit[idx, 0]
        cy = np.array([POSITIONS[specs[i]["pos"]][1] for i in idx]) + jit[idx, 1]
        r = np.array([SIZES[specs[i]["size"]] for i in idx]) * scale[idx]
        m = shape_masks(shape, cx, cy, r, n)[:, None]
        fg = np.array([COLOURS[specs[i]["colour"]] for i in idx], np.float32)[:, :, None, None]
        bg = np.array([BACKGROUNDS[specs[i]["bg"]] for i in idx], np.float32)[:, :, None, None]
        out[idx] = (m * fg + (1 - m) * bg) / 127.5 - 1
        cover[idx] = m
    return (out, cover) if masks else out


def random_specs(rng, k, pairs=None, templates=None):
    """k random (spec, caption) pairs, from the training pairs/templates unless others are given."""
    pairs = pairs or TRAIN_PAIRS
    templates = templates or TRAIN_TEMPLATES
    specs, caps = [], []
    for _ in range(k):
        colour, shape = pairs[rng.integers(len(pairs))]
        spec = dict(shape=shape, colour=colour, size=list(SIZES)[rng.integers(2)],
                    pos=list(POSITIONS)[rng.integers(5)], bg=list(BACKGROUNDS)[rng.integers(3)])
        t = templates[rng.integers(len(templates))]
        specs.append(spec)
        caps.append(caption(t, spec["size"], colour, shape, spec["pos"], spec["bg"], int(rng.integers(3))))
    return specs, caps


def eval_set(kind, count=60, seed=7):
    """Fixed prompt sets: 'train' (training templates and pairs), 'heldout-templates', 'heldout-pairs'.
    Cycles through every colour/shape/position so the set is balanced."""
    rng = np.random.default_rng(seed)
    pairs = sorted(HELDOUT_PAIRS) if kind == "heldout-pairs" else TRAIN_PAIRS
    templates = HELDOUT_TEMPLATES if kind == "heldout-templates" else TRAIN_TEMPLATES[:5]
    out = []
    positions = list(POSITIONS)
    for i in range(count):
        colour, shape = pairs[i % len(pairs)]
        pos = positions[(i // len(pairs) + i) % 5]
        size = list(SIZES)[(i // 5) % 2]
        bg = list(BACKGROUNDS)[(i // 3) % 3]
        t = templates[int(rng.integers(len(templates)))]
        out.append((dict(shape=shape, colour=colour, size=size, pos=pos, bg=bg),
                    caption(t, size, colour, shape, pos, bg, int(rng.integers(3)))))
    return out
