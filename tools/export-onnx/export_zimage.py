#!/usr/bin/python3
"""Exports a diffusers Z-Image(-Turbo) checkpoint folder (safetensors, as Tongyi-MAI/Z-Image-Turbo ships it) to the
ONNX folder the RenderFarm engine loads:

    /usr/bin/python3 tools/export-onnx/export_zimage.py ~/Z-Image-Turbo models/z-image-turbo

Reads   model_index.json, scheduler/, tokenizer/, transformer/, text_encoder/, vae/ (safetensors, sharded or not)
Writes  model_index.json, scheduler/, tokenizer/   copied as they are
        text_encoder/model.onnx  input_ids, attention_mask int64 [b, s] -> hidden_states f32 [b, s, 2560]
                                 (Qwen3's penultimate hidden state, which ZImagePipeline uses)
        transformer/model.onnx   latents f32 [b, 16, h, w], timestep f32 [b] ((1000 - t) / 1000),
                                 prompt_embeds f32 [b, s, 2560], prompt_mask bool [b, s] -> noise_pred f32 [b, 16, h, w]
                                 (the model output, not negated: the engine negates it)
        vae_decoder/model.onnx   latent_sample f32 [b, 16, h, w] -> sample f32 [b, 3, 8h, 8w]; vae/config.json beside it
        (+ model.onnx_data beside a graph whose weights pass 1.5 GB)

Caption length: not fixed. Every axis but the channels is dynamic; the engine pads a batch's prompts to its longest
(at most 512 tokens) and the graph gives each prompt its own learned pad tokens up to its multiple of 32, as diffusers
does, masking the rest. The transformer supports up to axes_lens[0] - 33 caption tokens (1024 - 33 for Turbo).

Precision: the graphs compute in float32 (bf16 weights widen exactly; a 6B transformer is then ~25 GB of external
data). torch 1.13 cannot export bfloat16 graphs, and fp16 is not an option for Z-Image: its activations pass
65504, overflow to Inf and become NaN (a black image; the engine fails such images instead of delivering them).
An fp16 checkpoint is accepted with a warning (its weights are widened; precision lost in fp16 stays lost).

Needs Debian's python3-torch (1.13) and python3-onnx; no diffusers, transformers or safetensors.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import safetensors_io  # noqa: E402
from zimage_model import AutoencoderKLDecoder, Qwen3Encoder, ZImageTransformer2DModel  # noqa: E402

OPSET = 17
EXTERNAL_DATA_ABOVE = 1536 << 20


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def write_json(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def load_weights(module, tensors, part):
    """Loads the checkpoint's tensors by name; any name missing or left over is an error naming the part."""
    expected = module.state_dict()
    missing = sorted(set(expected) - set(tensors))
    unexpected = sorted(set(tensors) - set(expected))
    if missing or unexpected:
        raise SystemExit(f"{part}: the checkpoint does not match the model: missing {missing[:8]}"
                         f"{' ...' if len(missing) > 8 else ''}, unexpected {unexpected[:8]}{' ...' if len(unexpected) > 8 else ''}")
    for name, value in expected.items():
        if tuple(tensors[name].shape) != tuple(value.shape):
            raise SystemExit(f"{part}: {name} has shape {tuple(tensors[name].shape)} in the checkpoint, the config gives {tuple(value.shape)}")
    module.load_state_dict({k: torch.from_numpy(tensors[k]) for k in expected})
    return module.eval()


def warn_fp16(folder, stem, part):
    if any("F16" in safetensors_io.dtypes(p) for p in safetensors_io.checkpoint_files(folder, stem)):
        print(f"warning: {part} is stored in fp16; it is exported in float32, but Z-Image overflows in fp16 "
              "(use the bf16 or fp32 checkpoint)", file=sys.stderr)


def transformer_weights(checkpoint):
    folder = os.path.join(checkpoint, "transformer")
    warn_fp16(folder, "diffusion_pytorch_model", "transformer")
    return safetensors_io.read_checkpoint(folder, "diffusion_pytorch_model")


def text_encoder_weights(checkpoint, layers):
    """Qwen3ForCausalLM checkpoints prefix every name with 'model.'; the last layer, the final norm and lm_head do
    not contribute to the penultimate hidden state and are left out."""
    folder = os.path.join(checkpoint, "text_encoder")
    warn_fp16(folder, "model", "text_encoder")
    tensors = {}
    for name, value in safetensors_io.read_checkpoint(folder, "model").items():
        name = name[len("model."):] if name.startswith("model.") else name
        if name.startswith(("lm_head.", "norm.", f"layers.{layers - 1}.")):
            continue
        tensors[name] = value
    return tensors


def vae_weights(checkpoint):
    folder = os.path.join(checkpoint, "vae")
    tensors = safetensors_io.read_checkpoint(folder, "diffusion_pytorch_model")
    return {k: v for k, v in tensors.items() if k.startswith(("decoder.", "post_quant_conv."))}


