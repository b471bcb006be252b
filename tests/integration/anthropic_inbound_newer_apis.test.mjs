// /v1/messages as today's Anthropic clients use it, in front of OpenAI-compatible deployments:
// a streamed message_start reports the prompt's estimated input tokens (the count_tokens estimate)
// and message_delta the upstream's real count, which alone is charged; structured output
// (`output_config.format`, the older `output_format`) becomes `response_format: json_schema`;
// fields of newer APIs that only Anthropic can honour (server-held threads, containers, MCP
// servers, server tools, file_id sources, …) are refused by name — unless the group has an
// Anthropic deployment, which then alone serves the request, with the body as sent.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { startMock, startLlmux, readSse, toYaml, waitFor, routeEntries } from '../lib/harness.mjs';

const MASTER = 'sk-master-newer-apis';
const claudeModel = 'claude-3-5-sonnet-20241022';
const vllmModel = 'meta-llama/Llama-3.1-8B-Instruct';
const auth = { authorization: `Bearer ${MASTER}` };
const question = 'Summarise the plot of Hamlet in one sentence, please.';
const schema = {
  type: 'object',
  properties: { summary: { type: 'string' }, characters: { type: 'array', items: { type: 'string' } } },
  required: ['summary', 'characters'],
  additionalProperties: false,
};

let mock;
let llmux;

const claude = (group, marker) => ({
  model_name: group,
  litellm_params: { model: `anthropic/${claudeModel}`, api_base: `${mock.url}/${marker}`, api_key: 'sk-ant-up' },
  model_info: { id: marker },
});
const vllm = (group, marker) => ({
  model_name: group,
  litellm_params: { model: `openai/${vllmModel}`, api_base: `${mock.url}/${marker}/v1`, api_key: 'sk-vllm' },
  model_info: { id: marker },
});

before(async () => {
  mock = await startMock();
  llmux = await startLlmux(toYaml({
    model_list: [
      vllm('na-vllm', 'na-vllm'),
      claude('na-claude', 'na-claude'),
      // One group, both kinds: a request only Anthropic can serve must go to na-mixed-claude.
      vllm('na-mixed', 'na-mixed-vllm'),
      claude('na-mixed', 'na-mixed-claude'),
    ],
    router_settings: { num_retries: 0 },
    general_settings: { master_key: MASTER },
  }));
});

