"""Per-rank shapes of a Hugging Face config.json, with tensor parallelism emulated on one device.

Like LLMServingSim's profiler (casys-kaist/LLMServingSim profiler/core/engine.py, `hf_overrides`), a tp shard is
the model with heads, KV heads, intermediate size and vocabulary divided by tp; norms and the sampler see the
full hidden size and vocabulary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

FAMILIES = {"llama": "llama", "qwen3": "qwen3"}


@dataclass(frozen=True)
class Shapes:
    model_id: str
    family: str
    hidden: int
    heads: int
    kv_heads: int
    head_dim: int
    intermediate: int
    vocab: int
    max_positions: int
    rms_eps: float
    rope_theta: float
    config: dict

    @property
    def qk_norm(self) -> bool:
        return self.family == "qwen3"

    def shard(self, tp: int) -> "Shapes":
        """The per-rank shapes at `tp` (KV heads replicated when fewer than tp, as vLLM does)."""
        for name, value in (("num_attention_heads", self.heads), ("intermediate_size", self.intermediate)):
            if value % tp:
                raise SystemExit(f"error: {name} = {value} is not divisible by tp = {tp}")
        return replace(self, heads=self.heads // tp, kv_heads=max(1, self.kv_heads // tp),
                       intermediate=self.intermediate // tp, vocab=-(-self.vocab // tp))

    def tiny(self) -> "Shapes":
        """The same family at toy size, for `--tiny` runs (seconds on a CPU)."""
        config = dict(self.config, hidden_size=128, num_attention_heads=4, num_key_value_heads=2, head_dim=32,
                      intermediate_size=256, vocab_size=512, num_hidden_layers=1, max_position_embeddings=256)
        return replace(from_config(config, self.model_id + "-tiny"), config=config)


def from_config(config: dict, model_id: str) -> Shapes:
    family = FAMILIES.get(config.get("model_type", ""))
    if family is None:
        raise SystemExit(f"error: model_type {config.get('model_type')!r} has no LLMServingSim layer catalog "
                         f"(supported: {', '.join(FAMILIES)})")
    heads = int(config["num_attention_heads"])
    hidden = int(config["hidden_size"])
    return Shapes(
        model_id=model_id, family=family, hidden=hidden, heads=heads,
        kv_heads=int(config.get("num_key_value_heads", heads)),
        head_dim=int(config.get("head_dim") or hidden // heads),
        intermediate=int(config["intermediate_size"]), vocab=int(config["vocab_size"]),
        max_positions=int(config.get("max_position_embeddings", 4096)),
        rms_eps=float(config.get("rms_norm_eps", 1e-6)), rope_theta=float(config.get("rope_theta", 10000.0)),
        config=config)


def load(path: Path, model_id: str | None) -> Shapes:
    """Shapes of `path`; the model id defaults to the path under `model_configs/` (`qwen/Qwen3-8B`)."""
    try:
        config = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as error:
        raise SystemExit(f"error: {path}: {error}")
    if model_id is None:
        parts = path.with_suffix("").parts
        model_id = "/".join(parts[parts.index("model_configs") + 1:]) if "model_configs" in parts else path.stem
    try:
        return from_config(config, model_id)
    except (KeyError, TypeError, ValueError) as error:
        raise SystemExit(f"error: {path}: missing or malformed {error}")
