#!/usr/bin/python3
"""Train the tiny-shapes text-to-image model (Debian python3-torch) and export it as a diffusers ONNX folder.

    nice -n 15 /usr/bin/python3 tools/train-shapes/train.py --out models/tiny-shapes

Deterministic from --seed (same torch build and thread count). See README.md for timings.
"""
import argparse
import copy
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import shapes_data as data  # noqa: E402
from bpe import ClipBpe  # noqa: E402
from model import TextEncoder, UNet, VaeDecoder, alphas_cumprod, vae_encode  # noqa: E402

IMAGE = 128  # pixels; latents are IMAGE/8 = 16


def tokenizer_corpus():
    texts = []
    for t in data.TRAIN_TEMPLATES + data.HELDOUT_TEMPLATES:
        for s in data.SHAPES:
            for c in data.COLOURS:
                for p in data.POSITIONS:
                    for z in data.SIZES:
                        for b in data.BACKGROUNDS:
                            for i in range(3):
                                texts.append(data.caption(t, z, c, s, p, b, i))
    return texts


def batch(rng, tok, n, scaling, drop=0.1):
    specs, caps = data.random_specs(rng, n)
    caps = ["" if u < drop else c for u, c in zip(rng.random(n), caps)]  # caption dropout for CFG
    images, cover = data.render(specs, IMAGE, rng, masks=True)
    ids = torch.tensor([tok.encode(c) for c in caps], dtype=torch.int64)
    # loss weight per latent pixel: 1 on the background, up to 1 + fg_weight on and around the shape (which covers
    # only 3-15 % of the image and would otherwise barely move the loss)
    near = F.max_pool2d(F.avg_pool2d(torch.from_numpy(cover), 8), 3, stride=1, padding=1)
    return vae_encode(torch.from_numpy(images)) * scaling, ids, near


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="models/tiny-shapes")
    ap.add_argument("--steps", type=int, default=5000)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--checkpoint", default="/tmp/tiny-shapes.pt")
    ap.add_argument("--fg-weight", type=float, default=4.0, help="extra loss weight on the shape's latent pixels")
    ap.add_argument("--export-only", action="store_true", help="export --checkpoint without training")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)

    tok = ClipBpe.train(tokenizer_corpus())
    probe, _ = data.random_specs(np.random.default_rng(1), 1024)
    lat = vae_encode(torch.from_numpy(data.render(probe, IMAGE, np.random.default_rng(1))))
    scaling = round(1.0 / lat.std().item(), 4)
    print(f"vocab {len(tok.vocab)} ({len(tok.merges)} merges), scaling_factor {scaling}", flush=True)

    text = TextEncoder(len(tok.vocab))
    unet = UNet(ctx=64)
    params = list(text.parameters()) + list(unet.parameters())
    print(f"text encoder {sum(p.numel() for p in text.parameters())} params, unet {sum(p.numel() for p in unet.parameters())}", flush=True)
    ema_text, ema_unet = copy.deepcopy(text), copy.deepcopy(unet)
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.01)
    ac = alphas_cumprod()
    start = time.time()
    step = 0
    if args.export_only:
        state = torch.load(args.checkpoint)
        ema_text.load_state_dict(state["text"])
        ema_unet.load_state_dict(state["unet"])
        step = state["step"]
    while step < args.steps and not args.export_only:
        lr = args.lr * min(1.0, (step + 1) / 100) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * step / args.steps)))
        for g in opt.param_groups:
            g["lr"] = lr
        x0, ids, near = batch(rng, tok, args.batch, scaling)
        t = torch.randint(0, 1000, (args.batch,))
        noise = torch.randn_like(x0)
        a = ac[t][:, None, None, None]
        xt = a.sqrt() * x0 + (1 - a).sqrt() * noise
        ctx, _ = text(ids)
        # v objective (the exported graph turns v into epsilon, see model.UNet)
        v = a.sqrt() * noise - (1 - a).sqrt() * x0
        loss = ((1 + args.fg_weight * near) * (unet(xt, t.float(), ctx) - v).square()).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        step += 1
        decay = min(0.995, (1 + step) / (10 + step))
        with torch.no_grad():
            for m, e in ((text, ema_text), (unet, ema_unet)):
                for p, q in zip(m.parameters(), e.parameters()):
                    q.mul_(decay).add_(p, alpha=1 - decay)
        if step % 100 == 0 or step == args.steps:
            print(f"step {step} loss {loss.item():.4f} lr {lr:.2e} {time.time() - start:.0f}s", flush=True)
        if step % 250 == 0 or step == args.steps:
            torch.save({"text": ema_text.state_dict(), "unet": ema_unet.state_dict(), "step": step,
                        "scaling": scaling}, args.checkpoint)
    print(f"trained {step} steps in {time.time() - start:.0f}s", flush=True)
    export(args.out, tok, ema_text, ema_unet, scaling, step, args)


def export(out, tok, text, unet, scaling, steps, args):
    from export import export_folder
    unet.predict_epsilon = True
    export_folder(out, tok, text, unet, VaeDecoder(), scaling, IMAGE, {
        "steps": steps, "batch": args.batch, "lr": args.lr, "seed": args.seed})


if __name__ == "__main__":
    main()
