// routing_strategy through the real binary: where traffic goes under latency-based-routing,
// adaptive, least-busy and cost-based-routing, deployment rpm as a limit (skipped, then LiteLLM's
// 429 with Retry-After), and adaptive stopping before an upstream's own rate limit. Deployments
// are told apart by x-litellm-model-id (= model_info.id). No test asserts a time: only where
// requests went.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMock, startLlmux, chat, toYaml, routeEntries, simpleMessages, waitFor } from '../lib/harness.mjs';
import { startSteerableUpstream } from '../lib/steerable_upstream.mjs';

const messages = [{ role: 'user', content: 'ping' }];
let upstream;
let mock;

before(async () => {
  upstream = await startSteerableUpstream();
  mock = await startMock();
});

// A deployment answered by the steerable upstream under path prefix `id`.
function steered(group, id, params = {}, modelInfo = {}) {
  return {
    model_name: group,
    litellm_params: { model: `openai/${id}`, api_base: upstream.base(id), api_key: 'sk-upstream', ...params },
    model_info: { id, ...modelInfo },
  };
}

function startWith(modelList, routerSettings) {
  return startLlmux(toYaml({ model_list: modelList, router_settings: routerSettings }));
}

async function servedBy(url, model, n, concurrency = 1) {
  const order = [];
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next += 1;
      const r = await chat(url, { model, messages });
      assert.equal(r.status, 200, r.text);
      order.push(r.headers.get('x-litellm-model-id'));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return order;
}

const count = (list, id) => list.filter((x) => x === id).length;

// rpm tests count within one UTC minute: start them in a fresh one rather than near its end.
async function awayFromMinuteEnd() {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) await sleep(60_000 - intoMinute + 50);
}

test('latency-based-routing: a slow deployment loses its traffic', async () => {
  upstream.steer('lat-fast', { delayMs: 0 });
  upstream.steer('lat-slow', { delayMs: 250 });
  const llmux = await startWith([steered('lat', 'lat-fast'), steered('lat', 'lat-slow')],
    { routing_strategy: 'latency-based-routing' });
  const order = await servedBy(llmux.url, 'lat', 20);
  // Unseen deployments count as 0, so each is tried once; then the fast one takes the rest.
  assert.ok(count(order, 'lat-slow') <= 1, order.join(' '));
  assert.ok(count(order, 'lat-fast') >= 19, order.join(' '));
  assert.deepEqual(order.slice(2), Array(18).fill('lat-fast'));
});

