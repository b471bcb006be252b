// An OpenAI-format client (fetch on /v1/chat/completions) in front of an Anthropic deployment: what
// the upstream receives (headers, path, translated body: checked in the mock's request log), how
// Anthropic's answers and streams come back in OpenAI's shape, and how Anthropic's errors drive
// retries, cooldowns and fallbacks. The real llmux binary runs against the mock upstream, which
// validates requests as Anthropic does; each deployment has its own path prefix so the log says
// which one was called.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  startMock, startLlmux, chat, readSse, toYaml, mockHits, routeEntries, closedPortBase, repoRoot,
} from '../lib/harness.mjs';
import { startScriptedUpstream } from '../lib/scripted_upstream.mjs';
import { assertOpenAiShape } from '../lib/openai_schema.mjs';

const claudeModel = 'claude-3-5-sonnet-20241022';
const upstreamKey = 'sk-ant-upstream-key-0123456789';
const messages = [{ role: 'user', content: 'Say hello' }];
const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['location'],
    },
  },
};
// A 1×1 PNG.
const pngBase64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

let mock;
let llmux;  // drop_params: false, the default router settings

// An Anthropic deployment of `group` served by the mock under `/<marker>` (no /v1: llmux adds
// /v1/messages); `fault` is a mock fault spec put in the path.
function claude(group, marker, { fault, apiBase, ...params } = {}) {
  const faultSegment = fault ? `/fault/${fault}` : '';
  return {
    model_name: group,
    litellm_params: {
      model: `anthropic/${claudeModel}`,
      api_base: apiBase ?? `${mock.url}/${marker}${faultSegment}`,
      api_key: upstreamKey,
      ...params,
    },
    model_info: { id: marker },
  };
}

const upstreamOf = async (marker) => (await mock.requests()).filter((r) => r.path.startsWith(`/${marker}/`));
const lastUpstream = async (marker) => {
  const all = await upstreamOf(marker);
  assert.ok(all.length > 0, `no upstream request under /${marker}/`);
  return all.at(-1);
};
const outcomes = (response) => routeEntries(response.headers).map((e) => e.outcome);

async function streamChat(url, body, headers = {}) {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ ...body, stream: true }),
  });
  const events = response.status === 200 ? await readSse(response) : [];
  const done = events.some((e) => e.data === '[DONE]');
  const chunks = events.filter((e) => e.data !== '[DONE]' && e.data !== '').map((e) => JSON.parse(e.data));
  // Every translated chunk is a valid OpenAI chunk; an error that ends a stream, an ErrorResponse.
  for (const chunk of chunks) assertOpenAiShape(chunk.error ? 'ErrorResponse' : 'CreateChatCompletionStreamResponse', chunk);
  return { response, events, chunks, done };
}

before(async () => {
  mock = await startMock();
  llmux = await startLlmux(toYaml({
    model_list: [
      claude('c-headers', 'c-headers'),
      claude('c-v1', 'c-v1', { apiBase: `${mock.url}/c-v1/v1` }),
      claude('c-full', 'c-full', { apiBase: `${mock.url}/c-full/v1/messages` }),
      claude('c-body', 'c-body'),
      claude('c-answer', 'c-answer'),
      claude('c-stream', 'c-stream'),
      claude('c-midstream', 'c-midstream', { fault: 'chunks=6,chunk_delay_ms=20,stream_error=overloaded_error' }),
      claude('c-break', 'c-break', { fault: 'chunks=6,chunk_delay_ms=20,break_after=3' }),
      claude('c-429-pair', 'c-429-a', { fault: 'status=429,retry_after=30', order: 1 }),
      claude('c-429-pair', 'c-429-b', { order: 2 }),
      claude('c-429-lone', 'c-429-lone', { fault: 'status=429,retry_after=1,times=1,key=c-429-lone' }),
      claude('c-529-lone', 'c-529-lone', { fault: 'status=529,times=2,key=c-529-lone' }),
      claude('c-401-pair', 'c-401-a', { fault: 'status=401', order: 1 }),
      claude('c-401-pair', 'c-401-b', { order: 2 }),
      claude('c-403-pair', 'c-403-a', { fault: 'status=403', order: 1 }),
      claude('c-403-pair', 'c-403-b', { order: 2 }),
      claude('c-401-lone', 'c-401-lone', { fault: 'status=401' }),
      claude('c-400', 'c-400', { fault: 'status=400' }),
      claude('c-ctx', 'c-ctx', { fault: 'context_error=anthropic' }),
      claude('c-ctx-big', 'c-ctx-big'),
      claude('c-params', 'c-params'),
    ],
    router_settings: { context_window_fallbacks: [{ 'c-ctx': ['c-ctx-big'] }] },
    litellm_settings: { drop_params: false },
  }));
});

