// What a virtual key sees and reaches: tag routing (key, team and request tags) in the requested
// group and in every fallback group, model access groups, and GET /v1/models listing only the
// models the key may call.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startLlmux, startMock, simpleMessages, toYaml, mockHits, routeEntries } from '../lib/harness.mjs';
import { adminRequest, chatAs } from '../lib/tenancy.mjs';

const MASTER = 'sk-master-routing';
let mock;
let llmux;

// A deployment of `group` served by the mock under `/<marker>/`.
function deployment(group, marker, { tags, fault, accessGroups } = {}) {
  const faultSegment = fault ? `/fault/${fault}` : '';
  return {
    model_name: group,
    litellm_params: {
      model: `openai/${marker}`,
      api_base: `${mock.url}/${marker}${faultSegment}/v1`,
      api_key: 'sk-upstream',
      ...(tags ? { tags } : {}),
    },
    model_info: { id: marker, ...(accessGroups ? { access_groups: accessGroups } : {}) },
  };
}

before(async () => {
  mock = await startMock();
  llmux = await startLlmux(toYaml({
    model_list: [
      // free → self-hosted, premium → hosted, behind the same model names.
      deployment('chat', 'chat-free', { tags: ['free'], fault: 'status=500' }),
      deployment('chat', 'chat-premium', { tags: ['premium'], fault: 'status=500' }),
      deployment('backup', 'backup-free', { tags: ['free'] }),
      deployment('backup', 'backup-premium', { tags: ['premium'] }),
      deployment('plain-a', 'plain-a'),
      deployment('plain-b', 'plain-b'),
      deployment('plain-c', 'plain-c', { accessGroups: ['beta-models'] }),
    ],
    router_settings: {
      enable_tag_filtering: true,  // LiteLLM filters by tags only when asked to
      num_retries: 0,
      allowed_fails: 1000,
      fallbacks: [{ chat: ['backup'] }],
      model_group_alias: { 'alias-b': 'plain-b' },
    },
    general_settings: { master_key: MASTER },
  }));
});

after(async () => {
  await llmux?.stop();
  await mock?.stop();
});

const admin = (method, path, body) => adminRequest(llmux.url, MASTER, method, path, body);
const call = (key, body) => chatAs(llmux.url, key, { messages: simpleMessages, ...body });

async function listModels(key, path = '/v1/models') {
  const response = await fetch(`${llmux.url}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, json: await response.json() };
}

test('a fallback group is tag-restricted too: a free key falls back to the free deployment only', async () => {
  const { key } = await admin('POST', '/key/generate', { tags: ['free'] });
  await mock.clearRequests();
  for (let i = 0; i < 8; i += 1) {
    const answer = await call(key, { model: 'chat' });
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    const route = routeEntries(answer.headers).map((e) => `${e.group}[${e.model}]:${e.outcome}`);
    assert.deepEqual(route, ['chat[openai/chat-free]:internal(500)', 'backup[openai/backup-free]:ok']);
  }
  assert.equal(await mockHits(mock, '/backup-premium/'), 0, 'the premium fallback deployment is never reached');
  assert.equal(await mockHits(mock, '/chat-premium/'), 0);
});

test('team tags and request tags select deployments like key tags', async () => {
  const team = await admin('POST', '/team/new', { team_alias: 'paying', tags: ['premium'] });
  const { key: teamKey } = await admin('POST', '/key/generate', { team_id: team.team_id });
  const { key: untagged } = await admin('POST', '/key/generate', {});
  for (let i = 0; i < 6; i += 1) {
    const byTeam = await call(teamKey, { model: 'backup' });
    assert.equal(byTeam.headers.get('x-llmux-route'), 'backup[openai/backup-premium]:ok');
    const byBody = await call(untagged, { model: 'backup', metadata: { tags: ['premium'] } });
    assert.equal(byBody.headers.get('x-llmux-route'), 'backup[openai/backup-premium]:ok');
    const byTopLevel = await call(untagged, { model: 'backup', tags: ['free'] });
    assert.equal(byTopLevel.headers.get('x-llmux-route'), 'backup[openai/backup-free]:ok');
  }
});

test('GET /v1/models lists only what the key may call; the master key sees every model', async () => {
  const all = await listModels(MASTER);
  assert.deepEqual(all.json.data.map((m) => m.id), ['chat', 'backup', 'plain-a', 'plain-b', 'plain-c', 'alias-b']);

  const { key } = await admin('POST', '/key/generate', { models: ['plain-a', 'plain-b'], aliases: { 'my-a': 'plain-a' } });
  for (const path of ['/v1/models', '/models']) {
    const mine = await listModels(key, path);
    assert.equal(mine.status, 200);
    assert.equal(mine.json.object, 'list');
    // alias-b is a proxy alias the key's models do not name: calling it is refused, so it is not listed.
    assert.deepEqual(mine.json.data.map((m) => m.id), ['plain-a', 'plain-b', 'my-a']);
    assert.deepEqual(mine.json.data[0], { id: 'plain-a', object: 'model', created: 1677610602, owned_by: 'openai' });
  }
  assert.equal((await call(key, { model: 'alias-b' })).status, 401);
  assert.equal((await call(key, { model: 'my-a' })).status, 200);

  assert.equal((await listModels(key, '/v1/models/plain-a')).status, 200);
  assert.equal((await listModels(key, '/v1/models/my-a')).json.id, 'my-a');
  const hidden = await listModels(key, '/v1/models/plain-c');
  assert.equal(hidden.status, 404);
  assert.equal(hidden.json.error.message, "The model 'plain-c' does not exist");
  assert.equal((await listModels(MASTER, '/v1/models/plain-c')).status, 200);

  const team = await admin('POST', '/team/new', { team_alias: 'c-only', models: ['plain-c'] });
  const { key: teamKey } = await admin('POST', '/key/generate', { team_id: team.team_id });
  assert.deepEqual((await listModels(teamKey)).json.data.map((m) => m.id), ['plain-c']);
});

test('a key whose models name an access group may call the models in that group, and lists only them', async () => {
  const { key } = await admin('POST', '/key/generate', { models: ['beta-models'] });
  const allowed = await call(key, { model: 'plain-c' });
  assert.equal(allowed.status, 200);
  assert.equal(allowed.headers.get('x-llmux-route'), 'plain-c[openai/plain-c]:ok');
  const refused = await call(key, { model: 'plain-a' });
  assert.equal(refused.status, 401);
  assert.match(refused.json.error.message, /Tried to access plain-a/);
  assert.deepEqual((await listModels(key)).json.data.map((m) => m.id), ['plain-c']);
});
