// The Responses API's state through the real binary: pass-through to deployments that speak the
// API (model_info.supported_endpoints), the response store behind previous_response_id, and
// GET / DELETE / input_items / cancel — against tools/mock-upstream's /responses wire (which keeps
// state like OpenAI) and its chat wire (bridged deployments).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMock, startLlmux, readSse, routeEntries, waitFor } from '../lib/harness.mjs';
import { assertOpenAiShape } from '../lib/openai_schema.mjs';
import { startScriptedUpstream } from '../lib/scripted_upstream.mjs';

const MASTER = 'sk-master-rstate';
const NATIVE = { supported_endpoints: ['/v1/chat/completions', '/v1/responses'] };

let mock;
let otherMock;  // a second upstream: its encrypted reasoning is not the first one's
let hostile;
let llmux;

function deployment(group, marker, { native = false, fault, upstream = mock, extra = {}, info = {} } = {}) {
  const faultSegment = fault ? `/fault/${fault}` : '';
  return {
    model_name: group,
    litellm_params: { model: 'openai/mock-model', api_base: `${upstream.url}/${marker}${faultSegment}/v1`, api_key: 'sk-up-secret-123', ...extra },
    model_info: { id: marker, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002, ...(native ? NATIVE : {}), ...info },
  };
}

before(async () => {
  mock = await startMock();
  otherMock = await startMock();
  hostile = await startScriptedUpstream((request) => {
    if (request.json?.input === 'malformed') {
      return { sse: [
        { event: 'response.created', data: { type: 'response.created', response: { id: 'resp_h1', status: 'in_progress' } } },
        { event: 'response.output_text.delta', data: 'not json at all' },
        { data: { no_type: true } },
        { event: 'response.output_text.delta', data: { type: 'response.output_text.delta', delta: 'x' } },
      ] };  // and the stream ends without response.completed
    }
    return { json: { id: 'resp_h2', object: 'response', status: 'failed', error: { code: 'server_error', message: 'boom sk-up-secret-123' } } };
  });
  const config = {
    model_list: [
      deployment('native', 'nat', { native: true }),
      deployment('bridged', 'brg'),
      deployment('pair', 'pair-a', { native: true }),
      deployment('pair', 'pair-b', { native: true }),
      deployment('native-down', 'natdown', { native: true, fault: 'status=503' }),
      deployment('no-final', 'nofinal', { native: true, fault: 'no_final_event,chunk_delay_ms=20' }),
      deployment('fails-inside', 'failsin', { native: true, fault: 'response_failed=server_error,chunk_delay_ms=20' }),
      deployment('think', 'think-a', { native: true }),
      deployment('think', 'think-b', { native: true, upstream: otherMock }),
      { model_name: 'hostile', litellm_params: { model: 'openai/h', api_base: `${hostile.url}/v1`, api_key: 'sk-up-secret-123' }, model_info: { id: 'hostile', ...NATIVE } },
    ],
    router_settings: { num_retries: 0, fallbacks: [{ 'native-down': ['bridged'] }] },
    general_settings: { master_key: MASTER },
  };
  llmux = await startLlmux(JSON.stringify(config));
});

after(async () => {
  await llmux?.stop();
  await mock?.stop();
  await otherMock?.stop();
});

async function request(method, path, { body, key = MASTER, gateway = llmux } = {}) {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (body?.stream && response.status === 200) return { status: 200, headers: response.headers, events: await readSse(response) };
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* asserted by the caller */ }
  return { status: response.status, headers: response.headers, text, json };
}
const create = (body, options) => request('POST', '/v1/responses', { body, ...options });

async function mockRequestsTo(upstream, marker) {
  return (await upstream.requests()).filter((r) => r.path.includes(`/${marker}/`));
}
function eventsOf(stream) {
  return stream.events.filter((e) => e.data && e.data !== '[DONE]').map((e) => JSON.parse(e.data));
}

