"""safetensors read/write with numpy only (the `safetensors` package is not installed everywhere we export).

The format: 8-byte little-endian header length N, N bytes of JSON header {name: {dtype, shape, data_offsets},
"__metadata__": {...}}, then the raw little-endian tensor bytes, offsets relative to the end of the header.
Diffusers/transformers checkpoints over a few GB are sharded, with `<file>.index.json` mapping names to shards.
"""
import json
import os
import struct

import numpy as np

_NUMPY = {"F32": np.float32, "F16": np.float16, "F64": np.float64, "I64": np.int64, "I32": np.int32,
          "I16": np.int16, "I8": np.int8, "U8": np.uint8, "BOOL": np.bool_}


def bf16_to_float32(raw):
    """bfloat16 is the upper half of a float32: widening by a 16-bit shift is exact."""
    return (raw.astype(np.uint32) << 16).view(np.float32)


def float32_to_bf16(values):
    """Round to nearest even, as torch does when it casts float32 to bfloat16."""
    bits = np.ascontiguousarray(values, dtype=np.float32).view(np.uint32)
    rounded = bits + 0x7FFF + ((bits >> 16) & 1)
    return (rounded >> 16).astype(np.uint16)


def read_header(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        return json.loads(f.read(length)), 8 + length


def read_file(path):
    """All tensors of one .safetensors file as numpy arrays; bf16 and fp16 widened to float32 (lossless)."""
    header, start = read_header(path)
    data = np.memmap(path, dtype=np.uint8, mode="r")
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        raw = data[start + begin:start + end]
        dtype = info["dtype"]
        if dtype == "BF16":
            array = bf16_to_float32(raw.view(np.uint16))
        elif dtype in _NUMPY:
            array = np.array(raw.view(_NUMPY[dtype]))
            if dtype == "F16":
                array = array.astype(np.float32)
        else:
            raise ValueError(f"{path}: tensor {name} has dtype {dtype}, which this reader does not know")
        tensors[name] = array.reshape(info["shape"])
    return tensors


def dtypes(path):
    """The dtypes stored in one .safetensors file (to warn about fp16 checkpoints)."""
    header, _ = read_header(path)
    return {info["dtype"] for name, info in header.items() if name != "__metadata__"}


def checkpoint_files(folder, stem):
    """The shard files of `<folder>/<stem>.safetensors`, through its `.index.json` when it is sharded."""
    single = os.path.join(folder, stem + ".safetensors")
    index = single + ".index.json"
    if os.path.exists(index):
        with open(index, encoding="utf-8") as f:
            shards = sorted(set(json.load(f)["weight_map"].values()))
        return [os.path.join(folder, s) for s in shards]
    if os.path.exists(single):
        return [single]
    found = sorted(f for f in os.listdir(folder) if f.endswith(".safetensors")) if os.path.isdir(folder) else []
    if not found:
        raise FileNotFoundError(f"no {stem}.safetensors (or .index.json, or any *.safetensors) in {folder}")
    return [os.path.join(folder, f) for f in found]


def read_checkpoint(folder, stem):
    tensors = {}
    for path in checkpoint_files(folder, stem):
        tensors.update(read_file(path))
    return tensors


def write_file(path, tensors, dtype="F32"):
    """Writes float tensors as F32 or BF16 (the dtype of diffusers' official Z-Image checkpoints)."""
    header, blobs, offset = {}, [], 0
    for name in sorted(tensors):
        value = np.asarray(tensors[name], dtype=np.float32)
        raw = float32_to_bf16(value).tobytes() if dtype == "BF16" else value.astype("<f4").tobytes()
        header[name] = {"dtype": dtype, "shape": list(value.shape), "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    encoded = json.dumps(header, separators=(",", ":")).encode("utf-8")
    encoded += b" " * (-len(encoded) % 8)
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(encoded)))
        f.write(encoded)
        for raw in blobs:
            f.write(raw)
