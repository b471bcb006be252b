// The LiteLLM admin API's edges: /user/new also makes the user's key, /team/block takes effect on
// the very next request, /global/spend/report answers in LiteLLM's shapes, and every route answers
// bad input (non-JSON, wrong types, missing fields, unknown ids) with an OpenAI error body and the
// right status, never echoing a key, a key hash or the master key — in answers or in the log.
// The master key comes from LLMUX_MASTER_KEY here (the config has none).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startLlmux, startMock, simpleMessages, waitFor } from '../lib/harness.mjs';

const MASTER = 'sk-master-admin-edges';
let mock;
let llmux;

function yaml() {
  return [
    'model_list:',
    '  - model_name: model-a',
    '    litellm_params:',
    '      model: openai/upstream-a',
    `      api_base: ${mock.base()}`,
    '      api_key: sk-upstream',
    '    model_info:',
    '      input_cost_per_token: 0.000001',
    '      output_cost_per_token: 0.000002',
    '  - model_name: model-b',
    '    litellm_params:',
    '      model: openai/upstream-b',
    `      api_base: ${mock.base()}`,
    '      api_key: sk-upstream',
    '    model_info:',
    '      input_cost_per_token: 0.000001',
    '      output_cost_per_token: 0.000002',
    'router_settings:',
    '  num_retries: 0',
  ].join('\n');
}

async function call(method, path, { body, rawBody, key = MASTER } = {}) {
  const response = await fetch(`${llmux.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
  });
  const text = await response.text();
  return { status: response.status, json: JSON.parse(text), text };
}
const admin = (method, path, body) => call(method, path, { body });

async function chat(key, model) {
  const response = await fetch(`${llmux.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({ model, messages: simpleMessages }),
  });
  return { status: response.status, json: await response.json() };
}

// An OpenAI-shaped error with this status: {"error":{"message","type","param","code":"<status>"}}.
function assertError(answer, status, messagePattern) {
  assert.equal(answer.status, status, answer.text);
  const { error } = answer.json;
  assert.ok(error, `an error object: ${answer.text}`);
  assert.equal(typeof error.message, 'string');
  assert.equal(typeof error.type, 'string');
  assert.ok('param' in error);
  assert.equal(error.code, String(status));
  if (messagePattern) assert.match(error.message, messagePattern);
}

// Every secret an answer or the log must never show.
const secrets = new Set([MASTER]);

before(async () => {
  mock = await startMock();
  llmux = await startLlmux(yaml(), { args: ['--verbose'], env: { LLMUX_MASTER_KEY: MASTER } });
});

after(async () => {
  await llmux?.stop();
  await mock?.stop();
});

test('/user/new makes the user and a key of theirs, shown once; auto_create_key: false makes none', async () => {
  const made = await admin('POST', '/user/new', {
    user_id: 'alice', user_email: 'alice@example.com', models: ['model-a'], key_alias: 'alice-key',
  });
  assert.equal(made.status, 200, made.text);
  secrets.add(made.json.key).add(made.json.token);
  assert.match(made.json.key, /^sk-[A-Za-z0-9_-]{22}$/);
  assert.match(made.json.token, /^[0-9a-f]{64}$/);
  assert.equal(made.json.key_name, `sk-...${made.json.key.slice(-4)}`);
  assert.equal(made.json.user_id, 'alice');
  assert.equal(made.json.user_email, 'alice@example.com');
  assert.deepEqual(made.json.models, ['model-a']);
  assert.equal(made.json.key_alias, 'alice-key');
  assert.equal(made.json.expires, null);

  // The key belongs to the user and reaches only the user's models.
  assert.equal((await chat(made.json.key, 'model-a')).status, 200);
  const denied = await chat(made.json.key, 'model-b');
  assert.equal(denied.status, 401);
  const keyInfo = await admin('GET', `/key/info?key=${made.json.token}`);
  assert.equal(keyInfo.json.info.user_id, 'alice');
  const userInfo = await admin('GET', '/user/info?user_id=alice');
  assert.deepEqual(userInfo.json.keys, [made.json.token]);
  assert.ok(!userInfo.text.includes(made.json.key), 'user/info never shows the raw key');

  const bare = await admin('POST', '/user/new', { user_id: 'bob', auto_create_key: false });
  assert.equal(bare.status, 200, bare.text);
  assert.equal(bare.json.key, undefined);
  assert.deepEqual((await admin('GET', '/user/info?user_id=bob')).json.keys, []);

  // A second user with the same id is refused, and makes no orphan key.
  const again = await admin('POST', '/user/new', { user_id: 'alice' });
  assertError(again, 400, /already exists/);
  assert.equal((await admin('GET', '/key/list?user_id=alice')).json.total_count, 1);
});

