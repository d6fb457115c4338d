"""What meta.yaml records about the device: its name, versions, clocks, and two measured ceilings (copy
bandwidth, GEMM throughput) that say whether the card ran at its datasheet's speed during the profile."""

from __future__ import annotations

import platform
import subprocess

import torch

from timing import Timer


def describe(device: torch.device, timer: Timer, dtype: torch.dtype, tiny: bool) -> dict:
    info = {"torch_version": torch.__version__, "cuda_version": torch.version.cuda or "none"}
    if device.type == "cuda":
        info["gpu"] = torch.cuda.get_device_name(device)
        info["clocks_mhz"] = _nvidia_clocks()
        info["l2_bytes"] = timer.l2_bytes
    else:
        info["gpu"] = _cpu_name()
        info["clocks_mhz"] = "not read on CPU"
    info["copy_bandwidth_gbps"] = round(_copy_bandwidth(device, timer, 1 << (22 if tiny else 30)), 1)
    info["gemm_peak_tflops"] = round(_gemm_peak(device, timer, dtype, 256 if tiny else 8192), 3)
    return info


def _nvidia_clocks() -> dict | str:
    fields = "clocks.sm,clocks.mem,clocks.max.sm,clocks.max.mem"
    try:
        line = subprocess.run(["nvidia-smi", f"--query-gpu={fields}", "--format=csv,noheader,nounits", "-i", "0"],
                              capture_output=True, text=True, timeout=10, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "nvidia-smi unavailable"
    values = [value.strip() for value in line.split(",")]
    return dict(zip(["sm", "memory", "max_sm", "max_memory"], values))


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return "CPU " + line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "CPU " + (platform.processor() or platform.machine())


def _copy_bandwidth(device: torch.device, timer: Timer, size_bytes: int) -> float:
    """Device-to-device copy, read + write bytes per second, GB/s."""
    source = torch.empty(size_bytes, dtype=torch.uint8, device=device)
    target = torch.empty_like(source)
    micros = timer.microseconds([lambda: target.copy_(source)])
    return 2 * size_bytes / (micros * 1e3)


def _gemm_peak(device: torch.device, timer: Timer, dtype: torch.dtype, size: int) -> float:
    """A square `size`³ GEMM in the profile's dtype, TFLOP/s."""
    a = torch.randn(size, size, device=device, dtype=dtype)
    b = torch.randn(size, size, device=device, dtype=dtype)
    micros = timer.microseconds([lambda: a @ b])
    return 2 * size ** 3 / (micros * 1e6)