async function post(path, body, headers = {}) {
  const response = await fetch(`${llmux.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...auth, ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* a stream, or not JSON */ }
  return { status: response.status, headers: response.headers, text, json };
}

async function stream(body) {
  const response = await fetch(`${llmux.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', ...auth },
    body: JSON.stringify({ ...body, stream: true }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const events = (await readSse(response)).map((e) => ({ event: e.event, data: JSON.parse(e.data) }));
  return { response, events };
}

const upstreamBodies = async (marker) =>
  (await mock.requests()).filter((r) => r.path.startsWith(`/${marker}/`)).map((r) => JSON.parse(r.body));

function assertRefused(r, field) {
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json?.type, 'error', r.text);
  assert.equal(r.json.error.type, 'invalid_request_error', r.text);
  assert.ok(r.json.error.message.startsWith(`${field}: `) || r.json.error.message.includes(`'${field}`) ||
    r.json.error.message.includes(field), `${field} is named: ${r.json.error.message}`);
}

// ---- 1. Usage in a translated stream ----

test('a translated stream: message_start has the count_tokens estimate, message_delta the upstream count', async () => {
  const body = { model: 'na-vllm', max_tokens: 64, system: 'Be brief.', messages: [{ role: 'user', content: question }] };
  const estimate = await post('/v1/messages/count_tokens', body);
  assert.equal(estimate.status, 200, estimate.text);
  assert.equal(estimate.json.estimated, true);

  const { response, events } = await stream(body);
  const start = events.find((e) => e.event === 'message_start').data.message;
  const delta = events.find((e) => e.event === 'message_delta').data;
  assert.ok(start.usage.input_tokens > 0, JSON.stringify(start.usage));
  assert.equal(start.usage.input_tokens, estimate.json.input_tokens, 'the same estimate count_tokens gives');
  // The mock counts ceil(bytes / 4) over the system and message text: the upstream's number.
  const real = Math.ceil(('Be brief.'.length + question.length) / 4);
  assert.notEqual(real, estimate.json.input_tokens, 'the test tells the estimate from the real count');
  assert.equal(delta.usage.input_tokens, real);
  assert.ok(delta.usage.output_tokens > 0);

  // Charged (and logged) with the upstream's count, never the estimate.
  const callId = response.headers.get('x-litellm-call-id');
  const row = await waitFor(async () => {
    const logs = await (await fetch(`${llmux.url}/spend/logs`, { headers: auth })).json();
    return logs.find((r) => r.request_id === callId);
  });
  assert.ok(row, 'the stream is logged');
  assert.equal(row.prompt_tokens, real);
  assert.equal(row.completion_tokens, delta.usage.output_tokens);
});

test('a stream from an Anthropic deployment keeps its own usage in message_start', async () => {
  const { events } = await stream({ model: 'na-claude', max_tokens: 64, messages: [{ role: 'user', content: question }] });
  const start = events.find((e) => e.event === 'message_start').data.message;
  assert.equal(start.usage.input_tokens, Math.ceil(question.length / 4), 'the mock\'s count, passed through');
});

// ---- 2. Structured output ----

for (const [name, field] of [['output_config.format', (format) => ({ output_config: { format } })],
  ['output_format (beta)', (format) => ({ output_format: format })]]) {
  test(`${name} becomes response_format json_schema for an OpenAI-compatible deployment`, async () => {
    const r = await post('/v1/messages', {
      model: 'na-vllm', max_tokens: 64, messages: [{ role: 'user', content: question }],
      ...field({ type: 'json_schema', schema }),
    });
    assert.equal(r.status, 200, r.text);
    const sent = (await upstreamBodies('na-vllm')).at(-1);
    assert.deepEqual(sent.response_format, {
      type: 'json_schema', json_schema: { name: 'structured_output', schema, strict: true },
    });
    assert.equal(sent.output_config, undefined);
    assert.equal(sent.output_format, undefined);
  });
}

test('structured output reaches an Anthropic deployment untouched', async () => {
  const body = {
    model: 'na-claude', max_tokens: 64, messages: [{ role: 'user', content: question }],
    output_config: { format: { type: 'json_schema', schema }, effort: 'low' },
  };
  const r = await post('/v1/messages', body, { 'anthropic-beta': 'structured-outputs-2025-11-13' });
  assert.equal(r.status, 200, r.text);
  const sent = (await upstreamBodies('na-claude')).at(-1);
  assert.deepEqual(sent, { ...body, model: claudeModel });
  assert.equal((await mock.requests()).filter((q) => q.path.startsWith('/na-claude/')).at(-1).headers['anthropic-beta'],
    'structured-outputs-2025-11-13');
});

test('a malformed structured output is a 400 in Anthropic\'s shape, for every deployment', async () => {
  const cases = [
    [{ output_config: { format: { type: 'json_schema', schema: 'not an object' } } }, 'output_config.format.schema'],
    [{ output_config: { format: { type: 'json_schema' } } }, 'output_config.format.schema'],
    [{ output_config: { format: { type: 'regex', schema } } }, 'output_config.format.type'],
    [{ output_config: { format: ['json_schema'] } }, 'output_config.format'],
    [{ output_config: 'json' }, 'output_config'],
    [{ output_format: { type: 'json_schema', schema: [1, 2] } }, 'output_format.schema'],
    [{ output_format: 42 }, 'output_format'],
  ];
  for (const model of ['na-vllm', 'na-claude']) {
    for (const [extra, field] of cases) {
      const r = await post('/v1/messages', { model, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], ...extra });
      assert.equal(r.status, 400, `${model} ${JSON.stringify(extra)}: ${r.text}`);
      assert.equal(r.json.type, 'error');
      assert.equal(r.json.error.type, 'invalid_request_error');
      assert.ok(r.json.error.message.startsWith(`${field}: Input should be`), `${field}: ${r.json.error.message}`);
    }
  }
  const both = await post('/v1/messages', {
    model: 'na-vllm', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }],
    output_format: { type: 'json_schema', schema }, output_config: { format: { type: 'json_schema', schema } },
  });
  assert.equal(both.status, 400, both.text);
  assert.match(both.json.error.message, /Both output_format and output_config.format were provided/);
});

// ---- 3. What only Anthropic can honour ----

