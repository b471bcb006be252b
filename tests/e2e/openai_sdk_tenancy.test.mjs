// Virtual keys as an application sees them: the admin makes keys with plain fetch, and the
// official `openai` SDK, given nothing but a generated key and llmux's URL, gets LiteLLM's
// behaviour through the SDK's own error classes — model access, per-tenant routing of one model
// name, rate limits, budgets, the cost header — and the spend log survives a restart on the same
// database, and a kill -9 under SDK load loses at most the last short batch. The SDK's retries
// are off (maxRetries: 0) so every refusal is seen as llmux sent it.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';

import { startLlmux, startMock, mockHits, waitFor } from '../lib/harness.mjs';

const MASTER = 'sk-master-sdk-tenancy';
const messages = [{ role: 'user', content: 'Say hello' }];
const dbPath = join(mkdtempSync(join(tmpdir(), 'llmux-sdk-tenancy-')), 'spend.db');
let tenantA;  // two mock upstreams: the deployments of the shared model name, one per tenant
let tenantB;
let llmux;
let configYaml;

function yaml() {
  const priced = [
    '    model_info:',
    '      input_cost_per_token: 0.000001',
    '      output_cost_per_token: 0.000002',
  ];
  return [
    'model_list:',
    '  - model_name: chat-allowed',
    '    litellm_params:',
    '      model: openai/allowed-upstream',
    `      api_base: ${tenantA.url}/plain/v1`,
    '      api_key: sk-upstream',
    ...priced,
    '  - model_name: chat-forbidden',
    '    litellm_params:',
    '      model: openai/forbidden-upstream',
    `      api_base: ${tenantA.url}/plain/v1`,
    '      api_key: sk-upstream',
    '  - model_name: shared',
    '    litellm_params:',
    '      model: openai/tenant-a-model',
    `      api_base: ${tenantA.url}/shared/v1`,
    '      api_key: sk-upstream',
    '      tags: [tenant-a]',
    ...priced,
    '  - model_name: shared',
    '    litellm_params:',
    '      model: openai/tenant-b-model',
    `      api_base: ${tenantB.url}/shared/v1`,
    '      api_key: sk-upstream',
    '      tags: [tenant-b]',
    ...priced,
    'router_settings:',
    '  num_retries: 0',
    '  enable_tag_filtering: true  # LiteLLM routes by tags only when this is on',
    'general_settings:',
    `  master_key: ${MASTER}`,
  ].join('\n');
}

async function start() {
  llmux = await startLlmux(configYaml, { args: ['--db', dbPath] });
}

