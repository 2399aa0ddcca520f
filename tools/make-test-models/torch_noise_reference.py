#!/usr/bin/python3
"""Reference values for the engine's "torch-cpu" noise: what torch.randn draws from a CPU generator seeded with a
seed, as float32 bit patterns, written to tests/fixtures/torch-randn.json for TorchNoiseTests (bit-for-bit).

Run with Debian's interpreter and python3-torch (apt-get install python3-torch) on an x86-64 machine with AVX2,
where torch fills float tensors of 16+ values with its AVX2 kernel (AVX-512 machines use it too):

    /usr/bin/python3 tools/make-test-models/torch_noise_reference.py tests/fixtures/torch-randn.json

Each case is a list of consecutive torch.randn calls on one generator (as a sampler that draws fresh noise each
step does): sizes below 16 take torch's scalar path (and carry a cached value into the next small draw), sizes of
16 or more the vectorised one, including sizes that are not multiples of 16.
"""
import hashlib
import json
import sys

import torch

SEEDS = [0, 1, 42, 1234567, 4294967295]
DRAWS = [[1], [3], [15, 3], [16], [17], [33], [100], [4 * 8 * 8], [16 * 4 * 4, 16 * 4 * 4], [5, 20, 2, 40]]
LARGE = [(7, 4 * 64 * 64), (3, 16 * 128 * 128)]   # latents of SD 512² and Z-Image 1024²: compared by hash


def bits(t):
    return [int(x) for x in t.contiguous().view(torch.int32).tolist()]


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/torch-randn.json"
    cases = []
    for seed in SEEDS:
        for sizes in DRAWS:
            g = torch.Generator("cpu").manual_seed(seed)
            cases.append({"seed": seed, "draws": [{"size": n, "bits": bits(torch.randn(n, generator=g))} for n in sizes]})
    large = []
    for seed, n in LARGE:
        t = torch.randn(n, generator=torch.Generator("cpu").manual_seed(seed))
        large.append({"seed": seed, "size": n, "sha256": hashlib.sha256(t.numpy().astype("<f4").tobytes()).hexdigest(),
                      "first": bits(t[:8]), "last": bits(t[-8:])})
    capability = [line.split(":")[1].strip() for line in torch.__config__.show().splitlines() if "CPU capability usage" in line]
    doc = {"torch": torch.__version__, "capability": capability[0] if capability else "unknown", "cases": cases, "large": large}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", out, len(cases), "cases")


if __name__ == "__main__":
    main()
