// Confidence-based escalation (llmux_settings.confidence_routing, docs/confidence-routing.md): the
// self-hosted group is asked for logprobs, a low-scoring answer is replaced by the frontier
// group's, both calls are charged and logged, a failed escalation returns the first answer, and
// streams are passed through unscored. Scripted upstreams stand in for vLLM and the frontier API.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startLlmux, chat, toYaml, routeEntries, waitFor, readSse } from '../lib/harness.mjs';
import { startScriptedUpstream } from '../lib/scripted_upstream.mjs';
import { adminRequest, chatAs } from '../lib/tenancy.mjs';

const MASTER = 'sk-master-confidence';
const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 };
let local;
let frontier;
let llmux;

const said = (request) => JSON.stringify(request.json?.messages ?? '');

// vLLM's answer shape; the logprobs depend on what the prompt says (and are only sent when asked).
function localAnswer(request) {
  const unsure = said(request).includes('unsure');
  if (request.json?.stream) {
    const chunk = (delta, finish = null) => ({
      id: 'c1', object: 'chat.completion.chunk', model: 'local-model',
      choices: [{ index: 0, delta, finish_reason: finish }],
    });
    return { sse: [{ data: chunk({ role: 'assistant', content: 'streamed local' }) }, { data: chunk({}, 'stop') },
      { data: { ...chunk({}), choices: [], usage } }, { data: '[DONE]' }] };
  }
  const logprob = unsure ? -2.5 : -0.05;
  const logprobs = request.json?.logprobs === true
    ? { content: [{ token: 'local', logprob, top_logprobs: [] }, { token: '!', logprob, top_logprobs: [] }] }
    : null;
  const headers = { 'x-confidence': unsure ? '0.2' : '0.9' };
  return {
    headers,
    json: {
      id: 'local-1', object: 'chat.completion', model: 'local-model',
      choices: [{ index: 0, message: { role: 'assistant', content: 'local answer' }, logprobs, finish_reason: 'stop' }],
      usage,
    },
  };
}

function frontierAnswer(request) {
  if (said(request).includes('frontier-down')) return { status: 500, json: { error: { message: 'frontier is down' } } };
  return {
    json: {
      id: 'frontier-1', object: 'chat.completion', model: 'frontier-model',
      choices: [{ index: 0, message: { role: 'assistant', content: 'frontier answer' }, logprobs: null, finish_reason: 'stop' }],
      usage,
    },
  };
}

before(async () => {
  local = await startScriptedUpstream(localAnswer);
  frontier = await startScriptedUpstream(frontierAnswer);
  const deployment = (group, upstream, model, id, inputCost) => ({
    model_name: group,
    litellm_params: { model: `openai/${model}`, api_base: `${upstream.url}/v1`, api_key: 'sk-upstream' },
    model_info: { id, input_cost_per_token: inputCost, output_cost_per_token: inputCost * 2 },
  });
  llmux = await startLlmux(toYaml({
    model_list: [
      deployment('local', local, 'local-model', 'local-1', 0.000001),
      deployment('local-h', local, 'local-model', 'local-h', 0.000001),
      deployment('frontier', frontier, 'frontier-model', 'frontier-1', 0.00001),
    ],
    router_settings: { num_retries: 0 },
    general_settings: { master_key: MASTER },
    llmux_settings: {
      confidence_routing: {
        local: { escalate_to: 'frontier', min_mean_logprob: -1.0 },
        'local-h': { escalate_to: 'frontier', confidence_header: 'x-confidence', min_header_confidence: 0.5 },
      },
    },
  }));
});

after(async () => {
  await llmux?.stop();
});

const auth = { authorization: `Bearer ${MASTER}` };
const ask = (content, extra = {}, model = 'local') =>
  chat(llmux.url, { model, messages: [{ role: 'user', content }], ...extra }, auth);
const admin = (method, path, body) => adminRequest(llmux.url, MASTER, method, path, body);
const route = (answer) => routeEntries(answer.headers).map((e) => `${e.group}[${e.model}]:${e.outcome}`);

test('a confident answer is the local one: logprobs asked for upstream, hidden from the client', async () => {
  local.requests.length = 0;
  frontier.requests.length = 0;
  const answer = await ask('hello');
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.json.choices[0].message.content, 'local answer');
  assert.equal(answer.json.choices[0].logprobs, null, 'the client did not ask for logprobs');
  assert.equal(local.requests.length, 1);
  assert.equal(local.requests[0].json.logprobs, true, 'the gateway asked the local group for logprobs');
  assert.equal(frontier.requests.length, 0);
  assert.equal(answer.headers.get('x-llmux-confidence'), 'mean_logprob=-0.05; threshold=-1; confident');
  assert.deepEqual(route(answer), ['local[openai/local-model]:ok']);
});

