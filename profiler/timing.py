"""Kernel timing: CUDA-graph replays over rotating input copies on a GPU, perf_counter loops on a CPU.

A shot is a list of closures, one per copy of its weights/inputs. On CUDA all copies are captured back to back in
one graph, so host launch gaps vanish, and cycling through enough copies (their bytes at least 4x the L2) means no
copy is still in L2 when it runs again, as in a forward pass where each layer's weights are read once. The time is
the graph's replay time over the number of calls, the median of `repeats` replays. LLMServingSim's profiler times
vLLM's layerwise CUDA events instead (profiler/core/hooks/timings.py); this profiler times the same kernels alone.
"""

from __future__ import annotations

import statistics
import time
from typing import Callable

import torch

Kernel = Callable[[], object]


class Timer:
    def __init__(self, device: torch.device, repeats: int, calls_per_replay: int):
        self.device = device
        self.repeats = repeats
        self.calls_per_replay = calls_per_replay
        self.method = ("cuda-graph replay over rotating copies, CUDA events" if device.type == "cuda"
                       else "perf_counter loop (no CUDA graphs on CPU)")
        self.l2_bytes = torch.cuda.get_device_properties(device).L2_cache_size if device.type == "cuda" else 0

    def copies_for(self, bytes_per_copy: int, limit: int = 32) -> int:
        """How many copies of a shot's data keep it out of L2 between its calls."""
        if self.device.type != "cuda" or bytes_per_copy <= 0:
            return 1
        return max(1, min(limit, -(-4 * self.l2_bytes // bytes_per_copy)))

    def microseconds(self, kernels: list[Kernel]) -> float:
        """Median time of one call, µs, cycling through `kernels` (one per copy)."""
        calls = max(self.calls_per_replay, len(kernels))
        sequence = [kernels[index % len(kernels)] for index in range(calls)]
        if self.device.type == "cuda":
            return self._graph(sequence) / calls
        return self._loop(sequence) / calls

    def _graph(self, sequence: list[Kernel]) -> float:
        stream = torch.cuda.Stream()
        stream.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(stream):
            for kernel in sequence[:3]:
                kernel()
        torch.cuda.current_stream().wait_stream(stream)
        graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(graph):
            for kernel in sequence:
                kernel()
        graph.replay()
        torch.cuda.synchronize()
        times = []
        for _ in range(self.repeats):
            start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
            start.record()
            graph.replay()
            end.record()
            end.synchronize()
            times.append(start.elapsed_time(end) * 1000)
        del graph
        return statistics.median(times)

    def _loop(self, sequence: list[Kernel]) -> float:
        sequence[0]()
        times = []
        for _ in range(self.repeats):
            start = time.perf_counter()
            for kernel in sequence:
                kernel()
            times.append((time.perf_counter() - start) * 1e6)
        return statistics.median(times)
