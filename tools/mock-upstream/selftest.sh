#!/usr/bin/env bash
# Self-test of mock-upstream: starts it on port 0, exercises every route and fault with curl and
# exits non-zero on the first mismatch. Usage: selftest.sh [path/to/mock-upstream]
# Needs curl and python3 (for JSON checks); the TLS part also needs openssl.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${1:-${MOCK_UPSTREAM:-$here/../../build/mock-upstream}}"
[[ -x "$bin" ]] || { echo "selftest: no executable at $bin (pass its path)" >&2; exit 2; }

# Resolve the interpreter once: version-manager shims (pyenv) cost ~0.3 s per start.
py="$(python3 -c 'import sys; print(sys.executable)')" || { echo "selftest: needs python3" >&2; exit 2; }
python3() { "$py" "$@"; }

work="$(mktemp -d)"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

checks=0
fail() { echo "FAIL: $*" >&2; exit 1; }
pass() { checks=$((checks + 1)); }

# start NAME ARGS... : runs the mock, waits for its listening line, sets $NAME to the base URL.
start() {
  local name=$1; shift
  "$bin" "$@" >"$work/$name.out" 2>"$work/$name.err" &
  local pid=$!
  pids+=("$pid")
  eval "${name}_pid=$pid"
  for _ in $(seq 1 100); do
    grep -q "listening" "$work/$name.out" 2>/dev/null && break
    sleep 0.05
  done
  local line
  line="$(head -n1 "$work/$name.out")"
  [[ "$line" =~ ^mock-upstream\ listening\ on\ 127\.0\.0\.1:([0-9]+)$ ]] || fail "listening line: '$line'"
  local scheme=http
  [[ " $* " == *" --tls-cert "* ]] && scheme=https
  eval "$name=$scheme://127.0.0.1:${BASH_REMATCH[1]}"
  pass
}

# req ARGS... : curl; sets $status, $body (file $work/body) and $headers (file $work/headers), $rc.
req() {
  curl -sN -D "$work/headers" -o "$work/body" -w '%{http_code} %{time_total}' "$@" >"$work/meta"
  rc=$?
  read -r status elapsed <"$work/meta"
  body="$(tr -d '\000' <"$work/body")"  # binary bodies (speech) hold NULs
}
expect_status() { [[ "$status" == "$1" ]] || fail "$2: status $status, want $1 (body: ${body:0:300})"; pass; }
expect_body() { grep -qF -- "$1" "$work/body" || fail "$2: body lacks '$1' (body: ${body:0:400})"; pass; }
expect_no_body() { ! grep -qF -- "$1" "$work/body" || fail "$2: body has '$1'"; pass; }
expect_header() { grep -qi -- "^$1" "$work/headers" || fail "$2: no header '$1'"; pass; }
count() { grep -c -- "$1" "$work/body"; }
expect_count() { local n; n=$(count "$1"); [[ "$n" == "$2" ]] || fail "$3: $n x '$1', want $2"; pass; }
# jq-like: json EXPR prints a Python expression over the body parsed as `d`.
json() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$work/body" "$1"; }
expect_json() { local got; got="$(json "$1")"; [[ "$got" == "$2" ]] || fail "$3: $1 = '$got', want '$2'"; pass; }
# The concatenated deltas of an OpenAI stream (content or tool arguments).
sse_join() {
  python3 - "$work/body" "$1" <<'EOF'
import json, sys
out = ""
for line in open(sys.argv[1]):
    if not line.startswith("data: {"): continue
    d = json.loads(line[6:])
    for c in d.get("choices", []):
        delta = c.get("delta", {})
        if sys.argv[2] == "content": out += delta.get("content") or ""
        elif sys.argv[2] == "text": out += c.get("text") or ""
        else:
            for t in delta.get("tool_calls") or []: out += t["function"].get("arguments", "")
print(out)
EOF
}
later_than() { python3 -c "import sys; sys.exit(0 if float('$elapsed') >= $1 else 1)" || fail "$2: took ${elapsed}s, want >= $1s"; pass; }
sooner_than() { python3 -c "import sys; sys.exit(0 if float('$elapsed') < $1 else 1)" || fail "$2: took ${elapsed}s, want < $1s"; pass; }

