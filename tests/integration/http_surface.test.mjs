// Every HTTP route llmux serves, the LiteLLM headers, auth, the error shapes, the in-process mock
// provider and what is (and is not) sent upstream — checked against the mock upstream's own
// record of the requests it received.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { assertOpenAiShape } from '../lib/openai_schema.mjs';

import {
  chat, openRawSocket, parseHttpResponses, simpleMessages, startLlmux, startMock,
} from '../lib/harness.mjs';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UPSTREAM_KEY = 'sk-upstream-AAA';

let mock;
let llmux; // drop_params: false, no master key
let lenient; // drop_params: true
let guarded; // master_key set

function deploymentsYaml() {
  return [
    'model_list:',
    '  - model_name: gpt-test',
    '    litellm_params:',
    '      model: openai/upstream-model-x',
    `      api_base: ${mock.base()}`,
    `      api_key: ${UPSTREAM_KEY}`,
    '  - model_name: vllm-model',
    '    litellm_params:',
    '      model: hosted_vllm/meta-llama/Llama-3.1-8B-Instruct',
    `      api_base: ${mock.base()}`,
    '      api_key: sk-vllm',
    '  - model_name: canned',
    '    litellm_params:',
    '      model: mock/canned-model',
    '      mock_response: Canned answer from the mock provider',
    '  - model_name: broken-upstream',
    '    litellm_params:',
    '      model: openai/broken',
    `      api_base: ${mock.base('status=500')}`,
    '      api_key: sk-broken',
    'router_settings:',
    '  num_retries: 0',
    '  model_group_alias:',
    '    shown-alias: gpt-test',
    '    secret-alias:',
    '      model: gpt-test',
    '      hidden: true',
  ].join('\n');
}

before(async () => {
  mock = await startMock();
  llmux = await startLlmux(
    `${deploymentsYaml()}\nlitellm_settings:\n  drop_params: false\ngeneral_settings:\n  max_request_size_mb: 0.01\n`,
  );
  lenient = await startLlmux(`${deploymentsYaml()}\nlitellm_settings:\n  drop_params: true\n`);
  guarded = await startLlmux(`${deploymentsYaml()}\ngeneral_settings:\n  master_key: sk-master-123\n`);
});

async function post(url, path, body, headers = {}) {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, headers: response.headers, text, json };
}

async function get(url, path, headers = {}) {
  const response = await fetch(`${url}${path}`, { headers });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: response.status, headers: response.headers, text, json };
}

// OpenAI's error body: {"error": {"message", "type", "param", "code"}}, code a string.
function assertOpenAiError(answer, status, { param } = {}) {
  assert.equal(answer.status, status, answer.text);
  assert.match(answer.headers.get('content-type') ?? '', /application\/json/);
  assert.ok(answer.json && typeof answer.json.error === 'object', `not an OpenAI error body: ${answer.text}`);
  const { error } = answer.json;
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0);
  assert.equal(typeof error.type, 'string');
  assert.ok(error.type.length > 0);
  assert.ok('param' in error, `no "param" in ${answer.text}`);
  assert.ok('code' in error, `no "code" in ${answer.text}`);
  assert.equal(typeof error.code, 'string', `code should be a string: ${answer.text}`);
  assert.equal(error.code, String(status));
  assertOpenAiShape('ErrorResponse', answer.json);
  if (param !== undefined) assert.equal(error.param, param, answer.text);
  return error;
}

// The one request the mock received since it was last cleared.
async function onlyUpstreamRequest() {
  const requests = await mock.requests();
  assert.equal(requests.length, 1, `expected exactly one upstream request, got ${JSON.stringify(requests)}`);
  const [request] = requests;
  return { ...request, json: JSON.parse(request.body) };
}

const mockRequestCount = async () => (await mock.stats()).requests;

const routes = [
  { path: '/v1/chat/completions', upstream: '/v1/chat/completions', body: { messages: simpleMessages } },
  { path: '/chat/completions', upstream: '/v1/chat/completions', body: { messages: simpleMessages } },
  { path: '/v1/completions', upstream: '/v1/completions', body: { prompt: 'Say hello' } },
  { path: '/completions', upstream: '/v1/completions', body: { prompt: 'Say hello' } },
  { path: '/v1/embeddings', upstream: '/v1/embeddings', body: { input: 'Say hello' } },
  { path: '/embeddings', upstream: '/v1/embeddings', body: { input: 'Say hello' } },
];

