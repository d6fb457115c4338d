#!/usr/bin/env bash
# Requests per second of the HTTP app for non-streaming chat completions at a high simulation speed.
# Needs wrk (apt-get install wrk). Run from the repository root.
set -euo pipefail
swift build -c release --product serve
.build/release/serve --port 8011 --speed 100000 --max-queue 100000 > /tmp/serve-throughput.log 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 1
wrk -t2 -c64 -d10s -s Benchmarks/serve/chat.lua http://127.0.0.1:8011/v1/chat/completions
