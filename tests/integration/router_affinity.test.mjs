// Sticky A/B splits (router_settings.optional_pre_call_checks: deployment_affinity,
// session_affinity): the same caller — `user`, session header, virtual key — lands on the same
// deployment every time while a weighted split holds across callers, and
// /global/spend/report?group_by=deployment reads the test off.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startLlmux, startMock, chat, toYaml, waitFor } from '../lib/harness.mjs';
import { adminRequest, chatAs } from '../lib/tenancy.mjs';

const MASTER = 'sk-master-affinity';
let mock;
let llmux;

function variant(group, marker, weight, extra = {}) {
  return {
    model_name: group,
    litellm_params: { model: `openai/${marker}`, api_base: `${mock.url}/${marker}/v1`, api_key: 'sk-upstream', weight, ...extra },
    model_info: { id: marker, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002 },
  };
}

before(async () => {
  mock = await startMock();
  llmux = await startLlmux(toYaml({
    model_list: [
      variant('ab', 'ab-control', 3),
      variant('ab', 'ab-treatment', 1),
      variant('sessions', 'replica-1', 1),
      variant('sessions', 'replica-2', 1),
      variant('sessions', 'replica-3', 1),
      variant('free', 'free-a', 1),
      variant('free', 'free-b', 1),
    ],
    router_settings: {
      num_retries: 0,
      optional_pre_call_checks: ['deployment_affinity'],
      model_group_affinity_config: { sessions: ['session_affinity'] },
    },
    general_settings: { master_key: MASTER },
    llmux_settings: { session_header: 'x-conversation-id' },
  }));
});

after(async () => {
  await llmux?.stop();
  await mock?.stop();
});

const auth = { authorization: `Bearer ${MASTER}` };
const messages = [{ role: 'user', content: 'ping' }];
const admin = (method, path, body) => adminRequest(llmux.url, MASTER, method, path, body);

async function servedFor(body, headers = {}) {
  const answer = await chat(llmux.url, { messages, ...body }, { ...auth, ...headers });
  assert.equal(answer.status, 200, answer.text);
  return { id: answer.headers.get('x-litellm-model-id'), affinity: answer.headers.get('x-llmux-affinity') };
}

test('the same user lands on the same variant every time, and the split holds across users', async () => {
  const home = {};
  for (let u = 0; u < 120; u += 1) {
    const first = await servedFor({ model: 'ab', user: `user-${u}` });
    assert.equal(first.affinity, 'user');
    home[u] = first.id;
  }
  for (let u = 0; u < 120; u += 7) {
    for (let again = 0; again < 4; again += 1) {
      assert.equal((await servedFor({ model: 'ab', user: `user-${u}` })).id, home[u], `user-${u} flipped variant`);
    }
  }
  const treatment = Object.values(home).filter((id) => id === 'ab-treatment').length;
  // weight 3:1 → a quarter of the users, 30 of 120; binomial sd ≈ 4.7.
  assert.ok(treatment >= 15 && treatment <= 45, `treatment has ${treatment} of 120 users (expected about 30)`);
});

test('without a user (master key) the split stays random', async () => {
  const seen = new Set();
  for (let i = 0; i < 40; i += 1) {
    const { id, affinity } = await servedFor({ model: 'ab' });
    assert.equal(affinity, null);
    seen.add(id);
  }
  assert.equal(seen.size, 2);
});

test('a virtual key is its own identity: every call of one key on one variant', async () => {
  for (let k = 0; k < 4; k += 1) {
    const made = await admin('POST', '/key/generate', {});
    const ids = new Set();
    for (let i = 0; i < 6; i += 1) {
      const answer = await chatAs(llmux.url, made.key, { model: 'free', messages });
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('x-llmux-affinity'), 'key');
      ids.add(answer.headers.get('x-litellm-model-id'));
    }
    assert.equal(ids.size, 1, `key ${k} moved between ${[...ids]}`);
  }
});

test('session affinity by the configured header: one conversation, one replica', async () => {
  const replicas = new Set();
  for (let s = 0; s < 12; s += 1) {
    const session = `conv-${s}`;
    const first = await servedFor({ model: 'sessions', user: 'same-user' }, { 'x-conversation-id': session });
    assert.equal(first.affinity, 'session');
    replicas.add(first.id);
    for (let again = 0; again < 3; again += 1) {
      const next = await servedFor({ model: 'sessions', user: 'same-user' }, { 'x-conversation-id': session });
      assert.equal(next.id, first.id, `${session} moved`);
    }
  }
  assert.ok(replicas.size >= 2, 'sessions spread over the replicas');
  // The group's own config names only session_affinity: a user without a session is not pinned.
  assert.equal((await servedFor({ model: 'sessions', user: 'same-user' })).affinity, null);
});

test('/global/spend/report?group_by=deployment reads the A/B test off, filtered by model group', async () => {
  const report = await waitFor(async () => {
    const got = await admin('GET', '/global/spend/report?group_by=deployment&model=ab');
    const total = Array.isArray(got) ? got.reduce((n, r) => n + r.requests, 0) : 0;
    return total >= 120 + 18 * 4 + 40 ? got : null;
  }, { timeoutMs: 20_000 });
  assert.ok(report, 'the report counts every call to the ab group');
  assert.deepEqual(report.map((r) => r.model_group), ['ab', 'ab']);
  const byId = Object.fromEntries(report.map((r) => [r.deployment_id, r]));
  for (const id of ['ab-control', 'ab-treatment']) {
    const row = byId[id];
    assert.ok(row, `${id} in the report: ${JSON.stringify(report)}`);
    assert.equal(row.model, id);
    assert.equal(row.errors, 0);
    assert.ok(row.prompt_tokens > 0 && row.completion_tokens > 0);
    assert.equal(row.total_tokens, row.prompt_tokens + row.completion_tokens);
    assert.ok(row.spend > 0);
    assert.ok(row.latency_ms.p50 <= row.latency_ms.p95, JSON.stringify(row.latency_ms));
    assert.ok(row.latency_ms.mean >= 0);
  }
  assert.ok(byId['ab-control'].requests > byId['ab-treatment'].requests);
  // The sessions calls came last: their rows may be in the writer's next batch.
  const all = await waitFor(async () => {
    const got = await admin('GET', '/global/spend/report?group_by=deployment');
    return got.some((r) => r.model_group === 'sessions') ? got : null;
  }, { timeoutMs: 20_000 });
  assert.ok(all, 'without model= every group is there');
  assert.ok(all.some((r) => r.model_group === 'ab'));
  const bad = await fetch(`${llmux.url}/global/spend/report?group_by=variant`, { headers: auth });
  assert.equal(bad.status, 400);
  assert.match((await bad.json()).error.message, /deployment/);
});
