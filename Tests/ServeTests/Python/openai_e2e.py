"""End-to-end check of `serve` with the official openai Python client.

Usage: python3 openai_e2e.py BASE_URL API_KEY MODEL
Prints one line per check and exits non-zero on the first failure.
"""
import sys

import openai

base_url, api_key, model = sys.argv[1], sys.argv[2], sys.argv[3]
client = openai.OpenAI(base_url=base_url + "/v1", api_key=api_key, max_retries=0)

models = [m.id for m in client.models.list()]
assert model in models, models
print("models.list ok:", models)

chat = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Say hello"}], max_tokens=5)
assert chat.object == "chat.completion" and chat.choices[0].finish_reason == "length", chat
assert chat.usage.completion_tokens == 5 and chat.choices[0].message.role == "assistant", chat.usage
print("chat.completions ok:", repr(chat.choices[0].message.content))

completion = client.completions.create(model=model, prompt=[1, 2, 3, 4], max_tokens=3)
assert completion.usage.prompt_tokens == 4 and completion.usage.completion_tokens == 3, completion.usage
print("completions ok:", repr(completion.choices[0].text))

stream = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Count"}], max_tokens=4,
                                        stream=True, stream_options={"include_usage": True})
pieces, usage, finish = [], None, None
for chunk in stream:
    if chunk.usage is not None:
        usage = chunk.usage
    for choice in chunk.choices:
        if choice.delta.content:
            pieces.append(choice.delta.content)
        if choice.finish_reason:
            finish = choice.finish_reason
assert len(pieces) == 4 and finish == "length" and usage is not None and usage.completion_tokens == 4, (pieces, finish, usage)
print("streaming ok:", repr("".join(pieces)), usage)

try:
    client.chat.completions.create(model="acme/no-such-model", messages=[{"role": "user", "content": "x"}])
    raise SystemExit("expected NotFoundError")
except openai.NotFoundError as error:
    assert error.status_code == 404
    print("NotFoundError ok:", error.body)

try:
    client.chat.completions.create(model=model, messages=[{"role": "user", "content": "x"}], max_tokens=10_000_000 - 1)
    raise SystemExit("expected BadRequestError")
except openai.BadRequestError as error:
    assert error.code == "context_length_exceeded", error.code
    print("BadRequestError ok:", error.code)

bad_key = openai.OpenAI(base_url=base_url + "/v1", api_key="sk-wrong", max_retries=0)
try:
    bad_key.models.list()
    raise SystemExit("expected AuthenticationError")
except openai.AuthenticationError as error:
    print("AuthenticationError ok:", error.status_code)

print("openai e2e: all checks passed")