const anthropicOnly = [
  ['thread', { thread: { type: 'create' } }],
  ['container', { container: 'container_011CZ' }],
  ['mcp_servers', { mcp_servers: [{ type: 'url', url: 'https://mcp.example.com/sse', name: 'example' }] }],
  ['context_management', { context_management: { edits: [{ type: 'clear_tool_uses_20250919' }] } }],
  ['compaction', { compaction: { type: 'enabled' } }],
  ['fallback_credit_token', { fallback_credit_token: 'fct_0123' }],
  ['inference_geo', { inference_geo: 'eu' }],
  ['billing_policy', { billing_policy: { type: 'billing_policy', bill_to: 'user_profile' } }],
  ['web_search_20250305', { tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 3 }] }],
  ['code_execution_20250825', { tools: [{ type: 'code_execution_20250825', name: 'code_execution' }] }],
  ['memory_20250818', { tools: [{ type: 'memory_20250818', name: 'memory' }] }],
  ['mcp_toolset', { tools: [{ type: 'mcp_toolset', mcp_server_name: 'example' }] }],
  ['file', { messages: [{ role: 'user', content: [
    { type: 'document', source: { type: 'file', file_id: 'file_011CNha8iCJcU1wXNR6q4V8w' } },
    { type: 'text', text: 'Summarise this file.' }] }] }],
  ['container_upload', { messages: [{ role: 'user', content: [
    { type: 'container_upload', file_id: 'file_011' }, { type: 'text', text: 'Analyse it.' }] }] }],
  ['server_tool_use', { messages: [
    { role: 'user', content: 'Search the news.' },
    { role: 'assistant', content: [{ type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'news' } }] },
    { role: 'user', content: 'And?' }] }],
];

test('fields and blocks only Anthropic can honour: refused by name for an OpenAI-compatible group, nothing sent', async () => {
  const before = (await upstreamBodies('na-vllm')).length;
  for (const [field, extra] of anthropicOnly) {
    const r = await post('/v1/messages', { model: 'na-vllm', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], ...extra });
    assertRefused(r, field);
    assert.match(r.json.error.message, /OpenAI-compatible deployment/, r.json.error.message);
  }
  assert.equal((await upstreamBodies('na-vllm')).length, before, 'no refused request reached the upstream');
});

test('the same requests reach an Anthropic deployment as sent', async () => {
  for (const [field, extra] of anthropicOnly) {
    const body = { model: 'na-claude', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], ...extra };
    const r = await post('/v1/messages', body);
    // The mock checks what the real API checks first; it takes each of these.
    assert.equal(r.status, 200, `${field}: ${r.text}`);
    assert.deepEqual((await upstreamBodies('na-claude')).at(-1), { ...body, model: claudeModel }, field);
  }
});

test('a group with both kinds: a request only Anthropic can serve goes to its Anthropic deployment only', async () => {
  for (let i = 0; i < 6; i++) {
    const r = await post('/v1/messages', {
      model: 'na-mixed', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }], thread: { type: 'create' },
    });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(routeEntries(r.headers).map((e) => e.outcome), ['ok']);
    assert.equal(r.headers.get('x-litellm-model-id'), 'na-mixed-claude');
  }
  // A plain request may still go to either.
  const seen = new Set();
  for (let i = 0; i < 24 && seen.size < 2; i++) {
    const r = await post('/v1/messages', { model: 'na-mixed', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] });
    assert.equal(r.status, 200, r.text);
    seen.add(r.headers.get('x-litellm-model-id'));
  }
  assert.deepEqual([...seen].sort(), ['na-mixed-claude', 'na-mixed-vllm']);
});

test('what a translation may ignore is ignored, and what it maps is mapped', async () => {
  const r = await post('/v1/messages', {
    model: 'na-vllm', max_tokens: 16,
    messages: [{ role: 'user', content: [
      { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'The sky is green here.' } },
      { type: 'text', text: 'What colour is the sky?' }] }],
    service_tier: 'standard_only', speed: 'fast', cache_control: { type: 'ephemeral' },
    diagnostics: { previous_message_id: 'msg_1' }, billing_policy: { type: 'billing_policy', bill_to: 'self' },
    output_config: { effort: 'high' }, mcp_servers: [], thread: null,
    tools: [{ name: 'lookup', input_schema: { type: 'object', properties: {} }, strict: true }],
  });
  assert.equal(r.status, 200, r.text);
  const sent = (await upstreamBodies('na-vllm')).at(-1);
  assert.deepEqual(sent.messages, [{ role: 'user', content: 'The sky is green here.\nWhat colour is the sky?' }]);
  assert.equal(sent.tools[0].function.strict, true);
  for (const key of ['service_tier', 'speed', 'cache_control', 'diagnostics', 'billing_policy', 'output_config',
    'mcp_servers', 'thread', 'response_format']) {
    assert.equal(sent[key], undefined, `${key} is not sent`);
  }
});