test('/team/block refuses the team\'s keys on the next request; /team/unblock lets them in again', async () => {
  const team = await admin('POST', '/team/new', { team_alias: 'blockable' });
  const teamId = team.json.team_id;
  const { json: key } = await admin('POST', '/key/generate', { team_id: teamId });
  secrets.add(key.key).add(key.token);
  assert.equal((await chat(key.key, 'model-a')).status, 200);

  const blocked = await admin('POST', '/team/block', { team_id: teamId });
  assert.equal(blocked.status, 200, blocked.text);
  assert.equal(blocked.json.blocked, true);
  assert.equal(blocked.json.team_id, teamId);
  const refused = await chat(key.key, 'model-a');
  assert.equal(refused.status, 401);
  assert.equal(refused.json.error.type, 'auth_error');
  assert.match(refused.json.error.message, new RegExp(`Team=${teamId} is blocked. Update via /team/unblock`));
  assert.equal((await admin('GET', `/team/info?team_id=${teamId}`)).json.team_info.blocked, true);

  const unblocked = await admin('POST', '/team/unblock', { team_id: teamId });
  assert.equal(unblocked.json.blocked, false);
  assert.equal((await chat(key.key, 'model-a')).status, 200);

  assertError(await admin('POST', '/team/block', { team_id: 'no-such-team' }), 404, /Team not found/);
  assertError(await admin('POST', '/team/block', {}), 400, /team_id/);
  assertError(await admin('GET', '/team/block'), 405);
});

test('a key generated with blocked: true is refused until /key/update unblocks it', async () => {
  const { json: key } = await admin('POST', '/key/generate', { blocked: true });
  secrets.add(key.key).add(key.token);
  assert.equal(key.blocked, true);
  const refused = await chat(key.key, 'model-a');
  assert.equal(refused.status, 401);
  assert.match(refused.json.error.message, /Key is blocked/);
  const updated = await admin('POST', '/key/update', { key: key.key, blocked: false });
  assert.equal(updated.json.blocked, false);
  assert.equal((await chat(key.key, 'model-a')).status, 200);
});

