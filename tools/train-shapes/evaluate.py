#!/usr/bin/python3
"""Samples a checkpoint in torch with the engine's algorithm (Euler, trailing spacing, CFG) and scores it."""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shapes_data as data  # noqa: E402
from analyse import analyse  # noqa: E402
from model import TextEncoder, UNet, VaeDecoder, vae_encode  # noqa: E402
from train import IMAGE, alphas_cumprod, tokenizer_corpus  # noqa: E402
from bpe import ClipBpe  # noqa: E402


def euler_sigmas(steps):
    ac = alphas_cumprod().double()
    sig = ((1 - ac) / ac).sqrt()
    ts = np.round(np.arange(1000, 0, -1000 / steps)) - 1
    s = np.interp(ts, np.arange(1000), sig.numpy())
    return ts, np.append(s, 0.0)


@torch.no_grad()
def sample(text, unet, tok, prompts, steps, guidance, scaling, seed=0):
    g = torch.Generator().manual_seed(seed)
    b = len(prompts)
    ids = torch.tensor([tok.encode(p) for p in prompts])
    cond, _ = text(ids)
    uncond, _ = text(torch.tensor([tok.encode("")] * b))
    ts, sig = euler_sigmas(steps)
    x = torch.randn(b, 4, IMAGE // 8, IMAGE // 8, generator=g) * sig[0]
    for i, t in enumerate(ts):
        inp = x / (sig[i] ** 2 + 1) ** 0.5
        tt = torch.tensor(float(t))
        if guidance > 1:
            eps = unet(torch.cat([inp, inp]), tt, torch.cat([uncond, cond]))
            u, c = eps.chunk(2)
            eps = u + guidance * (c - u)
        else:
            eps = unet(inp, tt, cond)
        x = x + eps * (sig[i + 1] - sig[i])
    img = VaeDecoder()(x / scaling)
    return ((img.clamp(-1, 1) / 2 + 0.5) * 255).round().byte().permute(0, 2, 3, 1).numpy()


def score(images, specs):
    hits = {"colour": 0, "shape": 0, "pos": 0}
    for img, spec in zip(images, specs):
        r = analyse(img)
        if r is None:
            continue
        hits["colour"] += r["colour"] == spec["colour"]
        hits["shape"] += r["shape"] == spec["shape"]
        hits["pos"] += r["pos"] == spec["pos"]
    return {k: v / len(specs) for k, v in hits.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--checkpoint", default="/tmp/tiny-shapes.pt")
    ap.add_argument("--steps", type=int, nargs="+", default=[4, 20])
    ap.add_argument("--guidance", type=float, nargs="+", default=[0, 5])
    ap.add_argument("--count", type=int, default=36)
    ap.add_argument("--sets", nargs="+", default=["train"])
    ap.add_argument("--truth", action="store_true", help="score the VAE round trip of the training images")
    args = ap.parse_args()
    torch.set_num_threads(2)
    tok = ClipBpe.train(tokenizer_corpus())
    if args.truth:
        for kind in args.sets:
            specs = [s for s, _ in data.eval_set(kind, args.count)]
            x = vae_encode(torch.from_numpy(data.render(specs, IMAGE, np.random.default_rng(0))))
            img = ((VaeDecoder()(x).clamp(-1, 1) / 2 + 0.5) * 255).round().byte().permute(0, 2, 3, 1).numpy()
            print(kind, "ground truth", score(img, specs))
        return
    state = torch.load(args.checkpoint)
    text, unet = TextEncoder(len(tok.vocab)), UNet(ctx=64)
    text.load_state_dict(state["text"])
    unet.load_state_dict(state["unet"])
    unet.predict_epsilon = True
    print("checkpoint step", state["step"])
    for kind in args.sets:
        es = data.eval_set(kind, args.count)
        for steps in args.steps:
            for g in args.guidance:
                imgs = sample(text, unet, tok, [c for _, c in es], steps, g, state["scaling"])
                print(kind, f"steps {steps} guidance {g}", score(imgs, [s for s, _ in es]), flush=True)


if __name__ == "__main__":
    main()
