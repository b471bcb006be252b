// Every OpenAI-shaped answer llmux produces, checked against OpenAI's published schemas
// (tests/lib/openai_schema.mjs): chat completions whole and streamed — text, tool calls, reasoning —
// from an OpenAI-wire deployment (passed through), an Anthropic deployment (translated) and the
// in-process mock provider; legacy completions and embeddings; /v1/models and /v1/models/{id};
// and every error body, whole or as a stream's last event. A strictly typed client (the official
// SDKs' generated types, Pydantic models built from the same spec) reads each of these.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { readSse, startLlmux, startMock, toYaml } from '../lib/harness.mjs';
import { assertOpenAiShape } from '../lib/openai_schema.mjs';

const MASTER = 'sk-master-schema';
const claudeModel = 'claude-3-5-sonnet-20241022';
const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};
const ask = [{ role: 'user', content: 'Say hello' }];

let mock;
let llmux;
let guarded;

before(async () => {
  mock = await startMock();
  const fault = (spec) => (spec ? `/fault/${spec}` : '');
  const openai = (group, spec) => ({
    model_name: group,
    litellm_params: { model: 'openai/gpt-4o-mini', api_base: `${mock.url}/${group}${fault(spec)}/v1`, api_key: 'sk-oa' },
  });
  const anthropic = (group, spec) => ({
    model_name: group,
    litellm_params: { model: `anthropic/${claudeModel}`, api_base: `${mock.url}/${group}${fault(spec)}`, api_key: 'sk-an' },
  });
  const config = {
    model_list: [
      openai('sc-openai'),
      anthropic('sc-anthropic'),
      { model_name: 'sc-mock', litellm_params: { model: 'mock/sc-mock-model', mock_response: 'A canned answer' } },
      { model_name: 'sc-embed', litellm_params: { model: 'openai/text-embedding-3-small', api_base: `${mock.url}/sc-embed/v1`, api_key: 'sk-oa' } },
      openai('sc-openai-429', 'status=429'),
      openai('sc-openai-500', 'status=500'),
      anthropic('sc-anthropic-529', 'status=529'),
      anthropic('sc-anthropic-ctx', 'context_error=anthropic'),
      anthropic('sc-anthropic-thinking', 'thinking'),
      openai('sc-openai-midstream', 'chunks=4,chunk_delay_ms=20,stream_error=server_error'),
      anthropic('sc-anthropic-midstream', 'chunks=4,chunk_delay_ms=20,stream_error=overloaded_error'),
      openai('sc-openai-break', 'chunks=4,chunk_delay_ms=20,break_after=2'),
    ],
    router_settings: { num_retries: 0 },
  };
  llmux = await startLlmux(toYaml(config));
  guarded = await startLlmux(toYaml({ ...config, general_settings: { master_key: MASTER, max_request_size_mb: 0.01 } }));
});

async function call(path, body, { url = llmux.url, method = 'POST', headers = {} } = {}) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, headers: response.headers, text, json };
}

