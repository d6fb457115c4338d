"""Writes a profile as LLMServingSim's bundle (contract: casys-kaist/LLMServingSim
docs/docs/profiler/output-bundle.md; µs) and as our table CSV (`hardware,model,layer_name,input,kv_cache,
latency(ns),tp`), the latter by `perfkit import`'s rules (Sources/PerfKit/Profiles/ProfileImporter.swift) so the
two files say the same thing: fused GEMMs split by output width, `layernorm` as both block norms, lm_head + sampler
as our `lm_head`, pure-prefill and single-decode attention points as our attention rows."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from shapes import Shapes


def time_text(micros: float) -> str:
    return f"{micros:.6g}"


def loaded_ns(text: str) -> int:
    """The ns our reader loads from a µs cell (`MeasuredCurve.loadedNs`: round half to even, at least 1)."""
    return max(1, round(float(text) * 1000))


def write_tp(folder: Path, dense: dict, per_sequence: dict, attention: dict) -> None:
    folder.mkdir(parents=True)
    with open(folder / "dense.csv", "w", newline="") as file:
        rows = csv.writer(file, lineterminator="\n")
        rows.writerow(["layer", "tokens", "time_us"])
        for (layer, tokens), text in dense.items():
            rows.writerow([layer, tokens, text])
    with open(folder / "per_sequence.csv", "w", newline="") as file:
        rows = csv.writer(file, lineterminator="\n")
        rows.writerow(["layer", "sequences", "time_us"])
        for (layer, sequences), text in per_sequence.items():
            rows.writerow([layer, sequences, text])
    with open(folder / "attention.csv", "w", newline="") as file:
        rows = csv.writer(file, lineterminator="\n")
        rows.writerow(["prefill_chunk", "kv_prefill", "n_decode", "kv_decode", "time_us"])
        for shot, text in attention.items():
            rows.writerow([*shot, text])


def our_rows(shapes: Shapes, hardware: str, tp: int, dense: dict, per_sequence: dict, attention: dict) -> list[list]:
    """Our table's rows of one tp (ProfileImporter.rows on the same measurements, integer for integer)."""
    rows = []

    def add(layer: str, tokens: int, kv: int, ns: int):
        rows.append([hardware, shapes.model_id, layer, tokens, kv, max(1, ns), tp])

    def each(layer: str):
        return [(tokens, loaded_ns(text)) for (name, tokens), text in dense.items() if name == layer]
    q_width, kv_width = shapes.heads * shapes.head_dim, shapes.kv_heads * shapes.head_dim
    for tokens, ns in each("embedding"):
        add("embedding", tokens, 0, ns)
    for tokens, ns in each("layernorm"):
        add("input_layernorm", tokens, 0, ns)
        add("post_layernorm", tokens, 0, ns)
    for tokens, ns in each("qkv_proj"):
        q, k = ns * q_width // (q_width + 2 * kv_width), ns * kv_width // (q_width + 2 * kv_width)
        add("q_proj", tokens, 0, q); add("k_proj", tokens, 0, k); add("v_proj", tokens, 0, ns - q - k)
    for tokens, ns in each("qk_norm"):
        q = ns * q_width // (q_width + kv_width)
        add("q_norm", tokens, 0, q); add("k_norm", tokens, 0, ns - q)
    for tokens, ns in each("rotary_emb"):
        add("rope", tokens, 0, ns)
    for tokens, ns in each("o_proj"):
        add("o_proj", tokens, 0, ns)
    for tokens, ns in each("gate_up_proj"):
        add("gate_proj", tokens, 0, ns // 2); add("up_proj", tokens, 0, ns - ns // 2)
    for layer in ("act_fn", "down_proj", "final_layernorm"):
        for tokens, ns in each(layer):
            add(layer, tokens, 0, ns)
    sampler = {sequences: loaded_ns(text) for (name, sequences), text in per_sequence.items() if name == "sampler"}
    for (name, sequences), text in per_sequence.items():
        if name == "lm_head":
            add("lm_head", sequences, 0, loaded_ns(text) + sampler[sequences])
    for (chunk, kv_prefill, n_decode, kv_decode), text in attention.items():
        if n_decode == 0 and chunk > 0:
            add("attn", chunk, kv_prefill, loaded_ns(text))
    for (chunk, kv_prefill, n_decode, kv_decode), text in attention.items():
        if chunk == 0 and n_decode == 1:
            add("attn", 1, kv_decode, loaded_ns(text))
    return rows


def write_ours(path: Path, rows: list[list]) -> None:
    with open(path, "w", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(["hardware", "model", "layer_name", "input", "kv_cache", "latency(ns)", "tp"])
        writer.writerows(rows)


def write_config(path: Path, shapes: Shapes) -> None:
    path.write_text(json.dumps(shapes.config, indent=2) + "\n")


def write_meta(path: Path, meta: dict) -> None:
    """meta.yaml in block style: nested maps indented by two spaces, lists in flow style, odd strings quoted."""
    lines: list[str] = []

    def scalar(value) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        text = str(value)
        plain = text and all(c.isalnum() or c in " ._-/+()x" for c in text) and not text[0].isdigit() and text.strip() == text
        return text if plain else "'" + text.replace("'", "''") + "'"

    def emit(node: dict, indent: int):
        for key, value in node.items():
            if isinstance(value, dict):
                lines.append(" " * indent + f"{key}:")
                emit(value, indent + 2)
            elif isinstance(value, list):
                lines.append(" " * indent + f"{key}: [" + ", ".join(scalar(item) for item in value) + "]")
            else:
                lines.append(" " * indent + f"{key}: {scalar(value)}")
    emit(meta, 0)
    path.write_text("\n".join(lines) + "\n")
