// Tag routing for every caller (router_settings.enable_tag_filtering, reference §4.6): the master
// key and unauthenticated callers too, with tags from the body (`tags`, `metadata.tags`) and the
// `x-litellm-tags` header; tag_filtering_match_any; nothing filtered when the option is off; and
// general_settings.reject_clientside_metadata_tags.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startLlmux, startMock, chat, toYaml } from '../lib/harness.mjs';

let mock;
const gateways = [];

before(async () => {
  mock = await startMock();
});

after(async () => {
  for (const g of gateways) await g.stop();
  await mock?.stop();
});

function tiered(routerSettings = {}, generalSettings = {}) {
  const tier = (marker, tags) => ({
    model_name: 'chat',
    litellm_params: { model: `openai/${marker}`, api_base: `${mock.url}/${marker}/v1`, api_key: 'sk-upstream', tags },
    model_info: { id: marker },
  });
  return toYaml({
    model_list: [tier('chat-free', ['free']), tier('chat-premium', ['premium', 'eu']), tier('chat-default', ['default'])],
    router_settings: { num_retries: 0, ...routerSettings },
    ...(Object.keys(generalSettings).length ? { general_settings: generalSettings } : {}),
  });
}

async function gateway(routerSettings, generalSettings) {
  const g = await startLlmux(tiered(routerSettings, generalSettings));
  gateways.push(g);
  return g;
}

const messages = [{ role: 'user', content: 'hi' }];
async function servedBy(g, body = {}, headers = {}, n = 6) {
  const ids = new Set();
  for (let i = 0; i < n; i += 1) {
    const r = await chat(g.url, { model: 'chat', messages, ...body }, headers);
    if (r.status !== 200) return { status: r.status, json: r.json };
    ids.add(r.headers.get('x-litellm-model-id'));
  }
  return { status: 200, ids: [...ids].sort() };
}

test('with enable_tag_filtering, an unauthenticated caller is routed by the x-litellm-tags header', async () => {
  const g = await gateway({ enable_tag_filtering: true });
  assert.deepEqual((await servedBy(g, {}, { 'x-litellm-tags': 'premium' })).ids, ['chat-premium']);
  assert.deepEqual((await servedBy(g, {}, { 'x-litellm-tags': ' free , other' })).ids, ['chat-free']);
  // No tags: the "default" deployment; a tag nothing has: the default one too (LiteLLM's order).
  assert.deepEqual((await servedBy(g)).ids, ['chat-default']);
  assert.deepEqual((await servedBy(g, {}, { 'x-litellm-tags': 'gold' })).ids, ['chat-default']);
  // Body tags and header tags together (any overlap is enough by default).
  assert.deepEqual((await servedBy(g, { metadata: { tags: ['eu'] } }, { 'x-litellm-tags': 'nothing' })).ids,
    ['chat-premium']);
  assert.deepEqual((await servedBy(g, { tags: ['free'] })).ids, ['chat-free']);
  // A marker that rules everything out is LiteLLM's 401.
  const refused = await servedBy(g, {}, { 'x-litellm-tags': '&platinum' }, 1);
  assert.equal(refused.status, 401);
  assert.match(refused.json.error.message, /Not allowed to access model due to tags configuration/);
});

test('the master key is routed by tags too', async () => {
  const g = await startLlmux(tiered({ enable_tag_filtering: true }, { master_key: 'sk-master-tags' }));
  gateways.push(g);
  const auth = { authorization: 'Bearer sk-master-tags' };
  assert.deepEqual((await servedBy(g, {}, { ...auth, 'x-litellm-tags': 'free' })).ids, ['chat-free']);
  assert.deepEqual((await servedBy(g, { metadata: { tags: ['premium'] } }, auth)).ids, ['chat-premium']);
});

test('tag_filtering_match_any: false needs every request tag on the deployment', async () => {
  const g = await gateway({ enable_tag_filtering: true, tag_filtering_match_any: false });
  assert.deepEqual((await servedBy(g, {}, { 'x-litellm-tags': 'premium,eu' })).ids, ['chat-premium']);
  // premium + free: no deployment has both, so the default one serves.
  assert.deepEqual((await servedBy(g, {}, { 'x-litellm-tags': 'premium,free' })).ids, ['chat-default']);
});

test('without enable_tag_filtering, tags route nothing (LiteLLM loads them and ignores them too)', async () => {
  const g = await gateway({});
  const r = await servedBy(g, {}, { 'x-litellm-tags': 'premium' }, 40);
  assert.deepEqual(r.ids, ['chat-default', 'chat-free', 'chat-premium']);
});

test('reject_clientside_metadata_tags refuses client tags in the body and the header', async () => {
  const g = await gateway({ enable_tag_filtering: true }, { reject_clientside_metadata_tags: true });
  const body = await chat(g.url, { model: 'chat', messages, metadata: { tags: ['premium'] } });
  assert.equal(body.status, 400);
  assert.equal(body.json.error.param, 'metadata.tags');
  assert.match(body.json.error.message, /Client-side 'metadata.tags' not allowed/);
  const header = await chat(g.url, { model: 'chat', messages }, { 'x-litellm-tags': 'premium' });
  assert.equal(header.status, 400);
  assert.equal(header.json.error.param, 'x-litellm-tags');
  assert.equal((await chat(g.url, { model: 'chat', messages })).status, 200);
});

test('an x-litellm-tags header past max_routing_list_items is a 400 naming the limit', async () => {
  const g = await gateway({ enable_tag_filtering: true });
  const many = Array.from({ length: 1001 }, (_, i) => `t${i}`).join(',');
  const r = await chat(g.url, { model: 'chat', messages }, { 'x-litellm-tags': many });
  assert.equal(r.status, 400);
  assert.match(r.json.error.message, /max_routing_list_items/);
});
