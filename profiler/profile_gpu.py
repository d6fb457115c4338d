#!/usr/bin/env python3
"""Profiles one model's layers on the local GPU (or CPU) from its config.json with random weights, and writes an
LLMServingSim bundle plus our table CSV. Usage: see profiler/README.md."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the checkout
sys.path.insert(0, str(Path(__file__).resolve().parent))

try:
    import torch  # noqa: E402
except ModuleNotFoundError:
    sys.exit("error: the profiler needs PyTorch: pip install torch (CUDA wheels for a GPU; see profiler/README.md)")

import attention  # noqa: E402
import bundle  # noqa: E402
import device_info  # noqa: E402
import shapes as shapes_module  # noqa: E402
from kernels import PER_SEQUENCE_LAYERS, BlockKernels, dense_layers  # noqa: E402
from timing import Timer  # noqa: E402

DTYPES = {"bf16": torch.bfloat16, "fp16": torch.float16, "fp32": torch.float32}
TP_STABLE = {"layernorm", "final_layernorm", "sampler"}
REPOSITORY = Path(__file__).resolve().parent.parent


def token_grid(max_tokens: int) -> list[int]:
    """1–15 every integer, 16–60 by 4, then by 16, and the maximum (LLMServingSim's `_token_grid`)."""
    points = list(range(1, min(16, max_tokens + 1))) + list(range(16, min(64, max_tokens + 1), 4)) + list(range(64, max_tokens + 1, 16))
    return points if points[-1] == max_tokens else points + [max_tokens]


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", type=Path, default=REPOSITORY / "model_configs/meta-llama/Llama-3.1-8B.json",
                        help="the model's Hugging Face config.json (default: our Llama-3.1-8B)")
    parser.add_argument("--model", help="the model id to record (default: the config's path under model_configs/)")
    parser.add_argument("--hardware", help="the hardware label, as in hardware/gpus.json (default: CPU or the GPU's name)")
    parser.add_argument("--tp", default="1", help="tp degrees to emulate on one device, comma-separated (default 1)")
    parser.add_argument("--dtype", choices=DTYPES, default="bf16")
    parser.add_argument("--device", default="cuda", help="cuda (default) or cpu")
    parser.add_argument("--max-num-batched-tokens", type=int, help="dense and prefill-chunk axis top (default 2048)")
    parser.add_argument("--max-num-seqs", type=int, help="per-sequence and decode axis top (default 256)")
    parser.add_argument("--max-kv", type=int, help="cached-token axis top (default 16384, capped by the context)")
    parser.add_argument("--kv-budget-gb", type=float,
                        help="skip attention shots whose KV exceeds this (default: half the free GPU memory, 1 on CPU)")
    parser.add_argument("--repeats", type=int, help="timed replays per shot, median taken (default 5 GPU, 3 CPU)")
    parser.add_argument("--calls", type=int, help="calls captured per replay (default 20 GPU, 3 CPU)")
    parser.add_argument("--compile", choices=["auto", "on", "off"], default="auto",
                        help="torch.compile the element-wise kernels (auto: on for CUDA, off on CPU)")
    parser.add_argument("--tiny", action="store_true", help="a toy-sized model of the config's family and a small grid")
    parser.add_argument("--out", type=Path, required=True, help="output root: <HW>/<model>/<variant>/ and <HW>.csv go here")
    parser.add_argument("--force", action="store_true", help="replace an existing bundle and CSV")
    args = parser.parse_args(argv)
    tiny = args.tiny
    args.max_num_batched_tokens = args.max_num_batched_tokens or (32 if tiny else 2048)
    args.max_num_seqs = args.max_num_seqs or (4 if tiny else 256)
    args.max_kv = args.max_kv or (32 if tiny else 16384)
    on_cuda = args.device.startswith("cuda")
    args.repeats = args.repeats or (5 if on_cuda else 3)
    args.calls = args.calls or (20 if on_cuda else 3)
    try:
        args.tp_degrees = sorted({int(text) for text in args.tp.split(",")})
    except ValueError:
        parser.error(f"--tp must list integers, found {args.tp!r}")
    if min(args.tp_degrees) < 1 or min(args.max_num_batched_tokens, args.max_num_seqs, args.max_kv, args.repeats, args.calls) < 1:
        parser.error("tp degrees, grid tops, --repeats and --calls must be positive")
    if on_cuda and not torch.cuda.is_available():
        parser.error("no CUDA device is visible to PyTorch; use --device cpu")
    if args.kv_budget_gb is None:
        args.kv_budget_gb = round(torch.cuda.mem_get_info()[0] / 2 / 2 ** 30, 1) if on_cuda else 1.0
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str]) -> int:
    args = parse(argv)
    device, dtype = torch.device(args.device), DTYPES[args.dtype]
    torch.manual_seed(0)
    if device.type == "cpu" and args.tiny:
        torch.set_num_threads(1)  # toy kernels: thread start-up would dominate
    full = shapes_module.load(args.config, args.model)
    if args.tiny:
        full = full.tiny()
    shards = {tp: full.shard(tp) for tp in args.tp_degrees}
    timer = Timer(device, args.repeats, args.calls)
    compile_elementwise = args.compile == "on" or (args.compile == "auto" and device.type == "cuda")
    info = device_info.describe(device, timer, dtype, args.tiny)
    hardware = args.hardware or ("CPU" if device.type == "cpu" else info["gpu"].replace("NVIDIA ", "").replace("GeForce ", "").replace(" ", ""))
    variant = args.out / hardware / full.model_id / args.dtype
    our_csv = args.out / f"{hardware}.csv"
    for path in (variant, our_csv):
        if path.exists() and not args.force:
            raise SystemExit(f"error: {path} exists; pass --force to replace it")
    if variant.exists():
        for old in sorted(variant.rglob("*"), reverse=True):
            old.unlink() if old.is_file() else old.rmdir()
    variant.mkdir(parents=True, exist_ok=True)
    max_kv = min(args.max_kv, full.max_positions - 2)
    shots = attention.grid(args.max_num_batched_tokens, args.max_num_seqs, max_kv)
    started = time.perf_counter()
    ours, stable, skipped, backend = [], {}, 0, ""
    for tp in args.tp_degrees:
        shard = shards[tp]
        kernels = BlockKernels(shard, full, timer, dtype, compile_elementwise)
        dense, per_sequence, grid = {}, {}, {}
        for layer in dense_layers(full):
            for tokens in token_grid(args.max_num_batched_tokens):
                key = (layer, tokens)
                dense[key] = stable[key] if layer in TP_STABLE and key in stable else bundle.time_text(timer.microseconds(kernels.dense(layer, tokens)))
            log(f"tp{tp} {layer}: {dense[(layer, args.max_num_batched_tokens)]} µs at {args.max_num_batched_tokens} tokens")
        for layer in PER_SEQUENCE_LAYERS:
            for sequences in token_grid(args.max_num_seqs):
                key = (layer, sequences)
                per_sequence[key] = stable[key] if layer in TP_STABLE and key in stable else bundle.time_text(timer.microseconds(kernels.per_sequence(layer, sequences)))
        stable.update({key: text for key, text in (dense | per_sequence).items() if key[0] in TP_STABLE})
        attention_kernels = attention.AttentionKernels(shard, timer, dtype, int(args.kv_budget_gb * 2 ** 30))
        backend = attention_kernels.backend
        for shot in shots:
            if not attention_kernels.fits(shot):
                skipped += 1
                continue
            grid[shot] = bundle.time_text(timer.microseconds(attention_kernels.shot(shot)))
        log(f"tp{tp} attention: {len(grid)} shots ({backend})")
        bundle.write_tp(variant / f"tp{tp}", dense, per_sequence, grid)
        ours += bundle.our_rows(shard, hardware, tp, dense, per_sequence, grid)
        if device.type == "cuda":
            torch.cuda.empty_cache()
    bundle.write_ours(our_csv, ours)
    bundle.write_config(variant / "config.json", full)
    bundle.write_meta(variant / "meta.yaml", {
        "profiler_version": "LLMServingSim-for-Swift profiler/profile_gpu.py 1",
        "torch_version": info["torch_version"],
        "cuda_version": info["cuda_version"],
        "gpu": info["gpu"],
        "hardware": hardware,
        "profiled_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "architecture": full.family,
        "model": full.model_id,
        "variant": args.dtype,
        "tp_degrees": args.tp_degrees,
        "engine_effective": {
            "engine": "none: kernels timed alone on random weights (config.json here is the profiled shape)",
            "tp_emulation": "heads, kv heads, intermediate and vocab divided by tp on one device",
            "max_num_batched_tokens": args.max_num_batched_tokens,
            "max_num_seqs": args.max_num_seqs,
        },
        "attention_grid": {
            "max_kv": max_kv, "chunk_factor": 2.0, "kv_factor": 2.0,
            "chunks": f"0, 16-{args.max_num_batched_tokens} x2", "n_decode": f"0, 1-{args.max_num_seqs} x2",
            "kv": f"0, 16-{max_kv} x2", "kv_budget_gb": args.kv_budget_gb, "skipped_over_budget": skipped,
        },
        "measurement_iterations": args.repeats,
        "timing": {
            "method": timer.method,
            "calls_per_replay": args.calls,
            "rotating_copies": "enough copies of each shot's weights or inputs to hold 4x the L2, at most 32" if device.type == "cuda" else "1",
            "elementwise": "torch.compile (Inductor, dynamic shapes)" if compile_elementwise else "eager",
            "attention": backend + "; contiguous per-request KV, not paged",
            "seconds": round(time.perf_counter() - started, 1),
            **({"cpu_threads": torch.get_num_threads()} if device.type == "cpu" else {}),
        },
        "device": {key: info[key] for key in ("clocks_mhz", "copy_bandwidth_gbps", "gemm_peak_tflops", "l2_bytes") if key in info},
        "skew_fit": {"enabled": False},
    })
    log(f"wrote {variant} and {our_csv} ({len(ours)} rows) in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