test('/global/spend/report: LiteLLM\'s day → team → (model, key) shape, per-key totals, filters', async () => {
  const team = await admin('POST', '/team/new', { team_alias: 'reporting' });
  const { json: key } = await admin('POST', '/key/generate', { team_id: team.json.team_id });
  secrets.add(key.key);
  assert.equal((await chat(key.key, 'model-a')).status, 200);
  assert.equal((await chat(key.key, 'model-b')).status, 200);
  const today = new Date().toISOString().slice(0, 10);
  const range = `start_date=${today}&end_date=${today}`;

  const teamsOfToday = async () => {
    const report = await admin('GET', `/global/spend/report?${range}&group_by=team`);
    const day = report.json.find((row) => row.group_by_day === `${today}T00:00:00+00:00`);
    const entry = day?.teams.find((t) => t.team_id === team.json.team_id);
    return entry?.metadata.length === 2 ? entry : null;
  };
  const entry = await waitFor(teamsOfToday);
  assert.ok(entry, 'the team shows up in today\'s report with both models');
  assert.equal(entry.team_name, 'reporting');
  assert.ok(entry.total_spend > 0);
  const models = entry.metadata.map((m) => m.model).sort();
  assert.deepEqual(models, ['upstream-a', 'upstream-b']);
  for (const item of entry.metadata) {
    assert.equal(item.api_key, key.token);
    assert.ok(item.spend > 0);
    assert.ok(item.total_tokens > 0);
  }
  const sum = entry.metadata.reduce((total, m) => total + m.spend, 0);
  assert.ok(Math.abs(sum - entry.total_spend) < 1e-12);

  // The default grouping is LiteLLM's: by team.
  const byDefault = await admin('GET', `/global/spend/report?${range}`);
  assert.ok(byDefault.json.every((row) => Array.isArray(row.teams)));

  const perKey = await admin('GET', `/global/spend/report?${range}&group_by=api_key`);
  const mine = perKey.json.find((row) => row.api_key === key.token);
  assert.ok(mine.total_cost > 0);
  assert.ok(mine.total_input_tokens > 0 && mine.total_output_tokens > 0);
  assert.equal(mine.model_details.length, 2);
  // Naming one key (raw or hashed) narrows the report to it.
  const oneKey = await admin('GET', `/global/spend/report?${range}&api_key=${encodeURIComponent(key.key)}`);
  assert.deepEqual(oneKey.json.map((row) => row.api_key), [key.token]);
  assert.ok(!oneKey.text.includes(key.key));

  const perModel = await admin('GET', `/global/spend/report?${range}&group_by=model`);
  const groups = perModel.json.find((row) => row.group_by_day.startsWith(today)).model_groups.map((g) => g.model_group);
  assert.ok(groups.includes('model-a') && groups.includes('model-b'));

  const future = await admin('GET', '/global/spend/report?start_date=2999-01-01&end_date=2999-01-02');
  assert.deepEqual(future.json, []);
  assertError(await admin('GET', '/global/spend/report?group_by=weekday'), 400, /group_by must be one of/);
  assertError(await admin('GET', '/global/spend/report?start_date=yesterday'), 400, /start_date must be a date/);
});

test('every admin route answers a body that is not a JSON object with a 400 error', async () => {
  const posts = ['/key/generate', '/key/update', '/key/delete', '/key/block', '/key/unblock', '/key/regenerate',
    '/team/new', '/team/update', '/team/delete', '/team/block', '/team/unblock',
    '/user/new', '/user/update', '/user/delete'];
  for (const path of posts) {
    for (const rawBody of ['{not json', '[1,2]', '"text"']) {
      const answer = await call('POST', path, { rawBody });
      assertError(answer, 400, /JSON object/);
    }
  }
});

test('wrong field types are 400s naming the field; nothing is created', async () => {
  const cases = [
    ['/key/generate', { models: 'model-a' }, /models must be a list of strings/],
    ['/key/generate', { max_budget: 'lots' }, /max_budget must be a number/],
    ['/key/generate', { rpm_limit: 1.5 }, /rpm_limit must be an integer/],
    ['/key/generate', { aliases: ['x'] }, /aliases must be an object of strings/],
    ['/key/generate', { metadata: 'x' }, /metadata must be an object/],
    ['/key/generate', { duration: 'forever' }, /invalid duration "forever"/],
    ['/key/generate', { blocked: 'yes' }, /blocked must be true or false/],
    ['/team/new', { team_alias: 7 }, /team_alias must be a string/],
    ['/team/new', { blocked: 1 }, /blocked must be true or false/],
    ['/team/new', { team_id: 'typed', budget_duration: 'someday' }, /invalid duration "someday"/],
    ['/user/new', { user_id: 'typed', tpm_limit: '10' }, /tpm_limit must be an integer/],
    ['/user/new', { user_id: 'typed', auto_create_key: 'no' }, /auto_create_key must be true or false/],
  ];
  for (const [path, body, pattern] of cases) assertError(await admin('POST', path, body), 400, pattern);
  assertError(await admin('GET', '/user/info?user_id=typed'), 404, /User not found/);
  assertError(await admin('GET', '/team/info?team_id=typed'), 404, /Team not found/);
  assertError(await admin('GET', '/key/list?page=first'), 400, /page and size must be integers/);
});

