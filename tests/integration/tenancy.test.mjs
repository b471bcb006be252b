// Virtual keys end to end: the admin API (master key only) makes keys; the openai SDK uses them;
// model access, aliases, rate limits, budgets, cost headers and spend logs behave as LiteLLM's;
// keys and spend survive a graceful restart on the same SQLite file.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';

import { startLlmux, startMock, simpleMessages, waitFor } from '../lib/harness.mjs';

const MASTER = 'sk-master-tenancy';
let mock;
let llmux;
let configYaml;
const dbPath = join(mkdtempSync(join(tmpdir(), 'llmux-tenancy-')), 'keys.db');

function yaml() {
  return [
    'model_list:',
    '  - model_name: gpt-allowed',
    '    litellm_params:',
    '      model: openai/upstream-allowed',
    `      api_base: ${mock.base()}`,
    '      api_key: sk-upstream',
    '    model_info:',
    '      input_cost_per_token: 0.000001',
    '      output_cost_per_token: 0.000002',
    '  - model_name: gpt-forbidden',
    '    litellm_params:',
    '      model: openai/upstream-forbidden',
    `      api_base: ${mock.base()}`,
    '      api_key: sk-upstream',
    '  - model_name: tagged',
    '    litellm_params:',
    '      model: openai/for-tag-a',
    `      api_base: ${mock.base()}`,
    '      api_key: sk-upstream',
    '      tags: [tag-a]',
    '  - model_name: tagged',
    '    litellm_params:',
    '      model: openai/for-tag-b',
    `      api_base: ${mock.base()}`,
    '      api_key: sk-upstream',
    '      tags: [tag-b]',
    'router_settings:',
    '  num_retries: 0',
    '  enable_tag_filtering: true',  // LiteLLM filters by tags only when asked to
    'general_settings:',
    `  master_key: ${MASTER}`,
  ].join('\n');
}

async function start() {
  llmux = await startLlmux(configYaml, { args: ['--db', dbPath] });
}

async function admin(method, path, body, key = MASTER) {
  const response = await fetch(`${llmux.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text), text };
}

async function raw(key, model) {
  const response = await fetch(`${llmux.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, messages: simpleMessages }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text) };
}

function client(key) {
  return new OpenAI({ apiKey: key, baseURL: `${llmux.url}/v1`, maxRetries: 0 });
}

before(async () => {
  mock = await startMock();
  configYaml = yaml();
  await start();
});

after(async () => {
  await llmux?.stop();
  await mock?.stop();
});

test('/key/generate needs the master key and answers the raw key once, with its hash', async () => {
  const denied = await admin('POST', '/key/generate', {}, 'sk-not-the-master');
  assert.equal(denied.status, 401);
  const made = await admin('POST', '/key/generate', { key_alias: 'first', models: ['gpt-allowed'] });
  assert.equal(made.status, 200, made.text);
  assert.match(made.json.key, /^sk-[A-Za-z0-9_-]{22}$/);
  assert.match(made.json.token, /^[0-9a-f]{64}$/);
  assert.equal(made.json.key_name, `sk-...${made.json.key.slice(-4)}`);
  const info = await admin('GET', `/key/info?key=${made.json.key}`);
  assert.equal(info.status, 200);
  assert.equal(info.json.key, made.json.token);
  assert.ok(!info.text.includes(made.json.key), 'key/info never echoes the raw key');
});

test('a key reaches only its models (401 key_model_access_denied), and unknown keys are 401', async () => {
  const { json: made } = await admin('POST', '/key/generate', { models: ['gpt-allowed'] });
  const sdk = client(made.key);
  const ok = await sdk.chat.completions.create({ model: 'gpt-allowed', messages: simpleMessages });
  assert.ok(ok.choices.length > 0);
  await assert.rejects(sdk.chat.completions.create({ model: 'gpt-forbidden', messages: simpleMessages }), (error) => {
    assert.equal(error.status, 401);
    assert.equal(error.error?.type ?? error.type, 'key_model_access_denied');
    assert.match(error.message, /gpt-forbidden/);
    return true;
  });
  const unknown = await raw('sk-never-issued-key', 'gpt-allowed');
  assert.equal(unknown.status, 401);
  assert.equal(unknown.json.error.type, 'auth_error');
});

