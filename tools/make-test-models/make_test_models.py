#!/usr/bin/python3
"""Generate tiny random-weight diffusion models in the diffusers/Optimum ONNX folder layout.

The models are useless as image generators; they exist so the C# engine can be tested end to end through
exactly the file layout, tensor names, ranks and dtypes of real exports:

* SD 1.x/2.x (Optimum `optimum-cli export onnx`):
    text_encoder/model.onnx  input_ids int32 [batch, sequence] -> last_hidden_state [b, s, d], pooler_output [b, d]
    unet/model.onnx          sample f32 [b, 4, h, w], timestep (f32 scalar in current Optimum, int64 [b] up to
                             Optimum 1.23: tiny-sd has the first, tiny-sd-turbo the second), encoder_hidden_states f32 [b, s, d]
                             -> out_sample f32 [b, 4, h, w]
    vae_decoder/model.onnx   latent_sample f32 [b, 4, h, w] -> sample f32 [b, 3, 8h, 8w]
* SDXL adds text_encoder_2 (CLIPTextModelWithProjection: text_embeds, last_hidden_state, hidden_states.N),
  the first encoder also returns hidden_states.N, and the unet takes text_embeds [b, p] and time_ids [b, 6].
* Z-Image has no Optimum exporter; the layout here is the one docs/inference.md asks users to export:
    text_encoder/model.onnx  input_ids int64 [b, s], attention_mask int64 [b, s] -> hidden_states f32 [b, s, d]
                             (the penultimate layer, which the diffusers pipeline uses)
    transformer/model.onnx   latents f32 [b, 16, h, w], timestep f32 [b] (0 = noise, 1 = clean),
                             prompt_embeds f32 [b, s, d], prompt_mask bool [b, s] -> noise_pred f32 [b, 16, h, w]
    vae_decoder/model.onnx   latent_sample f32 [b, 16, h, w] -> sample f32 [b, 3, 8h, 8w]

Run with Debian's interpreter (torch + onnx from apt): /usr/bin/python3 make_test_models.py OUT_DIR
"""
import json
import math
import os
import sys

import torch
from torch import nn

torch.manual_seed(1234)

OPSET = 17

# A made-up CLIP-style byte-level BPE vocabulary: all 256 byte symbols, each also with the end-of-word marker,
# a handful of merges, then the two special tokens last (as in CLIP, where EOS has the highest id, which is why
# CLIP's pooler picks the position of argmax(input_ids)).
def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


MERGES = [
    ("c", "a"), ("ca", "t</w>"), ("d", "o"), ("do", "g</w>"), ("r", "e"), ("re", "d</w>"),
    ("a", "n</w>"), ("t", "h"), ("th", "e</w>"), ("o", "f</w>"), ("b", "l"), ("bl", "u"), ("blu", "e</w>"),
]


def make_clip_vocab():
    byte_chars = list(bytes_to_unicode().values())
    vocab = {}
    for c in byte_chars:
        vocab[c] = len(vocab)
    for c in byte_chars:
        vocab[c + "</w>"] = len(vocab)
    for a, b in MERGES:
        vocab[a + b] = len(vocab)
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    return vocab


def write_clip_tokenizer(folder, vocab, max_length=77):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "vocab.json"), "w", encoding="utf-8") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(folder, "merges.txt"), "w", encoding="utf-8") as f:
        f.write("#version: 0.2\n")
        for a, b in MERGES:
            f.write(f"{a} {b}\n")
    config = {
        "tokenizer_class": "CLIPTokenizer", "model_max_length": max_length, "do_lower_case": True,
        "bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "unk_token": "<|endoftext|>",
        "pad_token": "<|endoftext|>",
    }
    with open(os.path.join(folder, "tokenizer_config.json"), "w", encoding="utf-8") as f:
        json.dump(config, f, indent=2)
    with open(os.path.join(folder, "special_tokens_map.json"), "w", encoding="utf-8") as f:
        json.dump({k: config[k] for k in ("bos_token", "eos_token", "unk_token", "pad_token")}, f, indent=2)


