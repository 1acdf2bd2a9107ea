#!/usr/bin/env python3
"""The presentation's autoencoder in PyTorch, measured the way the
`bench-worker` command measures the TorchSharp one (same layers, initialisation,
optimiser, per-batch work, warm-up and timings), for `image-restoration bench`.

Variants, the ways a PyTorch user would run it (--variant):
  eager          the layers in NCHW, eagerly (PyTorch's default);
  channels-last  model and inputs in channels_last memory format, eagerly;
  compile        torch.compile of the channels_last model (PyTorch 2.x). Its
                 compile time is excluded: the warm-up runs every shape the
                 measurement meets (full batches, the last partial batch,
                 validation, inference) on the same compiled model, whose
                 weights are then drawn afresh.
--variants prints the variants this PyTorch offers. Otherwise prints one line:
RESULT {json}, or, when the variant diverges (a NaN or infinite output or
loss) or fails, FAILED {"framework", "threads", "reason"} and exits non-zero
(3 diverged, 1 failed), so the bench reports it as a row and goes on. Runs
with Debian's python3-torch (2.6 in Debian 13, 1.13 in 12).
"""
import argparse
import gzip
import json
import os
import resource
import struct
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class Diverged(Exception):
    """A NaN or infinite output or loss, at the epoch and batch it appeared."""


def read_idx(directory, name):
    for path in (os.path.join(directory, name + ".gz"), os.path.join(directory, name)):
        if os.path.exists(path):
            with open(path, "rb") as raw:
                data = raw.read()
            if data[:2] == b"\x1f\x8b":
                data = gzip.decompress(data)
            rank = data[3]
            dims = struct.unpack(">" + "i" * rank, data[4:4 + 4 * rank])
            return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)
    raise FileNotFoundError(f"{name}(.gz) not found in {directory}")


def images(directory, name):
    array = read_idx(directory, name)
    return torch.from_numpy(array.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)


class Autoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding="same"), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True),
            nn.Conv2d(16, 8, 3, padding="same"), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True),
            nn.Conv2d(8, 8, 3, padding="same"), nn.ReLU(), nn.MaxPool2d(2, ceil_mode=True))
        self.decoder = nn.Sequential(
            nn.Conv2d(8, 8, 3, padding="same"), nn.ReLU(), nn.Upsample(scale_factor=2),
            nn.Conv2d(8, 8, 3, padding="same"), nn.ReLU(), nn.Upsample(scale_factor=2),
            nn.Conv2d(8, 16, 3), nn.ReLU(), nn.Upsample(scale_factor=2),
            nn.Conv2d(16, 1, 3, padding="same"), nn.Sigmoid())

    def reset(self):
        """Keras's initialisation (Glorot-uniform kernels, zero biases), in place."""
        with torch.no_grad():
            for module in self.modules():
                if isinstance(module, nn.Conv2d):
                    nn.init.xavier_uniform_(module.weight)
                    nn.init.zeros_(module.bias)

    def forward(self, x):
        return self.decoder(self.encoder(x))


def rss_mib(key="VmRSS:"):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1]) / 1024
    return 0.0


VARIANTS = ("eager", "channels-last", "compile")


def variants():
    return [v for v in VARIANTS if v != "compile" or hasattr(torch, "compile")]


def prepare(variant):
    """The model as the variant runs it, and what it does to each input batch."""
    model = Autoencoder()
    if variant == "eager":
        return model, model, lambda x: x
    model = model.to(memory_format=torch.channels_last)
    layout = lambda x: x.contiguous(memory_format=torch.channels_last)
    if variant == "channels-last":
        return model, model, layout
    torch._inductor.config.compile_threads = 1
    return model, torch.compile(model), layout


