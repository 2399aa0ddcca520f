"""Writes the diffusers/Optimum ONNX folder (conventions of tools/make-test-models/make_test_models.py)."""
import json
import os

import torch

from model import BETA_END, BETA_SCHEDULE, BETA_START

OPSET = 17
DEFAULT_STEPS, DEFAULT_GUIDANCE = 4, 1.0


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def onnx_export(module, args, path, inputs, outputs, axes):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    module.eval()
    with torch.no_grad():
        torch.onnx.export(module, args, path, input_names=inputs, output_names=outputs, dynamic_axes=axes,
                          opset_version=OPSET, do_constant_folding=True)


def export_folder(out, tok, text, unet, vae, scaling, image, train_info):
    latent = image // 8
    tok.save(os.path.join(out, "tokenizer"))
    d = text.ln.normalized_shape[0]
    onnx_export(text, (torch.zeros(2, 77, dtype=torch.int32),), os.path.join(out, "text_encoder", "model.onnx"),
                ["input_ids"], ["last_hidden_state", "pooler_output"],
                {"input_ids": {0: "batch_size", 1: "sequence_length"},
                 "last_hidden_state": {0: "batch_size", 1: "sequence_length"}, "pooler_output": {0: "batch_size"}})
    write_json(os.path.join(out, "text_encoder", "config.json"), {
        "architectures": ["CLIPTextModel"], "hidden_size": d, "num_hidden_layers": len(text.blocks),
        "max_position_embeddings": 77, "vocab_size": len(tok.vocab), "hidden_act": "gelu"})
    onnx_export(unet, (torch.randn(2, 4, latent, latent), torch.tensor(999.0), torch.randn(2, 77, d)),
                os.path.join(out, "unet", "model.onnx"), ["sample", "timestep", "encoder_hidden_states"],
                ["out_sample"],
                {"sample": {0: "batch_size", 2: "height", 3: "width"},
                 "encoder_hidden_states": {0: "batch_size", 1: "sequence_length"},
                 "out_sample": {0: "batch_size", 2: "height", 3: "width"}})
    write_json(os.path.join(out, "unet", "config.json"), {
        "_class_name": "UNet2DConditionModel", "in_channels": 4, "out_channels": 4, "cross_attention_dim": d,
        "sample_size": latent, "block_out_channels": unet.block_out_channels, "training": train_info})
    onnx_export(vae, (torch.randn(1, 4, latent, latent),), os.path.join(out, "vae_decoder", "model.onnx"),
                ["latent_sample"], ["sample"],
                {"latent_sample": {0: "batch_size", 2: "height", 3: "width"},
                 "sample": {0: "batch_size", 2: "height", 3: "width"}})
    write_json(os.path.join(out, "vae_decoder", "config.json"), {
        "_class_name": "AutoencoderKL", "latent_channels": 4, "scaling_factor": scaling,
        "block_out_channels": [4], "_comment": "fixed linear VAE: 8x8 block means of RGB+luma; see tools/train-shapes"})
    write_json(os.path.join(out, "scheduler", "scheduler_config.json"), {
        "_class_name": "EulerDiscreteScheduler", "num_train_timesteps": 1000, "beta_start": BETA_START,
        "beta_end": BETA_END, "beta_schedule": BETA_SCHEDULE, "prediction_type": "epsilon",
        "timestep_spacing": "trailing", "steps_offset": 1, "set_alpha_to_one": False, "clip_sample": False})
    # read by the embedded farm (src/RenderFarm.Cli/Farms/EmbeddedFarm.cs): the size and sampling it was trained for
    write_json(os.path.join(out, "renderfarm.json"), {
        "DefaultWidth": image, "DefaultHeight": image, "DefaultSteps": DEFAULT_STEPS, "DefaultGuidance": DEFAULT_GUIDANCE})
    write_json(os.path.join(out, "model_index.json"), {
        "_class_name": "StableDiffusionPipeline", "_diffusers_version": "0.30.0",
        "scheduler": ["diffusers", "EulerDiscreteScheduler"], "text_encoder": ["optimum", "ORTModelTextEncoder"],
        "tokenizer": ["transformers", "CLIPTokenizer"], "unet": ["optimum", "ORTModelUnet"],
        "vae_decoder": ["optimum", "ORTModelVaeDecoder"], "requires_safety_checker": False})