class Block(nn.Module):
    """Pre-norm transformer block; causal attention mirrors CLIP's text encoder."""

    def __init__(self, d, heads=2, causal=True):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.heads = heads
        self.causal = causal

    def forward(self, x, key_mask=None):
        b, s, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).chunk(3, dim=-1)
        hd = d // self.heads
        q = q.reshape(b, s, self.heads, hd).transpose(1, 2)
        k = k.reshape(b, s, self.heads, hd).transpose(1, 2)
        v = v.reshape(b, s, self.heads, hd).transpose(1, 2)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
        if self.causal:
            idx = torch.arange(s)
            att = att.masked_fill((idx[None, :] > idx[:, None])[None, None], -1e4)
        if key_mask is not None:
            att = att.masked_fill(~key_mask[:, None, None, :], -1e4)
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, s, d)
        x = x + self.proj(y)
        return x + self.mlp(self.ln2(x))


class TinyClipText(nn.Module):
    def __init__(self, vocab_size, d, layers=2, max_pos=77, projection=None, hidden_states=False):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d)
        self.pos = nn.Embedding(max_pos, d)
        self.blocks = nn.ModuleList([Block(d) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)
        self.projection = nn.Linear(d, projection, bias=False) if projection else None
        self.hidden_states = hidden_states

    def forward(self, input_ids):
        ids = input_ids.long()
        x = self.tok(ids) + self.pos(torch.arange(ids.shape[1]))[None]
        states = [x]
        for blk in self.blocks:
            x = blk(x)
            states.append(x)
        last = self.ln(x)
        pooled = last[torch.arange(ids.shape[0]), ids.argmax(-1)]
        if self.projection is not None:
            outs = [self.projection(pooled), last]
        else:
            outs = [last, pooled]
        if self.hidden_states:
            outs += states
        return tuple(outs)


def timestep_embedding(t, dim):
    half = dim // 2
    t = t.reshape(-1)
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class TinyUNet(nn.Module):
    """Conv net conditioned on time (sinusoidal), the text (mean-pooled cross conditioning) and, for SDXL,
    on text_embeds + time_ids. Small weights keep the random model numerically tame over many steps."""

    def __init__(self, in_ch, ctx_dim, ch=16, add_dim=None):
        super().__init__()
        self.conv_in = nn.Conv2d(in_ch, ch, 3, padding=1)
        self.t_mlp = nn.Sequential(nn.Linear(32, ch), nn.SiLU(), nn.Linear(ch, ch))
        self.ctx = nn.Linear(ctx_dim, ch)
        self.q = nn.Conv2d(ch, ch, 1)
        self.k = nn.Linear(ctx_dim, ch)
        self.v = nn.Linear(ctx_dim, ch)
        self.add = nn.Linear(add_dim, ch) if add_dim else None
        self.mid = nn.Conv2d(ch, ch, 3, padding=1)
        self.conv_out = nn.Conv2d(ch, in_ch, 3, padding=1)
        self.ch = ch

    def body(self, sample, temb, context, extra=None):
        h = self.conv_in(sample)
        cond = self.t_mlp(temb) + self.ctx(context.mean(1))
        if extra is not None:
            cond = cond + self.add(extra)
        h = h + cond[:, :, None, None]
        # Cross attention over the text tokens, so every token (not only the mean) shapes the output.
        b, c, hh, ww = h.shape
        q = self.q(h).reshape(b, c, hh * ww).transpose(1, 2)
        att = (q @ self.k(context).transpose(1, 2) / math.sqrt(c)).softmax(-1)
        h = h + (att @ self.v(context)).transpose(1, 2).reshape(b, c, hh, ww)
        h = h + self.mid(torch.nn.functional.silu(h))
        return self.conv_out(torch.nn.functional.silu(h))


class SdUNet(TinyUNet):
    def forward(self, sample, timestep, encoder_hidden_states):
        temb = timestep_embedding(timestep, 32).expand(sample.shape[0], -1)
        return self.body(sample, temb, encoder_hidden_states)


class LcmUNet(TinyUNet):
    """An LCM-distilled unet: guidance arrives as an embedding (timestep_cond), added to the time embedding."""

    def __init__(self, in_ch, ctx_dim, cond_dim):
        super().__init__(in_ch, ctx_dim)
        self.cond = nn.Linear(cond_dim, 32)

    def forward(self, sample, timestep, encoder_hidden_states, timestep_cond):
        temb = timestep_embedding(timestep, 32).expand(sample.shape[0], -1) + self.cond(timestep_cond)
        return self.body(sample, temb, encoder_hidden_states)


class SdxlUNet(TinyUNet):
    def forward(self, sample, timestep, encoder_hidden_states, text_embeds, time_ids):
        extra = torch.cat([text_embeds, time_ids / 1024.0], dim=-1)
        temb = timestep_embedding(timestep, 32).expand(sample.shape[0], -1)
        return self.body(sample, temb, encoder_hidden_states, extra)


class TinyVaeDecoder(nn.Module):
    def __init__(self, latent_ch, ch=8):
        super().__init__()
        self.conv_in = nn.Conv2d(latent_ch, ch, 3, padding=1)
        self.ups = nn.ModuleList([nn.Conv2d(ch, ch, 3, padding=1) for _ in range(3)])
        self.conv_out = nn.Conv2d(ch, 3, 3, padding=1)

    def forward(self, latent_sample):
        h = self.conv_in(latent_sample)
        for conv in self.ups:
            h = torch.nn.functional.interpolate(h, scale_factor=2.0, mode="nearest")
            h = h + conv(torch.nn.functional.silu(h))
        return self.conv_out(h)


class TinyQwenText(nn.Module):
    """Stands in for Qwen3: returns the penultimate hidden layer, as ZImagePipeline uses hidden_states[-2]."""

    def __init__(self, vocab_size, d, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d)
        self.blocks = nn.ModuleList([Block(d) for _ in range(layers)])

    def forward(self, input_ids, attention_mask):
        x = self.tok(input_ids)
        mask = attention_mask > 0
        states = [x]
        for blk in self.blocks:
            x = blk(x, mask)
            states.append(x)
        return states[-2]


class TinyZImageTransformer(nn.Module):
    """2x2-patchified DiT stand-in: patches attend to the (masked) caption tokens."""

    def __init__(self, ctx_dim, ch=16, d=32):
        super().__init__()
        self.patch = nn.Conv2d(ch, d, 2, stride=2)
        self.t_mlp = nn.Sequential(nn.Linear(32, d), nn.SiLU(), nn.Linear(d, d))
        self.k = nn.Linear(ctx_dim, d)
        self.v = nn.Linear(ctx_dim, d)
        self.block = Block(d, causal=False)
        self.unpatch = nn.ConvTranspose2d(d, ch, 2, stride=2)

    def forward(self, latents, timestep, prompt_embeds, prompt_mask):
        h = self.patch(latents)
        b, d, hh, ww = h.shape
        x = h.reshape(b, d, hh * ww).transpose(1, 2) + self.t_mlp(timestep_embedding(timestep * 1000.0, 32))[:, None]
        att = x @ self.k(prompt_embeds).transpose(1, 2) / math.sqrt(d)
        att = att.masked_fill(~prompt_mask[:, None, :], -1e4).softmax(-1)
        x = self.block(x + att @ self.v(prompt_embeds))
        return self.unpatch(x.transpose(1, 2).reshape(b, d, hh, ww))


def shrink(module, scale):
    with torch.no_grad():
        for p in module.parameters():
            p.mul_(scale)
    return module


def export(module, args, path, input_names, output_names, dynamic_axes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    module.eval()
    with torch.no_grad():
        torch.onnx.export(module, args, path, input_names=input_names, output_names=output_names,
                          dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True)


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def export_clip(folder, vocab_size, d, projection=None, hidden_states=False, layers=2):
    model = TinyClipText(vocab_size, d, layers=layers, projection=projection, hidden_states=hidden_states)
    ids = torch.zeros(2, 77, dtype=torch.int32)
    if projection:
        outs = ["text_embeds", "last_hidden_state"]
    else:
        outs = ["last_hidden_state", "pooler_output"]
    if hidden_states:
        outs += [f"hidden_states.{i}" for i in range(layers + 1)]
    axes = {"input_ids": {0: "batch_size", 1: "sequence_length"}}
    for o in outs:
        axes[o] = {0: "batch_size", 1: "sequence_length"} if o != outs[0] or not projection else {0: "batch_size"}
    axes["pooler_output"] = {0: "batch_size"}
    axes = {k: v for k, v in axes.items() if k in outs or k == "input_ids"}
    export(model, (ids,), os.path.join(folder, "model.onnx"), ["input_ids"], outs, axes)
    return model
    write_json(os.path.join(folder, "config.json"), {
        "architectures": ["CLIPTextModelWithProjection" if projection else "CLIPTextModel"],
        "hidden_size": d, "num_hidden_layers": layers, "max_position_embeddings": 77, "vocab_size": vocab_size,
        **({"projection_dim": projection} if projection else {}),
    })


def export_vae(folder, latent_ch, scaling, shift=None):
    vae = TinyVaeDecoder(latent_ch)
    # Latents arrive divided by the scaling factor (about 5x for SD); undo that so the random decoder's output sits
    # mostly inside [-1, 1] instead of saturating every pixel.
    shrink(vae.conv_in, scaling)
    shrink(vae.conv_out, 1.5)
    export(vae, (torch.randn(1, latent_ch, 8, 8),), os.path.join(folder, "model.onnx"), ["latent_sample"], ["sample"],
           {"latent_sample": {0: "batch_size", 2: "height", 3: "width"}, "sample": {0: "batch_size", 2: "height", 3: "width"}})
    cfg = {"_class_name": "AutoencoderKL", "latent_channels": latent_ch, "scaling_factor": scaling,
           "block_out_channels": [8, 8, 8, 8]}
    if shift is not None:
        cfg["shift_factor"] = shift
    write_json(os.path.join(folder, "config.json"), cfg)


def sd_scheduler(cls, spacing, offset, prediction="epsilon", extra=None):
    cfg = {"_class_name": cls, "num_train_timesteps": 1000, "beta_start": 0.00085, "beta_end": 0.012,
           "beta_schedule": "scaled_linear", "prediction_type": prediction, "timestep_spacing": spacing,
           "steps_offset": offset, "set_alpha_to_one": False, "clip_sample": False}
    cfg.update(extra or {})
    return cfg


def unet_timestep(style):
    """Optimum <= 1.23 exported timestep as int64 [batch] (axis "steps"); later versions as a float32 scalar."""
    if style == "int64-batch":
        return torch.tensor([999, 999], dtype=torch.int64), {0: "steps"}
    return torch.tensor(999.0), {}


class OverflowingUNet(nn.Module):
    """A unet behind an fp16 round trip that overflows, as an fp16 export does when activations pass 65504: for
    prompts whose first word puts the text encoder's hidden state at position 1 on one side of a threshold, and only
    late in sampling (timestep below `late`). The output is `out + (big - big)`: 0 where `big` is finite, NaN (inf - inf)
    where it overflowed."""

    def __init__(self, unet, threshold, sign, late):
        super().__init__()
        self.unet = unet
        self.threshold, self.sign, self.late = threshold, sign, late

    def forward(self, sample, timestep, encoder_hidden_states):
        out = self.unet(sample, timestep, encoder_hidden_states)
        gate = ((encoder_hidden_states[:, 1, 0] - self.threshold) * self.sign > 0).float()[:, None, None, None]
        late = (timestep < self.late).float()
        big = (out * (1 + gate * late * 1e6)).half().float()
        return out + (big - big)


def make_sd(out, name, scheduler, pipeline_class="ORTStableDiffusionPipeline", timestep_style="float-scalar", wrap_unet=None):
    root = os.path.join(out, name)
    vocab = make_clip_vocab()
    write_clip_tokenizer(os.path.join(root, "tokenizer"), vocab)
    d = 32
    text_encoder = export_clip(os.path.join(root, "text_encoder"), len(vocab), d)
    unet = shrink(SdUNet(4, d), 0.5)
    if wrap_unet:
        unet = wrap_unet(unet, text_encoder, vocab)
    t, t_axes = unet_timestep(timestep_style)
    export(unet, (torch.randn(2, 4, 8, 8), t, torch.randn(2, 77, d)),
           os.path.join(root, "unet", "model.onnx"), ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
           {"sample": {0: "batch_size", 2: "height", 3: "width"}, "timestep": t_axes,
            "encoder_hidden_states": {0: "batch_size", 1: "sequence_length"},
            "out_sample": {0: "batch_size", 2: "height", 3: "width"}})
    write_json(os.path.join(root, "unet", "config.json"), {"_class_name": "UNet2DConditionModel", "in_channels": 4,
                                                           "cross_attention_dim": d, "sample_size": 8})
    export_vae(os.path.join(root, "vae_decoder"), 4, 0.18215)
    write_json(os.path.join(root, "scheduler", "scheduler_config.json"), scheduler)
    write_json(os.path.join(root, "model_index.json"), {
        "_class_name": pipeline_class, "_diffusers_version": "0.30.0",
        "scheduler": ["diffusers", scheduler["_class_name"]], "text_encoder": ["optimum", "ORTModelTextEncoder"],
        "tokenizer": ["transformers", "CLIPTokenizer"], "unet": ["optimum", "ORTModelUnet"],
        "vae_decoder": ["optimum", "ORTModelVaeDecoder"], "requires_safety_checker": False,
    })


def make_lcm(out, name):
    """SD-family LCM (e.g. SimianLuo/LCM_Dreamshaper_v7 exported by Optimum): time_cond_proj_dim 32 here (256 real)."""
    make_sd(out, name, sd_scheduler("LCMScheduler", "leading", 1, extra={"original_inference_steps": 50,
                                                                      "timestep_scaling": 10.0}),
            "ORTLatentConsistencyModelPipeline")
    root = os.path.join(out, name)
    d, cond_dim = 32, 32
    torch.manual_seed(4321)
    unet = shrink(LcmUNet(4, d, cond_dim), 0.5)
    t, t_axes = unet_timestep("float-scalar")
    export(unet, (torch.randn(2, 4, 8, 8), t, torch.randn(2, 77, d), torch.randn(2, cond_dim)),
           os.path.join(root, "unet", "model.onnx"), ["sample", "timestep", "encoder_hidden_states", "timestep_cond"],
           ["out_sample"],
           {"sample": {0: "batch_size", 2: "height", 3: "width"}, "timestep": t_axes,
            "encoder_hidden_states": {0: "batch_size", 1: "sequence_length"}, "timestep_cond": {0: "batch_size"},
            "out_sample": {0: "batch_size", 2: "height", 3: "width"}})
    write_json(os.path.join(root, "unet", "config.json"), {"_class_name": "UNet2DConditionModel", "in_channels": 4,
                                                           "cross_attention_dim": d, "time_cond_proj_dim": cond_dim})


def make_sdxl(out, name):
    root = os.path.join(out, name)
    vocab = make_clip_vocab()
    write_clip_tokenizer(os.path.join(root, "tokenizer"), vocab)
    write_clip_tokenizer(os.path.join(root, "tokenizer_2"), vocab)
    d1, d2, proj = 16, 32, 24
    export_clip(os.path.join(root, "text_encoder"), len(vocab), d1, hidden_states=True)
    export_clip(os.path.join(root, "text_encoder_2"), len(vocab), d2, projection=proj, hidden_states=True)
    unet = shrink(SdxlUNet(4, d1 + d2, add_dim=proj + 6), 0.5)
    t, t_axes = unet_timestep("float-scalar")
    export(unet, (torch.randn(2, 4, 8, 8), t, torch.randn(2, 77, d1 + d2),
                  torch.randn(2, proj), torch.randn(2, 6)),
           os.path.join(root, "unet", "model.onnx"),
           ["sample", "timestep", "encoder_hidden_states", "text_embeds", "time_ids"], ["out_sample"],
           {"sample": {0: "batch_size", 2: "height", 3: "width"}, "timestep": t_axes,
            "encoder_hidden_states": {0: "batch_size", 1: "sequence_length"}, "text_embeds": {0: "batch_size"},
            "time_ids": {0: "batch_size"}, "out_sample": {0: "batch_size", 2: "height", 3: "width"}})
    write_json(os.path.join(root, "unet", "config.json"), {"_class_name": "UNet2DConditionModel", "in_channels": 4,
                                                           "cross_attention_dim": d1 + d2, "addition_time_embed_dim": 1})
    export_vae(os.path.join(root, "vae_decoder"), 4, 0.13025)
    scheduler = sd_scheduler("EulerDiscreteScheduler", "leading", 1, extra={"interpolation_type": "linear",
                                                                             "use_karras_sigmas": False})
    write_json(os.path.join(root, "scheduler", "scheduler_config.json"), scheduler)
    write_json(os.path.join(root, "model_index.json"), {
        "_class_name": "ORTStableDiffusionXLPipeline", "_diffusers_version": "0.30.0", "force_zeros_for_empty_prompt": True,
        "scheduler": ["diffusers", "EulerDiscreteScheduler"], "text_encoder": ["optimum", "ORTModelTextEncoder"],
        "text_encoder_2": ["optimum", "ORTModelTextEncoder"], "tokenizer": ["transformers", "CLIPTokenizer"],
        "tokenizer_2": ["transformers", "CLIPTokenizer"], "unet": ["optimum", "ORTModelUnet"],
        "vae_decoder": ["optimum", "ORTModelVaeDecoder"],
    })


class WebNnZImageTransformer(nn.Module):
    """The public WebNN/WebGPU Z-Image-Turbo export's interface (webnn/Z-Image-Turbo): one image per run with a frame
    axis, the prompt's tokens only (no mask), an output without batch axis."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, hidden_states, timestep, encoder_hidden_states):
        mask = torch.ones_like(encoder_hidden_states[:, :, 0]) > 0
        return self.inner(hidden_states[:, :, 0], timestep, encoder_hidden_states, mask)[0].unsqueeze(1)


def make_zimage(out, name, webnn=False):
    """Tokenizer: a byte-level BPE tokenizer.json in the Hugging Face format (Qwen's is one too), with the
    chat-template special tokens the pipeline needs. `webnn`: the same weights behind the WebNN export's tensor names."""
    root = os.path.join(out, name)
    byte_chars = list(bytes_to_unicode().values())
    vocab = {c: i for i, c in enumerate(byte_chars)}
    merges = [("Ġ", "c"), ("Ġc", "a"), ("Ġca", "t"), ("t", "h"), ("Ġ", "th")]
    for a, b in merges:
        vocab[a + b] = len(vocab)
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"]
    added = []
    for s in specials:
        added.append({"id": len(vocab), "content": s, "single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": False, "special": True})
        vocab[s] = len(vocab)
    tokenizer = {
        "version": "1.0", "added_tokens": added, "normalizer": {"type": "NFC"},
        "pre_tokenizer": {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+"},
             "behavior": "Isolated", "invert": False},
            {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}]},
        "decoder": {"type": "ByteLevel"},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": {k: v for k, v in vocab.items() if k not in specials},
                  "merges": [f"{a} {b}" for a, b in merges]},
    }
    write_json(os.path.join(root, "tokenizer", "tokenizer.json"), tokenizer)
    write_json(os.path.join(root, "tokenizer", "tokenizer_config.json"), {
        "tokenizer_class": "Qwen2Tokenizer", "model_max_length": 512, "pad_token": "<|endoftext|>",
        "eos_token": "<|im_end|>"})
    d = 32
    enc = TinyQwenText(len(vocab), d)
    text_output = "encoder_hidden_state" if webnn else "hidden_states"
    export(enc, (torch.zeros(2, 16, dtype=torch.int64), torch.ones(2, 16, dtype=torch.int64)),
           os.path.join(root, "text_encoder", "model.onnx"), ["input_ids", "attention_mask"], [text_output],
           {"input_ids": {0: "batch_size", 1: "sequence_length"}, "attention_mask": {0: "batch_size", 1: "sequence_length"},
            text_output: {0: "batch_size", 1: "sequence_length"}})
    write_json(os.path.join(root, "text_encoder", "config.json"), {"architectures": ["Qwen3Model"], "hidden_size": d})
    tr = shrink(TinyZImageTransformer(d), 0.5)
    # Drawn alike for both interfaces, so the VAE after them gets the same random weights.
    latents, embeds = torch.randn(2, 16, 8, 8), torch.randn(2, 16, d)
    if webnn:
        export(WebNnZImageTransformer(tr), (latents[:1, :, None], torch.tensor([0.5]), embeds[:1]),
               os.path.join(root, "transformer", "model.onnx"), ["hidden_states", "timestep", "encoder_hidden_states"],
               ["unified_results"],
               {"hidden_states": {0: "batch_size", 3: "height", 4: "width"}, "timestep": {0: "batch_size"},
                "encoder_hidden_states": {0: "batch_size", 1: "seq_len"}, "unified_results": {2: "height", 3: "width"}})
    else:
        export(tr, (latents, torch.tensor([0.0, 0.5]), embeds, torch.ones(2, 16, dtype=torch.bool)),
               os.path.join(root, "transformer", "model.onnx"), ["latents", "timestep", "prompt_embeds", "prompt_mask"],
               ["noise_pred"],
               {"latents": {0: "batch_size", 2: "height", 3: "width"}, "timestep": {0: "batch_size"},
                "prompt_embeds": {0: "batch_size", 1: "sequence_length"}, "prompt_mask": {0: "batch_size", 1: "sequence_length"},
                "noise_pred": {0: "batch_size", 2: "height", 3: "width"}})
    write_json(os.path.join(root, "transformer", "config.json"), {"_class_name": "ZImageTransformer2DModel",
                                                                  "in_channels": 16, "all_patch_size": [2]})
    export_vae(os.path.join(root, "vae_decoder"), 16, 0.3611, 0.1159)
    write_json(os.path.join(root, "scheduler", "scheduler_config.json"), {
        "_class_name": "FlowMatchEulerDiscreteScheduler", "num_train_timesteps": 1000, "shift": 3.0,
        "use_dynamic_shifting": False})
    write_json(os.path.join(root, "model_index.json"), {
        "_class_name": "ZImagePipeline", "_diffusers_version": "0.36.0",
        "scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"], "text_encoder": ["transformers", "Qwen3Model"],
        "tokenizer": ["transformers", "Qwen2Tokenizer"], "transformer": ["diffusers", "ZImageTransformer2DModel"],
        "vae": ["diffusers", "AutoencoderKL"]})