test('pass-through, whole: the client body reaches {api_base}/responses spliced, the answer comes back as it was', async () => {
  const answer = await create({ model: 'native', input: 'hello native', metadata: { purpose: 'demo' }, num_retries: 0, temperature: 0.5 });
  assert.equal(answer.status, 200, answer.text);
  assertOpenAiShape('Response', answer.json);
  assert.match(answer.json.id, /^resp_mock_/, 'the upstream id, untouched');
  assert.equal(answer.json.output.at(-1).content[0].text, 'Mock reply to: hello native');
  assert.deepEqual(routeEntries(answer.headers).map((e) => e.outcome), ['ok']);
  const [sent] = await mockRequestsTo(mock, 'nat');
  assert.equal(sent.path, '/nat/v1/responses');
  const body = JSON.parse(sent.body);
  assert.equal(body.model, 'mock-model');
  assert.equal(body.temperature, 0.5);
  assert.equal(body.num_retries, undefined, 'gateway fields never reach the upstream');
  assert.deepEqual(body.metadata, { purpose: 'demo' }, "the Responses API's own metadata is forwarded");
  assert.deepEqual(answer.json.metadata, { purpose: 'demo' });
  assert.equal(sent.headers.authorization, 'Bearer sk-up-secret-123');
});

test('pass-through, streamed: events forwarded in order with the upstream sequence numbers', async () => {
  const stream = await create({ model: 'native', input: 'stream native', stream: true });
  assert.equal(stream.status, 200);
  const events = eventsOf(stream);
  assert.equal(events[0].type, 'response.created');
  assert.equal(events.at(-1).type, 'response.completed');
  assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i));
  assert.equal(events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta).join(''), 'Mock reply to: stream native');
  assertOpenAiShape('Response', events.at(-1).response);
  assert.ok(stream.events.every((e) => e.event === JSON.parse(e.data).type), 'event: lines kept');
});

test('a failing native deployment falls back to a bridged group, which answers through the bridge', async () => {
  const answer = await create({ model: 'native-down', input: 'fall back please' });
  assert.equal(answer.status, 200, answer.text);
  assertOpenAiShape('Response', answer.json);
  assert.doesNotMatch(answer.json.id, /^resp_mock_/, 'the bridge made this Response');
  assert.deepEqual(routeEntries(answer.headers).map((e) => `${e.group}:${e.outcome}`).map((s) => s.split(':')[0]), ['native-down', 'bridged']);
  const sent = await mockRequestsTo(mock, 'brg');
  assert.ok(sent.some((r) => r.path === '/brg/v1/chat/completions' && r.body.includes('fall back please')));
});

test('previous_response_id on a pass-through deployment is pinned to the deployment that made it', async () => {
  for (let i = 0; i < 4; i += 1) {
    await mock.clearRequests();
    const first = await create({ model: 'pair', input: `remember ${i}` });
    assert.equal(first.status, 200, first.text);
    const maker = (await mockRequestsTo(mock, 'pair-a')).length ? 'pair-a' : 'pair-b';
    await mock.clearRequests();
    const next = await create({ model: 'pair', input: 'and then?', previous_response_id: first.json.id });
    assert.equal(next.status, 200, next.text);
    assert.equal(next.json.previous_response_id, first.json.id);
    const [sent] = await mockRequestsTo(mock, maker);
    assert.ok(sent, `the follow-up went to ${maker}`);
    assert.equal(JSON.parse(sent.body).previous_response_id, first.json.id, 'the id is forwarded, not expanded');
  }
});

test('previous_response_id on a bridged deployment prepends the stored history', async () => {
  const first = await create({ model: 'bridged', input: 'my name is Ada', instructions: 'be brief' });
  assert.equal(first.status, 200, first.text);
  await mock.clearRequests();
  const next = await create({ model: 'bridged', input: [{ role: 'user', content: 'what is my name?' }], previous_response_id: first.json.id });
  assert.equal(next.status, 200, next.text);
  assertOpenAiShape('Response', next.json);
  const [sent] = await mockRequestsTo(mock, 'brg');
  const messages = JSON.parse(sent.body).messages;
  assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant', 'user']);
  assert.match(JSON.stringify(messages[0].content), /my name is Ada/);
  assert.match(JSON.stringify(messages[1].content), /Mock reply to: my name is Ada/);
  // The third turn sees both earlier ones.
  const third = await create({ model: 'bridged', input: 'and again', previous_response_id: next.json.id, stream: true });
  assert.equal(third.status, 200);
  const items = await request('GET', `/v1/responses/${next.json.id}/input_items?order=asc`);
  assert.equal(items.status, 200, items.text);
  assert.deepEqual(items.json.data.map((item) => item.role), ['user', 'assistant', 'user']);
  assert.ok(items.json.data.every((item) => typeof item.id === 'string'));
});

