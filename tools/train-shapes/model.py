"""The tiny Stable-Diffusion-shaped model: CLIP-style causal text transformer, a UNet with cross-attention,
and a fixed linear 'VAE' (8x8 block means of RGB + luma as 4 latent channels; decoder = least-squares inverse
of that colour map followed by bilinear x8 upsampling)."""
import math

import torch
import torch.nn.functional as F
from torch import nn


class Block(nn.Module):
    def __init__(self, d, heads=4):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 2 * d), nn.GELU(), nn.Linear(2 * d, d))
        self.heads = heads

    def forward(self, x, causal):
        b, s, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).chunk(3, dim=-1)
        hd = d // self.heads
        q, k, v = (t.reshape(b, s, self.heads, hd).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(hd) + causal
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, s, d)
        x = x + self.proj(y)
        return x + self.mlp(self.ln2(x))


class TextEncoder(nn.Module):
    """CLIPTextModel-shaped: token + learnt position embeddings, causal pre-norm blocks, final LayerNorm;
    outputs last_hidden_state and pooler_output (the EOS position = argmax of the ids, as CLIP).
    Only the first `window` positions are encoded (captions are short); the remaining positions of the 77-token
    output repeat the last encoded one, so the output keeps CLIP's [b, 77, d] shape."""

    def __init__(self, vocab_size, d=64, layers=2, max_pos=32, window=32):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d)
        self.pos = nn.Embedding(max_pos, d)
        self.blocks = nn.ModuleList([Block(d) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)
        nn.init.normal_(self.tok.weight, std=0.02)
        nn.init.normal_(self.pos.weight, std=0.01)
        mask = torch.full((max_pos, max_pos), -1e4).triu(1)
        self.register_buffer("causal", mask, persistent=False)

    def forward(self, input_ids):
        full = input_ids.long()
        ids = full[:, : self.pos.weight.shape[0]]
        s = ids.shape[1]
        x = self.tok(ids) + self.pos.weight[:s][None]
        causal = self.causal[:s, :s]
        for blk in self.blocks:
            x = blk(x, causal)
        last = self.ln(x)
        pooled = last[torch.arange(ids.shape[0]), ids.argmax(-1)]
        rest = last[:, -1:].expand(-1, full.shape[1] - s, -1)
        return torch.cat([last, rest], 1), pooled


def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class ResBlock(nn.Module):
    def __init__(self, cin, cout, tdim):
        super().__init__()
        self.n1, self.c1 = nn.GroupNorm(8, cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.t = nn.Linear(tdim, cout)
        self.n2, self.c2 = nn.GroupNorm(8, cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, temb):
        h = self.c1(F.silu(self.n1(x))) + self.t(temb)[:, :, None, None]
        h = self.c2(F.silu(self.n2(h)))
        return self.skip(x) + h


class CrossAttention(nn.Module):
    """Spatial self-attention followed by cross-attention to the text tokens (the SD transformer block, small)."""

    def __init__(self, c, ctx, heads=4):
        super().__init__()
        self.n1, self.n2 = nn.GroupNorm(8, c), nn.GroupNorm(8, c)
        # where each query sits, as a small function of its coordinates: lets "on the left" attend from the left
        # half only, directly, instead of through coordinates the convolutions have to carry up to this level
        self.where = nn.Sequential(nn.Conv2d(2, c, 1), nn.SiLU(), nn.Conv2d(c, c, 1))
        self.qkv = nn.Conv2d(c, 3 * c, 1)
        self.o1 = nn.Conv2d(c, c, 1)
        self.q = nn.Conv2d(c, c, 1)
        self.kv = nn.Linear(ctx, 2 * c)
        self.o2 = nn.Conv2d(c, c, 1)
        self.heads = heads

    def attend(self, q, k, v):
        # q [b, c, n], k/v [b, c, m] -> [b, c, n]
        b, c, n = q.shape
        hd = c // self.heads
        q = q.reshape(b, self.heads, hd, n).transpose(2, 3)
        k = k.reshape(b, self.heads, hd, -1)
        v = v.reshape(b, self.heads, hd, -1).transpose(2, 3)
        att = ((q @ k) / math.sqrt(hd)).softmax(-1)
        return (att @ v).transpose(2, 3).reshape(b, c, n)

    def forward(self, x, ctx):
        b, c, h, w = x.shape
        where = self.where(coordinates(x))
        q, k, v = self.qkv(self.n1(x) + where).reshape(b, 3 * c, h * w).chunk(3, dim=1)
        x = x + self.o1(self.attend(q, k, v).reshape(b, c, h, w))
        q = self.q(self.n2(x) + where).reshape(b, c, h * w)
        k, v = self.kv(ctx).transpose(1, 2).chunk(2, dim=1)
        return x + self.o2(self.attend(q, k, v).reshape(b, c, h, w))


CONTEXT = 32  # text positions the UNet attends to (= TextEncoder's window)


def coordinates(sample):
    """[b, 2, h, w] x and y in (-1, 1) for the sample's (dynamic) size."""
    b, _, h, w = sample.shape
    ys = (torch.arange(h, dtype=torch.float32) + 0.5) / h * 2 - 1
    xs = (torch.arange(w, dtype=torch.float32) + 0.5) / w * 2 - 1
    grid = torch.stack([xs[None, :].expand(h, w), ys[:, None].expand(h, w)])
    return grid[None].expand(b, -1, -1, -1)


# DDPM's linear schedule, not SD's scaled_linear: at SD's last timestep √ᾱ is still 0.068, and on 16x16 latents that
# much of the image shows through the noise where a shape is, so a model learns to put the shape where the noise
# happens to hint at one, ignoring "on the left"; here √ᾱ_T = 0.006 and the position has to come from the caption.
BETA_SCHEDULE, BETA_START, BETA_END = "linear", 0.0001, 0.02


def alphas_cumprod():
    betas = torch.linspace(BETA_START, BETA_END, 1000, dtype=torch.float64)
    return torch.cumprod(1 - betas, 0).float()


class UNet(nn.Module):
    """The network predicts v = sqrt(a)·eps − sqrt(1−a)·x0 (unit-variance target, learns the image content fast at
    high noise); with predict_epsilon (as exported) the graph converts that to SD's epsilon,
    eps = sqrt(a_t)·v + sqrt(1−a_t)·sample, looking a_t up from the timestep, so the folder is a plain epsilon model."""

    def __init__(self, ctx, c1=32, c2=48, tdim=96):
        super().__init__()
        self.register_buffer("ac", alphas_cumprod(), persistent=False)
        self.predict_epsilon = False
        self.block_out_channels = [c1, c2, c2]
        self.temb = nn.Sequential(nn.Linear(64, tdim), nn.SiLU(), nn.Linear(tdim, tdim))
        # the caption as a whole, added to the time embedding (as SDXL adds its pooled text embedding): every ResBlock
        # then sees what to draw and, with the coordinate channels, where, without waiting for cross-attention to
        # single out the caption's words among the padding tokens
        self.text_emb = nn.Sequential(nn.Linear(ctx, tdim), nn.SiLU(), nn.Linear(tdim, tdim))
        # two coordinate channels beside the latents: a convolution alone hardly knows where it is away from the
        # borders, and "on the left"/"at the top" must map to places (CoordConv)
        self.conv_in = nn.Conv2d(4 + 2, c1, 3, padding=1)
        self.d1 = ResBlock(c1, c1, tdim)
        self.down1 = nn.Conv2d(c1, c2, 3, stride=2, padding=1)
        self.d2, self.a2 = ResBlock(c2, c2, tdim), CrossAttention(c2, ctx)
        self.down2 = nn.Conv2d(c2, c2, 3, stride=2, padding=1)
        self.m1, self.ma, self.m2 = ResBlock(c2, c2, tdim), CrossAttention(c2, ctx), ResBlock(c2, c2, tdim)
        self.up2 = nn.Conv2d(c2, c2, 3, padding=1)
        self.u2, self.ua2 = ResBlock(2 * c2, c2, tdim), CrossAttention(c2, ctx)
        self.up1 = nn.Conv2d(c2, c1, 3, padding=1)
        self.u1 = ResBlock(2 * c1, c1, tdim)
        self.n_out = nn.GroupNorm(8, c1)
        self.conv_out = nn.Conv2d(c1, 4, 3, padding=1)
        nn.init.zeros_(self.conv_out.weight)
        nn.init.zeros_(self.conv_out.bias)

    def forward(self, sample, timestep, encoder_hidden_states):
        t = timestep.reshape(-1).float().expand(sample.shape[0])
        temb = self.temb(timestep_embedding(t, 64))
        # the text encoder repeats its last encoded position over 32..76; attending to 45 copies of one token would
        # drown the caption's words
        ctx = encoder_hidden_states[:, :CONTEXT]
        # the last encoded position has attended (causally) to the whole caption
        temb = temb + self.text_emb(ctx[:, -1])
        h = self.conv_in(torch.cat([sample, coordinates(sample)], 1))
        s1 = self.d1(h, temb)
        h = self.a2(self.d2(self.down1(s1), temb), ctx)
        s2 = h
        h = self.m2(self.ma(self.m1(self.down2(h), temb), ctx), temb)
        h = self.up2(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        h = self.ua2(self.u2(torch.cat([h, s2], 1), temb), ctx)
        h = self.up1(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        h = self.u1(torch.cat([h, s1], 1), temb)
        v = self.conv_out(F.silu(self.n_out(h)))
        if not self.predict_epsilon:
            return v
        a = self.ac[t.round().clamp(0, 999).long()][:, None, None, None]
        return a.sqrt() * v + (1 - a).sqrt() * sample


# Fixed linear "VAE". Encoder: 8x8 block mean of RGB in [-1, 1], then latent = M @ [r, g, b] (channels R, G, B, luma).
ENC = torch.tensor([[1.0, 0, 0], [0, 1.0, 0], [0, 0, 1.0], [0.299, 0.587, 0.114]])
DEC = torch.linalg.pinv(ENC)  # [3, 4] least-squares inverse


def vae_encode(images):
    """images [b, 3, 8h, 8w] in [-1, 1] -> unscaled latents [b, 4, h, w]."""
    pooled = F.avg_pool2d(images, 8)
    return torch.einsum("lc,bchw->blhw", ENC, pooled)


class VaeDecoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.mix = nn.Conv2d(4, 3, 1, bias=False)
        with torch.no_grad():
            self.mix.weight.copy_(DEC[:, :, None, None])

    def forward(self, latent_sample):
        return F.interpolate(self.mix(latent_sample), scale_factor=8.0, mode="bilinear", align_corners=False)
