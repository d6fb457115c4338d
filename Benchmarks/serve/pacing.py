"""Pacing error and concurrency of `serve`: N concurrent streaming chat requests over raw asyncio sockets.

For each stream: client TTFT (send → first content delta) minus the simulated TTFT that the server reports in the
finish chunk's `simulation.ttft_ms`. Prints p50/p99 of that error, and how many streams failed.

    swift build -c release --product serve
    .build/release/serve --port 8000 --speed 1 &
    python3 Benchmarks/serve/pacing.py --streams 200 --max-tokens 64
    python3 Benchmarks/serve/pacing.py --streams 1000 --max-tokens 32
"""
import argparse
import asyncio
import json
import statistics
import time


async def one_stream(host, port, model, max_tokens, index, stagger):
    await asyncio.sleep(stagger * index)
    body = json.dumps({"model": model, "messages": [{"role": "user", "content": f"Request {index}: tell me something"}],
                       "max_tokens": max_tokens, "stream": True}).encode()
    reader, writer = await asyncio.open_connection(host, port)
    request = (f"POST /v1/chat/completions HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
               f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode() + body
    started = time.perf_counter()
    writer.write(request)
    await writer.drain()
    first = None
    data = b""
    while True:
        chunk = await reader.read(65536)
        if not chunk:
            break
        data += chunk
        if first is None and b'"content":" ' in data:
            first = time.perf_counter()
        if b"[DONE]" in data:
            break
    writer.close()
    text = data.decode(errors="replace")
    marker = '"ttft_ms":'
    position = text.rfind(marker)
    if first is None or position < 0 or "[DONE]" not in text:
        raise RuntimeError(f"stream {index} incomplete: {text[:200]!r}")
    simulated = float(text[position + len(marker):].split(",")[0])
    return (first - started) * 1000 - simulated, simulated


async def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--model", default="meta-llama/Llama-3.1-8B-Instruct")
    parser.add_argument("--streams", type=int, default=200)
    parser.add_argument("--max-tokens", type=int, default=64)
    parser.add_argument("--stagger-ms", type=float, default=2.0, help="gap between stream starts")
    args = parser.parse_args()
    tasks = [one_stream(args.host, args.port, args.model, args.max_tokens, i, args.stagger_ms / 1000) for i in range(args.streams)]
    results = await asyncio.gather(*tasks, return_exceptions=True)
    errors = [r for r in results if isinstance(r, BaseException)]
    gaps = sorted(r[0] for r in results if not isinstance(r, BaseException))
    simulated = [r[1] for r in results if not isinstance(r, BaseException)]
    if gaps:
        p99 = gaps[min(len(gaps) - 1, int(0.99 * len(gaps)))]
        print(f"{len(gaps)} streams ok, {len(errors)} failed; simulated TTFT mean {statistics.mean(simulated):.1f} ms; "
              f"pacing error (client − simulated TTFT) p50 {statistics.median(gaps):.2f} ms, p99 {p99:.2f} ms, max {gaps[-1]:.2f} ms")
    for error in errors[:3]:
        print("error:", error)
    raise SystemExit(1 if errors else 0)


asyncio.run(main())