test('key aliases rewrite the model before access checks and routing', async () => {
  const { json: made } = await admin('POST', '/key/generate', {
    models: ['gpt-allowed'], aliases: { 'my-model': 'gpt-allowed' },
  });
  const answer = await client(made.key).chat.completions.create({ model: 'my-model', messages: simpleMessages });
  assert.ok(answer.choices.length > 0);
});

test('rpm_limit: the request past the limit is a 429 with Retry-After and x-ratelimit headers', async () => {
  const { json: made } = await admin('POST', '/key/generate', { rpm_limit: 2 });
  const first = await raw(made.key, 'gpt-allowed');
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('x-ratelimit-limit-requests'), '2');
  assert.equal(first.headers.get('x-ratelimit-remaining-requests'), '1');
  assert.equal((await raw(made.key, 'gpt-allowed')).status, 200);
  const refused = await raw(made.key, 'gpt-allowed');
  assert.equal(refused.status, 429);
  assert.ok(Number(refused.headers.get('retry-after')) >= 1);
  assert.equal(refused.headers.get('x-ratelimit-remaining-requests'), '0');
  assert.match(refused.json.error.message, /Rate limit exceeded for api_key/);
});

test('cost header on answers; budget_exceeded (400) once spend plus the next call\'s estimate passes max_budget', async () => {
  // gpt-allowed costs 1e-6 in, 2e-6 out. With max_tokens 10 a call reserves about 3e-5 (its
  // prompt estimated from the body, 10 output tokens) and really costs 1.5e-5 (the mock's usage).
  const { json: made } = await admin('POST', '/key/generate', { max_budget: 0.00005 });
  const call = async () => {
    const response = await fetch(`${llmux.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${made.key}` },
      body: JSON.stringify({ model: 'gpt-allowed', messages: simpleMessages, max_tokens: 10 }),
    });
    return { status: response.status, headers: response.headers, json: await response.json() };
  };
  let spent = 0;
  let refused = null;
  for (let i = 0; i < 10 && !refused; i += 1) {
    const answer = await call();
    if (answer.status === 200) {
      const cost = Number(answer.headers.get('x-litellm-response-cost'));
      assert.ok(cost > 0);
      spent += cost;
    } else {
      refused = answer;
    }
  }
  assert.ok(spent > 0, 'the first calls fit the budget');
  assert.ok(refused, 'a call whose estimate does not fit is refused');
  assert.equal(refused.status, 400);
  assert.equal(refused.json.error.type, 'budget_exceeded');
  assert.match(refused.json.error.message,
    /^Budget has been exceeded! Current cost: [\d.e-]+, Max budget: 5e-05, Estimated cost of this call: [\d.e-]+$/);
  assert.ok(spent <= 0.00005, `spent ${spent} stays within the budget`);
});

test('blocked keys are refused; spend shows in /key/info and /spend/logs, also after a restart', async () => {
  const { json: made } = await admin('POST', '/key/generate', { key_alias: 'survivor' });
  assert.equal((await raw(made.key, 'gpt-allowed')).status, 200);
  await waitFor(async () => (await admin('GET', `/key/info?key=${made.token}`)).json.info.spend > 0);

  const blocked = await admin('POST', '/key/block', { key: made.key });
  assert.equal(blocked.json.blocked, true);
  assert.equal((await raw(made.key, 'gpt-allowed')).status, 401);
  await admin('POST', '/key/unblock', { key: made.key });

  await llmux.stop('SIGTERM');
  await start();
  const logs = await admin('GET', `/spend/logs?api_key=${made.token}`);
  assert.equal(logs.status, 200);
  assert.equal(logs.json.length, 1);
  assert.equal(logs.json[0].model_group, 'gpt-allowed');
  assert.ok(logs.json[0].spend > 0);
  assert.equal(logs.json[0].status, 'success');
  assert.equal((await raw(made.key, 'gpt-allowed')).status, 200, 'the key still works after a restart');

  const readiness = await (await fetch(`${llmux.url}/health/readiness`)).json();
  assert.equal(readiness.db, 'connected');
});

