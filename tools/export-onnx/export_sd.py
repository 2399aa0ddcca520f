#!/usr/bin/python3
"""Exports a diffusers Stable Diffusion 1.x/2.x(-Turbo), LCM or SDXL(-Turbo) checkpoint folder to the ONNX folder the
RenderFarm engine loads, through Optimum's standard exporter (the UNets are not re-implemented here):

    /usr/bin/python3 tools/export-onnx/export_sd.py ~/sdxl-turbo models/sdxl-turbo
    /usr/bin/python3 tools/export-onnx/export_sd.py ~/sdxl models/sdxl --fp16 --device cuda

runs `optimum-cli export onnx --model CHECKPOINT --task text-to-image OUT` (pip install "optimum[exporters]"
diffusers) and checks that OUT has what the engine opens: model_index.json, scheduler/, tokenizer/, text_encoder/,
unet/, vae_decoder/ (+ tokenizer_2/, text_encoder_2/ for SDXL).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys

FAMILIES = {
    "StableDiffusionPipeline": [],
    "LatentConsistencyModelPipeline": [],
    "StableDiffusionXLPipeline": ["tokenizer_2", "text_encoder_2/model.onnx"],
}
COMMON = ["model_index.json", "scheduler/scheduler_config.json", "tokenizer", "text_encoder/model.onnx",
          "unet/model.onnx", "vae_decoder/model.onnx"]


def main(argv=None):
    parser = argparse.ArgumentParser(description="Export a diffusers SD/SDXL checkpoint to ONNX with Optimum.")
    parser.add_argument("checkpoint", help="diffusers folder (model_index.json, unet/, vae/, text_encoder/, ...)")
    parser.add_argument("out", help="the model folder to write")
    parser.add_argument("--fp16", action="store_true", help="half-precision export (needs --device cuda)")
    parser.add_argument("--device", default="cpu", help="cpu or cuda (Optimum exports fp16 only on a GPU)")
    args = parser.parse_args(argv)

    index_path = os.path.join(args.checkpoint, "model_index.json")
    if not os.path.exists(index_path):
        parser.error(f"checkpoint: {index_path} not found (expected a diffusers folder)")
    with open(index_path, encoding="utf-8") as f:
        family = json.load(f).get("_class_name")
    if family not in FAMILIES:
        hint = " (use export_zimage.py)" if family == "ZImagePipeline" else ""
        parser.error(f"checkpoint: pipeline class {family!r} is not one Optimum exports for the engine{hint}; "
                     f"supported: {', '.join(FAMILIES)}")
    if args.fp16 and args.device != "cuda":
        parser.error("--fp16: Optimum exports half precision only with --device cuda")

    exporter = shutil.which("optimum-cli")
    if exporter is None:
        sys.exit("optimum-cli not found: this script runs Optimum's standard exporter, install it with\n"
                 "    pip install \"optimum[exporters]\" diffusers\n"
                 "(and torch), then run it again. Nothing was written.")

    command = [exporter, "export", "onnx", "--model", args.checkpoint, "--task", "text-to-image"]
    if args.fp16:
        command += ["--fp16", "--device", args.device]
        if family == "StableDiffusionXLPipeline":
            print("warning: SDXL's VAE overflows in fp16 (black images, which the engine fails instead of delivering);"
                  " use madebyollin/sdxl-vae-fp16-fix as vae/ or export the VAE in fp32", file=sys.stderr)
    command.append(args.out)
    print(" ".join(command))
    subprocess.run(command, check=True)

    missing = [p for p in COMMON + FAMILIES[family] if not os.path.exists(os.path.join(args.out, p))]
    if missing:
        sys.exit(f"{args.out}: the export lacks {', '.join(missing)}, which the engine needs")
    print("wrote", args.out)


if __name__ == "__main__":
    main()