def overflow_on(bad, good, late):
    def wrap(unet, text_encoder, vocab):
        import pipeline_reference
        with torch.no_grad():
            ids = torch.tensor([pipeline_reference.clip_encode(bad, vocab), pipeline_reference.clip_encode(good, vocab)], dtype=torch.int32)
            hidden = text_encoder.eval()(ids)[0][:, 1, 0]
        threshold = float((hidden[0] + hidden[1]) / 2)
        sign = 1.0 if hidden[0] > hidden[1] else -1.0
        return OverflowingUNet(unet, threshold, sign, late)
    return wrap


def fp16_io(path):
    """Rewrite a graph's float32 inputs/outputs as float16 around the float32 body, which is what an `--fp16`
    Optimum export looks like from the outside (only the interface matters to the engine's conversions)."""
    import onnx
    from onnx import TensorProto, helper
    model = onnx.load(path)
    graph = model.graph
    casts_in, casts_out = [], []
    for inp in graph.input:
        if inp.type.tensor_type.elem_type == TensorProto.FLOAT:
            inner = inp.name + "_fp32"
            for node in graph.node:
                for i, name in enumerate(node.input):
                    if name == inp.name:
                        node.input[i] = inner
            casts_in.append(helper.make_node("Cast", [inp.name], [inner], to=TensorProto.FLOAT))
            inp.type.tensor_type.elem_type = TensorProto.FLOAT16
    for out in graph.output:
        if out.type.tensor_type.elem_type == TensorProto.FLOAT:
            inner = out.name + "_fp32"
            for node in graph.node:
                for i, name in enumerate(node.output):
                    if name == out.name:
                        node.output[i] = inner
                for i, name in enumerate(node.input):
                    if name == out.name:
                        node.input[i] = inner
            casts_out.append(helper.make_node("Cast", [inner], [out.name], to=TensorProto.FLOAT16))
            out.type.tensor_type.elem_type = TensorProto.FLOAT16
    nodes = casts_in + list(graph.node) + casts_out
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, path)