test('/key/delete removes keys at once', async () => {
  const { json: made } = await admin('POST', '/key/generate', {});
  const deleted = await admin('POST', '/key/delete', { keys: [made.key] });
  assert.deepEqual(deleted.json.deleted_keys, [made.token]);
  assert.equal((await raw(made.key, 'gpt-allowed')).status, 401);
});

test('tag routing: the tags of a key pin it to the deployments carrying them; no match is a 401', async () => {
  const { json: tagged } = await admin('POST', '/key/generate', { tags: ['tag-b'] });
  for (let i = 0; i < 6; i += 1) {
    const answer = await raw(tagged.key, 'tagged');
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('x-llmux-route'), 'tagged[openai/for-tag-b]:ok');
  }
  const { json: stranger } = await admin('POST', '/key/generate', { tags: ['tag-z'] });
  const refused = await raw(stranger.key, 'tagged');
  assert.equal(refused.status, 401);
  assert.match(refused.json.error.message, /Not allowed to access model due to tags configuration/);
});

test('teams and users: the models of a team bound its keys; info lists the keys; spend report groups', async () => {
  const team = await admin('POST', '/team/new', { team_alias: 'blue', models: ['gpt-allowed'] });
  assert.equal(team.status, 200, team.text);
  const user = await admin('POST', '/user/new', { user_email: 'a@example.com', auto_create_key: false });
  assert.equal(user.status, 200, user.text);
  const { json: made } = await admin('POST', '/key/generate', {
    team_id: team.json.team_id, user_id: user.json.user_id,
  });
  assert.equal((await raw(made.key, 'gpt-allowed')).status, 200);
  const forbidden = await raw(made.key, 'gpt-forbidden');
  assert.equal(forbidden.status, 401);
  const info = await admin('GET', `/team/info?team_id=${team.json.team_id}`);
  assert.deepEqual(info.json.keys, [made.token]);
  const userInfo = await admin('GET', `/user/info?user_id=${user.json.user_id}`);
  assert.deepEqual(userInfo.json.keys, [made.token]);
  // LiteLLM's report shape: one entry per day, its teams with their total spend.
  const teamSpend = async () => {
    const report = await admin('GET', '/global/spend/report?group_by=team');
    const teams = report.json.flatMap((day) => day.teams ?? []);
    return teams.find((row) => row.team_id === team.json.team_id)?.total_spend ?? 0;
  };
  assert.ok(await waitFor(async () => (await teamSpend()) > 0), 'the team\'s spend is reported');
  const deleted = await admin('POST', '/team/delete', { team_ids: [team.json.team_id] });
  assert.deepEqual(deleted.json.deleted_teams, [team.json.team_id]);
});

test('streams and /v1/messages: a virtual key works, and the call lands in /spend/logs with its usage', async () => {
  const { json: made } = await admin('POST', '/key/generate', { models: ['gpt-allowed'], rpm_limit: 100 });
  const stream = await client(made.key).chat.completions.create({
    model: 'gpt-allowed', messages: simpleMessages, stream: true,
  });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  assert.ok(text.length > 0);

  const messages = await fetch(`${llmux.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': made.key, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'gpt-allowed', max_tokens: 16, messages: simpleMessages }),
  });
  assert.equal(messages.status, 200);
  assert.equal(messages.headers.get('x-ratelimit-limit-requests'), '100');
  const forbidden = await fetch(`${llmux.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': made.key, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'gpt-forbidden', max_tokens: 16, messages: simpleMessages }),
  });
  assert.equal(forbidden.status, 401);
  assert.equal((await forbidden.json()).error.type, 'authentication_error');

  const logged = await waitFor(async () => {
    const logs = await admin('GET', `/spend/logs?api_key=${made.token}`);
    return logs.json.length === 2 ? logs.json : null;
  });
  assert.ok(logged, 'both calls are logged');
  for (const row of logged) {
    assert.equal(row.status, 'success');
    assert.ok(row.completion_tokens > 0, 'usage is taken from the stream too');
    assert.ok(row.spend > 0);
  }
});
