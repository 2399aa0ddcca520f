#!/usr/bin/python3
"""End-to-end reference for the C# pipelines, in torch, independent of the C# code: rebuilds the tiny fixtures'
torch modules (same seeds, same construction as make_test_models.py), and runs the diffusers algorithms on them —
CLIP BPE, text encoder, Euler (trailing) with classifier-free guidance for SD; Qwen chat template, flow-match Euler
(diffusers' current Z-Image grid: linspace(1, 1/n, n) shifted by 3, terminal 0), (1000 - t)/1000 timesteps, negated DiT output and VAE scale/shift for Z-Image — from noise
drawn by torch.randn on a CPU generator seeded with the seed (the engine's default, "torch-cpu"). Writes the packed RGB24 bytes the C# engine must reproduce (up to float rounding):

    /usr/bin/python3 tools/make-test-models/pipeline_reference.py tests/fixtures/expected
"""
import math
import os
import sys
import tempfile

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_test_models as mtm  # noqa: E402

def randn(seed, shape):
    """The engine's default noise (torch-cpu): what diffusers draws from a CPU generator seeded with the seed."""
    return torch.randn(shape, generator=torch.Generator("cpu").manual_seed(seed))


def capture(build):
    """Runs a make_test_models builder with export() recording the modules instead of (only) writing files."""
    modules = {}
    original = mtm.export

    def recording_export(module, args, path, *rest, **kw):
        modules[os.path.basename(os.path.dirname(path))] = module.eval()
        original(module, args, path, *rest, **kw)

    mtm.export = recording_export
    try:
        with tempfile.TemporaryDirectory() as tmp:
            torch.manual_seed(1234)
            build(tmp)
    finally:
        mtm.export = original
    return modules