for (const route of routes) {
  test(`POST ${route.path} answers in OpenAI's shape and sends the unprefixed model with the deployment's key`, async () => {
    await mock.clearRequests();
    const answer = await post(llmux.url, route.path, { model: 'gpt-test', ...route.body });
    assert.equal(answer.status, 200, answer.text);
    const body = answer.json;
    assert.ok(body, answer.text);
    if (route.upstream.endsWith('/chat/completions')) {
      assert.equal(body.object, 'chat.completion');
      assert.equal(body.choices[0].message.role, 'assistant');
      assert.equal(typeof body.choices[0].message.content, 'string');
      assert.ok(body.choices[0].message.content.length > 0);
      assert.equal(typeof body.usage.total_tokens, 'number');
    } else if (route.upstream.endsWith('/completions')) {
      assert.equal(body.object, 'text_completion');
      assert.equal(typeof body.choices[0].text, 'string');
      assert.ok(body.choices[0].text.length > 0);
    } else {
      assert.equal(body.object, 'list');
      assert.equal(body.data[0].object, 'embedding');
      assert.ok(Array.isArray(body.data[0].embedding) && body.data[0].embedding.length > 0);
      assert.ok(body.data[0].embedding.every((x) => typeof x === 'number'));
    }

    const upstream = await onlyUpstreamRequest();
    assert.equal(upstream.method, 'POST');
    assert.equal(upstream.path, route.upstream);
    assert.equal(upstream.json.model, 'upstream-model-x');
    assert.equal(upstream.headers.authorization, `Bearer ${UPSTREAM_KEY}`);
  });
}

test('a provider prefix is removed once: hosted_vllm/org/model reaches the upstream as org/model', async () => {
  await mock.clearRequests();
  const answer = await chat(llmux.url, { model: 'vllm-model', messages: simpleMessages });
  assert.equal(answer.status, 200, answer.text);
  const upstream = await onlyUpstreamRequest();
  assert.equal(upstream.json.model, 'meta-llama/Llama-3.1-8B-Instruct');
  assert.equal(upstream.headers.authorization, 'Bearer sk-vllm');
});

for (const path of ['/v1/models', '/models']) {
  test(`GET ${path} lists each model_name once, visible aliases too, hidden aliases not`, async () => {
    const answer = await get(llmux.url, path);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.json.object, 'list');
    assertOpenAiShape('ListModelsResponse', answer.json);
    const ids = answer.json.data.map((m) => m.id);
    assert.deepEqual([...ids].sort(), ['broken-upstream', 'canned', 'gpt-test', 'shown-alias', 'vllm-model']);
    for (const model of answer.json.data) assert.equal(model.object, 'model');
  });
}

test('the health probes answer 200', async () => {
  const live = await get(llmux.url, '/health/liveliness');
  assert.equal(live.status, 200, live.text);
  const ready = await get(llmux.url, '/health/readiness');
  assert.equal(ready.status, 200, ready.text);
  assert.ok(ready.json, `readiness should be JSON: ${ready.text}`);
});

test('aliases route to their group, hidden ones included', async () => {
  for (const alias of ['shown-alias', 'secret-alias']) {
    const answer = await chat(llmux.url, { model: alias, messages: simpleMessages });
    assert.equal(answer.status, 200, `${alias}: ${answer.text}`);
    assert.equal(answer.headers.get('x-litellm-model-group'), 'gpt-test');
  }
});

test('the LiteLLM response headers are present and sane', async () => {
  const answer = await chat(llmux.url, { model: 'gpt-test', messages: simpleMessages });
  assert.equal(answer.status, 200, answer.text);
  const h = (name) => answer.headers.get(name);
  assert.match(h('x-litellm-call-id') ?? '', UUID_V4);
  assert.equal(h('x-request-id'), h('x-litellm-call-id'));
  assert.ok((h('x-litellm-model-id') ?? '').length > 0, 'x-litellm-model-id is empty');
  assert.equal(h('x-litellm-model-api-base'), mock.base());
  assert.equal(h('x-litellm-model-group'), 'gpt-test');
  assert.equal(h('x-litellm-attempted-retries'), '0');
  assert.equal(h('x-litellm-attempted-fallbacks'), '0');
  const overhead = Number(h('x-litellm-overhead-duration-ms'));
  const total = Number(h('x-litellm-response-duration-ms'));
  assert.ok(Number.isFinite(overhead) && overhead >= 0 && overhead < 500, `overhead ${h('x-litellm-overhead-duration-ms')}`);
  assert.ok(Number.isFinite(total) && total >= overhead, `response duration ${h('x-litellm-response-duration-ms')}`);
  assert.equal(h('x-llmux-route'), 'gpt-test[openai/upstream-model-x]:ok');

  // A new call id per request.
  const again = await chat(llmux.url, { model: 'gpt-test', messages: simpleMessages });
  assert.notEqual(again.headers.get('x-litellm-call-id'), h('x-litellm-call-id'));
});

