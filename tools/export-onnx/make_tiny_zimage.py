#!/usr/bin/python3
"""Writes a tiny random-weight Z-Image checkpoint in the diffusers layout of Tongyi-MAI/Z-Image-Turbo (the same
file names, config keys and state-dict names; bf16 safetensors, the transformer sharded behind an index; a
Qwen3ForCausalLM text encoder with its 'model.' prefix, lm_head and final norm; a VAE with an encoder the export
drops), and what its torch modules compute on fixed inputs (the transformer following diffusers' algorithm item by
item):

    /usr/bin/python3 tools/export-onnx/make_tiny_zimage.py CHECKPOINT_DIR REFERENCE_JSON

The engine's tests export CHECKPOINT_DIR with export_zimage.py and compare each ONNX graph against REFERENCE_JSON:
{part: {"inputs": {name: tensor}, "outputs": {name: tensor}}}, a tensor being {"dtype", "shape", "data"}.
The tokenizer is the tiny-zimage fixture's (a byte-level BPE with Qwen's chat-template tokens).
"""
import json
import os
import shutil
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import safetensors_io  # noqa: E402
from export_zimage import write_json  # noqa: E402
from zimage_model import AutoencoderKLDecoder, Qwen3Encoder, ZImageTransformer2DModel  # noqa: E402

TOKENIZER = os.path.join(HERE, "..", "..", "tests", "fixtures", "models", "tiny-zimage", "tokenizer")

TRANSFORMER = {"_class_name": "ZImageTransformer2DModel", "_diffusers_version": "0.36.0", "all_f_patch_size": [1],
               "all_patch_size": [2], "axes_dims": [4, 6, 6], "axes_lens": [256, 64, 64], "cap_feat_dim": 24, "dim": 32,
               "in_channels": 16, "n_heads": 2, "n_kv_heads": 2, "n_layers": 2, "n_refiner_layers": 1, "norm_eps": 1e-05,
               "qk_norm": True, "rope_theta": 256.0, "t_scale": 1000.0}
TEXT_ENCODER = {"architectures": ["Qwen3ForCausalLM"], "model_type": "qwen3", "hidden_size": 24, "head_dim": 12,
                "intermediate_size": 48, "num_attention_heads": 2, "num_key_value_heads": 1, "num_hidden_layers": 3,
                "rms_norm_eps": 1e-06, "rope_theta": 1000000.0, "vocab_size": 300, "attention_bias": False,
                "tie_word_embeddings": False, "torch_dtype": "bfloat16"}
VAE = {"_class_name": "AutoencoderKL", "_diffusers_version": "0.36.0", "block_out_channels": [8, 8, 8, 8],
       "in_channels": 3, "out_channels": 3, "latent_channels": 16, "layers_per_block": 1, "norm_num_groups": 4,
       "mid_block_add_attention": True, "scaling_factor": 0.3611, "shift_factor": 0.1159, "use_quant_conv": False,
       "use_post_quant_conv": False, "sample_size": 64}


def randomize(module, seed, scale):
    """Random weights, norms around 1, so every parameter (pad tokens included) shapes the output."""
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in module.named_parameters():
            noise = torch.randn(p.shape, generator=generator)
            p.copy_(1.0 + 0.1 * noise if "norm" in name else scale * noise)
    return module