start mock
chat="$mock/v1/chat/completions"
hello='{"model":"gpt-test","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"Hello there"}]}'
stream_body='{"model":"gpt-test","stream":true,"messages":[{"role":"user","content":"Hello there"}]}'

# --- OpenAI chat -------------------------------------------------------------------------------
req "$chat" -d "$hello"
expect_status 200 "chat"
expect_json 'd["choices"][0]["message"]["content"]' "Mock reply to: Hello there" "chat content"
expect_json 'd["model"], d["object"], d["id"].startswith("chatcmpl-mock-")' "('gpt-test', 'chat.completion', True)" "chat envelope"
expect_json 'd["usage"]["prompt_tokens"], d["usage"]["completion_tokens"], d["usage"]["total_tokens"]' "(5, 7, 12)" "chat usage"
expect_json 'd["choices"][0]["finish_reason"]' "stop" "chat finish"

req "$mock/any/prefix/v1/chat/completions" -d '{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"part one"},{"type":"text","text":"part two"}]}]}'
expect_json 'd["choices"][0]["message"]["content"]' "Mock reply to: part one part two" "content parts under a prefix"

req "$chat" -d "$stream_body"
expect_status 200 "stream"
expect_header "transfer-encoding: chunked" "stream"
expect_header "content-type: text/event-stream" "stream"
expect_count '^data: ' 8 "stream frames (role + 5 + finish + DONE)"
expect_count '"finish_reason":"stop"' 1 "stream finish"
[[ "$(sse_join content)" == "Mock reply to: Hello there" ]] || fail "stream content joins to the text"; pass
expect_no_body '"usage"' "no usage without include_usage"

req "$chat" -d '{"model":"m","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"x"}]}'
expect_count '"choices":\[\],"usage":{"prompt_tokens"' 1 "include_usage chunk"
expect_count '^data: ' 9 "stream frames with usage"

req "$chat" -H "x-mock-fault: chunks=3" -d "$stream_body"
expect_count '"delta":{"content"' 3 "chunks=3"

req "$chat" -H "x-mock-fault: chunks=3,chunk_delay_ms=150" -d "$stream_body"
later_than 0.7 "chunk_delay_ms between 6 frames"

# --- faults ------------------------------------------------------------------------------------
req "$chat" -H "x-mock-fault: break_after=2" -d "$stream_body"
[[ $rc == 18 ]] || fail "break_after: curl rc $rc, want 18 (transfer closed early)"; pass
expect_count '"delta":{"content"' 2 "break_after content frames"
expect_no_body "[DONE]" "break_after"

req "$chat" -H "x-mock-fault: reset" -d "$hello"
[[ $rc == 56 ]] || fail "reset: curl rc $rc, want 56 (connection reset)"; pass

req "$chat" -H "x-mock-fault: delay_ms=300" -d "$hello"
expect_status 200 "delay_ms"
later_than 0.3 "delay_ms"

for case in "429|rate_limit_exceeded|Rate limit reached for requests" "500|server_error|" "503|Service Unavailable|" \
            "401|invalid_api_key|Incorrect API key provided" "400|invalid_request_error|" "404|model_not_found|gpt-test"; do
  IFS='|' read -r code marker text <<<"$case"
  req "$chat" -H "x-mock-fault: status=$code" -d "$hello"
  expect_status "$code" "status=$code"
  expect_body "$marker" "status=$code"
  [[ -n "$text" ]] && expect_body "$text" "status=$code"
  expect_json 'sorted(d["error"].keys())' "['code', 'message', 'param', 'type']" "status=$code shape"
done
req "$chat" -H "x-mock-fault: status=429,retry_after=7" -d "$hello"
expect_header "retry-after: 7" "retry_after"