test('latency-based-routing: streams are ranked by their time to first token', async () => {
  const streamed = (id, fault) => ({
    model_name: 'ttft',
    litellm_params: { model: `openai/${id}`, api_base: `${mock.url}/${id}/fault/${fault}/v1`, api_key: 'k' },
    model_info: { id },
  });
  const llmux = await startWith(
    [streamed('ttft-slow', 'delay_ms=250'), streamed('ttft-fast', 'chunks=3')],
    { routing_strategy: 'latency-based-routing' },
  );
  const order = [];
  for (let i = 0; i < 12; i += 1) {
    const response = await fetch(`${llmux.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'ttft', messages: simpleMessages, stream: true }),
    });
    assert.equal(response.status, 200);
    await response.text();
    order.push(response.headers.get('x-litellm-model-id'));
  }
  assert.ok(count(order, 'ttft-slow') <= 1, order.join(' '));
  assert.deepEqual(order.slice(2), Array(10).fill('ttft-fast'), order.join(' '));
});

test('adaptive: traffic moves off a deployment within a few requests once it slows down', async () => {
  upstream.steer('ad-a', { delayMs: 0 });
  upstream.steer('ad-b', { delayMs: 0 });
  const llmux = await startWith([steered('ad', 'ad-a'), steered('ad', 'ad-b')], { routing_strategy: 'adaptive' });
  const warm = await servedBy(llmux.url, 'ad', 20);
  assert.ok(count(warm, 'ad-b') >= 1, warm.join(' '));  // both healthy: both serve

  upstream.steer('ad-b', { delayMs: 300 });
  const after = await servedBy(llmux.url, 'ad', 30);
  const slowHits = count(after, 'ad-b');
  assert.ok(slowHits <= 3, `the degraded deployment still got ${slowHits}/30: ${after.join(' ')}`);
  assert.deepEqual(after.slice(-20), Array(20).fill('ad-a'), after.join(' '));
});

test('least-busy spreads a burst of concurrent requests', async () => {
  upstream.steer('busy-a', { delayMs: 400 });
  upstream.steer('busy-b', { delayMs: 400 });
  upstream.steer('busy-c', { delayMs: 400 });
  const llmux = await startWith(
    // The weight would send nearly all of them to busy-a under simple-shuffle; least-busy ignores it.
    [steered('busy', 'busy-a', { weight: 50 }), steered('busy', 'busy-b'), steered('busy', 'busy-c')],
    { routing_strategy: 'least-busy' },
  );
  const order = await servedBy(llmux.url, 'busy', 12, 12);
  for (const id of ['busy-a', 'busy-b', 'busy-c']) {
    // 12 at once over three: four each (a pick racing another worker thread may take one more).
    assert.ok(count(order, id) >= 3 && count(order, id) <= 5, `${id}: ${count(order, id)} of ${order.join(' ')}`);
    assert.ok(upstream.peakInFlight(id) <= 5, `${id} had ${upstream.peakInFlight(id)} at once`);
  }
});

test('least-busy: an open stream is in flight until it ends, and a client that hangs up ends it', async () => {
  const slowStream = (id) => ({
    model_name: 'hang',
    litellm_params: { model: `openai/${id}`, api_base: `${mock.url}/${id}/fault/chunk_delay_ms=100,chunks=400/v1`, api_key: 'k' },
    model_info: { id },
  });
  const llmux = await startWith([slowStream('hang-a'), slowStream('hang-b')], { routing_strategy: 'least-busy' });
  const abort = new AbortController();
  const response = await fetch(`${llmux.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'hang', messages: simpleMessages, stream: true }),
    signal: abort.signal,
  });
  const streaming = response.headers.get('x-litellm-model-id');
  const reader = response.body.getReader();
  await reader.read();  // the stream has started
  const other = streaming === 'hang-a' ? 'hang-b' : 'hang-a';
  assert.deepEqual(await servedBy(llmux.url, 'hang', 6), Array(6).fill(other), 'the open stream counts as busy');

  abort.abort();
  await reader.cancel().catch(() => {});
  // The stream would run for 40 s more: only the hang-up can have ended its attempt so soon.
  // Were it still counted, every request would keep going to the other deployment.
  let reached = false;
  const seen = [];
  assert.ok(await waitFor(async () => {
    const [id] = await servedBy(llmux.url, 'hang', 1);
    seen.push(id);
    reached = id === streaming;
    return reached;
  }), `after the hang-up ${streaming} got none of ${seen.length}`);
  const after = await servedBy(llmux.url, 'hang', 30);
  assert.ok(count(after, streaming) >= 5, `the hung-up deployment got ${count(after, streaming)}/30: ${after.join(' ')}`);
});

test('cost-based-routing picks the cheaper deployment: its own price, else the price table', async () => {
  const llmux = await startWith([
    steered('cost', 'cost-dear', { input_cost_per_token: 0.00003, output_cost_per_token: 0.00006 }),
    steered('cost', 'cost-cheap', { input_cost_per_token: 0.0000001, output_cost_per_token: 0.0000002 }),
    steered('cost', 'cost-unpriced'),  // no price anywhere: LiteLLM's 5.0 + 5.0, the dearest
  ], { routing_strategy: 'cost-based-routing' });
  assert.deepEqual(await servedBy(llmux.url, 'cost', 10, 2), Array(10).fill('cost-cheap'));

  // Prices from the built-in table: gpt-4o-mini is cheaper than gpt-4o.
  const table = await startWith([
    { model_name: 'tbl', litellm_params: { model: 'openai/gpt-4o', api_base: mock.base(), api_key: 'k' }, model_info: { id: 'tbl-4o' } },
    { model_name: 'tbl', litellm_params: { model: 'openai/gpt-4o-mini', api_base: mock.base(), api_key: 'k' }, model_info: { id: 'tbl-mini' } },
  ], { routing_strategy: 'cost-based-routing' });
  assert.deepEqual(await servedBy(table.url, 'tbl', 6), Array(6).fill('tbl-mini'));
});

