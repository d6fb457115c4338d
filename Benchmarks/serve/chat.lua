-- wrk script: non-streaming chat completions. Usage in throughput.sh.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"meta-llama/Llama-3.1-8B-Instruct","messages":[{"role":"user","content":"Hello there"}],"max_tokens":16}'
