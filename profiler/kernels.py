"""The kernels of one decoder block, lm_head and the sampler, as vLLM runs them, on random weights.

Layer names are LLMServingSim's catalog (profiler/models/llama.yaml and qwen3.yaml in casys-kaist/LLMServingSim):
fused `qkv_proj` and `gate_up_proj` GEMMs, `layernorm` as the fused residual add + RMSNorm, `act_fn` as SiLU x mul,
`rotary_emb` as NeoX rotary on q and k, `qk_norm` (Qwen3) as per-head RMSNorm of q and k. Element-wise kernels are
one torch.compile'd function each (Inductor fuses them the way vLLM's custom ops are fused), or eager.
"""

from __future__ import annotations

from typing import Callable

import torch
import torch.nn.functional as F

from shapes import Shapes
from timing import Kernel, Timer


def _add_rms_norm(x, residual, weight, eps: float):
    residual = x + residual
    hidden = residual.float()
    hidden = hidden * torch.rsqrt(hidden.pow(2).mean(-1, keepdim=True) + eps)
    return hidden.to(x.dtype) * weight, residual


def _qk_norm(q, k, q_weight, k_weight, eps: float):
    def norm(x, weight):
        hidden = x.float()
        return (hidden * torch.rsqrt(hidden.pow(2).mean(-1, keepdim=True) + eps)).to(x.dtype) * weight
    return norm(q, q_weight), norm(k, k_weight)


def _rotary(positions, q, k, cos_sin):
    cos, sin = cos_sin[positions].chunk(2, dim=-1)
    cos, sin = cos.unsqueeze(1), sin.unsqueeze(1)

    def rotate(x):
        first, second = x.float().chunk(2, dim=-1)
        return torch.cat((first * cos - second * sin, second * cos + first * sin), dim=-1).to(x.dtype)
    return rotate(q), rotate(k)


def _silu_and_mul(x):
    gate, up = x.chunk(2, dim=-1)
    return F.silu(gate) * up


def _sample(logits, temperature: float):
    """vLLM's random sampling: softmax of logits / T, then argmax of probs / Exp(1) noise (the Gumbel trick)."""
    probs = torch.softmax(logits.float() / temperature, dim=-1)
    return probs.div_(torch.empty_like(probs).exponential_()).argmax(dim=-1)


class BlockKernels:
    """Builds one shot (a list of per-copy closures) for a layer at a batch size, on one tp shard."""

    def __init__(self, shapes: Shapes, full: Shapes, timer: Timer, dtype: torch.dtype, compile_elementwise: bool):
        self.s, self.full, self.timer, self.dtype = shapes, full, timer, dtype
        self.device = timer.device
        wrap: Callable = (lambda fn: torch.compile(fn, dynamic=True)) if compile_elementwise else (lambda fn: fn)
        self.add_rms_norm, self.qk_norm_fn = wrap(_add_rms_norm), wrap(_qk_norm)
        self.rotary, self.silu_and_mul, self.sample = wrap(_rotary), wrap(_silu_and_mul), wrap(_sample)
        inverse = 1.0 / (shapes.rope_theta ** (torch.arange(0, shapes.head_dim, 2, device=self.device).float() / shapes.head_dim))
        angles = torch.outer(torch.arange(shapes.max_positions, device=self.device).float(), inverse)
        self.cos_sin = torch.cat((angles.cos(), angles.sin()), dim=-1)

    def _randn(self, *shape, dtype=None):
        return torch.randn(*shape, device=self.device, dtype=dtype or self.dtype)

    def _gemm(self, tokens: int, n_in: int, n_out: int) -> list[Kernel]:
        weight_bytes = n_in * n_out * torch.finfo(self.dtype).bits // 8
        x = self._randn(tokens, n_in)
        weights = [self._randn(n_out, n_in) * 0.02 for _ in range(self.timer.copies_for(weight_bytes))]
        return [lambda w=w: F.linear(x, w) for w in weights]

    def _copies(self, make: Callable[[], Kernel], bytes_per_copy: int) -> list[Kernel]:
        return [make() for _ in range(self.timer.copies_for(bytes_per_copy))]

    def dense(self, layer: str, tokens: int) -> list[Kernel]:
        s, element = self.s, torch.finfo(self.dtype).bits // 8
        q_width, kv_width = s.heads * s.head_dim, s.kv_heads * s.head_dim
        if layer == "qkv_proj":
            return self._gemm(tokens, s.hidden, q_width + 2 * kv_width)
        if layer == "o_proj":
            return self._gemm(tokens, q_width, s.hidden)
        if layer == "gate_up_proj":
            return self._gemm(tokens, s.hidden, 2 * s.intermediate)
        if layer == "down_proj":
            return self._gemm(tokens, s.intermediate, s.hidden)
        if layer == "embedding":
            table = self._randn(s.vocab, s.hidden)

            def make_embedding():
                ids = torch.randint(0, s.vocab, (tokens,), device=self.device)
                return lambda: F.embedding(ids, table)
            return self._copies(make_embedding, 2 * tokens * s.hidden * element)
        if layer in ("layernorm", "final_layernorm"):
            weight = torch.ones(s.hidden, device=self.device, dtype=self.dtype)

            def make_norm():
                x, residual = self._randn(tokens, s.hidden), self._randn(tokens, s.hidden)
                return lambda: self.add_rms_norm(x, residual, weight, s.rms_eps)
            return self._copies(make_norm, 4 * tokens * s.hidden * element)
        if layer == "qk_norm":
            q_weight = torch.ones(s.head_dim, device=self.device, dtype=self.dtype)

            def make_qk_norm():
                q, k = self._randn(tokens, s.heads, s.head_dim), self._randn(tokens, s.kv_heads, s.head_dim)
                return lambda: self.qk_norm_fn(q, k, q_weight, q_weight, s.rms_eps)
            return self._copies(make_qk_norm, 2 * tokens * (q_width + kv_width) * element)
        if layer == "rotary_emb":
            def make_rotary():
                positions = torch.randint(0, s.max_positions, (tokens,), device=self.device)
                q, k = self._randn(tokens, s.heads, s.head_dim), self._randn(tokens, s.kv_heads, s.head_dim)
                return lambda: self.rotary(positions, q, k, self.cos_sin)
            return self._copies(make_rotary, 2 * tokens * (q_width + kv_width) * element)
        if layer == "act_fn":
            def make_act():
                x = self._randn(tokens, 2 * s.intermediate)
                return lambda: self.silu_and_mul(x)
            return self._copies(make_act, 3 * tokens * s.intermediate * element)
        raise ValueError(f"unknown dense layer {layer}")

    def per_sequence(self, layer: str, sequences: int) -> list[Kernel]:
        if layer == "lm_head":
            return self._gemm(sequences, self.s.hidden, self.s.vocab)
        if layer == "sampler":
            def make_sampler():
                logits = self._randn(sequences, self.full.vocab, dtype=torch.float32)
                return lambda: self.sample(logits, 0.8)
            return self._copies(make_sampler, 8 * sequences * self.full.vocab)
        raise ValueError(f"unknown per-sequence layer {layer}")


def dense_layers(shapes: Shapes) -> list[str]:
    """The catalog's dense layers of `shapes`' family, in forward order."""
    block = ["layernorm", "qkv_proj"] + (["qk_norm"] if shapes.qk_norm else []) + ["rotary_emb", "o_proj",
                                                                                   "gate_up_proj", "act_fn", "down_proj"]
    return ["embedding"] + block + ["final_layernorm"]


PER_SEQUENCE_LAYERS = ["lm_head", "sampler"]