for case in "openai|400|context_length_exceeded" "vllm|400|you requested 9000 tokens (8000 in the messages, 1000 in the completion)" \
            "sglang|400|is longer than the model's context length (8192 tokens)" "tgi|422|must be <= 8192. Given: 9000 \`inputs\` tokens" \
            "llamacpp|400|exceed_context_size_error" "ollama|400|prompt too long; exceeded max context length by 808 tokens" \
            "anthropic|400|prompt is too long: 210000 tokens > 200000 maximum"; do
  IFS='|' read -r flavour code marker <<<"$case"
  req "$chat" -H "x-mock-fault: context_error=$flavour" -d "$hello"
  expect_status "$code" "context_error=$flavour"
  expect_body "$marker" "context_error=$flavour"
done

req "$chat" -H "x-mock-fault: content_policy" -d "$hello"
expect_status 400 "content_policy"
expect_body "content_policy_violation" "content_policy"
expect_body "Your request was rejected as a result of our safety system." "content_policy"

for want in 503 503 200; do
  req "$mock/fault/status=503,times=2,key=selftest-k1/v1/chat/completions" -d "$hello"
  expect_status "$want" "times=2,key"
done
for want in 500 200; do
  req "$chat" -H "x-mock-fault: status=500,times=1,delay_ms=1" -d "$hello"
  expect_status "$want" "times without key"
done

req "$mock/fault/status=500/v1/chat/completions" -H "x-mock-fault: status=502" \
  -d '{"model":"m","mock_fault":"status=418","messages":[]}'
expect_status 418 "body beats header beats path"
req "$mock/fault/status=500/v1/chat/completions" -H "x-mock-fault: status=502" -d "$hello"
expect_status 502 "header beats path"

req "$chat" -H "x-mock-fault: statuss=500" -d "$hello"
expect_status 400 "unknown fault key"
expect_body "mock_fault_error" "unknown fault key"

# --- tool calls --------------------------------------------------------------------------------
tools='"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"location":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}}}}}]'
ask='"messages":[{"role":"user","content":"Weather in Paris?"}]'
req "$chat" -H "x-mock-fault: tool_call=get_weather" -d "{\"model\":\"m\",$ask,$tools}"
expect_json 'd["choices"][0]["finish_reason"]' "tool_calls" "tool call finish"
expect_json 'd["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"]' '{"location":"Paris","unit":"celsius"}' "tool arguments"
expect_json 'd["choices"][0]["message"]["tool_calls"][0]["id"].startswith("call_mock_")' "True" "tool call id"

req "$chat" -d "{\"model\":\"m\",$ask,$tools,\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}}"
expect_json 'd["choices"][0]["message"]["tool_calls"][0]["function"]["name"]' "get_weather" "forced tool_choice"

req "$chat" -H "x-mock-fault: tool_call=get_weather,chunks=4" -d "{\"model\":\"m\",\"stream\":true,$ask,$tools}"
[[ "$(sse_join tool)" == '{"location":"Paris","unit":"celsius"}' ]] || fail "streamed tool arguments: $(sse_join tool)"; pass
expect_count '"id":"call_mock_' 1 "tool id only in the first delta"
expect_count '"finish_reason":"tool_calls"' 1 "streamed tool finish"

req "$chat" -H "x-mock-fault: tool_call=get_weather" -d "{\"model\":\"m\",$tools,\"messages\":[{\"role\":\"user\",\"content\":\"w?\"},{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},{\"role\":\"tool\",\"tool_call_id\":\"c1\",\"content\":\"22C\"}]}"
expect_json 'd["choices"][0]["message"]["content"]' "Mock reply to: 22C" "text after a tool result"

# --- other OpenAI routes -----------------------------------------------------------------------
req "$mock/v1/embeddings" -d '{"model":"e","input":["alpha","beta"]}'
expect_json 'len(d["data"]), len(d["data"][0]["embedding"]), d["usage"]["prompt_tokens"]' "(2, 8, 3)" "embeddings"
first="$(json 'd["data"][0]["embedding"]')"
req "$mock/v1/embeddings" -d '{"model":"e","input":"alpha"}'
[[ "$(json 'd["data"][0]["embedding"]')" == "$first" ]] || fail "embeddings are deterministic"; pass
req "$mock/v1/embeddings" -d '{"model":"e","input":"alpha","encoding_format":"base64"}'
expect_json 'len(__import__("base64").b64decode(d["data"][0]["embedding"]))' 32 "base64 embeddings"
req "$mock/v1/embeddings" -d '{"model":"e","input":[[1,2,3],[4,5]]}'
expect_json 'len(d["data"]), d["usage"]["prompt_tokens"]' "(2, 5)" "token-array embeddings"