// ---- What reaches Anthropic: headers and path ----

test('the upstream request carries x-api-key, anthropic-version 2023-06-01 and JSON, and no Authorization', async () => {
  const r = await chat(llmux.url, { model: 'c-headers', messages });
  assert.equal(r.status, 200, r.text);

  const upstream = await lastUpstream('c-headers');
  assert.equal(upstream.method, 'POST');
  assert.equal(upstream.path, '/c-headers/v1/messages');
  assert.equal(upstream.headers['x-api-key'], upstreamKey);
  assert.equal(upstream.headers['anthropic-version'], '2023-06-01');
  assert.match(upstream.headers['content-type'] ?? '', /^application\/json/);
  assert.equal(upstream.headers.authorization, undefined, 'Anthropic authenticates with x-api-key only');
  assert.equal(upstream.headers['anthropic-beta'], undefined, 'no anthropic-beta unless the client sends one');
});

test('anthropic-beta from an OpenAI-format client is passed through to the Anthropic deployment', async () => {
  const beta = 'prompt-caching-2024-07-31,output-128k-2025-02-19';
  const r = await chat(llmux.url, { model: 'c-headers', messages }, { 'anthropic-beta': beta });
  assert.equal(r.status, 200, r.text);

  const upstream = await lastUpstream('c-headers');
  assert.equal(upstream.headers['anthropic-beta'], beta);
});

test('an anthropic/ deployment without api_key uses ANTHROPIC_API_KEY from the environment', async () => {
  const envKey = 'sk-ant-env-default-0123456789';
  const deployment = claude('c-envkey', 'c-envkey');
  delete deployment.litellm_params.api_key;
  const withEnv = await startLlmux(toYaml({ model_list: [deployment] }), { env: { ANTHROPIC_API_KEY: envKey } });
  const r = await chat(withEnv.url, { model: 'c-envkey', messages });
  assert.equal(r.status, 200, r.text);
  assert.equal((await lastUpstream('c-envkey')).headers['x-api-key'], envKey);
  await withEnv.stop();
});

test('llmux_settings.anthropic_version replaces the default anthropic-version', async () => {
  const configured = await startLlmux(toYaml({
    model_list: [claude('c-version', 'c-version')],
    llmux_settings: { anthropic_version: '2099-01-01' },
  }));
  const r = await chat(configured.url, { model: 'c-version', messages });
  assert.equal(r.status, 200, r.text);
  assert.equal((await lastUpstream('c-version')).headers['anthropic-version'], '2099-01-01');
  await configured.stop();
});

test('api_base with no path, with /v1 and with /v1/messages all reach …/v1/messages', async () => {
  const bare = await startMock();
  const withBareBase = await startLlmux(toYaml({ model_list: [claude('c-bare', 'c-bare', { apiBase: bare.url })] }));
  const r = await chat(withBareBase.url, { model: 'c-bare', messages });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual((await bare.requests()).map((q) => q.path), ['/v1/messages']);
  await withBareBase.stop();
  await bare.stop();

  for (const group of ['c-v1', 'c-full']) {
    const answer = await chat(llmux.url, { model: group, messages });
    assert.equal(answer.status, 200, `${group}: ${answer.text}`);
    assert.deepEqual((await upstreamOf(group)).map((q) => q.path), [`/${group}/v1/messages`], group);
  }
});

// ---- The translated request body ----