// A stream's data payloads, parsed ([DONE] left out); fails on a non-200 answer.
async function streamed(path, body) {
  const response = await fetch(`${llmux.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, stream: true }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const frames = (await readSse(response)).map((e) => e.data).filter((d) => d !== '');
  assert.equal(frames.at(-1), '[DONE]', `a stream ends with [DONE]: ${frames.at(-1)}`);
  return frames.slice(0, -1).map((d) => JSON.parse(d));
}

function assertError(answer, status, context) {
  assert.equal(answer.status, status, `${context}: ${answer.text}`);
  assertOpenAiShape('ErrorResponse', answer.json, context);
  assert.equal(answer.json.error.code, String(status), `${context}: code is the status, as LiteLLM sends it`);
}

const groups = ['sc-openai', 'sc-anthropic', 'sc-mock'];

// ---- chat completions ----

for (const group of groups) {
  test(`${group}: a whole chat completion is a CreateChatCompletionResponse`, async () => {
    const r = await call('/v1/chat/completions', { model: group, messages: ask, max_tokens: 50 });
    assert.equal(r.status, 200, r.text);
    assertOpenAiShape('CreateChatCompletionResponse', r.json, group);
    assert.equal(r.json.choices[0].message.refusal, null);
    assert.equal(r.json.choices[0].logprobs, null);
  });

  test(`${group}: every chunk of a chat stream is a CreateChatCompletionStreamResponse (with and without usage)`, async () => {
    for (const includeUsage of [false, true]) {
      const chunks = await streamed('/v1/chat/completions', {
        model: group, messages: ask, max_tokens: 50, ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
      });
      assert.ok(chunks.length >= 2, `${group}: ${chunks.length} chunks`);
      for (const chunk of chunks) assertOpenAiShape('CreateChatCompletionStreamResponse', chunk, `${group} include_usage=${includeUsage}`);
      assert.equal(chunks.some((c) => c.usage), includeUsage, `${group}: a usage chunk only when asked for`);
    }
  });
}

for (const group of ['sc-openai', 'sc-anthropic']) {
  test(`${group}: a tool call, whole and streamed, fits the schema`, async () => {
    const body = { model: group, messages: [{ role: 'user', content: 'Weather in Paris?' }], tools: [weatherTool],
      tool_choice: { type: 'function', function: { name: 'get_weather' } }, max_tokens: 50 };
    const whole = await call('/v1/chat/completions', body);
    assert.equal(whole.status, 200, whole.text);
    assertOpenAiShape('CreateChatCompletionResponse', whole.json, group);
    assert.equal(whole.json.choices[0].finish_reason, 'tool_calls');
    assert.equal(whole.json.choices[0].message.tool_calls[0].function.name, 'get_weather');
    const chunks = await streamed('/v1/chat/completions', body);
    for (const chunk of chunks) assertOpenAiShape('CreateChatCompletionStreamResponse', chunk, `${group} stream`);
    assert.ok(chunks.some((c) => c.choices[0]?.delta?.tool_calls), 'a tool call delta');
  });
}

test('sc-anthropic: reasoning (thinking blocks), whole and streamed, fits the schema', async () => {
  const body = { model: 'sc-anthropic-thinking', messages: ask, max_tokens: 2048,
    thinking: { type: 'enabled', budget_tokens: 1024 } };
  const whole = await call('/v1/chat/completions', body);
  assert.equal(whole.status, 200, whole.text);
  assertOpenAiShape('CreateChatCompletionResponse', whole.json, 'thinking');
  assert.ok(whole.json.choices[0].message.reasoning_content, whole.text);
  const chunks = await streamed('/v1/chat/completions', body);
  for (const chunk of chunks) assertOpenAiShape('CreateChatCompletionStreamResponse', chunk, 'thinking stream');
  assert.ok(chunks.some((c) => c.choices[0]?.delta?.reasoning_content), 'a reasoning delta');
});

// ---- legacy completions, embeddings ----

for (const group of ['sc-openai', 'sc-mock']) {
  test(`${group}: a legacy completion, whole and streamed, is a CreateCompletionResponse`, async () => {
    const whole = await call('/v1/completions', { model: group, prompt: 'Say hello', max_tokens: 20 });
    assert.equal(whole.status, 200, whole.text);
    assertOpenAiShape('CreateCompletionResponse', whole.json, group);
    // The stream's chunks share the whole answer's shape (OpenAI says so of this endpoint), except
    // that OpenAI's own streams send `finish_reason: null` until the last chunk, which the
    // published schema does not allow: null stands for any reason here.
    const chunks = await streamed('/v1/completions', { model: group, prompt: 'Say hello', max_tokens: 20 });
    for (const chunk of chunks) {
      const reasonless = chunk.choices.every((c) => c.finish_reason === null);
      const asWhole = { ...chunk, choices: chunk.choices.map((c) => ({ ...c, finish_reason: c.finish_reason ?? 'stop' })) };
      assertOpenAiShape('CreateCompletionResponse', reasonless ? asWhole : chunk, `${group} stream`);
    }
    assert.ok(chunks.at(-1).choices.length === 0 || chunks.some((c) => c.choices[0]?.finish_reason), 'a finish reason comes');
  });
}

for (const group of ['sc-embed', 'sc-mock']) {
  test(`${group}: embeddings are a CreateEmbeddingResponse`, async () => {
    for (const input of ['one text', ['two', 'texts']]) {
      const r = await call('/v1/embeddings', { model: group, input });
      assert.equal(r.status, 200, r.text);
      assertOpenAiShape('CreateEmbeddingResponse', r.json, group);
    }
  });
}

// ---- models ----

test('/v1/models and /v1/models/{id} are ListModelsResponse and Model; an unknown id is an ErrorResponse', async () => {
  for (const path of ['/v1/models', '/models']) {
    const list = await call(path, undefined, { method: 'GET' });
    assert.equal(list.status, 200, list.text);
    assertOpenAiShape('ListModelsResponse', list.json, path);
    assert.ok(list.json.data.some((m) => m.id === 'sc-openai'));
  }
  const one = await call('/v1/models/sc-anthropic', undefined, { method: 'GET' });
  assert.equal(one.status, 200, one.text);
  assertOpenAiShape('Model', one.json);
  assert.equal(one.json.id, 'sc-anthropic');
  const missing = await call('/v1/models/no-such-model', undefined, { method: 'GET' });
  assertError(missing, 404, 'unknown model id');
});

// ---- errors ----

test('every error body of the OpenAI routes is an ErrorResponse', async () => {
  assertError(await call('/v1/chat/completions', '{not json'), 400, 'malformed JSON');
  assertError(await call('/v1/chat/completions', { messages: ask }), 400, 'no model');
  assertError(await call('/v1/chat/completions', { model: 'sc-openai' }), 400, 'no messages');
  assertError(await call('/v1/chat/completions', { model: 'no-such-model', messages: ask }), 400, 'unknown model');
  assertError(await call('/v1/chat/completions', { model: 'sc-openai', messages: 'hello' }), 400, 'mistyped messages');
  assertError(await call('/v1/chat/completions', { model: 'sc-anthropic', messages: ask, max_tokens: 'ten' }), 400, 'mistyped, translated');
  assertError(await call('/v1/embeddings', { model: 'sc-embed' }), 400, 'embeddings without input');
  assertError(await call('/v1/no-such-route', {}), 404, 'unknown path');
  assertError(await call('/v1/chat/completions', undefined, { method: 'GET' }), 405, 'wrong method');
  assertError(await call('/v1/chat/completions', { model: 'sc-openai-429', messages: ask }), 429, 'upstream 429');
  assertError(await call('/v1/chat/completions', { model: 'sc-openai-500', messages: ask }), 500, 'upstream 500');
  assertError(await call('/v1/chat/completions', { model: 'sc-anthropic-529', messages: ask, max_tokens: 10 }), 503, 'Anthropic 529');
  assertError(await call('/v1/chat/completions', { model: 'sc-anthropic-ctx', messages: ask, max_tokens: 10 }), 400, 'context window');
  assertError(await call('/v1/chat/completions', { model: 'sc-anthropic', messages: ask, tools: 'nope' }), 400, 'translation refused');
  assertError(await call('/v1/chat/completions', { model: 'sc-mock', messages: ask, mock_response: 'litellm.RateLimitError' }), 429, 'mock failure');
  assertError(await call('/v1/chat/completions', { model: 'sc-openai', messages: ask }, { url: guarded.url }), 401, 'no key');
  assertError(await call('/v1/chat/completions', { model: 'sc-openai', messages: ask },
    { url: guarded.url, headers: { authorization: 'Bearer sk-wrong' } }), 401, 'wrong key');
  assertError(await call('/key/info', undefined, { url: guarded.url, method: 'GET', headers: { authorization: `Bearer ${MASTER}` } }),
    400, 'admin: a missing parameter');
  assertError(await call('/v1/chat/completions', { model: 'sc-openai', messages: [{ role: 'user', content: 'x'.repeat(20_000) }] },
    { url: guarded.url, headers: { authorization: `Bearer ${MASTER}` } }), 413, 'body over max_request_size_mb');
});

test('a stream that breaks after it started ends with an ErrorResponse event', async () => {
  for (const group of ['sc-openai-midstream', 'sc-anthropic-midstream', 'sc-openai-break']) {
    const response = await fetch(`${llmux.url}/v1/chat/completions`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: group, messages: ask, max_tokens: 50, stream: true }),
    });
    assert.equal(response.status, 200, group);
    const frames = (await readSse(response)).map((e) => e.data).filter((d) => d !== '' && d !== '[DONE]').map((d) => JSON.parse(d));
    const last = frames.at(-1);
    assert.ok(last.error, `${group}: the last event is an error: ${JSON.stringify(last)}`);
    assertOpenAiShape('ErrorResponse', last, group);
    for (const chunk of frames.slice(0, -1)) assertOpenAiShape('CreateChatCompletionStreamResponse', chunk, group);
  }
});
