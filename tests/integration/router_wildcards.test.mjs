// Wildcard deployments through the real binary against the mock upstream: `openai/*`,
// `anthropic/*` and `team-*` patterns, the model the upstream is asked for, exact names first,
// provider inference for bare names, fallbacks into a wildcard (and an unknown one named), no
// cooldowns, pricing of the substituted model, /v1/models, and virtual keys with wildcard lists.
// Then LiteLLM's retry_policy and allowed_fails_policy.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMock, startLlmux, chat, toYaml, routeEntries, readSse } from '../lib/harness.mjs';
import { adminRequest, chatAs } from '../lib/tenancy.mjs';

const MASTER = 'sk-master-wildcards';
const messages = [{ role: 'user', content: 'ping' }];
const asMaster = { authorization: `Bearer ${MASTER}` };
let mock;
let llmux;

// A deployment served by the mock under `/<marker>/`; `model` is litellm_params.model.
function deployment(group, model, marker, { fault, anthropic = false } = {}) {
  const faultSegment = fault ? `/fault/${fault}` : '';
  return {
    model_name: group,
    litellm_params: {
      model,
      api_base: `${mock.url}/${marker}${faultSegment}${anthropic ? '' : '/v1'}`,
      api_key: 'sk-upstream',
    },
    model_info: { id: marker },
  };
}

before(async () => {
  mock = await startMock();
  llmux = await startLlmux(toYaml({
    model_list: [
      deployment('openai/*', 'openai/*', 'wc-openai'),
      deployment('anthropic/*', 'anthropic/*', 'wc-anthropic', { anthropic: true }),
      deployment('team-*', 'openai/team-model-*', 'wc-team'),
      deployment('openai/gpt-4o', 'openai/gpt-4o', 'exact-4o'),
      deployment('flaky/*', 'openai/*', 'wc-flaky', { fault: 'status=429,times=1,key=flaky' }),
      deployment('local', 'openai/local', 'local', { fault: 'status=500' }),
    ],
    router_settings: {
      num_retries: 0,
      allowed_fails: 1000,
      fallbacks: [{ local: ['nowhere', 'openai/gpt-4o-mini'] }],
    },
    general_settings: { master_key: MASTER },
  }));
});

after(async () => {
  await llmux?.stop();
  await mock?.stop();
});

// The model each upstream request under /<marker>/ asked for, oldest first.
async function upstreamModels(marker) {
  const all = await mock.requests();
  return all.filter((r) => r.path.startsWith(`/${marker}/`)).map((r) => JSON.parse(r.body).model);
}

test('openai/* asks the upstream for the captured name; the group is the requested name', async () => {
  await mock.clearRequests();
  const r = await chat(llmux.url, { model: 'openai/gpt-4o-mini', messages }, asMaster);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(await upstreamModels('wc-openai'), ['gpt-4o-mini']);
  assert.equal(r.headers.get('x-litellm-model-id'), 'wc-openai');
  assert.equal(r.headers.get('x-litellm-model-group'), 'openai/gpt-4o-mini');
  assert.deepEqual(routeEntries(r.headers), [{ group: 'openai/gpt-4o-mini', model: 'openai/gpt-4o-mini', outcome: 'ok' }]);
});

test('a stream through a wildcard asks for the same substituted model', async () => {
  await mock.clearRequests();
  const response = await fetch(`${llmux.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...asMaster },
    body: JSON.stringify({ model: 'openai/gpt-4o', stream: true, messages }),
  });
  // openai/gpt-4o is an exact group: the exact deployment serves it, not the wildcard.
  assert.equal(response.status, 200);
  await readSse(response);
  assert.deepEqual(await upstreamModels('exact-4o'), ['gpt-4o']);
  assert.deepEqual(await upstreamModels('wc-openai'), []);

  const wild = await fetch(`${llmux.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...asMaster },
    body: JSON.stringify({ model: 'openai/o4-mini', stream: true, messages }),
  });
  assert.equal(wild.status, 200);
  const events = await readSse(wild);
  assert.ok(events.length > 1);
  assert.deepEqual(await upstreamModels('wc-openai'), ['o4-mini']);
});