def bf16(module):
    """The weights as the bf16 checkpoint stores them, so the torch reference and the export see the same values."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(p.to(torch.bfloat16).float())
    return module


def state(module, prefix=""):
    return {prefix + k: v.numpy() for k, v in module.state_dict().items()}


def tensor_json(t):
    return {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape), "data": t.flatten().tolist()}


def main():
    checkpoint, reference = sys.argv[1], sys.argv[2]
    transformer = bf16(randomize(ZImageTransformer2DModel(TRANSFORMER), 1, 0.15)).eval()
    text_encoder = bf16(randomize(Qwen3Encoder(TEXT_ENCODER), 2, 0.2)).eval()
    vae = bf16(randomize(AutoencoderKLDecoder(VAE), 3, 0.2)).eval()

    write_json(os.path.join(checkpoint, "model_index.json"), {
        "_class_name": "ZImagePipeline", "_diffusers_version": "0.36.0",
        "scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"], "text_encoder": ["transformers", "Qwen3Model"],
        "tokenizer": ["transformers", "Qwen2Tokenizer"], "transformer": ["diffusers", "ZImageTransformer2DModel"],
        "vae": ["diffusers", "AutoencoderKL"]})
    write_json(os.path.join(checkpoint, "scheduler", "scheduler_config.json"), {
        "_class_name": "FlowMatchEulerDiscreteScheduler", "num_train_timesteps": 1000, "shift": 3.0,
        "use_dynamic_shifting": False})
    shutil.copytree(TOKENIZER, os.path.join(checkpoint, "tokenizer"), dirs_exist_ok=True)

    # Sharded with an index, as the official transformer is (diffusion_pytorch_model-0000N-of-0000M.safetensors).
    write_json(os.path.join(checkpoint, "transformer", "config.json"), TRANSFORMER)
    tensors = state(transformer)
    names = sorted(tensors)
    shards = {f"diffusion_pytorch_model-0000{i + 1}-of-00002.safetensors": names[i::2] for i in range(2)}
    for shard, members in shards.items():
        safetensors_io.write_file(os.path.join(checkpoint, "transformer", shard), {k: tensors[k] for k in members}, "BF16")
    write_json(os.path.join(checkpoint, "transformer", "diffusion_pytorch_model.safetensors.index.json"),
               {"metadata": {}, "weight_map": {k: shard for shard, members in shards.items() for k in members}})

    # The real text encoder is a Qwen3ForCausalLM checkpoint: 'model.' names, all layers, the final norm, lm_head.
    write_json(os.path.join(checkpoint, "text_encoder", "config.json"), TEXT_ENCODER)
    generator = torch.Generator().manual_seed(4)
    hidden, last = TEXT_ENCODER["hidden_size"], TEXT_ENCODER["num_hidden_layers"] - 1
    unused = {f"model.layers.{last}.{k}": torch.randn(v.shape, generator=generator).numpy()
              for k, v in text_encoder.layers[0].state_dict().items()}
    unused["model.norm.weight"] = np.ones(hidden, dtype=np.float32)
    unused["lm_head.weight"] = torch.randn(TEXT_ENCODER["vocab_size"], hidden, generator=generator).numpy()
    safetensors_io.write_file(os.path.join(checkpoint, "text_encoder", "model.safetensors"),
                              {**state(text_encoder, "model."), **unused}, "BF16")

    write_json(os.path.join(checkpoint, "vae", "config.json"), VAE)
    encoder = {"encoder.conv_in.weight": np.zeros((8, 3, 3, 3), dtype=np.float32), "encoder.conv_in.bias": np.zeros(8, dtype=np.float32)}
    safetensors_io.write_file(os.path.join(checkpoint, "vae", "diffusion_pytorch_model.safetensors"),
                              {**state(vae), **encoder}, "BF16")

    # The transformer on a 6x4 latent (6 patches, padded to 32 with x_pad_token) and captions of 7 and 33 tokens
    # (padded to 32 and 64 with cap_pad_token), following diffusers item by item; shapes the export was not traced with.
    generator = torch.Generator().manual_seed(5)
    latents = torch.randn(2, 16, 6, 4, generator=generator)
    timestep = torch.tensor([0.3, 0.9])
    embeds = torch.randn(2, 33, TRANSFORMER["cap_feat_dim"], generator=generator)
    prompt_mask = torch.arange(33)[None] < torch.tensor([[7], [33]])
    ids = torch.randint(0, TEXT_ENCODER["vocab_size"], (2, 9), generator=generator)
    attention_mask = (torch.arange(9)[None] < torch.tensor([[9], [4]])).long()
    latent_sample = torch.randn(1, 16, 3, 5, generator=generator)
    with torch.no_grad():
        outputs = transformer.forward_lists([latents[i].unsqueeze(1) for i in range(2)], timestep,
                                            [embeds[i][prompt_mask[i]] for i in range(2)])
        cases = {
            "transformer": ({"latents": latents, "timestep": timestep, "prompt_embeds": embeds, "prompt_mask": prompt_mask},
                            {"noise_pred": torch.stack([o.squeeze(1) for o in outputs])}),
            "text_encoder": ({"input_ids": ids, "attention_mask": attention_mask},
                             {"hidden_states": text_encoder(ids, attention_mask)}),
            "vae_decoder": ({"latent_sample": latent_sample}, {"sample": vae(latent_sample)}),
        }
    os.makedirs(os.path.dirname(os.path.abspath(reference)), exist_ok=True)
    with open(reference, "w", encoding="utf-8") as f:
        json.dump({part: {"inputs": {k: tensor_json(v) for k, v in inputs.items()},
                          "outputs": {k: tensor_json(v) for k, v in outs.items()}}
                   for part, (inputs, outs) in cases.items()}, f)
    print("wrote", checkpoint, "and", reference)


if __name__ == "__main__":
    main()