req "$mock/v1/completions" -d '{"model":"m","prompt":"Say hi"}'
expect_json 'd["object"], d["choices"][0]["text"]' "('text_completion', 'Mock reply to: Say hi')" "legacy completion"
req "$mock/v1/completions" -d '{"model":"m","prompt":"Say hi","stream":true}'
[[ "$(sse_join text)" == "Mock reply to: Say hi" ]] || fail "streamed legacy completion"; pass
expect_body "data: [DONE]" "streamed legacy completion"

req "$mock/v1/models"
expect_json 'd["object"], "mock-model" in [m["id"] for m in d["data"]]' "('list', True)" "models"

# --- media routes (openai_media.cpp) --------------------------------------------------------------
req "$mock/v1/images/generations" -d '{"model":"dall-e-3","prompt":"kite","n":2,"response_format":"b64_json"}'
expect_json 'len(d["data"]), "b64_json" in d["data"][0], "usage" in d' "(2, True, False)" "images b64_json"
req "$mock/v1/images/generations" -d '{"model":"gpt-image-1","prompt":"kite"}'
expect_json 'd["data"][0]["url"].endswith(".png"), d["usage"]["output_tokens"]' "(True, 272)" "gpt-image usage"
req "$mock/v1/images/generations" -d '{"model":"dall-e-3"}'
expect_status 400 "images without a prompt"
printf 'RIFF\x24\x3e\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x40\x1f\x00\x00\x80\x3e\x00\x00\x02\x00\x10\x00data\x80\x3e\x00\x00' >"$work/clip.wav"
head -c 16000 /dev/zero >>"$work/clip.wav"
req "$mock/v1/audio/transcriptions" -F model=whisper-1 -F response_format=verbose_json -F "file=@$work/clip.wav"
expect_json 'd["duration"], d["text"].startswith("Mock transcript of 16044 bytes")' "(1.0, True)" "verbose_json duration from the WAV header"
req "$mock/v1/audio/translations" -F model=whisper-1 -F response_format=srt -F "file=@$work/clip.wav"
expect_body "00:00:00,000 --> 00:00:01,000" "srt translation"
req "$mock/v1/audio/transcriptions" -F model=whisper-1
expect_status 400 "transcription without a file"
expect_body "'file'" "transcription without a file"
req "$mock/v1/images/edits" -F model=dall-e-2 -F prompt=hat -F "image=@$work/clip.wav"
expect_json 'len(d["data"])' 1 "image edit"
req "$mock/v1/audio/speech" -d '{"model":"tts-1","input":"hello","voice":"alloy"}'
expect_header "content-type: audio/mpeg" "speech content type"
[[ "$(head -c 3 "$work/body")" == "ID3" && "$(wc -c <"$work/body")" == 336 ]] || fail "speech bytes"; pass
req "$mock/v1/audio/speech" -H "x-mock-fault: chunks=4,break_after=2" -d '{"model":"tts-1","input":"hello","voice":"alloy"}'
[[ "$rc" == 18 ]] || fail "speech break_after: curl rc $rc, want 18"; pass
req "$mock/v1/moderations" -d '{"model":"omni-moderation-latest","input":["calm","violence"]}'
expect_json '[r["flagged"] for r in d["results"]]' "[False, True]" "moderations"
req "$mock/v1/rerank" -d '{"model":"r","query":"blue","documents":["green","blue sky"],"top_n":1,"return_documents":true}'
expect_json 'len(d["results"]), d["results"][0]["index"], d["meta"]["billed_units"]["search_units"]' "(1, 1, 1)" "rerank"
req "$mock/fault/status=503/v1/rerank" -d '{"query":"q","documents":["a"]}'
expect_status 503 "faults apply to the media routes"