test('rpm is a limit under usage-based-routing-v2: skipped when used up, then a 429 with Retry-After', async () => {
  await awayFromMinuteEnd();
  const llmux = await startWith(
    [steered('rpm', 'rpm-a', { rpm: 2 }), steered('rpm', 'rpm-b', { rpm: 1 })],
    { routing_strategy: 'usage-based-routing-v2' },
  );
  const order = await servedBy(llmux.url, 'rpm', 3);
  assert.equal(count(order, 'rpm-a'), 2, order.join(' '));
  assert.equal(count(order, 'rpm-b'), 1, order.join(' '));

  const refused = await chat(llmux.url, { model: 'rpm', messages });
  assert.equal(refused.status, 429, refused.text);
  assert.match(refused.json.error.message, /^No deployments available for selected model, Try again in \d+ seconds\. Passed model=rpm/);
  assert.equal(refused.json.error.type, 'rate_limit_error');
  const retryAfter = Number(refused.headers.get('retry-after'));
  assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${refused.headers.get('retry-after')}`);
  const outcomes = routeEntries(refused.headers).map((e) => `${e.model}:${e.outcome}`).sort();
  assert.deepEqual(outcomes, ['openai/rpm-a:skipped(rpm_limit)', 'openai/rpm-b:skipped(rpm_limit)']);
  assert.equal(upstream.hits('rpm-a') + upstream.hits('rpm-b'), 3, 'nothing was sent for the refused request');

  // The Anthropic route answers in its own shape.
  const messagesRoute = await fetch(`${llmux.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'rpm', max_tokens: 16, messages }),
  });
  assert.equal(messagesRoute.status, 429);
  const body = await messagesRoute.json();
  assert.equal(body.type, 'error');
  assert.equal(body.error.type, 'rate_limit_error');
  assert.match(body.error.message, /No deployments available for selected model/);
});

test('rpm is a weight, not a limit, under simple-shuffle; enable_pre_call_checks makes it a limit', async () => {
  await awayFromMinuteEnd();
  const weights = await startWith([steered('w', 'w-a', { rpm: 1 })], { routing_strategy: 'simple-shuffle' });
  assert.deepEqual(await servedBy(weights.url, 'w', 3), ['w-a', 'w-a', 'w-a']);

  const checked = await startWith([steered('pc', 'pc-a', { rpm: 1 })], { enable_pre_call_checks: true });
  assert.deepEqual(await servedBy(checked.url, 'pc', 1), ['pc-a']);
  const refused = await chat(checked.url, { model: 'pc', messages });
  assert.equal(refused.status, 429, refused.text);
  assert.match(refused.json.error.message, /pre-call-checks=True/);
});

test('a fallback serves when every deployment of the group is over its rpm', async () => {
  await awayFromMinuteEnd();
  const llmux = await startLlmux(toYaml({
    model_list: [steered('capped', 'cap-a', { rpm: 1 }), steered('spare', 'spare-a')],
    router_settings: { routing_strategy: 'latency-based-routing', fallbacks: [{ capped: ['spare'] }] },
  }));
  assert.deepEqual(await servedBy(llmux.url, 'capped', 3), ['cap-a', 'spare-a', 'spare-a']);
});

test('adaptive stops sending to a deployment whose upstream reports no requests left, before any 429', async () => {
  upstream.steer('hint-a', { headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1m0s' } });
  upstream.steer('hint-b', {});
  const llmux = await startWith(
    [steered('hint', 'hint-a', { order: 1 }), steered('hint', 'hint-b', { order: 2 })],
    { routing_strategy: 'adaptive' },
  );
  // order 1 first: hint-a answers, and says it has nothing left for a minute.
  const first = await chat(llmux.url, { model: 'hint', messages });
  assert.equal(first.headers.get('x-litellm-model-id'), 'hint-a');
  const order = await servedBy(llmux.url, 'hint', 10, 2);
  assert.deepEqual(order, Array(10).fill('hint-b'));
  assert.equal(upstream.hits('hint-a'), 1);
  const later = await chat(llmux.url, { model: 'hint', messages });
  assert.ok(routeEntries(later.headers).some((e) => e.model === 'openai/hint-a' && e.outcome === 'skipped(upstream_rate_limit)'),
    later.headers.get('x-llmux-route'));
});

test('simple-shuffle ignores the upstream hints (only adaptive reads them)', async () => {
  upstream.steer('plain-a', { headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '1m0s' } });
  const llmux = await startWith([steered('plain', 'plain-a', { order: 1 }), steered('plain', 'plain-b', { order: 2 })], {});
  assert.deepEqual(await servedBy(llmux.url, 'plain', 4), Array(4).fill('plain-a'));
});

test('unknown strategies and provider-budget-routing refuse to start', async () => {
  const { runLlmux, writeTempConfig } = await import('../lib/harness.mjs');
  for (const [strategy, expected] of [
    ['fastest', /routing_strategy must be one of simple-shuffle, least-busy/],
    ['provider-budget-routing', /provider-budget-routing is not supported/],
  ]) {
    const path = writeTempConfig(toYaml({ model_list: [steered('x', 'x')], router_settings: { routing_strategy: strategy } }));
    const { code, output } = await runLlmux(['--config', path, '--port', '0']);
    assert.notEqual(code, 0);
    assert.match(output, expected);
  }
});
