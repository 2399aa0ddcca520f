"""Z-Image(-Turbo) in plain torch (1.13, no diffusers/transformers), with the parameter names of the official
checkpoint, so its safetensors load as they are:

* `ZImageTransformer2DModel` re-implements diffusers' transformer_z_image.py (basic, non-Omni mode).
  `forward_lists` follows diffusers' algorithm item by item (lists of latents and unpadded captions);
  `forward` computes the same thing on padded tensors, which is what the ONNX graph is traced from.
* `Qwen3Encoder` is transformers' Qwen3Model up to the penultimate hidden state, which ZImagePipeline uses.
* `AutoencoderKLDecoder` is diffusers' AutoencoderKL decoder (the Flux VAE for Z-Image).

Everything computes in float32: bf16 weights widen exactly; fp16 would overflow (activations pass 65504).
"""
import math

import torch
import torch.nn.functional as F
from torch import nn

ADALN_EMBED_DIM = 256
SEQ_MULTI_OF = 32
# The engine's caption and image token counts are padded by up to this many slots inside the graph, so every
# item's multiple of 32 fits whatever its length.
SLACK = SEQ_MULTI_OF - 1


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_interleaved(x, cos, sin):
    """Z-Image's RoPE: adjacent dimensions (2k, 2k+1) form the complex number that is rotated (torch.view_as_complex
    on pairs), not the two halves of the head as in NeoX/Llama/Qwen. x: [b, s, heads, d]; cos, sin: [b, s, d/2]."""
    pairs = x.reshape(x.shape[0], x.shape[1], x.shape[2], -1, 2)
    real, imag = pairs[..., 0], pairs[..., 1]
    cos, sin = cos[:, :, None, :], sin[:, :, None, :]
    return torch.stack([real * cos - imag * sin, real * sin + imag * cos], dim=-1).flatten(3)


def attend(q, k, v, key_mask, scale):
    """q, k, v: [b, s, heads, d]; key_mask: bool [b, s] or None. Masked keys get -inf, as SDPA's boolean mask."""
    q, k, v = q.transpose(1, 2), k.transpose(1, 2), v.transpose(1, 2)
    scores = q @ k.transpose(-1, -2) * scale
    if key_mask is not None:
        scores = scores.masked_fill(~key_mask[:, None, None, :], float("-inf"))
    return (scores.softmax(-1) @ v).transpose(1, 2).flatten(2)