req "$mock/v1/nowhere" -d '{}'
expect_status 404 "unknown route"

# --- OpenAI Responses API ------------------------------------------------------------------------
resp="$mock/v1/responses"
req "$resp" -d '{"model":"m","input":"Remember me"}'
expect_status 200 "responses"
expect_json 'd["object"], d["status"], d["output"][0]["content"][0]["text"], d["usage"]["input_tokens"]' \
  "('response', 'completed', 'Mock reply to: Remember me', 3)" "responses text"
rid="$(json 'd["id"]')"
req "$resp" -d "{\"model\":\"m\",\"input\":[{\"role\":\"user\",\"content\":\"next\"}],\"previous_response_id\":\"$rid\"}"
expect_json 'd["previous_response_id"], d["output"][0]["content"][0]["text"]' "('$rid', 'Mock reply to: next')" "previous_response_id"
rid2="$(json 'd["id"]')"
req "$resp" -d '{"model":"m","input":"x","previous_response_id":"resp_nope"}'
expect_status 404 "unknown previous_response_id"
expect_body '"code":"previous_response_not_found"' "unknown previous_response_id"
req "$mock/v1/responses/$rid2/input_items?order=asc&limit=2"
expect_json '[i.get("role") for i in d["data"]], d["has_more"]' "(['user', 'assistant'], True)" "input_items"
req "$mock/v1/responses/$rid2"
expect_json 'd["id"]' "$rid2" "retrieve"
req -X POST "$mock/v1/responses/$rid2/cancel"
expect_status 400 "cancel of a foreground response"
req "$resp" -d '{"model":"m","input":"later","background":true}'
bg="$(json 'd["id"]')"
req -X POST "$mock/v1/responses/$bg/cancel"
expect_json 'd["status"]' "cancelled" "cancel of a background response"
req -X DELETE "$mock/v1/responses/$rid2"
expect_json 'd["deleted"]' "True" "delete"
req "$mock/v1/responses/$rid2"
expect_status 404 "deleted response"
req "$resp" -d '{"model":"m","input":"why","reasoning":{"effort":"low"},"include":["reasoning.encrypted_content"]}'
expect_json 'd["output"][0]["type"], d["usage"]["output_tokens_details"]["reasoning_tokens"] > 0' "('reasoning', True)" "reasoning"
rs="$(json 'json.dumps(d["output"][0])')"
req "$resp" -d "{\"model\":\"m\",\"input\":[$rs,{\"role\":\"user\",\"content\":\"go on\"}]}"
expect_status 200 "own encrypted reasoning is accepted"
req "$resp" -d '{"model":"m","input":[{"type":"reasoning","id":"rs_x","summary":[],"encrypted_content":"forged"}]}'
expect_body '"code":"invalid_encrypted_content"' "foreign encrypted reasoning"
tools='"tools":[{"type":"function","name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}]'
req "$resp" -d "{\"model\":\"m\",\"input\":\"w\",$tools,\"tool_choice\":\"required\"}"
expect_json 'd["output"][0]["type"], d["output"][0]["arguments"]' "('function_call', '{\"city\":\"Paris\"}')" "responses function call"
req "$resp" -H "x-mock-fault: chunks=3" -d '{"model":"m","input":"Stream it","stream":true}'
expect_body "event: response.created" "responses stream"
expect_count "event: response.output_text.delta" 3 "responses stream deltas"
expect_body "event: response.completed" "responses stream"
req "$resp" -H "x-mock-fault: chunks=4,stream_error=server_error" -d '{"model":"m","input":"s","stream":true}'
expect_count "event: response.output_text.delta" 2 "responses stream_error"
expect_body "event: error" "responses stream_error"
req "$resp" -H "x-mock-fault: response_failed=server_error" -d '{"model":"m","input":"s","stream":true}'
expect_body "event: response.failed" "responses response_failed"
expect_no_body "response.completed" "responses response_failed"
req "$resp" -H "x-mock-fault: no_final_event" -d '{"model":"m","input":"s","stream":true}'
expect_no_body "response.completed" "responses no_final_event"
req "$resp" -d '{"input":"no model"}'
expect_status 400 "responses without a model"