test('body: system → top-level system, max_tokens defaulted, stop → stop_sequences, user → metadata.user_id, image → base64 source', async () => {
  const r = await chat(llmux.url, {
    model: 'c-body',
    messages: [
      { role: 'system', content: 'You are terse.' },
      {
        role: 'user',
        content: [
          { type: 'text', text: 'What is in this picture?' },
          { type: 'image_url', image_url: { url: `data:image/png;base64,${pngBase64}` } },
        ],
      },
    ],
    stop: ['STOP', 'END'],
    temperature: 0.2,
    user: 'user-1234',
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.choices[0].message.content, 'Mock reply to: What is in this picture?');

  const sent = JSON.parse((await lastUpstream('c-body')).body);
  assert.equal(sent.model, claudeModel);
  assert.equal(sent.system, 'You are terse.');
  assert.ok(sent.messages.every((m) => m.role !== 'system'), JSON.stringify(sent.messages));
  assert.equal(sent.max_tokens, 8192, 'the documented maximum output of claude-3-5-sonnet');
  assert.deepEqual(sent.stop_sequences, ['STOP', 'END']);
  assert.equal(sent.stop, undefined);
  assert.equal(sent.temperature, 0.2);
  assert.deepEqual(sent.metadata, { user_id: 'user-1234' });
  assert.equal(sent.user, undefined);
  assert.equal(sent.messages.length, 1);
  const parts = sent.messages[0].content;
  assert.deepEqual(parts.find((p) => p.type === 'text'), { type: 'text', text: 'What is in this picture?' });
  assert.deepEqual(parts.find((p) => p.type === 'image'),
    { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pngBase64 } });
});

test('body: a client max_tokens is kept, tools become input_schema tools and a forced tool_choice becomes {type: tool}', async () => {
  const r = await chat(llmux.url, {
    model: 'c-body',
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    max_tokens: 321,
    tools: [weatherTool],
    tool_choice: { type: 'function', function: { name: 'get_weather' } },
  });
  assert.equal(r.status, 200, r.text);

  const sent = JSON.parse((await lastUpstream('c-body')).body);
  assert.equal(sent.max_tokens, 321);
  assert.deepEqual(sent.tools, [{
    name: 'get_weather',
    description: 'Current weather for a city',
    input_schema: weatherTool.function.parameters,
  }]);
  assert.deepEqual(sent.tool_choice, { type: 'tool', name: 'get_weather' });
});

// ---- Anthropic's answer in OpenAI's shape ----

test('response: content, finish_reason, model and usage in chat.completion shape', async () => {
  const system = 'Be brief.';
  const r = await chat(llmux.url, { model: 'c-answer', messages: [{ role: 'system', content: system }, ...messages] });
  assert.equal(r.status, 200, r.text);

  const answer = 'Mock reply to: Say hello';
  assert.equal(r.json.object, 'chat.completion');
  assertOpenAiShape('CreateChatCompletionResponse', r.json);
  assert.match(r.json.id, /^msg_mock_/);
  assert.equal(r.json.model, claudeModel);
  assert.equal(r.json.choices.length, 1);
  assert.equal(r.json.choices[0].message.role, 'assistant');
  assert.equal(r.json.choices[0].message.content, answer);
  assert.equal(r.json.choices[0].finish_reason, 'stop');
  // The mock counts ceil(bytes / 4) for the system text plus the messages, and for the answer.
  assert.equal(r.json.usage.prompt_tokens, Math.ceil((system.length + 'Say hello'.length) / 4));
  assert.equal(r.json.usage.completion_tokens, Math.ceil(answer.length / 4));
  assert.equal(r.json.usage.total_tokens, r.json.usage.prompt_tokens + r.json.usage.completion_tokens);
  assert.equal(r.headers.get('x-litellm-model-group'), 'c-answer');
  assert.equal(r.headers.get('x-llmux-route'), `c-answer[anthropic/${claudeModel}]:ok`);
});