def clip_encode(text, vocab):
    # Same algorithm as clip_reference.py (openai/CLIP simple_tokenizer), padded with EOS to 77.
    import re
    ranks = {m: i for i, m in enumerate(mtm.MERGES)}
    b2u = mtm.bytes_to_unicode()

    def bpe(token):
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        while len(word) > 1:
            pairs = set(zip(word, word[1:]))
            best = min(pairs, key=lambda p: ranks.get(p, float("inf")))
            if best not in ranks:
                break
            new, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and (word[i], word[i + 1]) == best:
                    new.append(word[i] + word[i + 1])
                    i += 2
                else:
                    new.append(word[i])
                    i += 1
            word = tuple(new)
        return word

    pat = re.compile(r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|[^\s\w]+|_+", re.IGNORECASE)
    text = re.sub(r"\s+", " ", text).strip().lower()
    ids = []
    for tok in pat.findall(text):
        ids += [vocab[t] for t in bpe("".join(b2u[b] for b in tok.encode("utf-8")))]
    ids = [vocab["<|startoftext|>"]] + ids[:75] + [vocab["<|endoftext|>"]]
    return ids + [vocab["<|endoftext|>"]] * (77 - len(ids))


def to_rgb(image):
    x = ((image[0] / 2 + 0.5).clamp(0, 1) * 255).round().to(torch.uint8)
    return x.permute(1, 2, 0).contiguous().numpy().tobytes()


@torch.no_grad()
def sd_turbo(prompt, negative, seed, size, steps, guidance):
    modules = capture(lambda tmp: mtm.make_sd(tmp, "tiny-sd-turbo", mtm.sd_scheduler("EulerDiscreteScheduler", "trailing", 1),
                                              "StableDiffusionPipeline", timestep_style="int64-batch"))
    vocab = mtm.make_clip_vocab()
    ids = torch.tensor([clip_encode(negative, vocab), clip_encode(prompt, vocab)], dtype=torch.int32)
    text = modules["text_encoder"](ids)[0]
    betas = torch.linspace(0.00085 ** 0.5, 0.012 ** 0.5, 1000, dtype=torch.float64) ** 2
    ac = torch.cumprod(1 - betas, 0)
    train_sigmas = ((1 - ac) / ac) ** 0.5
    ts = [round(1000 - i * 1000 / steps) - 1 for i in range(steps)]
    sigmas = [float(train_sigmas[t]) for t in ts] + [0.0]
    latents = randn(seed, (1, 4, size // 8, size // 8)) * sigmas[0]
    for i, t in enumerate(ts):
        inp = torch.cat([latents, latents]) / math.sqrt(sigmas[i] ** 2 + 1)
        out = modules["unet"](inp, torch.tensor([t, t], dtype=torch.int64), text)
        eps = out[:1] + guidance * (out[1:] - out[:1])
        latents = latents + eps * (sigmas[i + 1] - sigmas[i])
    return to_rgb(modules["vae_decoder"](latents / 0.18215))


@torch.no_grad()
def sdxl(prompt, seed, size, steps, guidance):
    """Empty negative prompt: force_zeros_for_empty_prompt makes both its embeddings zeros."""
    modules = capture(lambda tmp: mtm.make_sdxl(tmp, "tiny-sdxl"))
    vocab = mtm.make_clip_vocab()
    ids = torch.tensor([clip_encode(prompt, vocab)], dtype=torch.int32)
    out1 = modules["text_encoder"](ids)          # last, pooled, hidden_states.0..2
    out2 = modules["text_encoder_2"](ids)        # text_embeds, last, hidden_states.0..2
    cond = torch.cat([out1[2 + 1], out2[2 + 1]], dim=-1)   # hidden_states[-2] of each
    pooled = out2[0]
    text = torch.cat([torch.zeros_like(cond), cond])
    text_embeds = torch.cat([torch.zeros_like(pooled), pooled])
    time_ids = torch.tensor([[size, size, 0, 0, size, size]] * 2, dtype=torch.float32)
    betas = torch.linspace(0.00085 ** 0.5, 0.012 ** 0.5, 1000, dtype=torch.float64) ** 2
    ac = torch.cumprod(1 - betas, 0)
    train_sigmas = ((1 - ac) / ac) ** 0.5
    ts = [i * (1000 // steps) + 1 for i in range(steps - 1, -1, -1)]      # leading, steps_offset 1
    sigmas = [float(train_sigmas[t]) for t in ts] + [0.0]
    latents = randn(seed, (1, 4, size // 8, size // 8)) * math.sqrt(max(sigmas) ** 2 + 1)
    for i, t in enumerate(ts):
        inp = torch.cat([latents, latents]) / math.sqrt(sigmas[i] ** 2 + 1)
        out = modules["unet"](inp, torch.tensor(float(t)), text, text_embeds, time_ids)
        eps = out[:1] + guidance * (out[1:] - out[:1])
        latents = latents + eps * (sigmas[i + 1] - sigmas[i])
    return to_rgb(modules["vae_decoder"](latents / 0.13025))


@torch.no_grad()
def zimage(prompt, seed, size, steps, guidance=0.0, negative=""):
    """guidance > 0 runs CFG as ZImagePipeline does (PR #13183): each prompt encoded on its own, unpadded (the
    pipeline's lists of embeddings), pred = pos + g * (pos - neg), then negated."""
    modules = capture(lambda tmp: mtm.make_zimage(tmp, "tiny-zimage"))
    import json
    tok = None
    with tempfile.TemporaryDirectory() as tmp:
        torch.manual_seed(1234)
        mtm.make_zimage(tmp, "z")
        tok = json.load(open(os.path.join(tmp, "z", "tokenizer", "tokenizer.json"), encoding="utf-8"))
    import regex
    vocab = tok["model"]["vocab"]
    ranks = {tuple(m.split(" ")): i for i, m in enumerate(tok["model"]["merges"])}
    specials = {t["content"]: t["id"] for t in tok["added_tokens"]}
    pattern = regex.compile(tok["pre_tokenizer"]["pretokenizers"][0]["pattern"]["Regex"])
    b2u = mtm.bytes_to_unicode()

    def bpe(word):
        word = list(word)
        while len(word) > 1:
            rank, i = min((ranks.get((a, b), 1 << 30), i) for i, (a, b) in enumerate(zip(word, word[1:])))
            if rank == 1 << 30:
                break
            word[i:i + 2] = [word[i] + word[i + 1]]
        return word

    def encode(p):
        text = f"<|im_start|>user\n{p}<|im_end|>\n<|im_start|>assistant\n"
        ids = []
        for part in regex.split("(" + "|".join(regex.escape(s) for s in specials) + ")", text):
            if part in specials:
                ids.append(specials[part])
            else:
                for piece in pattern.findall(part):
                    ids += [vocab[t] for t in bpe("".join(b2u[b] for b in piece.encode("utf-8")))]
        ids_t = torch.tensor([ids], dtype=torch.int64)
        return modules["text_encoder"](ids_t, torch.ones_like(ids_t)), torch.ones(1, len(ids), dtype=torch.bool)

    embeds, mask = encode(prompt)
    negative_embeds, negative_mask = encode(negative)
    # diffusers >= PR #13730: sigmas = linspace(1, 1/n, n) (float32), statically shifted in float32, terminal 0
    # appended; n steps are n transformer calls, none at sigma 0.
    shift = 3.0
    sig = np.array(torch.linspace(1.0, 1 / steps, steps).tolist()).astype(np.float32)
    sig = torch.from_numpy(shift * sig / (1 + (shift - 1) * sig))
    timesteps = sig * 1000
    sig = torch.cat([sig, torch.zeros(1)])
    latents = randn(seed, (1, 16, size // 8, size // 8))
    for i in range(steps):
        t = ((1000 - timesteps[i]) / 1000).reshape(1)
        pos = modules["transformer"](latents, t, embeds, mask)
        if guidance > 0:
            neg = modules["transformer"](latents, t, negative_embeds, negative_mask)
            pos = pos + guidance * (pos - neg)
        pred = -pos
        latents = latents + (sig[i + 1] - sig[i]) * pred
    return to_rgb(modules["vae_decoder"](latents / 0.3611 + 0.1159))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/expected"
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "tiny-sd-turbo_64_3steps_cfg5_seed42.rgb"), "wb") as f:
        f.write(sd_turbo("a red cat", "blue dog", 42, 64, 3, 5.0))
    with open(os.path.join(out, "tiny-sdxl_64_3steps_cfg4_seed9.rgb"), "wb") as f:
        f.write(sdxl("a red cat", 9, 64, 3, 4.0))
    with open(os.path.join(out, "tiny-zimage_64_4steps_seed7.rgb"), "wb") as f:
        f.write(zimage("a cat, the thing", 7, 64, 4))
    with open(os.path.join(out, "tiny-zimage_64_3steps_cfg0.5_seed8.rgb"), "wb") as f:
        f.write(zimage("a cat, the thing", 8, 64, 3, guidance=0.5, negative="the"))
    print("wrote", out)


if __name__ == "__main__":
    main()