test('item_reference to a stored bridged item is resolved (the Vercel AI SDK under store: true); another key\'s is not', async () => {
  const keyA = (await request('POST', '/key/generate', { body: {} })).json.key;
  const keyB = (await request('POST', '/key/generate', { body: {} })).json.key;
  const first = await create({ model: 'bridged', input: 'remember the word teal' }, { key: keyA });
  assert.equal(first.status, 200, first.text);
  const message = first.json.output.find((item) => item.type === 'message');
  await mock.clearRequests();
  const input = [
    { role: 'user', content: 'remember the word teal' },
    { type: 'item_reference', id: message.id },
    { role: 'user', content: 'which word?' },
  ];
  const next = await create({ model: 'bridged', input }, { key: keyA });
  assert.equal(next.status, 200, next.text);
  assertOpenAiShape('Response', next.json);
  const [sent] = await mockRequestsTo(mock, 'brg');
  const messages = JSON.parse(sent.body).messages;
  assert.deepEqual(messages.map((m) => m.role), ['user', 'assistant', 'user']);
  assert.match(JSON.stringify(messages[1].content), /Mock reply to: remember the word teal/);
  // Another key cannot read A's items through a reference: refused by name, nothing sent.
  await mock.clearRequests();
  const asB = await create({ model: 'bridged', input }, { key: keyB });
  assert.equal(asB.status, 400, asB.text);
  assert.equal(asB.json.error.param, 'input[1]');
  assert.match(asB.json.error.message, /item_reference/);
  assert.equal((await mockRequestsTo(mock, 'brg')).length, 0);
});