async function admin(method, path, body) {
  const response = await fetch(`${llmux.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.equal(response.status, 200, `${path}: ${response.status}`);
  return response.json();
}

const generate = (settings) => admin('POST', '/key/generate', settings);
const sdk = (key) => new OpenAI({ apiKey: key, baseURL: `${llmux.url}/v1`, maxRetries: 0 });

before(async () => {
  tenantA = await startMock();
  tenantB = await startMock();
  configYaml = yaml();
  await start();
});

after(async () => {
  await llmux?.stop();
  await tenantA?.stop();
  await tenantB?.stop();
});

test('a generated key reaches its models; another model is an AuthenticationError naming it', async () => {
  const { key } = await generate({ models: ['chat-allowed'] });
  const client = sdk(key);
  const answer = await client.chat.completions.create({ model: 'chat-allowed', messages });
  assert.ok(answer.choices[0].message.content.length > 0);

  await assert.rejects(client.chat.completions.create({ model: 'chat-forbidden', messages }), (error) => {
    assert.ok(error instanceof OpenAI.AuthenticationError, error.constructor.name);
    assert.equal(error.status, 401);
    assert.equal(error.type, 'key_model_access_denied');
    assert.match(error.message, /Tried to access chat-forbidden/);
    return true;
  });
  await assert.rejects(sdk('sk-never-issued').models.list(), OpenAI.AuthenticationError);
});

test('one model name, two tenants: each key\'s tags route it to its own deployment', async () => {
  const { key: keyA } = await generate({ tags: ['tenant-a'] });
  const { key: keyB } = await generate({ tags: ['tenant-b'] });
  const hitsBefore = [await mockHits(tenantA, '/shared/'), await mockHits(tenantB, '/shared/')];
  for (let i = 0; i < 3; i += 1) {
    const a = await sdk(keyA).chat.completions.create({ model: 'shared', messages });
    assert.equal(a.model, 'tenant-a-model');
    const b = await sdk(keyB).chat.completions.create({ model: 'shared', messages });
    assert.equal(b.model, 'tenant-b-model');
  }
  assert.equal(await mockHits(tenantA, '/shared/'), hitsBefore[0] + 3, 'tenant A\'s calls reach mock A only');
  assert.equal(await mockHits(tenantB, '/shared/'), hitsBefore[1] + 3, 'tenant B\'s calls reach mock B only');
});

test('rpm_limit: the call past the limit is a RateLimitError (429) with Retry-After', async () => {
  const { key } = await generate({ rpm_limit: 1 });
  const client = sdk(key);
  await client.chat.completions.create({ model: 'chat-allowed', messages });
  await assert.rejects(client.chat.completions.create({ model: 'chat-allowed', messages }), (error) => {
    assert.ok(error instanceof OpenAI.RateLimitError, error.constructor.name);
    assert.equal(error.status, 429);
    const retryAfter = error.headers.get('retry-after');
    assert.ok(Number(retryAfter) >= 1, `retry-after: ${retryAfter}`);
    assert.match(error.message, /Rate limit exceeded for api_key/);
    return true;
  });
});

test('the cost header is read with .withResponse(); a spent max_budget is a BadRequestError budget_exceeded', async () => {
  // Small enough to be spent within a few calls, large enough for the first call's own estimate.
  const { key } = await generate({ max_budget: 0.0001 });
  const client = sdk(key);
  const request = { model: 'chat-allowed', messages, max_tokens: 8 };
  const { data, response } = await client.chat.completions.create(request).withResponse();
  assert.ok(data.usage.total_tokens > 0);
  const cost = Number(response.headers.get('x-litellm-response-cost'));
  const expected = data.usage.prompt_tokens * 0.000001 + data.usage.completion_tokens * 0.000002;
  assert.ok(Math.abs(cost - expected) < 1e-12, `cost ${cost}, expected ${expected}`);

  let refusal = null;
  for (let calls = 1; calls <= 20 && !refusal; calls += 1) {
    try {
      await client.chat.completions.create(request);
    } catch (error) {
      refusal = error;
    }
  }
  assert.ok(refusal, 'the budget runs out within 20 calls');
  assert.ok(refusal instanceof OpenAI.BadRequestError, refusal.constructor.name);
  assert.equal(refusal.status, 400);
  assert.equal(refusal.type, 'budget_exceeded');
  assert.match(refusal.message, /Budget has been exceeded!/);
});

test('the spend log still lists a key\'s calls after a restart on the same database', async () => {
  const made = await generate({ key_alias: 'durable' });
  const client = sdk(made.key);
  for (let i = 0; i < 2; i += 1) await client.chat.completions.create({ model: 'chat-allowed', messages });
  const logged = async () => (await admin('GET', `/spend/logs?api_key=${made.token}`)).length === 2;
  assert.ok(await waitFor(logged), 'both calls are logged before the restart');

  await llmux.stop('SIGTERM');
  await start();
  const logs = await admin('GET', `/spend/logs?api_key=${made.token}`);
  assert.equal(logs.length, 2);
  for (const row of logs) {
    assert.equal(row.api_key, made.token);
    assert.equal(row.model_group, 'chat-allowed');
    assert.equal(row.status, 'success');
    assert.ok(row.spend > 0);
  }
  const info = await admin('GET', `/key/info?key=${made.token}`);
  assert.ok(Math.abs(info.info.spend - logs[0].spend - logs[1].spend) < 1e-12, 'key spend = sum of its logs');
  const again = await sdk(made.key).chat.completions.create({ model: 'chat-allowed', messages });
  assert.ok(again.choices.length > 0, 'the key still works after the restart');
});

// The bound the README's Durability section states: one batch in flight plus one queued (2 × 500).
const CRASH_LOSS_BOUND = 1000;

test('kill -9 during SDK load loses at most the last short batch of spend rows', async () => {
  const made = await generate({ key_alias: 'crash' });
  const client = sdk(made.key);
  const answered = [];
  let stopped = false;
  // Eight SDK clients calling as fast as they can; each 200's call id must end up in the log.
  const loop = async () => {
    while (!stopped) {
      try {
        const { response } = await client.chat.completions.create({ model: 'chat-allowed', messages }).withResponse();
        answered.push(response.headers.get('x-litellm-call-id'));
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 5));  // the gateway is gone
      }
    }
  };
  const loops = Array.from({ length: 8 }, loop);
  // Well past the bound, so a writer that only wrote at exit would fail this.
  await waitFor(() => answered.length >= 2.5 * CRASH_LOSS_BOUND, { timeoutMs: 30_000 });
  await llmux.stop('SIGKILL');
  stopped = true;
  await Promise.all(loops);
  await start();

  const logged = new Set((await admin('GET', `/spend/logs?api_key=${made.token}`)).map((row) => row.request_id));
  const lost = answered.filter((id) => !logged.has(id));
  assert.ok(answered.length >= 2.5 * CRASH_LOSS_BOUND, `${answered.length} answered`);
  assert.ok(lost.length <= CRASH_LOSS_BOUND, `${lost.length} of ${answered.length} answered calls have no spend row`);
  assert.ok(logged.size >= answered.length - lost.length);
  const again = await sdk(made.key).chat.completions.create({ model: 'chat-allowed', messages });  // new port
  assert.ok(again.choices.length > 0, 'the key works after the crash');
});
