// What one request may ask of the gateway (issue 11, hostile input): how many keys an object of
// the body may hold, how long the lists llmux itself walks may be, how many retries and how long
// a timeout a client may ask for. Each limit is hit through the real binary, and the answer is
// checked for the caller's error shape and for naming the limit.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { startMock, startLlmux, chat, toYaml, mockHits } from '../lib/harness.mjs';

const messages = [{ role: 'user', content: 'ping' }];
let mock;
let llmux;  // default limits
let strict; // small limits, set in llmux_settings

function deployment(group, marker, fault) {
  const faultSegment = fault ? `/fault/${fault}` : '';
  return {
    model_name: group,
    litellm_params: { model: `openai/${marker}`, api_base: `${mock.url}/${marker}${faultSegment}/v1`, api_key: 'sk-upstream' },
    model_info: { id: marker },
  };
}

before(async () => {
  mock = await startMock();
  const model_list = [deployment('ok', 'rl-ok'), deployment('always-500', 'rl-500', 'status=500')];
  llmux = await startLlmux(toYaml({ model_list, router_settings: { num_retries: 0 } }));
  strict = await startLlmux(toYaml({
    model_list: [deployment('ok', 'rl-strict-ok'), deployment('always-500', 'rl-strict-500', 'status=500')],
    router_settings: { num_retries: 0 },
    llmux_settings: { max_json_object_keys: 50, max_routing_list_items: 5, max_request_retries: 1, max_request_timeout: 30 },
  }));
});

// A JSON object text with `count` members k0…, for bodies no JS object could hold (duplicates).
function objectText(count, { repeat = 1 } = {}) {
  const parts = [];
  for (let i = 0; i < count; i++) for (let r = 0; r < repeat; r++) parts.push(`"k${i}":1`);
  return `{${parts.join(',')}}`;
}

function assertOpenAiError(r, status, needle) {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error?.type, 'invalid_request_error', r.text);
  assert.ok(r.json.error.message.includes(needle), `${needle} in ${r.json.error.message}`);
  assert.ok('param' in r.json.error && 'code' in r.json.error, r.text);
}

test('200,000 distinct top-level keys are refused with a 400 naming max_json_object_keys', async () => {
  const extra = objectText(200_000).slice(1);
  const body = `{"model":"ok","messages":${JSON.stringify(messages)},${extra}`;
  const r = await chat(llmux.url, body);
  assertOpenAiError(r, 400, 'more than 10000 keys (llmux_settings.max_json_object_keys)');
  assert.equal(await mockHits(mock, '/rl-ok/'), 0);
});

test('9,000 distinct keys, each twice, are still served (duplicates collapse to the last)', async () => {
  const extra = objectText(4_500, { repeat: 2 }).slice(1);
  const body = `{"model":"ok","messages":${JSON.stringify(messages)},${extra}`;
  const r = await chat(llmux.url, body);
  assert.equal(r.status, 200, r.text);
});

test('llmux_settings.max_json_object_keys bounds nested objects too (a tool schema)', async () => {
  const tool = (n) => `[{"type":"function","function":{"name":"f","parameters":{"type":"object","properties":${objectText(n)}}}}]`;
  const over = await chat(strict.url, `{"model":"ok","messages":${JSON.stringify(messages)},"tools":${tool(51)}}`);
  assertOpenAiError(over, 400, 'more than 50 keys (llmux_settings.max_json_object_keys)');
  const under = await chat(strict.url, `{"model":"ok","messages":${JSON.stringify(messages)},"tools":${tool(50)}}`);
  assert.equal(under.status, 200, under.text);
});

test('the Anthropic route answers the key limit in Anthropic\'s error shape', async () => {
  const body = `{"model":"ok","max_tokens":10,"messages":${JSON.stringify(messages)},` +
    `"tools":[{"name":"f","input_schema":{"type":"object","properties":${objectText(51)}}}]}`;
  const response = await fetch(`${strict.url}/v1/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const json = await response.json();
  assert.equal(response.status, 400, JSON.stringify(json));
  assert.equal(json.type, 'error');
  assert.equal(json.error.type, 'invalid_request_error');
  assert.ok(json.error.message.includes('llmux_settings.max_json_object_keys'), json.error.message);
});

test('tags and fallbacks lists past max_routing_list_items are a 400 naming the limit', async () => {
  const six = ['a', 'b', 'c', 'd', 'e', 'f'];
  for (const field of ['tags', 'fallbacks']) {
    const r = await chat(strict.url, { model: 'ok', messages, [field]: six });
    assertOpenAiError(r, 400, 'llmux_settings.max_routing_list_items');
    assert.equal(r.json.error.param, field);
  }
  const r = await chat(strict.url, { model: 'ok', messages, metadata: { tags: six } });
  assertOpenAiError(r, 400, 'at most 5 items');
  assert.equal((await chat(strict.url, { model: 'ok', messages, tags: six.slice(0, 5) })).status, 200);
});

test('num_retries: 1000000 is held to max_request_retries (clamped, not refused)', async () => {
  const r = await chat(strict.url, { model: 'always-500', messages, num_retries: 1_000_000 });
  assert.equal(r.status, 500, r.text);
  assert.equal(r.headers.get('x-litellm-attempted-retries'), '1');
  assert.equal(await mockHits(mock, '/rl-strict-500/'), 2, 'one call and one retry');
});

test('negative or non-integer num_retries is a 400', async () => {
  assertOpenAiError(await chat(llmux.url, { model: 'ok', messages, num_retries: -1 }), 400, "expected a value >= 0");
  assertOpenAiError(await chat(llmux.url, { model: 'ok', messages, num_retries: 1.5 }), 400, 'expected an integer');
  assertOpenAiError(await chat(llmux.url, { model: 'ok', messages, max_retries: '3' }), 400, 'expected an integer');
});

test('a huge timeout is held to the cap instead of overflowing into an immediate 408', async () => {
  for (const timeout of ['1e10', '1e16', '1e300', '1e400']) {
    const body = `{"model":"ok","messages":${JSON.stringify(messages)},"timeout":${timeout},"stream_timeout":${timeout}}`;
    const r = await chat(llmux.url, body);
    assert.equal(r.status, 200, `timeout ${timeout}: ${r.text}`);
    const s = await chat(strict.url, body);
    assert.equal(s.status, 200, `timeout ${timeout} (cap 30 s): ${s.text}`);
  }
});

test('a negative, zero or non-number timeout is a 400', async () => {
  for (const [field, value, needle] of [['timeout', -1, 'expected a value > 0'], ['timeout', 0, 'expected a value > 0'],
    ['stream_timeout', -5, 'expected a value > 0'], ['timeout', '30', 'expected a number']]) {
    const r = await chat(llmux.url, { model: 'ok', messages, [field]: value });
    assertOpenAiError(r, 400, needle);
    assert.equal(r.json.error.param, field);
  }
});