test('response: cache reads and writes count as prompt tokens and are reported', async () => {
  const upstream = await startScriptedUpstream(() => ({
    json: {
      id: 'msg_cached',
      type: 'message',
      role: 'assistant',
      model: claudeModel,
      content: [{ type: 'text', text: 'cached answer' }],
      stop_reason: 'end_turn',
      stop_sequence: null,
      usage: { input_tokens: 10, cache_creation_input_tokens: 5, cache_read_input_tokens: 20, output_tokens: 7 },
    },
  }));
  const scripted = await startLlmux(toYaml({ model_list: [claude('c-cache', 'c-cache', { apiBase: upstream.url })] }));
  const r = await chat(scripted.url, { model: 'c-cache', messages });
  assert.equal(r.status, 200, r.text);
  assert.equal(upstream.requests[0].path, '/v1/messages');

  assert.equal(r.json.choices[0].message.content, 'cached answer');
  assertOpenAiShape('CreateChatCompletionResponse', r.json);
  assert.equal(r.json.usage.prompt_tokens, 35, 'input + cache reads + cache writes');
  assert.equal(r.json.usage.completion_tokens, 7);
  assert.equal(r.json.usage.total_tokens, 42);
  assert.equal(r.json.usage.prompt_tokens_details?.cached_tokens, 20);
  assert.equal(r.json.usage.cache_read_input_tokens, 20);
  assert.equal(r.json.usage.cache_creation_input_tokens, 5);
  await scripted.stop();
});

test('response: a tool_use block becomes tool_calls with JSON arguments and finish_reason tool_calls', async () => {
  const r = await chat(llmux.url, {
    model: 'c-answer',
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    tools: [weatherTool],
    tool_choice: 'required',
  });
  assert.equal(r.status, 200, r.text);

  assert.deepEqual(JSON.parse((await lastUpstream('c-answer')).body).tool_choice, { type: 'any' });
  assertOpenAiShape('CreateChatCompletionResponse', r.json);
  const choice = r.json.choices[0];
  assert.equal(choice.finish_reason, 'tool_calls');
  assert.equal(choice.message.content, null);
  assert.equal(choice.message.tool_calls.length, 1);
  const [call] = choice.message.tool_calls;
  assert.match(call.id, /^toolu_mock_/);
  assert.equal(call.type, 'function');
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { location: 'Paris', unit: 'celsius' });
});

// ---- Streams translated as they arrive ----

test('stream: chunks assemble the answer, the last carries finish_reason, [DONE] ends it, no usage unless asked', async () => {
  const { response, chunks, done, events } = await streamChat(llmux.url, { model: 'c-stream', messages });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/event-stream/);
  assert.equal(events.at(-1).data, '[DONE]');
  assert.ok(done);

  assert.ok(chunks.length >= 3, `several chunks, got ${chunks.length}`);
  assert.ok(chunks.every((c) => c.object === 'chat.completion.chunk' && c.model === claudeModel), JSON.stringify(chunks[0]));
  assert.equal(new Set(chunks.map((c) => c.id)).size, 1, 'one id for the whole stream');
  assert.equal(chunks[0].choices[0].delta.role, 'assistant');
  const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
  assert.equal(text, 'Mock reply to: Say hello');
  const finishes = chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean);
  assert.deepEqual(finishes, ['stop']);
  assert.ok(chunks.every((c) => !c.usage), 'no usage chunk without stream_options.include_usage');

  const sent = JSON.parse((await lastUpstream('c-stream')).body);
  assert.equal(sent.stream, true);
  assert.equal(sent.stream_options, undefined, 'stream_options is OpenAI-only');
});

test('stream with include_usage: a final choices-less chunk carries the usage', async () => {
  const { chunks, done } = await streamChat(llmux.url, {
    model: 'c-stream', messages, stream_options: { include_usage: true },
  });
  assert.ok(done);
  const last = chunks.at(-1);
  assert.deepEqual(last.choices, []);
  assert.equal(last.usage.prompt_tokens, Math.ceil('Say hello'.length / 4));
  assert.equal(last.usage.completion_tokens, Math.ceil('Mock reply to: Say hello'.length / 4));
  assert.equal(last.usage.total_tokens, last.usage.prompt_tokens + last.usage.completion_tokens);
  assert.equal(chunks.filter((c) => c.usage).length, 1, 'exactly one usage chunk');
});