def export(module, args, path, input_names, output_names, dynamic_axes):
    """Traces into a temporary file, then saves with the weights inline or, past 1.5 GB, in model.onnx_data (the
    protobuf limit is 2 GB; torch would otherwise scatter one file per tensor)."""
    import onnx
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        traced = os.path.join(tmp, "model.onnx")
        with torch.no_grad():
            torch.onnx.export(module, args, traced, input_names=input_names, output_names=output_names,
                              dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True)
        model = onnx.load(traced)
        external = sum(t.ByteSize() for t in model.graph.initializer) > EXTERNAL_DATA_ABOVE
        for stale in (path, path + "_data"):
            if os.path.exists(stale):
                os.remove(stale)
        onnx.save_model(model, path, save_as_external_data=external, all_tensors_to_one_file=True,
                        location="model.onnx_data", size_threshold=1024)
    print("wrote", path)


def export_transformer(checkpoint, out):
    config = read_json(os.path.join(checkpoint, "transformer", "config.json"))
    model = load_weights(ZImageTransformer2DModel(config), transformer_weights(checkpoint), "transformer")
    c, cap = model.in_channels, config.get("cap_feat_dim", 2560)
    # Two prompts of different lengths and a 2x3-patch image trace the padding paths; every axis stays dynamic.
    mask = torch.tensor([[True] * 5, [True] * 3 + [False] * 2])
    args = (torch.randn(2, c, 4, 6), torch.tensor([0.25, 0.75]), torch.randn(2, 5, cap), mask)
    export(model, args, os.path.join(out, "transformer", "model.onnx"),
           ["latents", "timestep", "prompt_embeds", "prompt_mask"], ["noise_pred"],
           {"latents": {0: "batch_size", 2: "height", 3: "width"}, "timestep": {0: "batch_size"},
            "prompt_embeds": {0: "batch_size", 1: "sequence_length"},
            "prompt_mask": {0: "batch_size", 1: "sequence_length"},
            "noise_pred": {0: "batch_size", 2: "height", 3: "width"}})
    write_json(os.path.join(out, "transformer", "config.json"), config)


def export_text_encoder(checkpoint, out):
    config = read_json(os.path.join(checkpoint, "text_encoder", "config.json"))
    weights = text_encoder_weights(checkpoint, config["num_hidden_layers"])
    model = load_weights(Qwen3Encoder(config), weights, "text_encoder")
    args = (torch.zeros(2, 7, dtype=torch.int64), torch.tensor([[1] * 7, [1] * 4 + [0] * 3]))
    export(model, args, os.path.join(out, "text_encoder", "model.onnx"), ["input_ids", "attention_mask"], ["hidden_states"],
           {"input_ids": {0: "batch_size", 1: "sequence_length"}, "attention_mask": {0: "batch_size", 1: "sequence_length"},
            "hidden_states": {0: "batch_size", 1: "sequence_length"}})
    write_json(os.path.join(out, "text_encoder", "config.json"), config)


def export_vae_decoder(checkpoint, out):
    config = read_json(os.path.join(checkpoint, "vae", "config.json"))
    model = load_weights(AutoencoderKLDecoder(config), vae_weights(checkpoint), "vae")
    args = (torch.randn(1, config.get("latent_channels", 16), 4, 4),)
    export(model, args, os.path.join(out, "vae_decoder", "model.onnx"), ["latent_sample"], ["sample"],
           {"latent_sample": {0: "batch_size", 2: "height", 3: "width"}, "sample": {0: "batch_size", 2: "height", 3: "width"}})
    write_json(os.path.join(out, "vae_decoder", "config.json"), config)


PARTS = {"transformer": export_transformer, "text_encoder": export_text_encoder, "vae_decoder": export_vae_decoder}


def main(argv=None):
    parser = argparse.ArgumentParser(description="Export a diffusers Z-Image checkpoint to the RenderFarm ONNX layout.")
    parser.add_argument("checkpoint", help="diffusers folder (model_index.json, transformer/, text_encoder/, vae/, ...)")
    parser.add_argument("out", help="the model folder to write")
    parser.add_argument("--parts", default=",".join(PARTS), help=f"comma-separated subset of {', '.join(PARTS)}")
    args = parser.parse_args(argv)
    index_path = os.path.join(args.checkpoint, "model_index.json")
    if not os.path.exists(index_path):
        parser.error(f"checkpoint: {index_path} not found (expected a diffusers folder)")
    if read_json(index_path).get("_class_name") != "ZImagePipeline":
        parser.error(f"checkpoint: {index_path} is not a ZImagePipeline")
    parts = [p.strip() for p in args.parts.split(",") if p.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        parser.error(f"--parts: unknown {unknown}; choose from {', '.join(PARTS)}")

    os.makedirs(args.out, exist_ok=True)
    shutil.copy(index_path, os.path.join(args.out, "model_index.json"))
    for folder in ("scheduler", "tokenizer"):
        shutil.copytree(os.path.join(args.checkpoint, folder), os.path.join(args.out, folder), dirs_exist_ok=True)
    for part in parts:
        PARTS[part](args.checkpoint, args.out)


if __name__ == "__main__":
    main()
