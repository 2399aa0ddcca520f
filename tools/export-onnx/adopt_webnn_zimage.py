#!/usr/bin/python3
"""Arranges the public WebNN/WebGPU Z-Image-Turbo ONNX export (webnn/Z-Image-Turbo, lwanming/Z-Image-Turbo on
Hugging Face: onnx/*.onnx + tokenizer/) as a model folder the RenderFarm engine loads, without converting anything:

    /usr/bin/python3 tools/export-onnx/adopt_webnn_zimage.py ~/Z-Image-Turbo-webnn models/z-image-turbo-webnn

onnx/text_encoder_model*.onnx -> text_encoder/model.onnx, onnx/transformer_model*.onnx -> transformer/model.onnx,
onnx/vae_decoder_model*.onnx -> vae_decoder/model.onnx, each with its external data files under their own names
(the graphs refer to them by name), hard-linked where the file system allows, else copied; tokenizer/ copied; plus
the model_index.json, scheduler config (flow matching, shift 3) and VAE scale/shift (0.3611, 0.1159) the bundle
leaves to its JavaScript. The engine feeds that export's tensor names itself (see docs/inference.md); the bundle's
scheduler_step, vae_pre_process and safety-checker graphs are not used.
"""
import argparse
import glob
import json
import os
import shutil
import sys

PARTS = ("text_encoder", "transformer", "vae_decoder")


def write_json(path, value):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=2)
        f.write("\n")


def place(source, target):
    if os.path.exists(target):
        os.remove(target)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def graph(onnx_dir, part, variant):
    candidates = sorted(p for p in glob.glob(os.path.join(onnx_dir, f"{part}_model*.onnx")) if variant in os.path.basename(p))
    if len(candidates) != 1:
        found = ", ".join(os.path.basename(p) for p in candidates) or "none"
        sys.exit(f"{onnx_dir}: expected one {part}_model*{variant}*.onnx, found {found}"
                 f"{' (choose with --variant)' if len(candidates) > 1 else ''}")
    return candidates[0]


def main(argv=None):
    parser = argparse.ArgumentParser(description="Arrange the WebNN Z-Image-Turbo ONNX export as a RenderFarm model folder.")
    parser.add_argument("bundle", help="the export's folder (onnx/, tokenizer/)")
    parser.add_argument("out", help="the model folder to write")
    parser.add_argument("--variant", default="", help="part of the graph file names to pick when several variants exist (e.g. q4f16)")
    args = parser.parse_args(argv)
    onnx_dir = os.path.join(args.bundle, "onnx")
    tokenizer = os.path.join(args.bundle, "tokenizer")
    for required in (onnx_dir, tokenizer):
        if not os.path.isdir(required):
            parser.error(f"bundle: {required} not found (expected the export's onnx/ and tokenizer/ folders)")

    graphs = {part: graph(onnx_dir, part, args.variant) for part in PARTS}
    for part, path in graphs.items():
        folder = os.path.join(args.out, part)
        os.makedirs(folder, exist_ok=True)
        place(path, os.path.join(folder, "model.onnx"))
        for data in glob.glob(glob.escape(path) + "_data*") + glob.glob(glob.escape(path) + ".data*"):
            place(data, os.path.join(folder, os.path.basename(data)))
    shutil.copytree(tokenizer, os.path.join(args.out, "tokenizer"), dirs_exist_ok=True)
    write_json(os.path.join(args.out, "vae_decoder", "config.json"), {
        "_class_name": "AutoencoderKL", "latent_channels": 16, "scaling_factor": 0.3611, "shift_factor": 0.1159})
    write_json(os.path.join(args.out, "scheduler", "scheduler_config.json"), {
        "_class_name": "FlowMatchEulerDiscreteScheduler", "num_train_timesteps": 1000, "shift": 3.0,
        "use_dynamic_shifting": False})
    write_json(os.path.join(args.out, "model_index.json"), {
        "_class_name": "ZImagePipeline", "scheduler": ["diffusers", "FlowMatchEulerDiscreteScheduler"],
        "text_encoder": ["transformers", "Qwen3Model"], "tokenizer": ["transformers", "Qwen2Tokenizer"],
        "transformer": ["diffusers", "ZImageTransformer2DModel"], "vae": ["diffusers", "AutoencoderKL"]})
    print("wrote", args.out)


if __name__ == "__main__":
    main()
