"""End-to-end check of `serve` with the official openai Python client.

Usage: python3 openai_e2e.py BASE_URL API_KEY MODEL
Prints one line per check and exits non-zero on the first failure.
"""
import json
import sys

import openai

try:
    import jsonschema
except ImportError:  # the checks below still parse every document and check its required keys
    jsonschema = None


def check_schema(document, schema):
    if jsonschema is not None:
        jsonschema.validate(document, schema)
    assert isinstance(document, dict) and all(key in document for key in schema.get("required", [])), document

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

logprobs = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Hi"}], max_tokens=4,
                                          logprobs=True, top_logprobs=3)
content = logprobs.choices[0].logprobs.content
assert len(content) == 4 and all(len(entry.top_logprobs) == 3 and entry.logprob <= 0 for entry in content), content
assert "".join(entry.token for entry in content) == logprobs.choices[0].message.content, content
assert all(bytes(entry.bytes).decode() == entry.token for entry in content), content
print("chat logprobs ok:", [(entry.token, round(entry.logprob, 3)) for entry in content])

streamed = []
for chunk in client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Hi"}], max_tokens=3,
                                            logprobs=True, top_logprobs=1, stream=True):
    for choice in chunk.choices:
        if choice.logprobs is not None and choice.logprobs.content:
            streamed += choice.logprobs.content
assert len(streamed) == 3 and all(len(entry.top_logprobs) == 1 for entry in streamed), streamed
print("streamed chat logprobs ok")

text_logprobs = client.completions.create(model=model, prompt="Say this", max_tokens=3, logprobs=2).choices[0].logprobs
assert len(text_logprobs.tokens) == 3 and len(text_logprobs.token_logprobs) == 3 and text_logprobs.text_offset[0] == 0, text_logprobs
assert all(1 <= len(top) <= 3 for top in text_logprobs.top_logprobs), text_logprobs.top_logprobs
print("completions logprobs ok:", text_logprobs.tokens)

try:
    client.chat.completions.create(model=model, messages=[{"role": "user", "content": "x"}], logprobs=True, top_logprobs=21)
    raise SystemExit("expected BadRequestError for top_logprobs=21")
except openai.BadRequestError as error:
    assert error.body["param"] == "top_logprobs", error.body
    print("top_logprobs limit ok")

weather = {
    "type": "object",
    "properties": {
        "city": {"type": "string"},
        "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
        "days": {"type": "integer", "minimum": 1, "maximum": 7},
    },
    "required": ["city", "unit", "days"],
    "additionalProperties": False,
}
tools = [{"type": "function", "function": {"name": "get_weather", "description": "Weather of a city", "parameters": weather}}]
called = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Weather in Paris?"}], tools=tools,
                                        tool_choice="required")
call = called.choices[0].message.tool_calls[0]
assert called.choices[0].finish_reason == "tool_calls" and call.type == "function" and call.function.name == "get_weather", called
check_schema(json.loads(call.function.arguments), weather)
print("tool call ok:", call.function.arguments[:80])

named = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Weather?"}], tools=tools,
                                       tool_choice={"type": "function", "function": {"name": "get_weather"}}, max_tokens=200)
check_schema(json.loads(named.choices[0].message.tool_calls[0].function.arguments), weather)
assert named.usage.completion_tokens == 200, named.usage
print("named tool call ok")

arguments, names, finish = "", [], None
for chunk in client.chat.completions.create(model=model, messages=[{"role": "user", "content": "Weather?"}], tools=tools,
                                            tool_choice="required", stream=True):
    for choice in chunk.choices:
        for delta in choice.delta.tool_calls or []:
            if delta.function.name:
                names.append(delta.function.name)
            arguments += delta.function.arguments or ""
        finish = choice.finish_reason or finish
assert names == ["get_weather"] and finish == "tool_calls", (names, finish)
check_schema(json.loads(arguments), weather)
print("streamed tool call ok")

json_mode = client.chat.completions.create(model=model, messages=[{"role": "user", "content": "JSON please"}],
                                           response_format={"type": "json_object"}, max_tokens=40)
assert isinstance(json.loads(json_mode.choices[0].message.content), dict) and json_mode.usage.completion_tokens == 40, json_mode
print("json_object ok:", json_mode.choices[0].message.content[:60])

person = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "age": {"type": "integer", "minimum": 0, "maximum": 150},
        "email": {"type": "string", "format": "email"},
        "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1},
        "address": {"$ref": "#/$defs/Address"},
    },
    "required": ["name", "age", "email", "tags", "address"],
    "additionalProperties": False,
    "$defs": {"Address": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"],
                          "additionalProperties": False}},
}
schema_mode = client.chat.completions.create(
    model=model, messages=[{"role": "user", "content": "A person"}],
    response_format={"type": "json_schema", "json_schema": {"name": "person", "strict": True, "schema": person}})
check_schema(json.loads(schema_mode.choices[0].message.content), person)
assert schema_mode.choices[0].finish_reason == "stop", schema_mode.choices[0]
print("json_schema ok:", schema_mode.choices[0].message.content[:80])

pieces = []
for chunk in client.chat.completions.create(model=model, messages=[{"role": "user", "content": "A person"}], stream=True,
                                            response_format={"type": "json_schema", "json_schema": {"name": "person", "schema": person}}):
    pieces += [choice.delta.content for choice in chunk.choices if choice.delta.content]
check_schema(json.loads("".join(pieces)), person)
print("streamed json_schema ok")

try:
    client.completions.create(model=model, prompt="x", max_tokens=2, best_of=3)
    raise SystemExit("expected BadRequestError for best_of")
except openai.BadRequestError as error:
    assert error.body["param"] == "best_of", error.body
    print("best_of refused ok")

print("openai e2e: all checks passed")