test('stream: a tool call streams as tool_calls deltas at index 0 whose arguments assemble to JSON', async () => {
  const { chunks, done } = await streamChat(llmux.url, {
    model: 'c-stream',
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    tools: [weatherTool],
    tool_choice: { type: 'function', function: { name: 'get_weather' } },
  });
  assert.ok(done);
  const deltas = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
  assert.ok(deltas.length >= 2, JSON.stringify(deltas));
  assert.ok(deltas.every((d) => d.index === 0), JSON.stringify(deltas));
  assert.match(deltas[0].id, /^toolu_mock_/);
  assert.equal(deltas[0].type, 'function');
  assert.equal(deltas[0].function.name, 'get_weather');
  const args = deltas.map((d) => d.function?.arguments ?? '').join('');
  assert.deepEqual(JSON.parse(args), { location: 'Paris', unit: 'celsius' });
  assert.deepEqual(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean), ['tool_calls']);
});

test('stream: text then two tool_use blocks → content deltas, then tool_calls at index 0 and 1', async () => {
  const ev = (event, data) => ({ event, data: { type: event, ...data } });
  const upstream = await startScriptedUpstream(() => ({
    sse: [
      ev('message_start', { message: {
        id: 'msg_two_tools', type: 'message', role: 'assistant', model: claudeModel, content: [],
        stop_reason: null, stop_sequence: null, usage: { input_tokens: 12, output_tokens: 1 },
      } }),
      ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }),
      ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Checking both.' } }),
      ev('content_block_stop', { index: 0 }),
      ev('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_a', name: 'get_weather', input: {} } }),
      ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"location":' } }),
      ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } }),
      ev('content_block_stop', { index: 1 }),
      ev('content_block_start', { index: 2, content_block: { type: 'tool_use', id: 'toolu_b', name: 'get_weather', input: {} } }),
      ev('content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '{"location":"Rome"}' } }),
      ev('content_block_stop', { index: 2 }),
      ev('message_delta', { delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 30 } }),
      ev('message_stop', {}),
    ],
  }));
  const scripted = await startLlmux(toYaml({ model_list: [claude('c-two-tools', 'c-two-tools', { apiBase: upstream.url })] }));
  const { chunks, done } = await streamChat(scripted.url, {
    model: 'c-two-tools', messages: [{ role: 'user', content: 'Weather in Paris and Rome?' }], tools: [weatherTool],
  });
  assert.ok(done);
  assert.equal(chunks.map((c) => c.choices[0]?.delta?.content ?? '').join(''), 'Checking both.');
  const deltas = chunks.flatMap((c) => c.choices[0]?.delta?.tool_calls ?? []);
  const byIndex = (i) => deltas.filter((d) => d.index === i);
  assert.deepEqual([...new Set(deltas.map((d) => d.index))], [0, 1], JSON.stringify(deltas));
  assert.equal(byIndex(0)[0].id, 'toolu_a');
  assert.equal(byIndex(1)[0].id, 'toolu_b');
  assert.deepEqual(JSON.parse(byIndex(0).map((d) => d.function?.arguments ?? '').join('')), { location: 'Paris' });
  assert.deepEqual(JSON.parse(byIndex(1).map((d) => d.function?.arguments ?? '').join('')), { location: 'Rome' });
  assert.deepEqual(chunks.map((c) => c.choices[0]?.finish_reason).filter(Boolean), ['tool_calls']);
  await scripted.stop();
});

test('stream: an overloaded_error mid-stream ends the stream with an error frame the client sees, no [DONE]', async () => {
  const { response, chunks, done } = await streamChat(llmux.url, {
    model: 'c-midstream', messages: [{ role: 'user', content: 'Tell me a long story please' }],
  });
  assert.equal(response.status, 200, 'the stream had started before the error');
  assert.equal(done, false, 'no [DONE] after an error');
  const text = chunks.map((c) => c.choices?.[0]?.delta?.content ?? '').join('');
  assert.ok(text.length > 0, 'some content arrived before the error');
  const last = chunks.at(-1);
  assert.ok(last.error, `the last frame is an error: ${JSON.stringify(last)}`);
  assert.match(JSON.stringify(last.error), /overloaded/i);
  assert.ok(chunks.every((c) => !c.choices?.[0]?.finish_reason), 'no finish_reason: the answer is incomplete');
});