test('a client-sent x-litellm-call-id is reused', async () => {
  const id = 'c0ffee00-1234-4abc-8def-0123456789ab';
  const answer = await chat(llmux.url, { model: 'gpt-test', messages: simpleMessages }, { 'x-litellm-call-id': id });
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.headers.get('x-litellm-call-id'), id);
  assert.equal(answer.headers.get('x-request-id'), id);

  // One that could split a header or is absurdly long is replaced by a fresh UUID.
  for (const bad of ['has spaces in it', 'x'.repeat(300)]) {
    const replaced = await chat(llmux.url, { model: 'gpt-test', messages: simpleMessages }, { 'x-litellm-call-id': bad });
    assert.equal(replaced.status, 200, replaced.text);
    assert.match(replaced.headers.get('x-litellm-call-id') ?? '', UUID_V4);
  }
});

test('master_key: 401 without or with a wrong key, 200 with Bearer or x-api-key; health stays public', async () => {
  const request = { model: 'gpt-test', messages: simpleMessages };
  assertOpenAiError(await chat(guarded.url, request), 401);
  assertOpenAiError(await chat(guarded.url, request, { authorization: 'Bearer sk-master-124' }), 401);
  assertOpenAiError(await chat(guarded.url, request, { authorization: 'Bearer sk-master-1234' }), 401);
  assertOpenAiError(await chat(guarded.url, request, { 'x-api-key': 'nope' }), 401);
  assertOpenAiError(await get(guarded.url, '/v1/models'), 401);

  const bearer = await chat(guarded.url, request, { authorization: 'Bearer sk-master-123' });
  assert.equal(bearer.status, 200, bearer.text);
  const xApiKey = await chat(guarded.url, request, { 'x-api-key': 'sk-master-123' });
  assert.equal(xApiKey.status, 200, xApiKey.text);
  const apiKey = await chat(guarded.url, request, { 'api-key': 'sk-master-123' });
  assert.equal(apiKey.status, 200, apiKey.text);
  const models = await get(guarded.url, '/v1/models', { authorization: 'Bearer sk-master-123' });
  assert.equal(models.status, 200, models.text);

  assert.equal((await get(guarded.url, '/health/liveliness')).status, 200);
  assert.equal((await get(guarded.url, '/health/readiness')).status, 200);
});

test('malformed JSON is a 400 in OpenAI shape', async () => {
  const answer = await post(llmux.url, '/v1/chat/completions', '{"model": "gpt-test", "messages": [');
  assertOpenAiError(answer, 400);
});

test('a chat request without messages is a 400 naming messages', async () => {
  const answer = await chat(llmux.url, { model: 'gpt-test' });
  const error = assertOpenAiError(answer, 400, { param: 'messages' });
  assert.match(error.message, /Missing required parameter: 'messages'/);
  const prefixes = error.message.split('/chat/completions:').length - 1;
  assert.ok(prefixes <= 1, `the route prefix is repeated: ${error.message}`);
});

test('a request without model is a 400 with param "model"', async () => {
  const answer = await chat(llmux.url, { messages: simpleMessages });
  assertOpenAiError(answer, 400, { param: 'model' });
});

test('an unknown model is a 400 with LiteLLM\'s "Invalid model name" message', async () => {
  const answer = await chat(llmux.url, { model: 'no-such-model', messages: simpleMessages });
  const error = assertOpenAiError(answer, 400);
  assert.ok(error.message.includes('Invalid model name passed in model=no-such-model'), error.message);
  assert.match(answer.headers.get('x-litellm-call-id') ?? '', UUID_V4);
});

test('a body under max_request_size_mb is served', async () => {
  const limit = 0.01 * 1024 * 1024;
  const small = await chat(llmux.url, { model: 'gpt-test', messages: [{ role: 'user', content: 'x'.repeat(limit / 2) }] });
  assert.equal(small.status, 200, small.text.slice(0, 300));
});

test('a Content-Length over max_request_size_mb is a 413 in OpenAI shape, before the body is read', async () => {
  // Headers only: the length alone must be enough to refuse, and nothing is left unread to reset the socket.
  const raw = await openRawSocket(llmux.port);
  await raw.write(
    'POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${1024 * 1024}\r\n\r\n`,
  );
  assert.ok(await raw.waitFor(/\r\n\r\n[\s\S]*\}\s*$/, 5_000), `no complete response: ${JSON.stringify(raw.received)}`);
  raw.end();
  const [response] = parseHttpResponses(raw.received);
  assert.ok(response, `unparseable response: ${JSON.stringify(raw.received)}`);
  let json = null;
  try { json = JSON.parse(response.body); } catch { /* checked below */ }
  assertOpenAiError(
    { status: response.status, headers: new Headers(response.headers), text: response.body, json },
    413,
  );
});

test('a client sending a body far over max_request_size_mb reads the 413 (the connection is not reset under it)', async () => {
  await mock.clearRequests();
  let answer;
  try {
    answer = await chat(llmux.url, { model: 'gpt-test', messages: [{ role: 'user', content: 'x'.repeat(300_000) }] });
  } catch (e) {
    assert.fail(`the client could not read a response: ${e.message} (${e.cause?.code ?? e.cause})`);
  }
  assertOpenAiError(answer, 413);
  assert.equal((await mock.requests()).length, 0, 'an oversized body must not reach the upstream');
});