# --- Anthropic ---------------------------------------------------------------------------------
msgs="$mock/v1/messages"
ah=(-H "x-api-key: sk-ant-test" -H "anthropic-version: 2023-06-01")
amsg='{"model":"claude-test","max_tokens":64,"system":"be brief","messages":[{"role":"user","content":"Hello Claude"}]'
req "$msgs" -H "anthropic-version: 2023-06-01" -d "$amsg}"
expect_status 401 "no x-api-key"
expect_json 'd["type"], d["error"]["type"]' "('error', 'authentication_error')" "no x-api-key"
req "$msgs" -H "x-api-key: k" -d "$amsg}"
expect_status 400 "no anthropic-version"
req "$msgs" "${ah[@]}" -d '{"model":"c","messages":[{"role":"user","content":"x"}]}'
expect_status 400 "no max_tokens"
expect_body "max_tokens: Field required" "no max_tokens"
req "$msgs" "${ah[@]}" -d '{"model":"c","max_tokens":5,"messages":[{"role":"system","content":"x"},{"role":"user","content":"y"}]}'
expect_status 400 "system role"
expect_body 'messages: Unexpected role \"system\". The Messages API accepts a top-level `system` parameter, not \"system\" as an input message role.' "system role"
req "$msgs" "${ah[@]}" -d '{"model":"c","max_tokens":5,"messages":[]}'
expect_status 400 "empty messages"

req "$msgs" "${ah[@]}" -d "$amsg}"
expect_status 200 "messages"
expect_json 'd["type"], d["role"], d["model"], d["stop_reason"], d["stop_sequence"]' "('message', 'assistant', 'claude-test', 'end_turn', None)" "messages envelope"
expect_json 'd["content"]' "[{'type': 'text', 'text': 'Mock reply to: Hello Claude'}]" "messages content"
expect_json 'sorted(d["usage"].keys())' "['cache_creation_input_tokens', 'cache_read_input_tokens', 'input_tokens', 'output_tokens']" "messages usage"

req "$msgs" "${ah[@]}" -H "x-mock-fault: thinking" -d "$amsg}"
expect_json '[b["type"] for b in d["content"]], bool(d["content"][0]["signature"])' "(['thinking', 'text'], True)" "thinking"

atools='"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"location":{"type":"string"}}}}]'
req "$msgs" "${ah[@]}" -H "x-mock-fault: tool_call=get_weather" -d "$amsg,$atools}"
expect_json 'd["stop_reason"], d["content"][0]["type"], d["content"][0]["input"], d["content"][0]["id"][:11]' "('tool_use', 'tool_use', {'location': 'Paris'}, 'toolu_mock_')" "tool_use"

req "$msgs" "${ah[@]}" -d "${amsg},\"stream\":true}"
events="$(grep '^event: ' "$work/body" | cut -d' ' -f2 | tr '\n' ' ')"
[[ "$events" == "message_start content_block_start ping content_block_delta content_block_delta content_block_delta content_block_delta content_block_delta content_block_stop message_delta message_stop " ]] \
  || fail "anthropic event order: $events"; pass
expect_body '"stop_reason":"end_turn"' "anthropic message_delta"

req "$msgs" "${ah[@]}" -H "x-mock-fault: thinking,tool_call=get_weather,chunks=2" -d "${amsg},$atools,\"stream\":true}"
expect_count '"type":"thinking_delta"' 2 "thinking_delta"
expect_count '"type":"signature_delta"' 1 "signature_delta"
expect_count '"type":"input_json_delta"' 2 "input_json_delta"

req "$msgs" "${ah[@]}" -H "x-mock-fault: stream_error=overloaded_error" -d "${amsg},\"stream\":true}"
expect_body $'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}' "stream_error"
expect_no_body "message_stop" "stream_error"