test('a bare name reaches openai/* through its inferred provider', async () => {
  await mock.clearRequests();
  const r = await chat(llmux.url, { model: 'gpt-4.1-nano', messages }, asMaster);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(await upstreamModels('wc-openai'), ['gpt-4.1-nano']);
  assert.equal(r.headers.get('x-litellm-model-group'), 'gpt-4.1-nano');
});

test('anthropic/* translates and asks Anthropic for the captured model', async () => {
  await mock.clearRequests();
  const r = await chat(llmux.url, { model: 'anthropic/claude-3-5-sonnet-20241022', messages }, asMaster);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.object, 'chat.completion');
  const upstream = (await mock.requests()).filter((q) => q.path.startsWith('/wc-anthropic/'));
  assert.equal(upstream.length, 1);
  assert.match(upstream[0].path, /\/v1\/messages$/);
  assert.equal(JSON.parse(upstream[0].body).model, 'claude-3-5-sonnet-20241022');
});

test('an Anthropic client through anthropic/* gets its body passed on with the captured model', async () => {
  await mock.clearRequests();
  const response = await fetch(`${llmux.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': MASTER },
    body: JSON.stringify({ model: 'anthropic/claude-3-haiku-20240307', max_tokens: 16, messages }),
  });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  assert.equal(JSON.parse(text).type, 'message');
  const upstream = (await mock.requests()).filter((q) => q.path.startsWith('/wc-anthropic/'));
  assert.equal(upstream.length, 1);
  assert.equal(JSON.parse(upstream[0].body).model, 'claude-3-haiku-20240307');
});

test('team-* fills the * of its litellm_params.model', async () => {
  await mock.clearRequests();
  const r = await chat(llmux.url, { model: 'team-alpha', messages }, asMaster);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(await upstreamModels('wc-team'), ['team-model-alpha']);
});

test('a fallback into a wildcard is served by it, and an unknown fallback is named', async () => {
  await mock.clearRequests();
  const r = await chat(llmux.url, { model: 'local', messages }, asMaster);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.headers.get('x-llmux-route').split(', '), [
    'local[openai/local]:internal(500)',
    'openai/gpt-4o-mini[openai/gpt-4o-mini]:ok',
    'nowhere:unknown_fallback',
  ]);
  assert.deepEqual(await upstreamModels('wc-openai'), ['gpt-4o-mini']);
  assert.equal(r.headers.get('x-litellm-model-group'), 'openai/gpt-4o-mini');
});

test('a wildcard deployment is not cooled down by a 429', async () => {
  const first = await chat(llmux.url, { model: 'flaky/m1', messages }, asMaster);
  assert.equal(first.status, 429, first.text);
  const second = await chat(llmux.url, { model: 'flaky/m2', messages }, asMaster);
  assert.equal(second.status, 200, second.text);
  // A cooled-down deployment would only have been tried as a last resort.
  assert.deepEqual(routeEntries(second.headers).map((e) => e.outcome), ['ok']);
});

test('the call is priced as the substituted model', async () => {
  const r = await chat(llmux.url, { model: 'openai/gpt-4o-mini', messages }, asMaster);
  assert.equal(r.status, 200, r.text);
  const cost = Number(r.headers.get('x-litellm-response-cost'));
  const { prompt_tokens: p, completion_tokens: c } = r.json.usage;
  // gpt-4o-mini: $0.15 / $0.60 per million tokens.
  assert.ok(Math.abs(cost - (p * 0.15e-6 + c * 0.6e-6)) < 1e-12, `cost ${cost} for ${p}+${c} tokens`);
});

test('/v1/models lists the patterns; /v1/models/{model} answers for what a wildcard serves', async () => {
  const list = await (await fetch(`${llmux.url}/v1/models`, { headers: asMaster })).json();
  assert.deepEqual(list.data.map((m) => m.id), ['openai/*', 'anthropic/*', 'team-*', 'openai/gpt-4o', 'flaky/*', 'local']);
  const one = await fetch(`${llmux.url}/v1/models/openai/gpt-4o-mini`, { headers: asMaster });
  assert.equal(one.status, 200);
  assert.equal((await one.json()).id, 'openai/gpt-4o-mini');
  const none = await fetch(`${llmux.url}/v1/models/mistral/large`, { headers: asMaster });
  assert.equal(none.status, 404);
});

test('a key listing openai/* may call what it serves, bare names too, and nothing else', async () => {
  const admin = (path, body) => adminRequest(llmux.url, MASTER, 'POST', path, body);
  const { key } = await admin('/key/generate', { models: ['openai/*'] });
  assert.equal((await chatAs(llmux.url, key, { model: 'openai/gpt-4o-mini', messages })).status, 200);
  assert.equal((await chatAs(llmux.url, key, { model: 'gpt-4o-mini', messages })).status, 200);
  const denied = await chatAs(llmux.url, key, { model: 'anthropic/claude-3-5-sonnet-20241022', messages });
  assert.equal(denied.status, 401);
  assert.equal(denied.json.error.type, 'key_model_access_denied');

  const { key: exact } = await admin('/key/generate', { models: ['openai/gpt-4o-mini'] });
  assert.equal((await chatAs(llmux.url, exact, { model: 'openai/gpt-4o-mini', messages })).status, 200);
  assert.equal((await chatAs(llmux.url, exact, { model: 'openai/o3', messages })).status, 401);
  const listed = await (await fetch(`${llmux.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).json();
  assert.deepEqual(listed.data.map((m) => m.id), ['openai/*', 'openai/gpt-4o']);
});

test('retry_policy overrides num_retries per error kind; allowed_fails_policy decides the cooldown', async () => {
  const gateway = await startLlmux(toYaml({
    model_list: [
      deployment('pol-500', 'openai/pol-500', 'pol-500', { fault: 'status=500' }),
      deployment('pol-503', 'openai/pol-503', 'pol-503', { fault: 'status=503' }),
      deployment('pol-429', 'openai/pol-429', 'pol-429', { fault: 'status=429' }),
      deployment('pol-429', 'openai/pol-429b', 'pol-429b'),
    ],
    router_settings: {
      num_retries: 1,
      retry_policy: { InternalServerErrorRetries: 3, RateLimitErrorRetries: 0 },
      allowed_fails_policy: { RateLimitErrorAllowedFails: 100 },
    },
  }));
  try {
    const tries = (r) => routeEntries(r.headers).map((e) => e.outcome);
    const r500 = await chat(gateway.url, { model: 'pol-500', messages });
    assert.deepEqual(tries(r500), Array(4).fill('internal(500)'));  // 1 + InternalServerErrorRetries
    const r503 = await chat(gateway.url, { model: 'pol-503', messages });
    assert.deepEqual(tries(r503), Array(2).fill('unavailable(503)'));  // not named: 1 + num_retries
    // Without the policy a 429 would cool pol-429 down at once; with 100 allowed it stays in rotation,
    // and RateLimitErrorRetries: 0 means its 429 goes back to the client untried elsewhere.
    let rateLimited = 0;
    for (let i = 0; i < 12; ++i) {
      const r = await chat(gateway.url, { model: 'pol-429', messages });
      if (r.status === 429) {
        rateLimited += 1;
        assert.deepEqual(tries(r), ['rate_limited(429)']);
      }
    }
    assert.ok(rateLimited >= 2, `pol-429 was picked ${rateLimited} times in 12: it was cooled down`);
  } finally {
    await gateway.stop();
  }
});