test('GET, input_items, cancel and DELETE of a bridged response are served from the store', async () => {
  const made = await create({ model: 'bridged', input: [{ role: 'user', content: 'one' }, { role: 'user', content: 'two' }, { role: 'user', content: 'three' }] });
  assert.equal(made.status, 200, made.text);
  const got = await request('GET', `/v1/responses/${made.json.id}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.json, made.json);
  const page = await request('GET', `/responses/${made.json.id}/input_items?limit=2`);
  assert.equal(page.status, 200, page.text);
  assert.deepEqual(page.json.data.map((item) => item.content[0].text), ['three', 'two'], 'newest first by default');
  assert.equal(page.json.has_more, true);
  const rest = await request('GET', `/v1/responses/${made.json.id}/input_items?limit=2&after=${page.json.last_id}`);
  assert.deepEqual(rest.json.data.map((item) => item.content[0].text), ['one']);
  assert.equal(rest.json.has_more, false);
  for (const bad of ['limit=0', 'limit=101', 'limit=x', 'order=up']) {
    const refused = await request('GET', `/v1/responses/${made.json.id}/input_items?${bad}`);
    assert.equal(refused.status, 400, bad);
    assertOpenAiShape('ErrorResponse', refused.json);
  }
  const cancel = await request('POST', `/v1/responses/${made.json.id}/cancel`);
  assert.equal(cancel.status, 400);
  assert.match(cancel.json.error.message, /background=true/);
  const removed = await request('DELETE', `/v1/responses/${made.json.id}`);
  assert.equal(removed.status, 200);
  assert.deepEqual(removed.json, { id: made.json.id, object: 'response', deleted: true });
  const gone = await request('GET', `/v1/responses/${made.json.id}`);
  assert.equal(gone.status, 404);
  assertOpenAiShape('ErrorResponse', gone.json);
  assert.equal((await request('DELETE', `/v1/responses/${made.json.id}`)).status, 404);
  const unknown = await request('GET', '/v1/responses/resp_nope');
  assert.equal(unknown.status, 404);
  assert.equal((await request('GET', '/v1/responses/bad%20id')).status, 404);
  assert.equal((await request('PUT', `/v1/responses/${made.json.id}`)).status, 405);
});

test('GET, input_items, cancel and DELETE of a passed-through response go to the deployment that made it', async () => {
  const made = await create({ model: 'native', input: 'keep me' });
  const background = await create({ model: 'native', input: 'slowly', background: true });
  assert.equal(background.json.status, 'in_progress');
  await mock.clearRequests();
  const got = await request('GET', `/v1/responses/${made.json.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.json.id, made.json.id);
  const items = await request('GET', `/v1/responses/${made.json.id}/input_items?limit=5&order=asc`);
  assert.equal(items.status, 200, items.text);
  assert.equal(items.json.data[0].content[0].text, 'keep me');
  const refusedCancel = await request('POST', `/v1/responses/${made.json.id}/cancel`);
  assert.equal(refusedCancel.status, 400, 'the upstream refusal, relayed');
  const cancelled = await request('POST', `/v1/responses/${background.json.id}/cancel`);
  assert.equal(cancelled.status, 200, cancelled.text);
  assert.equal(cancelled.json.status, 'cancelled');
  const forwarded = (await mockRequestsTo(mock, 'nat')).map((r) => `${r.method} ${r.path}`);
  assert.deepEqual(forwarded, [
    `GET /nat/v1/responses/${made.json.id}`,
    `GET /nat/v1/responses/${made.json.id}/input_items?limit=5&order=asc`,
    `POST /nat/v1/responses/${made.json.id}/cancel`,
    `POST /nat/v1/responses/${background.json.id}/cancel`,
  ]);
  const removed = await request('DELETE', `/v1/responses/${made.json.id}`);
  assert.equal(removed.status, 200);
  assert.equal(removed.json.deleted, true);
  assert.equal((await request('GET', `/v1/responses/${made.json.id}`)).status, 404);
});

test("a virtual key sees only its own responses; another key's id is a 404 like an unknown one", async () => {
  const keyA = (await request('POST', '/key/generate', { body: {} })).json.key;
  const keyB = (await request('POST', '/key/generate', { body: {} })).json.key;
  const made = await create({ model: 'bridged', input: 'secret of A' }, { key: keyA });
  assert.equal(made.status, 200, made.text);
  assert.equal((await request('GET', `/v1/responses/${made.json.id}`, { key: keyA })).status, 200);
  const asB = await request('GET', `/v1/responses/${made.json.id}`, { key: keyB });
  const unknown = await request('GET', '/v1/responses/resp_0000', { key: keyB });
  assert.equal(asB.status, 404);
  assert.equal(asB.json.error.message.replace(made.json.id, 'ID'), unknown.json.error.message.replace('resp_0000', 'ID'));
  assert.equal((await request('DELETE', `/v1/responses/${made.json.id}`, { key: keyB })).status, 404);
  assert.equal((await request('GET', `/v1/responses/${made.json.id}/input_items`, { key: keyB })).status, 404);
  const followUp = await create({ model: 'bridged', input: 'tell me', previous_response_id: made.json.id }, { key: keyB });
  assert.equal(followUp.status, 404);
  assert.equal(followUp.json.error.code, 'previous_response_not_found');
  assert.equal(followUp.json.error.param, 'previous_response_id');
  assert.equal((await request('GET', `/v1/responses/${made.json.id}`)).status, 200, 'the master key sees all');
  assert.equal((await request('GET', `/v1/responses/${made.json.id}`, { key: keyA })).status, 200, 'still there for A');
});

test('store: false keeps nothing; an unknown previous_response_id is previous_response_not_found', async () => {
  const made = await create({ model: 'bridged', input: 'forget me', store: false });
  assert.equal(made.status, 200);
  assert.equal((await request('GET', `/v1/responses/${made.json.id}`)).status, 404);
  const followUp = await create({ model: 'bridged', input: 'x', previous_response_id: made.json.id });
  assert.equal(followUp.status, 404);
  assert.equal(followUp.json.error.code, 'previous_response_not_found');
  assert.equal(followUp.json.error.message, `Previous response with id '${made.json.id}' not found.`);
  const streamed = await create({ model: 'native', input: 'forget me too', store: false, stream: true });
  const id = eventsOf(streamed).at(-1).response.id;
  assert.equal((await request('GET', `/v1/responses/${id}`)).status, 404);
  const wrongType = await create({ model: 'bridged', input: 'x', previous_response_id: 7 });
  assert.equal(wrongType.status, 400);
});

test('encrypted reasoning goes back to the deployment that produced it', async () => {
  for (let i = 0; i < 4; i += 1) {
    const first = await create({ model: 'think', input: `think ${i}`, reasoning: { effort: 'low' }, include: ['reasoning.encrypted_content'], store: false });
    assert.equal(first.status, 200, first.text);
    const reasoning = first.json.output.find((item) => item.type === 'reasoning');
    assert.ok(reasoning.encrypted_content);
    // Stateless follow-up (store: false on the turn, so no previous_response_id): the items alone.
    const next = await create({
      model: 'think',
      input: [{ role: 'user', content: `think ${i}` }, reasoning, ...first.json.output.filter((item) => item.type === 'message'), { role: 'user', content: 'go on' }],
      include: ['reasoning.encrypted_content'],
    });
    assert.equal(next.status, 200, `another deployment would refuse the encrypted item: ${next.text}`);
  }
});

test('a hostile upstream: a failed Response in a 200, malformed events, a stream that never completes', async () => {
  const failed = await create({ model: 'hostile', input: 'whole' });
  assert.equal(failed.status, 500, failed.text);
  assertOpenAiShape('ErrorResponse', failed.json);
  assert.match(failed.json.error.message, /boom/);
  assert.doesNotMatch(failed.text, /sk-up-secret-123/, 'the key is redacted from what the upstream quoted');
  // Everything in one read, ending before response.completed: nothing reached the client yet, so
  // it is a failure like any other (an error status), never a 200 that hides it.
  const malformed = await create({ model: 'hostile', input: 'malformed', stream: true });
  assert.equal(malformed.status, 502, malformed.text);
  assertOpenAiShape('ErrorResponse', malformed.json);
  assert.match(malformed.json.error.message, /ended before response.completed/);
  const insideFailure = await create({ model: 'fails-inside', input: 'x' });
  assert.equal(insideFailure.status, 500);
  const streamedFailure = await create({ model: 'fails-inside', input: 'x', stream: true });
  assert.equal(streamedFailure.status, 200);
  assert.equal(eventsOf(streamedFailure).at(-1).type, 'response.failed', "the upstream's own failure event, as it came");
  const noFinal = await create({ model: 'no-final', input: 'x', stream: true });
  assert.equal(noFinal.status, 200);
  const events = eventsOf(noFinal);
  assert.equal(events.at(-1).type, 'error');
  assert.notEqual(events.at(-2).type, 'response.completed');
});

test('a pinned deployment that is gone: the follow-up is bridged from the stored history; reads come from the store', async () => {
  const dir = (await import('node:fs')).mkdtempSync((await import('node:path')).join((await import('node:os')).tmpdir(), 'llmux-rstate-'));
  const db = `${dir}/llmux.db`;
  const both = {
    model_list: [deployment('held', 'held-native', { native: true }), deployment('held-other', 'held-bridged')],
    general_settings: { master_key: MASTER },
  };
  const first = await (async () => {
    const gateway = await startLlmux(JSON.stringify(both), { args: ['--db', db] });
    try {
      return await create({ model: 'held', input: 'the secret word is plum' }, { gateway });
    } finally {
      await gateway.stop();
    }
  })();
  assert.equal(first.status, 200, first.text);
  assert.match(first.json.id, /^resp_mock_/);
  // The same store, and the native deployment removed from the group: only a bridged one is left.
  const without = { model_list: [deployment('held', 'held-bridged')], general_settings: { master_key: MASTER } };
  const gateway = await startLlmux(JSON.stringify(without), { args: ['--db', db] });
  try {
    await mock.clearRequests();
    const next = await create({ model: 'held', input: 'what was the word?', previous_response_id: first.json.id }, { gateway });
    assert.equal(next.status, 200, next.text);
    const [sent] = await mockRequestsTo(mock, 'held-bridged');
    assert.equal(sent.path, '/held-bridged/v1/chat/completions');
    assert.match(sent.body, /the secret word is plum/, 'the stored history went into the bridged request');
    assert.match(sent.body, /Mock reply to: the secret word is plum/);
    const got = await request('GET', `/v1/responses/${first.json.id}`, { gateway });
    assert.equal(got.status, 200, 'read from the store: its deployment is gone');
    assert.deepEqual(got.json, first.json);
    assert.equal((await mockRequestsTo(mock, 'held-native')).length, 0);
  } finally {
    await gateway.stop();
  }
});

test('retention: a stored turn expires (llmux_settings.response_retention_seconds) and is then unknown', async () => {
  const config = {
    model_list: [deployment('bridged', 'brg-ret')],
    llmux_settings: { response_retention_seconds: 0.3 },
    general_settings: { master_key: MASTER },
  };
  const gateway = await startLlmux(JSON.stringify(config));
  try {
    const made = await create({ model: 'bridged', input: 'short lived' }, { gateway });
    assert.equal(made.status, 200);
    const gone = await waitFor(async () => (await request('GET', `/v1/responses/${made.json.id}`, { gateway })).status === 404,
      { timeoutMs: 5_000, intervalMs: 50 });
    assert.ok(gone, 'expired');
    const followUp = await create({ model: 'bridged', input: 'x', previous_response_id: made.json.id }, { gateway });
    assert.equal(followUp.json.error.code, 'previous_response_not_found');
  } finally {
    await gateway.stop();
  }
});
