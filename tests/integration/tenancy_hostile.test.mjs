// What a key holder, or a careless admin client, must not be able to do to billing and to the
// admin API's numbers: a client-chosen x-litellm-call-id cannot erase a charge (every call is its
// own spend row, keyed by an id the gateway made), and out-of-range, non-finite or malformed admin
// fields are refused with a 400 naming the field instead of being stored wrapped or as Infinity.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startLlmux, startMock, simpleMessages, toYaml, waitFor } from '../lib/harness.mjs';
import { chatAs } from '../lib/tenancy.mjs';
import { startScriptedUpstream } from '../lib/scripted_upstream.mjs';

const MASTER = 'sk-master-hostile';
// 1e-6 per token both ways; the mock answers 3 prompt + 6 completion tokens: 9e-6 a call.
const metered = { input_cost_per_token: 0.000001, output_cost_per_token: 0.000001 };
const COST = 0.000009;
const dbPath = join(mkdtempSync(join(tmpdir(), 'llmux-hostile-')), 'hostile.db');
let mock;
let llmux;
let configYaml;

const start = async () => { llmux = await startLlmux(configYaml, { args: ['--db', dbPath] }); };

// An upstream reporting token counts near INT64_MAX (as JSON text 9223372036854775000).
const HUGE = 9223372036854775000;
const hugeUsage = () => ({
  json: {
    id: 'chatcmpl-huge', object: 'chat.completion', created: 1, model: 'huge',
    choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: HUGE, completion_tokens: HUGE, total_tokens: HUGE },
  },
});

before(async () => {
  mock = await startMock();
  const huge = await startScriptedUpstream(hugeUsage);
  configYaml = toYaml({
    model_list: [{
      model_name: 'huge-usage',
      litellm_params: { model: 'openai/huge', api_base: `${huge.url}/v1`, api_key: 'sk-upstream' },
    }, {
      // Every answer takes 200 ms, so a burst is all in flight at once.
      model_name: 'metered',
      litellm_params: { model: 'openai/metered', api_base: mock.base('delay_ms=200'), api_key: 'sk-upstream' },
      model_info: metered,
    }],
    router_settings: { num_retries: 0 },
    general_settings: { master_key: MASTER },
  });
  await start();
});

after(async () => {
  await llmux?.stop();
  await mock?.stop();
});

// Status and parsed body, whatever the status.
async function admin(method, path, body) {
  const response = await fetch(`${llmux.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` },
    body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* asserted through text */ }
  return { status: response.status, json, text };
}

test('40 concurrent calls sharing one client x-litellm-call-id are 40 spend rows and 40 charges, also after a restart', async () => {
  const made = (await admin('POST', '/key/generate', {})).json;
  const callId = 'abc-123_4.5';  // a sane id: the gateway keeps it
  const answers = await Promise.all(Array.from({ length: 40 }, async () => {
    const response = await fetch(`${llmux.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${made.key}`, 'x-litellm-call-id': callId },
      body: JSON.stringify({ model: 'metered', messages: simpleMessages, max_tokens: 10 }),
    });
    await response.text();
    return response;
  }));
  for (const answer of answers) {
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-litellm-call-id'), callId, 'the client\'s id is echoed, as LiteLLM does');
  }

  await llmux.stop('SIGTERM');  // a graceful stop flushes the spend writer
  await start();
  const logs = await admin('GET', `/spend/logs?api_key=${made.token}`);
  assert.equal(logs.status, 200, logs.text);
  assert.equal(logs.json.length, 40, 'one spend row per call');
  for (const row of logs.json) assert.equal(row.request_id, callId);
  assert.equal(new Set(logs.json.map((row) => row.llmux_call_id)).size, 40, 'each row has its own gateway id');
  const byClientId = await admin('GET', `/spend/logs?request_id=${callId}`);
  assert.equal(byClientId.json.length, 40, '/spend/logs?request_id= finds the rows by the client\'s id');
  const own = logs.json[0].llmux_call_id;
  assert.deepEqual((await admin('GET', `/spend/logs?request_id=${own}`)).json.map((row) => row.llmux_call_id), [own]);

  const info = await admin('GET', `/key/info?key=${made.token}`);
  assert.ok(Math.abs(info.json.info.spend - 40 * COST) < 1e-12, `spend ${info.json.info.spend} is 40 calls' cost`);
  // The budget holds after the restart: what was spent is what was charged.
  await admin('POST', '/key/update', { key: made.token, max_budget: 20 * COST });
  const refused = await chatAs(llmux.url, made.key, { model: 'metered', messages: simpleMessages, max_tokens: 10 });
  assert.equal(refused.status, 400);
  assert.equal(refused.json.error.type, 'budget_exceeded');
});