req "$msgs" "${ah[@]}" -H "x-mock-fault: status=429" -d "$amsg}"
expect_status 429 "anthropic 429"
expect_header "retry-after:" "anthropic 429"
expect_json 'd["error"]["type"]' "rate_limit_error" "anthropic 429"
req "$msgs" "${ah[@]}" -H "x-mock-fault: status=529" -d "$amsg}"
expect_status 529 "anthropic 529"
expect_json 'd["error"]["type"], d["error"]["message"]' "('overloaded_error', 'Overloaded')" "anthropic 529"

req "$mock/v1/messages/count_tokens" "${ah[@]}" -d '{"model":"c","messages":[{"role":"user","content":"Hello Claude"}]}'
expect_json 'd' "{'input_tokens': 3}" "count_tokens"

# --- HTTP behaviour ----------------------------------------------------------------------------
reused="$(curl -sv "$mock/v1/models" "$mock/v1/models" -o /dev/null -o /dev/null 2>&1 | grep -c 'Re-using existing connection')"
[[ "$reused" == 1 ]] || fail "keep-alive: second request did not reuse the connection"; pass

python3 -c "import json; print(json.dumps({'model':'m','messages':[{'role':'user','content':'x'*100000}]}))" >"$work/big.json"
req "$chat" -d @"$work/big.json"
expect_status 200 "large body (Expect: 100-continue)"
sooner_than 0.9 "large body is not held up by Expect: 100-continue"

# --- introspection -----------------------------------------------------------------------------
req -X DELETE "$mock/__mock/requests"
expect_status 200 "clear log"
req "$mock/fault/delay_ms=1/v1/chat/completions?q=1" -H "X-Custom: Yes" -d "$hello"
req "$mock/__mock/requests"
expect_json 'len(d), d[0]["method"], d[0]["path"], d[0]["headers"]["x-custom"], d[0]["body"] == '"'$hello'" \
  "(1, 'POST', '/fault/delay_ms=1/v1/chat/completions?q=1', 'Yes', True)" "request log"
req "$mock/__mock/stats"
expect_json 'd["requests"], d["by_path"]' "(1, {'/fault/delay_ms=1/v1/chat/completions': 1})" "stats"

# --- --fast ------------------------------------------------------------------------------------
start fast --fast
req "$fast/v1/chat/completions" -d "$hello"
expect_json 'd["object"], d["choices"][0]["message"]["role"]' "('chat.completion', 'assistant')" "fast chat"
req "$fast/v1/chat/completions" -d '{"model":"m", "stream" : true,"messages":[]}'
expect_count '"delta":{"content"' 20 "fast stream has 20 content chunks"
expect_body "data: [DONE]" "fast stream"
req "$fast/v1/chat/completions" -H "x-mock-fault: chunks=3,chunk_delay_ms=100" -d '{"stream":true}'
expect_count '"delta":{"content"' 3 "fast chunks=3"
later_than 0.3 "fast chunk_delay_ms"
req "$fast/v1/chat/completions" -H "x-mock-fault: status=503" -d "$hello"
expect_status 503 "fast mode delegates other faults"
req "$fast/v1/messages" "${ah[@]}" -d "${amsg},\"stream\":true}"
expect_body "event: message_stop" "fast anthropic stream"
req "$fast/__mock/requests"
expect_json 'd' "[]" "fast mode keeps no log"

# --- TLS ---------------------------------------------------------------------------------------
if command -v openssl >/dev/null; then
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$work/key.pem" -out "$work/cert.pem" -days 1 \
    -subj "/CN=127.0.0.1" -addext "subjectAltName=IP:127.0.0.1" >/dev/null 2>&1
  start tls --tls-cert "$work/cert.pem" --tls-key "$work/key.pem"
  req --cacert "$work/cert.pem" "$tls/v1/chat/completions" -d "$hello"
  expect_json 'd["choices"][0]["message"]["content"]' "Mock reply to: Hello there" "TLS"
fi

# --- shutdown ----------------------------------------------------------------------------------
kill -TERM "$mock_pid"
wait "$mock_pid"
code=$?
[[ $code == 0 ]] || fail "SIGTERM: exit code $code, want 0"; pass

echo "selftest: all $checks checks passed"