def external_data(path):
    """Move a graph's weights to model.onnx_data beside it, as exports over 2 GB (SDXL unet, Z-Image) are."""
    import onnx
    model = onnx.load(path)
    onnx.save_model(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
                    location="model.onnx_data", size_threshold=0)


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/models"
    which = sys.argv[2:] or ["tiny-sd", "tiny-sd-turbo", "tiny-sdxl", "tiny-zimage", "tiny-sd-fp16", "tiny-lcm", "tiny-sd-external",
                            "tiny-sd-overflow", "tiny-zimage-webnn"]
    for name in which:
        torch.manual_seed(1234)
        if name == "tiny-sd":
            make_sd(out, name, sd_scheduler("PNDMScheduler", "leading", 1, extra={"skip_prk_steps": True}))
        elif name == "tiny-sd-turbo":
            make_sd(out, name, sd_scheduler("EulerDiscreteScheduler", "trailing", 1), "StableDiffusionPipeline",
                    timestep_style="int64-batch")
        elif name == "tiny-sdxl":
            make_sdxl(out, name)
        elif name == "tiny-sd-external":
            # tiny-sd's weights, the unet's stored as external data.
            make_sd(out, name, sd_scheduler("PNDMScheduler", "leading", 1, extra={"skip_prk_steps": True}))
            external_data(os.path.join(out, name, "unet", "model.onnx"))
        elif name == "tiny-lcm":
            make_lcm(out, name)
        elif name == "tiny-sd-fp16":
            # Same weights and scheduler as tiny-sd, so the two must render (nearly) the same image.
            make_sd(out, name, sd_scheduler("PNDMScheduler", "leading", 1, extra={"skip_prk_steps": True}))
            for part in ("text_encoder", "unet", "vae_decoder"):
                fp16_io(os.path.join(out, name, part, "model.onnx"))
        elif name == "tiny-sd-overflow":
            # tiny-sd's weights, its unet overflowing in fp16 for prompts starting with "boom" (not "calm") from
            # timestep 400 down: Euler (leading) at 4 steps runs 751, 501, 251, 1, so the NaN appears at step 3.
            make_sd(out, name, sd_scheduler("PNDMScheduler", "leading", 1, extra={"skip_prk_steps": True}),
                    wrap_unet=overflow_on("boom", "calm", late=400.0))
        elif name == "tiny-zimage":
            make_zimage(out, name)
        elif name == "tiny-zimage-webnn":
            # tiny-zimage's weights behind the WebNN export's interface: the two must render the same images.
            make_zimage(out, name, webnn=True)
        else:
            raise SystemExit(f"unknown model {name}")
        print("wrote", os.path.join(out, name))


if __name__ == "__main__":
    main()
