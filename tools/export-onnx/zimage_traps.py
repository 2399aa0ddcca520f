#!/usr/bin/python3
"""Probes the export's Z-Image transformer at the places where ports go wrong, and prints what it computes as JSON,
for tests that hold it against numbers worked out independently (tests/RenderFarm.Inference.Tests/Export):

* rotate: RoPE on one head [1, 2, 3, 4] with pair angles 0.5 and 1.5 (interleaved pairs, not NeoX halves);
* rope: the cos/sin the model looks up for the position (7, 2, 3) with the tiny config's axes (4, 6, 6), theta 256;
* positions: the position ids of a 5-token caption and a 3x2-patch image (image first at the padded caption
  length + 1, caption at 1..32);
* pad_effect: how much the output moves when the learned pad tokens change, for inputs that need padding (5-token
  caption, 6-patch image) and inputs that do not (32 tokens, 64 patches): pad tokens take part in attention.

    /usr/bin/python3 tools/export-onnx/zimage_traps.py
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_tiny_zimage import TRANSFORMER, randomize  # noqa: E402
from zimage_model import ZImageTransformer2DModel, rotate_interleaved  # noqa: E402


def output_change(model, token, caption_length, height, width):
    """Largest change of the model output when one pad token is replaced by other values."""
    generator = torch.Generator().manual_seed(6)
    latents = torch.randn(1, 16, height, width, generator=generator)
    embeds = torch.randn(1, caption_length, TRANSFORMER["cap_feat_dim"], generator=generator)
    mask = torch.ones(1, caption_length, dtype=torch.bool)
    timestep = torch.tensor([0.5])
    with torch.no_grad():
        before = model(latents, timestep, embeds, mask)
        saved = token.clone()
        token.add_(torch.randn(token.shape, generator=generator))
        after = model(latents, timestep, embeds, mask)
        token.copy_(saved)
    return float((after - before).abs().max())


def main():
    x = torch.tensor([1.0, 2.0, 3.0, 4.0]).reshape(1, 1, 1, 4)
    angles = torch.tensor([0.5, 1.5]).reshape(1, 1, 2)
    rotated = rotate_interleaved(x, angles.cos(), angles.sin()).flatten().tolist()

    model = randomize(ZImageTransformer2DModel(TRANSFORMER), 1, 0.15).eval()
    cos, sin = model.rope(torch.tensor([[7, 2, 3]]))
    image, caption = model.position_ids(5, 1, 3, 2)
    print(json.dumps({
        "rotate": rotated,
        "rope": {"cos": cos.flatten().tolist(), "sin": sin.flatten().tolist()},
        "positions": {"image": image.tolist(), "caption": caption.tolist()},
        "pad_effect": {
            "caption_5": output_change(model, model.cap_pad_token, 5, 4, 6),
            "caption_32": output_change(model, model.cap_pad_token, 32, 4, 6),
            "image_6": output_change(model, model.x_pad_token, 5, 4, 6),
            "image_64": output_change(model, model.x_pad_token, 5, 16, 16),
        },
    }))


if __name__ == "__main__":
    main()