def train(model, run, layout, train_images, validation, epochs, batch_size=128, memory=None):
    torch.manual_seed(42)
    model.reset()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    generator = torch.Generator().manual_seed(42)
    count = train_images.shape[0]
    seconds = []
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        model.train()
        order = torch.randperm(count, generator=generator)
        loss_sum = mse_sum = 0.0
        for first in range(0, count, batch_size):
            target = layout(train_images.index_select(0, order[first:first + batch_size]))
            output = run(target)
            if not bool(torch.isfinite(output).all()):
                raise Diverged(f"diverged at epoch {epoch} (batch {first // batch_size + 1}): a non-finite output")
            loss = F.binary_cross_entropy(output, target)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * target.shape[0]
            with torch.no_grad():
                mse_sum += F.mse_loss(output, target).item() * target.shape[0]
        model.eval()
        with torch.no_grad():
            F.binary_cross_entropy(run(validation), validation).item()
        seconds.append(time.perf_counter() - start)
        if memory is not None:
            memory.append(rss_mib())
    return seconds


def inference_images_per_second(model, run, layout, test_images, batch):
    model.eval()
    count = test_images.shape[0]

    def one_pass():
        start = time.perf_counter()
        with torch.inference_mode():
            for first in range(0, count, batch):
                run(layout(test_images[first:first + batch]))
        return count / (time.perf_counter() - start)

    one_pass()
    return sorted(one_pass() for _ in range(3))[1]


def cpu_capability():
    """The instruction set ATen dispatches its CPU kernels to (DEFAULT, AVX2, AVX512...)."""
    backend = getattr(torch.backends, "cpu", None)
    if backend is not None and hasattr(backend, "get_cpu_capability"):
        return backend.get_cpu_capability()
    for line in torch.__config__.show().splitlines():
        if "CPU capability usage:" in line:
            return line.split(":", 1)[1].strip()
    return "unknown"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--variants", action="store_true", help="print the variants this PyTorch offers, as JSON, and stop")
    parser.add_argument("--variant", choices=VARIANTS, default="eager")
    parser.add_argument("--data")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--inference-batch", type=int, default=128)
    args = parser.parse_args()
    if args.variants:
        print(json.dumps(variants()))
        return
    if args.data is None or args.threads is None:
        parser.error("--data and --threads are required")
    if args.variant not in variants():
        parser.error(f"PyTorch {torch.__version__} has no {args.variant} variant")
    framework = f"PyTorch {torch.__version__.split('+')[0]} {args.variant}"
    try:
        result = measure(args, framework)
    except Diverged as diverged:
        fail(framework, args.threads, str(diverged), 3)
    except Exception as error:  # any failure of the variant becomes the bench's row, not a stack trace
        fail(framework, args.threads, f"failed: {type(error).__name__}: {error}".splitlines()[0], 1)
    print("RESULT " + json.dumps(result), flush=True)


def fail(framework, threads, reason, code):
    print("FAILED " + json.dumps({"framework": framework, "threads": threads, "reason": reason}), flush=True)
    sys.exit(code)


def measure(args, framework):
    torch.set_num_threads(args.threads)
    train_images = images(args.data, "train-images-idx3-ubyte")
    test_images = images(args.data, "t10k-images-idx3-ubyte")
    model, run, layout = prepare(args.variant)
    token = layout(test_images[:128])
    # Warm-up: 20 full batches and, as in every epoch over all 60,000 images, a last one of 96.
    partial = train_images.shape[0] % 128
    try:
        train(model, run, layout, train_images[:2560 + partial], token, 1)
    except Diverged as diverged:
        raise Diverged(str(diverged).replace("at epoch 1", "in the warm-up epoch")) from None
    memory = []
    seconds = train(model, run, layout, train_images, token, args.epochs, memory=memory)
    epoch_seconds = sorted(seconds)[len(seconds) // 2]
    return {
        "framework": framework,
        "threads": args.threads,
        "train_images_per_second": train_images.shape[0] / epoch_seconds,
        "epoch_seconds": epoch_seconds,
        "inference_images_per_second": inference_images_per_second(model, run, layout, test_images, args.inference_batch),
        "peak_memory_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "memory_after_epoch_mib": memory,
        "cpu_capability": cpu_capability(),
    }


if __name__ == "__main__":
    main()
