"""The 4-D attention grid of LLMServingSim's bundle: one prefill chunk over its cached tokens plus n decodes.

Grid and feasibility rules follow casys-kaist/LLMServingSim profiler/core/categories.py (`AttentionCategory`):
chunks 0, 16, 32, … max_num_batched_tokens; decodes 0, 1, 2, … max_num_seqs; cached tokens 0, 16, … max_kv; no
decode without history; at most max_num_seqs requests. In place of their paged-cache block budget a shot is
skipped when its KV would exceed `kv_budget_bytes`.

Kernel: with flash-attn installed, one `flash_attn_varlen_func` call over the packed batch (bottom-right causal),
as vLLM's FlashAttention backend runs a mixed batch; otherwise torch SDPA, one causal call for the prefill chunk
(lower-right mask when it has history) and one batched call for the decodes. Either way the KV cache is contiguous
per request, not paged: a paged decode kernel reads the same bytes in 16-token blocks.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from shapes import Shapes
from timing import Kernel, Timer

try:
    from flash_attn import flash_attn_varlen_func
except ImportError:
    flash_attn_varlen_func = None


def geometric(max_value: int, start: int) -> list[int]:
    """0, start, 2·start, … up to max_value, with max_value itself last (their `_geometric_grid`, factor 2)."""
    if max_value < start:
        return [0]
    values = [0, start]
    while values[-1] * 2 <= max_value:
        values.append(values[-1] * 2)
    return values if values[-1] == max_value else values + [max_value]


def grid(max_tokens: int, max_seqs: int, max_kv: int) -> list[tuple[int, int, int, int]]:
    """Every (prefill_chunk, kv_prefill, n_decode, kv_decode) shot, before the memory budget."""
    shots = []
    chunks, decodes, kvs = geometric(max_tokens, 16), geometric(max_seqs, 1), geometric(max_kv, 16)
    for chunk in chunks:
        for kv_prefill in kvs if chunk else [0]:
            for n_decode in decodes:
                for kv_decode in kvs if n_decode else [0]:
                    if (n_decode and not kv_decode) or (not chunk and not n_decode):
                        continue
                    if chunk + n_decode > max_tokens + max_seqs or (1 if chunk else 0) + n_decode > max_seqs:
                        continue
                    shots.append((chunk, kv_prefill, n_decode, kv_decode))
    return shots


class AttentionKernels:
    def __init__(self, shapes: Shapes, timer: Timer, dtype: torch.dtype, kv_budget_bytes: int):
        self.s, self.timer, self.dtype, self.kv_budget_bytes = shapes, timer, dtype, kv_budget_bytes
        self.use_flash = flash_attn_varlen_func is not None and timer.device.type == "cuda"
        self.backend = "flash_attn_varlen_func (flash-attn)" if self.use_flash else "torch scaled_dot_product_attention"

    def kv_bytes(self, shot: tuple[int, int, int, int]) -> int:
        chunk, kv_prefill, n_decode, kv_decode = shot
        tokens = (chunk + kv_prefill if chunk else 0) + n_decode * (kv_decode + 1)
        return 2 * tokens * self.s.kv_heads * self.s.head_dim * torch.finfo(self.dtype).bits // 8

    def fits(self, shot: tuple[int, int, int, int]) -> bool:
        return self.kv_bytes(shot) <= self.kv_budget_bytes

    def shot(self, shot: tuple[int, int, int, int]) -> list[Kernel]:
        copies = min(self.timer.copies_for(self.kv_bytes(shot)), max(1, self.kv_budget_bytes // max(1, self.kv_bytes(shot))))
        make = self._flash if self.use_flash else self._sdpa
        return [make(*shot) for _ in range(copies)]

    def _randn(self, *shape):
        return torch.randn(*shape, device=self.timer.device, dtype=self.dtype)

    def _flash(self, chunk: int, kv_prefill: int, n_decode: int, kv_decode: int) -> Kernel:
        s = self.s
        q_lens = ([chunk] if chunk else []) + [1] * n_decode
        k_lens = ([chunk + kv_prefill] if chunk else []) + [kv_decode + 1] * n_decode
        q = self._randn(sum(q_lens), s.heads, s.head_dim)
        k, v = self._randn(sum(k_lens), s.kv_heads, s.head_dim), self._randn(sum(k_lens), s.kv_heads, s.head_dim)

        def offsets(lengths):
            return torch.tensor([0] + lengths, device=self.timer.device, dtype=torch.int32).cumsum(0, dtype=torch.int32)
        cu_q, cu_k = offsets(q_lens), offsets(k_lens)
        return lambda: flash_attn_varlen_func(q, k, v, cu_q, cu_k, max(q_lens), max(k_lens), causal=True)

    def _sdpa(self, chunk: int, kv_prefill: int, n_decode: int, kv_decode: int) -> Kernel:
        s = self.s
        calls = []
        if chunk:
            q = self._randn(1, s.heads, chunk, s.head_dim)
            k, v = self._randn(1, s.kv_heads, chunk + kv_prefill, s.head_dim), self._randn(1, s.kv_heads, chunk + kv_prefill, s.head_dim)
            if kv_prefill:
                from torch.nn.attention.bias import causal_lower_right
                mask = causal_lower_right(chunk, chunk + kv_prefill)
                calls.append(lambda: F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=True))
            else:
                calls.append(lambda: F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True))
        if n_decode:
            dq = self._randn(n_decode, s.heads, 1, s.head_dim)
            dk, dv = self._randn(n_decode, s.kv_heads, kv_decode + 1, s.head_dim), self._randn(n_decode, s.kv_heads, kv_decode + 1, s.head_dim)
            calls.append(lambda: F.scaled_dot_product_attention(dq, dk, dv, enable_gqa=True))
        return lambda: [call() for call in calls]