test('missing ids are 400s; unknown keys, teams and users are 404s that never echo the key', async () => {
  assertError(await admin('POST', '/key/update', {}), 400, /Missing required field: key/);
  assertError(await admin('GET', '/key/info'), 400, /Missing required field: key/);
  assertError(await admin('POST', '/key/delete', {}), 400, /keys/);
  assertError(await admin('POST', '/team/update', {}), 400, /Missing required field: team_id/);
  assertError(await admin('POST', '/team/delete', {}), 400, /Missing required field: team_ids/);
  assertError(await admin('POST', '/user/update', {}), 400, /Missing required field: user_id/);
  assertError(await admin('POST', '/user/delete', {}), 400, /Missing required field: user_ids/);

  const unknownKey = 'sk-unknown-key-never-issued-0001';
  secrets.add(unknownKey);
  for (const [method, path, body] of [
    ['GET', `/key/info?key=${unknownKey}`],
    ['POST', '/key/update', { key: unknownKey, rpm_limit: 1 }],
    ['POST', '/key/block', { key: unknownKey }],
    ['POST', '/key/unblock', { key: unknownKey }],
    ['POST', '/key/regenerate', { key: unknownKey }],
    ['POST', '/key/delete', { keys: [unknownKey] }],
  ]) {
    const answer = await admin(method, path, body);
    assertError(answer, 404, /Key not found/);
    assert.ok(!answer.text.includes(unknownKey), `${path} does not echo the key`);
    assert.ok(!answer.text.includes('sk-unknown'), `${path} does not echo any part of the key`);
  }
  assertError(await admin('GET', '/team/info?team_id=nope'), 404, /Team not found/);
  assertError(await admin('POST', '/team/update', { team_id: 'nope', rpm_limit: 1 }), 404, /Team not found/);
  assertError(await admin('POST', '/team/delete', { team_ids: ['nope'] }), 404, /Team not found/);
  assertError(await admin('POST', '/user/update', { user_id: 'nope', rpm_limit: 1 }), 404, /User not found/);
  assertError(await admin('POST', '/user/delete', { user_ids: ['nope'] }), 404, /User not found/);
  assertError(await admin('GET', '/user/info'), 400, /Missing required field: user_id/);
});

test('a duplicate key_alias is a 400 that hides the database\'s wording', async () => {
  assert.equal((await admin('POST', '/key/generate', { key_alias: 'only-once' })).status, 200);
  const again = await admin('POST', '/key/generate', { key_alias: 'only-once' });
  assertError(again, 400, /already exists/);
  assert.ok(!/constraint|sqlite|llmux_/i.test(again.text), again.text);
});

test('non-master keys are refused on admin routes, and no secret ever reached the log', async () => {
  const { json: key } = await admin('POST', '/key/generate', {});
  secrets.add(key.key).add(key.token);
  for (const path of ['/team/block', '/user/new', '/key/generate']) {
    assertError(await call('POST', path, { body: {}, key: key.key }), 401, /Only proxy admin/);
  }
  const log = llmux.proc.outputText();
  assert.ok(log.length > 0);
  for (const secret of secrets) assert.ok(!log.includes(secret), 'a key, key hash or the master key reached the log');
});

test('/key/delete by key_aliases deletes those keys at once; an unknown alias is a 404', async () => {
  const one = await admin('POST', '/key/generate', { key_alias: 'delete-me-1' });
  const two = await admin('POST', '/key/generate', { key_alias: 'delete-me-2' });
  const kept = await admin('POST', '/key/generate', { key_alias: 'keep-me' });
  assert.equal((await chat(one.json.key, 'model-a')).status, 200);

  const deleted = await admin('POST', '/key/delete', { key_aliases: ['delete-me-1', 'delete-me-2'] });
  assert.equal(deleted.status, 200, deleted.text);
  assert.deepEqual(deleted.json.deleted_keys.sort(), [one.json.token, two.json.token].sort());
  assert.equal((await chat(one.json.key, 'model-a')).status, 401);
  assert.equal((await chat(two.json.key, 'model-a')).status, 401);
  assert.equal((await chat(kept.json.key, 'model-a')).status, 200);

  assertError(await admin('POST', '/key/delete', { key_aliases: ['never-made'] }), 404, /Key not found/);
  assertError(await admin('POST', '/key/delete', {}), 400, /keys or key_aliases/);
});