test('a wrong method is a 405 and an unknown path a 404, both in OpenAI shape', async () => {
  assertOpenAiError(await get(llmux.url, '/v1/chat/completions'), 405);
  assertOpenAiError(await post(llmux.url, '/v1/models', {}), 405);
  assertOpenAiError(await get(llmux.url, '/v1/no-such-route'), 404);
  assertOpenAiError(await post(llmux.url, '/v2/chat/completion', { model: 'gpt-test' }), 404);
});

test('an upstream error comes back with its status, its message intact and what was tried', async () => {
  const answer = await chat(llmux.url, { model: 'broken-upstream', messages: simpleMessages });
  const error = assertOpenAiError(answer, 500);
  assert.ok(error.message.includes('broken-upstream[openai/broken]'), error.message);
  assert.ok(
    error.message.includes('The server had an error while processing your request. Sorry about that!'),
    `the upstream's error message should be quoted intact: ${JSON.stringify(error.message)}`,
  );
  assert.doesNotMatch(error.message, /[\u0000-\u0009\u000b-\u001f\ufffd]/, `garbage in: ${JSON.stringify(error.message)}`);
});

test('the mock/ provider answers in-process: no upstream call', async () => {
  const before = await mockRequestCount();
  const answer = await chat(llmux.url, { model: 'canned', messages: simpleMessages });
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.json.object, 'chat.completion');
  assertOpenAiShape('CreateChatCompletionResponse', answer.json);
  assert.equal(answer.json.choices[0].message.content, 'Canned answer from the mock provider');
  assert.equal(await mockRequestCount(), before, 'the mock upstream was called');
});

test('a per-request mock_response answers without calling the upstream', async () => {
  const before = await mockRequestCount();
  const answer = await chat(llmux.url, { model: 'gpt-test', messages: simpleMessages, mock_response: 'Per-request canned' });
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.json.choices[0].message.content, 'Per-request canned');
  assertOpenAiShape('CreateChatCompletionResponse', answer.json);
  assert.equal(await mockRequestCount(), before, 'the mock upstream was called');
});

test('drop_params: false — a param vLLM rejects is a 400 UnsupportedParamsError, and nothing goes upstream', async () => {
  const before = await mockRequestCount();
  const answer = await chat(llmux.url, { model: 'vllm-model', messages: simpleMessages, service_tier: 'flex' });
  const error = assertOpenAiError(answer, 400);
  assert.match(error.message, /UnsupportedParamsError/);
  assert.match(error.message, /service_tier/);
  assert.equal(await mockRequestCount(), before, 'the rejected request reached the upstream');
});

test('drop_params: true — the same request succeeds and the upstream body lacks the param', async () => {
  await mock.clearRequests();
  const answer = await chat(lenient.url, {
    model: 'vllm-model', messages: simpleMessages, service_tier: 'flex', temperature: 0.25,
  });
  assert.equal(answer.status, 200, answer.text);
  const upstream = await onlyUpstreamRequest();
  assert.ok(!('service_tier' in upstream.json), `service_tier reached the upstream: ${upstream.body}`);
  assert.equal(upstream.json.temperature, 0.25);
  assert.deepEqual(upstream.json.messages, simpleMessages);
});

test('gateway control fields never reach the upstream; unknown fields do', async () => {
  const controls = {
    fallbacks: ['canned'],
    context_window_fallbacks: [{ model: 'canned' }],
    content_policy_fallbacks: ['canned'],
    num_retries: 1,
    max_retries: 1,
    timeout: 30,
    stream_timeout: 20,
    disable_fallbacks: false,
    max_fallbacks: 2,
    mock_testing_fallbacks: false,
    mock_testing_context_fallbacks: false,
    mock_testing_content_policy_fallbacks: 'false',
    mock_testing_rate_limit_error: false,
    mock_timeout: false,
    tags: ['team-a'],
  };
  await mock.clearRequests();
  const answer = await chat(llmux.url, {
    model: 'gpt-test', messages: simpleMessages, ...controls, x_custom_field: 7, user: 'u-1', temperature: 0.5,
  });
  assert.equal(answer.status, 200, answer.text);
  const upstream = await onlyUpstreamRequest();
  for (const key of Object.keys(controls)) {
    assert.ok(!(key in upstream.json), `${key} reached the upstream: ${upstream.body}`);
  }
  assert.equal(upstream.json.x_custom_field, 7);
  assert.equal(upstream.json.user, 'u-1');
  assert.equal(upstream.json.temperature, 0.5);
  assert.equal(upstream.json.model, 'upstream-model-x');
});