test('stream: an Anthropic stream cut off before message_stop ends with an error frame, no [DONE]', async () => {
  const { response, chunks, done } = await streamChat(llmux.url, {
    model: 'c-break', messages: [{ role: 'user', content: 'Tell me a long story please' }],
  });
  assert.equal(response.status, 200);
  assert.equal(done, false, 'a cut-off answer is not presented as complete');
  assert.ok(chunks.some((c) => c.choices?.[0]?.delta?.content), 'some content arrived first');
  assert.ok(chunks.at(-1).error, `the last frame is an error: ${JSON.stringify(chunks.at(-1))}`);
  assert.equal(typeof chunks.at(-1).error.message, 'string');
});

// ---- Anthropic's errors drive retries, cooldowns and fallbacks ----

test('429 rate_limit_error with retry-after: retried on the sibling at once, and the limited one cools down', async () => {
  const first = await chat(llmux.url, { model: 'c-429-pair', messages });
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(outcomes(first), ['rate_limited(429)', 'ok']);
  assert.equal(first.headers.get('x-litellm-model-id'), 'c-429-b');

  const second = await chat(llmux.url, { model: 'c-429-pair', messages });
  assert.equal(second.status, 200, second.text);
  assert.deepEqual(outcomes(second), ['ok'], 'the 429 deployment is cooling down (Retry-After: 30)');
  assert.equal(await mockHits(mock, '/c-429-a/'), 1);
  assert.equal(await mockHits(mock, '/c-429-b/'), 2);
});

test('429 on a lone deployment: the retry waits for Retry-After: 1, then succeeds', async () => {
  const started = performance.now();
  const r = await chat(llmux.url, { model: 'c-429-lone', messages });
  const elapsed = performance.now() - started;
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(outcomes(r), ['rate_limited(429)', 'ok']);
  assert.ok(elapsed >= 950, `Retry-After honoured (took ${Math.round(elapsed)} ms)`);
  assert.ok(elapsed < 8000, `bounded (took ${Math.round(elapsed)} ms)`);
});

test('429 on every attempt: the client gets 429 rate_limit_error with Retry-After', async () => {
  const limited = await startLlmux(toYaml({
    model_list: [claude('c-429-always', 'c-429-always', { fault: 'status=429,retry_after=7' })],
    router_settings: { num_retries: 0 },
  }));
  const r = await chat(limited.url, { model: 'c-429-always', messages });
  assert.equal(r.status, 429, r.text);
  assert.equal(r.json.error.type, 'rate_limit_error');
  assert.equal(r.headers.get('retry-after'), '7');
  await limited.stop();
});

test('529 overloaded_error is retried (lone deployment, twice), then served', async () => {
  const r = await chat(llmux.url, { model: 'c-529-lone', messages });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(outcomes(r), ['unavailable(529)', 'unavailable(529)', 'ok']);
  assert.equal(await mockHits(mock, '/c-529-lone/'), 3);
});

test('529 overloaded_error: retried on a sibling, and the overloaded deployment cools down', async () => {
  const overloaded = await startLlmux(toYaml({
    model_list: [
      claude('c-529-pair', 'c-529-a', { fault: 'status=529', order: 1 }),
      claude('c-529-pair', 'c-529-b', { order: 2 }),
    ],
    router_settings: { allowed_fails: 1, cooldown_time: 60 },
  }));
  const first = await chat(overloaded.url, { model: 'c-529-pair', messages });
  assert.equal(first.status, 200, first.text);
  assert.deepEqual(outcomes(first), ['unavailable(529)', 'ok']);
  assert.equal(first.headers.get('x-litellm-model-id'), 'c-529-b');

  const second = await chat(overloaded.url, { model: 'c-529-pair', messages });
  assert.deepEqual(outcomes(second), ['ok']);
  assert.equal(await mockHits(mock, '/c-529-a/'), 1, 'cooling down after the 529');
  await overloaded.stop();
});

test('400 "prompt is too long" is a context-window error: context_window_fallbacks serve, no retry', async () => {
  const r = await chat(llmux.url, { model: 'c-ctx', messages });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(routeEntries(r.headers).map((e) => `${e.group}:${e.outcome}`),
    ['c-ctx:context_window_exceeded(400)', 'c-ctx-big:ok']);
  assert.equal(r.headers.get('x-litellm-model-group'), 'c-ctx-big');
  assert.equal(await mockHits(mock, '/c-ctx/'), 1);
});