// A 400 in LiteLLM's (OpenAI's) error shape, naming the field both in its message and in param.
function assertFieldRefused(answer, field, what) {
  assert.equal(answer.status, 400, `${what}: ${answer.text}`);
  assert.equal(answer.json.error.type, 'bad_request_error', what);
  assert.equal(answer.json.error.param, field, what);
  assert.match(answer.json.error.message, new RegExp(field), what);
  assert.equal(answer.json.error.code, '400', what);
}

// Every route that reads limits, with the body fields it needs besides the hostile one.
const limitRoutes = [
  ['POST', '/key/generate', async () => ({})],
  ['POST', '/key/update', async () => ({ key: (await admin('POST', '/key/generate', {})).json.token })],
  ['POST', '/team/new', async () => ({})],
  ['POST', '/team/update', async () => ({ team_id: (await admin('POST', '/team/new', {})).json.team_id })],
  ['POST', '/user/new', async () => ({})],
  ['POST', '/user/update', async () => ({ user_id: (await admin('POST', '/user/new', {})).json.user_id })],
];

// Raw JSON text: 1e400 and 2^64-1 must reach the gateway as written, not as JS numbers.
const hostileLimits = [
  ['max_budget', '-1'],
  ['max_budget', '1e400'],
  ['rpm_limit', '-5'],
  ['tpm_limit', '18446744073709551615'],
  ['max_parallel_requests', '1e300'],
  ['max_parallel_requests', '-1'],
  ['budget_duration', '"-1d"'],
  ['budget_duration', '"99999999999999d"'],
];

test('negative, wrapped, huge and non-finite limits are refused with a 400 naming the field on every route', async () => {
  for (const [method, path, needs] of limitRoutes) {
    for (const [field, raw] of hostileLimits) {
      const base = JSON.stringify(await needs());
      const body = `${base.slice(0, -1)}${base.length > 2 ? ',' : ''}"${field}":${raw}}`;
      assertFieldRefused(await admin(method, path, body), field, `${path} ${field}=${raw}`);
    }
  }
  const key = (await admin('POST', '/key/generate', {})).json.token;
  assertFieldRefused(await admin('POST', '/key/update', `{"key":"${key}","spend":-3}`), 'spend', 'negative spend');
  assertFieldRefused(await admin('POST', '/key/generate', '{"duration":"99999999999999d"}'), 'duration', 'duration');
  // Zero stays a valid limit, and what was refused was not stored.
  const zero = await admin('POST', '/key/generate', { max_budget: 0, rpm_limit: 0 });
  assert.equal(zero.status, 200, zero.text);
  const info = await admin('GET', `/key/info?key=${key}`);
  assert.equal(info.json.info.spend, 0);
});

test('metadata holding a non-finite number is refused; answers are always JSON', async () => {
  assertFieldRefused(await admin('POST', '/key/generate', '{"metadata":{"a":[1,{"b":1e400}]}}'), 'metadata', 'nested 1e400');
  assertFieldRefused(await admin('POST', '/team/new', '{"metadata":"{not json"}'), 'metadata', 'metadata text');
  const kept = await admin('POST', '/key/generate', { metadata: { a: [1, { b: 2.5 }] } });
  assert.equal(kept.status, 200, kept.text);
  assert.deepEqual((await admin('GET', `/key/info?key=${kept.json.token}`)).json.info.metadata, { a: [1, { b: 2.5 }] });
});

test('/key/list refuses a page whose offset would overflow instead of wrapping it into another page', async () => {
  // (page - 1) * size = 18446744073709560000 wraps to 8384 in 64 bits: a page that looks valid.
  assertFieldRefused(await admin('GET', '/key/list?page=1844674407370957&size=10000'), 'page', 'wrapping page');
  assertFieldRefused(await admin('GET', '/key/list?page=922337203685477580&size=10000'), 'page', 'huge page');
  assertFieldRefused(await admin('GET', '/key/list?page=99999999999999999999'), 'page', 'page past int64');
  assertFieldRefused(await admin('GET', '/key/list?size=12abc'), 'size', 'trailing text');
  const listed = await admin('GET', '/key/list?page=1&size=2');
  assert.equal(listed.status, 200, listed.text);
  assert.equal(listed.json.current_page, 1);
});

test('/spend/logs sums an upstream\'s huge token counts without wrapping negative', async () => {
  const made = (await admin('POST', '/key/generate', {})).json;
  const answer = await chatAs(llmux.url, made.key, { model: 'huge-usage', messages: simpleMessages });
  assert.equal(answer.status, 200);
  const logs = await waitFor(async () => {
    const rows = (await admin('GET', `/spend/logs?api_key=${made.token}`)).json;
    return rows.length === 1 ? rows : null;
  });
  assert.ok(logs, 'the call is logged');
  assert.equal(logs[0].prompt_tokens, HUGE);
  assert.ok(logs[0].total_tokens >= HUGE, `total_tokens ${logs[0].total_tokens} saturates, never wraps`);
});