test('a client that asked for logprobs gets them, and its own value is what the upstream sees', async () => {
  local.requests.length = 0;
  const answer = await ask('hello', { logprobs: true });
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.json.choices[0].logprobs.content.length, 2);
  assert.equal(local.requests[0].body.match(/"logprobs"/g).length, 1, 'nothing appended to a body that asked');
});

test('a low-confidence answer is re-asked of the frontier group; both calls show and are priced', async () => {
  local.requests.length = 0;
  frontier.requests.length = 0;
  const answer = await ask('I am unsure about this');
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.json.choices[0].message.content, 'frontier answer');
  assert.equal(local.requests.length, 1);
  assert.equal(frontier.requests.length, 1);
  assert.equal(frontier.requests[0].json.logprobs, undefined, 'the frontier gets the client\'s own body');
  assert.equal(answer.headers.get('x-llmux-confidence'), 'mean_logprob=-2.5; threshold=-1; low');
  assert.equal(answer.headers.get('x-llmux-escalation'), 'ok');
  assert.deepEqual(route(answer), ['local[openai/local-model]:ok(low-confidence)', 'frontier[openai/frontier-model]:ok']);
  assert.equal(answer.headers.get('x-litellm-model-id'), 'frontier-1');
  // 10 prompt + 5 completion tokens at each price: 2e-5 locally, 2e-4 at the frontier.
  assert.ok(Math.abs(Number(answer.headers.get('x-litellm-response-cost')) - 0.00022) < 1e-12,
    answer.headers.get('x-litellm-response-cost'));
});

test('the threshold decides: the header rule escalates only below min_header_confidence', async () => {
  frontier.requests.length = 0;
  const sure = await ask('hello', {}, 'local-h');
  assert.equal(sure.json.choices[0].message.content, 'local answer');
  assert.equal(sure.headers.get('x-llmux-confidence'), 'header=0.9; threshold=0.5; confident');
  assert.equal(frontier.requests.length, 0);
  const unsure = await ask('unsure', {}, 'local-h');
  assert.equal(unsure.json.choices[0].message.content, 'frontier answer');
  assert.equal(unsure.headers.get('x-llmux-confidence'), 'header=0.2; threshold=0.5; low');
  assert.equal(frontier.requests.length, 1);
});

test('a failed escalation returns the first answer, and says so', async () => {
  const answer = await ask('unsure, and frontier-down');
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.json.choices[0].message.content, 'local answer');
  assert.equal(answer.json.choices[0].logprobs, null);
  assert.equal(answer.headers.get('x-llmux-escalation'), 'failed(500)');
  assert.deepEqual(route(answer), ['local[openai/local-model]:ok(low-confidence)', 'frontier[openai/frontier-model]:internal(500)']);
});

test('both calls are charged to the key and logged as two spend rows', async () => {
  const made = await admin('POST', '/key/generate', { max_budget: 10 });
  const answer = await chatAs(llmux.url, made.key, { model: 'local', messages: [{ role: 'user', content: 'unsure' }] });
  assert.equal(answer.status, 200, JSON.stringify(answer.json));
  assert.equal(answer.json.choices[0].message.content, 'frontier answer');
  const rows = await waitFor(async () => {
    const logs = await admin('GET', `/spend/logs?api_key=${made.token}`);
    return logs.length === 2 ? logs : null;
  }, { timeoutMs: 20_000 });
  assert.ok(rows, 'two spend rows');
  const byGroup = Object.fromEntries(rows.map((r) => [r.model_group, r]));
  assert.ok(Math.abs(byGroup.local.spend - 0.00002) < 1e-12, JSON.stringify(rows));
  assert.ok(Math.abs(byGroup.frontier.spend - 0.0002) < 1e-12, JSON.stringify(rows));
  assert.notEqual(byGroup.local.request_id, byGroup.frontier.request_id, 'each call has its own id');
  const info = await waitFor(async () => {
    const got = await admin('GET', `/key/info?key=${made.key}`);
    return Math.abs(got.info.spend - 0.00022) < 1e-12 ? got : null;
  }, { timeoutMs: 20_000 });
  assert.ok(info, 'the key was charged for both calls');
});

test('a stream is not scored: passed through from the local group, with a header saying so', async () => {
  frontier.requests.length = 0;
  const response = await fetch(`${llmux.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify({ model: 'local', stream: true, messages: [{ role: 'user', content: 'unsure' }] }),
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('x-llmux-confidence'), 'not-scored(stream)');
  const events = await readSse(response);
  assert.ok(events.some((e) => e.data.includes('streamed local')), JSON.stringify(events));
  assert.equal(frontier.requests.length, 0);
});