test('401 authentication_error: the sibling deployment serves', async () => {
  const r = await chat(llmux.url, { model: 'c-401-pair', messages });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(outcomes(r), ['authentication(401)', 'ok']);
  assert.equal(r.headers.get('x-litellm-model-id'), 'c-401-b');
});

test('403 permission_error: the sibling deployment serves; a lone 401 reaches the client as 401, not retried', async () => {
  const r = await chat(llmux.url, { model: 'c-403-pair', messages });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(outcomes(r), ['permission_denied(403)', 'ok']);
  assert.equal(r.headers.get('x-litellm-model-id'), 'c-403-b');

  const lone = await chat(llmux.url, { model: 'c-401-lone', messages });
  assert.equal(lone.status, 401, lone.text);
  assert.equal(lone.json.error.type, 'authentication_error');
  assert.equal(await mockHits(mock, '/c-401-lone/'), 1);
  assert.ok(!lone.text.includes(upstreamKey), 'the upstream key is never echoed');
});

test('another 400 is not retried: one upstream request, the client gets 400 invalid_request_error', async () => {
  const r = await chat(llmux.url, { model: 'c-400', messages });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.type, 'invalid_request_error');
  assert.deepEqual(outcomes(r), ['bad_request(400)']);
  assert.equal(await mockHits(mock, '/c-400/'), 1);
});

// ---- drop_params ----

test('drop_params false: logit_bias is refused with UnsupportedParamsError before any upstream call', async () => {
  const r = await chat(llmux.url, { model: 'c-params', messages, logit_bias: { 50256: -100 } });
  assert.equal(r.status, 400, r.text);
  assert.match(r.json.error.message, /UnsupportedParamsError/);
  assert.match(r.json.error.message, /logit_bias/);
  assert.equal(await mockHits(mock, '/c-params/'), 0);
});

test('drop_params true: logit_bias is dropped and the request is served', async () => {
  const dropping = await startLlmux(toYaml({
    model_list: [claude('c-drop', 'c-drop')],
    litellm_settings: { drop_params: true },
  }));
  const r = await chat(dropping.url, { model: 'c-drop', messages, logit_bias: { 50256: -100 } });
  assert.equal(r.status, 200, r.text);
  const sent = JSON.parse((await lastUpstream('c-drop')).body);
  assert.equal(sent.logit_bias, undefined);
  assert.equal(r.json.choices[0].message.content, 'Mock reply to: Say hello');
  await dropping.stop();
});

// ---- The shipped example: the Claude fallback works ----

test('example config: primary unreachable, the anthropic/ fallback answers in OpenAI shape with ANTHROPIC_API_KEY', async () => {
  const example = readFileSync(join(repoRoot, 'config', 'examples', 'litellm_config.yaml'), 'utf8');
  const fallbackLine = /^(\s*)model: anthropic\/claude-3-5-sonnet-20241022\s*$/m;
  assert.match(example, fallbackLine, 'the example still has the Claude fallback');
  const primaryBase = await closedPortBase();
  const yaml = example
    .replace(/^(\s*api_base:\s*)\S+/m, `$1${primaryBase}`)
    .replace(fallbackLine, (line, indent) => `${line}\n${indent}api_base: ${mock.url}/example-claude`);
  const envKey = 'sk-ant-from-env-abcdef123456';
  const served = await startLlmux(yaml, { env: { ANTHROPIC_API_KEY: envKey } });

  const r = await chat(served.url, { model: 'production-llm', messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.object, 'chat.completion');
  assert.equal(r.json.choices[0].message.content, 'Mock reply to: hi');
  assert.equal(r.json.choices[0].finish_reason, 'stop');
  assert.equal(r.headers.get('x-litellm-model-group'), 'production-llm-fallback');
  const route = routeEntries(r.headers);
  assert.deepEqual(route.map((e) => e.outcome), ['connection_failed', 'connection_failed', 'connection_failed', 'ok'],
    r.headers.get('x-llmux-route'));
  assert.equal(route.at(-1).model, `anthropic/${claudeModel}`);

  const upstream = await lastUpstream('example-claude');
  assert.equal(upstream.path, '/example-claude/v1/messages');
  assert.equal(upstream.headers['x-api-key'], envKey);
  assert.equal(JSON.parse(upstream.body).model, claudeModel);
  await served.stop();
});