class Attention(nn.Module):
    """diffusers' Attention with ZSingleStreamAttnProcessor: bias-free projections, per-head RMSNorm on q and k, RoPE."""

    def __init__(self, dim, heads, qk_norm):
        super().__init__()
        self.heads = heads
        self.scale = 1.0 / math.sqrt(dim // heads)
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_k = nn.Linear(dim, dim, bias=False)
        self.to_v = nn.Linear(dim, dim, bias=False)
        self.to_out = nn.ModuleList([nn.Linear(dim, dim, bias=False)])
        self.norm_q = RMSNorm(dim // heads, 1e-5) if qk_norm else None
        self.norm_k = RMSNorm(dim // heads, 1e-5) if qk_norm else None

    def forward(self, x, key_mask, cos, sin):
        shape = (x.shape[0], x.shape[1], self.heads, -1)
        q, k, v = self.to_q(x).reshape(shape), self.to_k(x).reshape(shape), self.to_v(x).reshape(shape)
        if self.norm_q is not None:
            q, k = self.norm_q(q), self.norm_k(k)
        q, k = rotate_interleaved(q, cos, sin), rotate_interleaved(k, cos, sin)
        return self.to_out[0](attend(q, k, v, key_mask, self.scale))


class FeedForward(nn.Module):
    def __init__(self, dim, hidden):
        super().__init__()
        self.w1 = nn.Linear(dim, hidden, bias=False)
        self.w2 = nn.Linear(hidden, dim, bias=False)
        self.w3 = nn.Linear(dim, hidden, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class ZImageTransformerBlock(nn.Module):
    def __init__(self, dim, heads, norm_eps, qk_norm, modulation):
        super().__init__()
        self.attention = Attention(dim, heads, qk_norm)
        self.feed_forward = FeedForward(dim, int(dim / 3 * 8))
        self.attention_norm1 = RMSNorm(dim, norm_eps)
        self.ffn_norm1 = RMSNorm(dim, norm_eps)
        self.attention_norm2 = RMSNorm(dim, norm_eps)
        self.ffn_norm2 = RMSNorm(dim, norm_eps)
        self.modulation = modulation
        if modulation:
            self.adaLN_modulation = nn.Sequential(nn.Linear(min(dim, ADALN_EMBED_DIM), 4 * dim))

    def forward(self, x, key_mask, cos, sin, adaln=None):
        if not self.modulation:
            x = x + self.attention_norm2(self.attention(self.attention_norm1(x), key_mask, cos, sin))
            return x + self.ffn_norm2(self.feed_forward(self.ffn_norm1(x)))
        scale_msa, gate_msa, scale_mlp, gate_mlp = self.adaLN_modulation(adaln).unsqueeze(1).chunk(4, dim=2)
        attn = self.attention(self.attention_norm1(x) * (1.0 + scale_msa), key_mask, cos, sin)
        x = x + gate_msa.tanh() * self.attention_norm2(attn)
        return x + gate_mlp.tanh() * self.ffn_norm2(self.feed_forward(self.ffn_norm1(x) * (1.0 + scale_mlp)))


class FinalLayer(nn.Module):
    def __init__(self, dim, out):
        super().__init__()
        self.linear = nn.Linear(dim, out)
        self.adaLN_modulation = nn.Sequential(nn.SiLU(), nn.Linear(min(dim, ADALN_EMBED_DIM), dim))

    def forward(self, x, c):
        # norm_final is a LayerNorm without affine parameters (eps 1e-6), written out: torch 1.13 exports a
        # parameterless LayerNorm as an invalid LayerNormalization node.
        centred = x - x.mean(-1, keepdim=True)
        normed = centred * torch.rsqrt(centred.pow(2).mean(-1, keepdim=True) + 1e-6)
        return self.linear(normed * (1.0 + self.adaLN_modulation(c)).unsqueeze(1))


class TimestepEmbedder(nn.Module):
    def __init__(self, out, mid=1024, frequencies=256):
        super().__init__()
        self.frequencies = frequencies
        self.mlp = nn.Sequential(nn.Linear(frequencies, mid), nn.SiLU(), nn.Linear(mid, out))

    def forward(self, t):
        half = self.frequencies // 2
        freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
        args = t[:, None].float() * freqs[None]
        return self.mlp(torch.cat([torch.cos(args), torch.sin(args)], dim=-1))


def rope_tables(axes_dims, axes_lens, theta):
    """diffusers' RopeEmbedder.precompute_freqs_cis as (cos, sin) pairs: angles in float64, rounded to float32."""
    tables = []
    for dim, length in zip(axes_dims, axes_lens):
        freqs = 1.0 / (theta ** (torch.arange(0, dim, 2, dtype=torch.float64) / dim))
        angles = torch.outer(torch.arange(length, dtype=torch.float64), freqs).float()
        tables.append((torch.cos(angles), torch.sin(angles)))
    return tables


class ZImageTransformer2DModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        if config.get("siglip_feat_dim") is not None:
            raise ValueError("Z-Image-Omni (siglip_feat_dim) is not supported: only text-to-image checkpoints export")
        patch = list(config.get("all_patch_size", [2]))
        f_patch = list(config.get("all_f_patch_size", [1]))
        if 2 not in patch or 1 not in f_patch:
            raise ValueError(f"only 2x2 patches with frame patch 1 export (config: {patch}, {f_patch})")
        self.in_channels = config.get("in_channels", 16)
        dim = config.get("dim", 3840)
        heads = config.get("n_heads", 30)
        eps = config.get("norm_eps", 1e-5)
        qk_norm = config.get("qk_norm", True)
        refiners = config.get("n_refiner_layers", 2)
        self.t_scale = config.get("t_scale", 1000.0)
        self.axes_dims = list(config.get("axes_dims", [32, 48, 48]))
        self.axes_lens = list(config.get("axes_lens", [1024, 512, 512]))
        if sum(self.axes_dims) != dim // heads:
            raise ValueError(f"axes_dims {self.axes_dims} must add up to the head dimension {dim // heads}")
        c = self.in_channels
        self.all_x_embedder = nn.ModuleDict({f"{p}-{fp}": nn.Linear(fp * p * p * c, dim) for p, fp in zip(patch, f_patch)})
        self.all_final_layer = nn.ModuleDict({f"{p}-{fp}": FinalLayer(dim, p * p * fp * c) for p, fp in zip(patch, f_patch)})
        self.noise_refiner = nn.ModuleList([ZImageTransformerBlock(dim, heads, eps, qk_norm, True) for _ in range(refiners)])
        self.context_refiner = nn.ModuleList([ZImageTransformerBlock(dim, heads, eps, qk_norm, False) for _ in range(refiners)])
        self.t_embedder = TimestepEmbedder(min(dim, ADALN_EMBED_DIM))
        cap_dim = config.get("cap_feat_dim", 2560)
        self.cap_embedder = nn.Sequential(RMSNorm(cap_dim, eps), nn.Linear(cap_dim, dim))
        self.x_pad_token = nn.Parameter(torch.zeros(1, dim))
        self.cap_pad_token = nn.Parameter(torch.zeros(1, dim))
        self.layers = nn.ModuleList([ZImageTransformerBlock(dim, heads, eps, qk_norm, True)
                                     for _ in range(config.get("n_layers", 30))])
        for i, (cos, sin) in enumerate(rope_tables(self.axes_dims, self.axes_lens, config.get("rope_theta", 256.0))):
            self.register_buffer(f"rope_cos_{i}", cos, persistent=False)
            self.register_buffer(f"rope_sin_{i}", sin, persistent=False)

    def rope(self, ids):
        """ids: int64 [..., 3] (frame/caption axis, row, column) -> cos, sin [..., head_dim/2]."""
        cos, sin = [], []
        for i, length in enumerate(self.axes_lens):
            index = ids[..., i].clamp(0, length - 1)
            cos.append(getattr(self, f"rope_cos_{i}")[index])
            sin.append(getattr(self, f"rope_sin_{i}")[index])
        return torch.cat(cos, dim=-1), torch.cat(sin, dim=-1)

    @staticmethod
    def position_ids(caption_length, frames, rows, cols):
        """diffusers' patchify_and_embed: the caption, its padding to a multiple of 32 included, at (1 + j, 0, 0); the
        image at (padded caption length + 1 + frame, row, col), its padding at (0, 0, 0). Returns (image, caption)."""
        cap_total = caption_length + (-caption_length) % SEQ_MULTI_OF
        n = frames * rows * cols
        image = [[cap_total + 1 + f, r, c] for f in range(frames) for r in range(rows) for c in range(cols)]
        image += [[0, 0, 0]] * ((-n) % SEQ_MULTI_OF)
        caption = [[1 + j, 0, 0] for j in range(cap_total)]
        return torch.tensor(image, dtype=torch.int64), torch.tensor(caption, dtype=torch.int64)

    def forward_lists(self, images, t, captions):
        """diffusers' ZImageTransformer2DModel.forward, one item at a time (batch padding is masked out there, so
        running items alone is the same computation): images [C, 1, H, W], captions [L_i, cap_dim] unpadded;
        returns [C, 1, H, W] per item."""
        adaln = self.t_embedder(t * self.t_scale)
        outputs = []
        for i, (image, caption) in enumerate(zip(images, captions)):
            channels, frames, height, width = image.shape
            rows, cols = height // 2, width // 2
            patches = image.reshape(channels, frames, 1, rows, 2, cols, 2).permute(1, 3, 5, 2, 4, 6, 0)
            patches = patches.reshape(frames * rows * cols, 4 * channels)
            n = patches.shape[0]
            x_pad = (-n) % SEQ_MULTI_OF
            cap_pad = (-len(caption)) % SEQ_MULTI_OF
            x_ids, cap_ids = self.position_ids(len(caption), frames, rows, cols)
            a = adaln[i:i + 1]
            x = torch.cat([self.all_x_embedder["2-1"](patches), self.x_pad_token.expand(x_pad, -1)])[None]
            cap = torch.cat([self.cap_embedder(caption), self.cap_pad_token.expand(cap_pad, -1)])[None]
            x_cos, x_sin = self.rope(x_ids[None])
            cap_cos, cap_sin = self.rope(cap_ids[None])
            for layer in self.noise_refiner:
                x = layer(x, None, x_cos, x_sin, a)
            for layer in self.context_refiner:
                cap = layer(cap, None, cap_cos, cap_sin)
            unified = torch.cat([x, cap], dim=1)
            cos, sin = torch.cat([x_cos, cap_cos], dim=1), torch.cat([x_sin, cap_sin], dim=1)
            for layer in self.layers:
                unified = layer(unified, None, cos, sin, a)
            out = self.all_final_layer["2-1"](unified, a)[0, :n]
            out = out.reshape(frames, rows, cols, 1, 2, 2, channels).permute(6, 0, 3, 1, 4, 2, 5)
            outputs.append(out.reshape(channels, frames, height, width))
        return outputs

    def forward(self, latents, timestep, prompt_embeds, prompt_mask):
        """The engine's interface, batched: latents [b, C, H, W], timestep [b] = (1000 - t) / 1000, prompt_embeds
        [b, s, cap_dim], prompt_mask bool [b, s] (a prefix per row) -> the model output [b, C, H, W], not negated.
        Equal to forward_lists: each row's caption gets its own learned pad tokens up to its multiple of 32 and
        the slots beyond are masked out of attention, which is what diffusers' batch padding does."""
        b, channels, height, width = latents.shape
        rows, cols = height // 2, width // 2
        adaln = self.t_embedder(timestep * self.t_scale)

        patches = latents.reshape(b, channels, rows, 2, cols, 2).permute(0, 2, 4, 3, 5, 1).reshape(b, rows * cols, 4 * channels)
        x = F.pad(self.all_x_embedder["2-1"](patches), (0, 0, 0, SLACK))
        x_real = F.pad(torch.ones_like(patches[:, :, 0]), (0, SLACK)) > 0
        x_valid, x_pad, _ = self._padding(x_real, x_real.sum(1))
        x = torch.where(x_pad[..., None], self.x_pad_token.to(x.dtype), x)

        mask = prompt_mask.long()
        cap_len = mask.sum(1)
        cap = F.pad(self.cap_embedder(prompt_embeds), (0, 0, 0, SLACK))
        cap_real = F.pad(mask, (0, SLACK)) > 0
        cap_valid, cap_pad, cap_total = self._padding(cap_real, cap_len)
        # Batch padding is zeroed, not only masked: a masked key still multiplies its value by 0, and 0 * NaN is NaN.
        cap = torch.where(cap_pad[..., None], self.cap_pad_token.to(cap.dtype), torch.where(cap_real[..., None], cap, torch.zeros_like(cap)))

        slots = torch.arange(cap.shape[1], dtype=torch.int64)
        cap_ids = torch.stack([1 + slots, torch.zeros_like(slots), torch.zeros_like(slots)], dim=-1)[None].expand(b, -1, -1)
        grid_rows = torch.arange(rows, dtype=torch.int64)[:, None].expand(rows, cols).reshape(-1)
        grid_cols = torch.arange(cols, dtype=torch.int64)[None, :].expand(rows, cols).reshape(-1)
        frame = (cap_total + 1)[:, None].expand(b, rows * cols)
        x_ids = torch.stack([frame, grid_rows[None].expand(b, -1), grid_cols[None].expand(b, -1)], dim=-1)
        x_ids = F.pad(x_ids, (0, 0, 0, SLACK))
        x_cos, x_sin = self.rope(x_ids)
        cap_cos, cap_sin = self.rope(cap_ids)

        for layer in self.noise_refiner:
            x = layer(x, x_valid, x_cos, x_sin, adaln)
        for layer in self.context_refiner:
            cap = layer(cap, cap_valid, cap_cos, cap_sin)
        unified = torch.cat([x, cap], dim=1)
        valid = torch.cat([x_valid, cap_valid], dim=1)
        cos, sin = torch.cat([x_cos, cap_cos], dim=1), torch.cat([x_sin, cap_sin], dim=1)
        for layer in self.layers:
            unified = layer(unified, valid, cos, sin, adaln)
        out = self.all_final_layer["2-1"](unified, adaln)[:, :rows * cols]
        out = out.reshape(b, rows, cols, 2, 2, channels).permute(0, 5, 1, 3, 2, 4)
        return out.reshape(b, channels, height, width)

    @staticmethod
    def _padding(real, count):
        """Slots below the count's multiple of 32 (returned too) take part in attention; those past the count are pads."""
        slots = torch.arange(real.shape[1], dtype=torch.int64)[None]
        total = (count + SLACK) // SEQ_MULTI_OF * SEQ_MULTI_OF
        valid = slots < total[:, None]
        return valid, valid & ~real, total


class Qwen3Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        hidden = config["hidden_size"]
        self.heads = config["num_attention_heads"]
        self.kv_heads = config.get("num_key_value_heads", self.heads)
        self.head_dim = config.get("head_dim") or hidden // self.heads
        bias = config.get("attention_bias", False)
        self.q_proj = nn.Linear(hidden, self.heads * self.head_dim, bias=bias)
        self.k_proj = nn.Linear(hidden, self.kv_heads * self.head_dim, bias=bias)
        self.v_proj = nn.Linear(hidden, self.kv_heads * self.head_dim, bias=bias)
        self.o_proj = nn.Linear(self.heads * self.head_dim, hidden, bias=bias)
        self.q_norm = RMSNorm(self.head_dim, config.get("rms_norm_eps", 1e-6))
        self.k_norm = RMSNorm(self.head_dim, config.get("rms_norm_eps", 1e-6))

    def forward(self, x, cos, sin, mask):
        b, s, _ = x.shape
        q = self.q_norm(self.q_proj(x).reshape(b, s, self.heads, self.head_dim)).transpose(1, 2)
        k = self.k_norm(self.k_proj(x).reshape(b, s, self.kv_heads, self.head_dim)).transpose(1, 2)
        v = self.v_proj(x).reshape(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        # Grouped-query attention: query head h reads key/value head h // (heads / kv_heads); grouping the query
        # heads broadcasts instead of repeat_interleave, which torch 1.13 exports with the traced shapes baked in.
        q = q.reshape(b, self.kv_heads, self.heads // self.kv_heads, s, self.head_dim)
        scores = (q @ k[:, :, None].transpose(-1, -2)) / math.sqrt(self.head_dim)
        scores = scores.masked_fill(~mask[:, :, None], float("-inf"))
        out = (scores.softmax(-1) @ v[:, :, None]).reshape(b, self.heads, s, self.head_dim)
        return self.o_proj(out.transpose(1, 2).reshape(b, s, -1))


def rotate_half(x):
    """Qwen's (NeoX-style) RoPE pairs dimension k with k + d/2, unlike the Z-Image DiT."""
    half = x.shape[-1] // 2
    return torch.cat([-x[..., half:], x[..., :half]], dim=-1)


class Qwen3Layer(nn.Module):
    def __init__(self, config):
        super().__init__()
        hidden, inner = config["hidden_size"], config["intermediate_size"]
        eps = config.get("rms_norm_eps", 1e-6)
        self.self_attn = Qwen3Attention(config)
        self.mlp = nn.Module()
        self.mlp.gate_proj = nn.Linear(hidden, inner, bias=False)
        self.mlp.up_proj = nn.Linear(hidden, inner, bias=False)
        self.mlp.down_proj = nn.Linear(inner, hidden, bias=False)
        self.input_layernorm = RMSNorm(hidden, eps)
        self.post_attention_layernorm = RMSNorm(hidden, eps)

    def forward(self, x, cos, sin, mask):
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, mask)
        h = self.post_attention_layernorm(x)
        return x + self.mlp.down_proj(F.silu(self.mlp.gate_proj(h)) * self.mlp.up_proj(h))


class Qwen3Encoder(nn.Module):
    """transformers' Qwen3Model(..., output_hidden_states=True).hidden_states[-2]: the embeddings through all layers
    but the last (hidden_states[-1] is the last layer after the final norm, which Z-Image does not use), so the last
    layer and `norm` are not built. Right padding + causal attention: real tokens never see the padding."""

    def __init__(self, config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config["vocab_size"], config["hidden_size"])
        self.layers = nn.ModuleList([Qwen3Layer(config) for _ in range(config["num_hidden_layers"] - 1)])
        head_dim = config.get("head_dim") or config["hidden_size"] // config["num_attention_heads"]
        theta = config.get("rope_theta", 1000000.0)
        inv_freq = 1.0 / (theta ** (torch.arange(0, head_dim, 2, dtype=torch.int64).float() / head_dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, input_ids, attention_mask):
        s = input_ids.shape[1]
        x = self.embed_tokens(input_ids)
        freqs = torch.arange(s, dtype=torch.int64).float()[:, None] * self.inv_freq[None]
        emb = torch.cat([freqs, freqs], dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        slots = torch.arange(s, dtype=torch.int64)
        causal = slots[:, None] >= slots[None, :]
        mask = causal[None, None] & (attention_mask > 0)[:, None, None, :]
        for layer in self.layers:
            x = layer(x, cos, sin, mask)
        return x


class ResnetBlock2D(nn.Module):
    def __init__(self, cin, cout, groups):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin, eps=1e-6)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.norm2 = nn.GroupNorm(groups, cout, eps=1e-6)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.conv_shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else None

    def forward(self, x):
        h = self.conv2(F.silu(self.norm2(self.conv1(F.silu(self.norm1(x))))))
        return (self.conv_shortcut(x) if self.conv_shortcut is not None else x) + h


class VaeAttention(nn.Module):
    """The mid block's single-head self-attention over pixels (diffusers' Attention with group_norm, residual)."""

    def __init__(self, channels, groups):
        super().__init__()
        self.group_norm = nn.GroupNorm(groups, channels, eps=1e-6)
        self.to_q = nn.Linear(channels, channels)
        self.to_k = nn.Linear(channels, channels)
        self.to_v = nn.Linear(channels, channels)
        self.to_out = nn.ModuleList([nn.Linear(channels, channels)])

    def forward(self, x):
        b, c, h, w = x.shape
        t = self.group_norm(x).reshape(b, c, h * w).transpose(1, 2)
        q, k, v = self.to_q(t), self.to_k(t), self.to_v(t)
        att = (q @ k.transpose(1, 2) / math.sqrt(c)).softmax(-1)
        return self.to_out[0](att @ v).transpose(1, 2).reshape(b, c, h, w) + x


class Upsample2D(nn.Module):
    def __init__(self, channels):
        super().__init__()
        self.conv = nn.Conv2d(channels, channels, 3, padding=1)

    def forward(self, x):
        return self.conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))


class Decoder(nn.Module):
    def __init__(self, config):
        super().__init__()
        channels = list(config.get("block_out_channels", [128, 256, 512, 512]))
        groups = config.get("norm_num_groups", 32)
        per_block = config.get("layers_per_block", 2)
        top = channels[-1]
        self.conv_in = nn.Conv2d(config.get("latent_channels", 16), top, 3, padding=1)
        self.mid_block = nn.Module()
        self.mid_block.resnets = nn.ModuleList([ResnetBlock2D(top, top, groups), ResnetBlock2D(top, top, groups)])
        self.mid_block.attentions = nn.ModuleList([VaeAttention(top, groups)] if config.get("mid_block_add_attention", True) else [])
        self.up_blocks = nn.ModuleList()
        reversed_channels = channels[::-1]
        previous = reversed_channels[0]
        for i, out in enumerate(reversed_channels):
            block = nn.Module()
            block.resnets = nn.ModuleList([ResnetBlock2D(previous if j == 0 else out, out, groups) for j in range(per_block + 1)])
            block.upsamplers = nn.ModuleList([Upsample2D(out)] if i < len(channels) - 1 else [])
            self.up_blocks.append(block)
            previous = out
        self.conv_norm_out = nn.GroupNorm(groups, channels[0], eps=1e-6)
        self.conv_out = nn.Conv2d(channels[0], config.get("out_channels", 3), 3, padding=1)

    def forward(self, z):
        h = self.mid_block.resnets[0](self.conv_in(z))
        for attention in self.mid_block.attentions:
            h = attention(h)
        h = self.mid_block.resnets[1](h)
        for block in self.up_blocks:
            for resnet in block.resnets:
                h = resnet(h)
            for up in block.upsamplers:
                h = up(h)
        return self.conv_out(F.silu(self.conv_norm_out(h)))


class AutoencoderKLDecoder(nn.Module):
    """AutoencoderKL.decode(z).sample: the engine feeds z already divided by scaling_factor and shifted."""

    def __init__(self, config):
        super().__init__()
        self.decoder = Decoder(config)
        latent = config.get("latent_channels", 16)
        self.post_quant_conv = nn.Conv2d(latent, latent, 1) if config.get("use_post_quant_conv", True) else None

    def forward(self, latent_sample):
        if self.post_quant_conv is not None:
            latent_sample = self.post_quant_conv(latent_sample)
        return self.decoder(latent_sample)
