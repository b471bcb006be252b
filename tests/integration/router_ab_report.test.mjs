// /global/spend/report?group_by=deployment on both stores (SQLite by default, PostgreSQL through
// DATABASE_URL): per variant of an A/B split its requests, errors (failure rows, named after the
// deployment tried last), tokens, spend and latency (mean, p50, p95), filtered by model group.
// The PostgreSQL run is skipped (with the reason) only where its server binaries are missing.

import { test, after } from 'node:test';
import assert from 'node:assert/strict';

import { startLlmux, startMock, chat, toYaml, waitFor } from '../lib/harness.mjs';
import { postgresSkipReason, startPostgres } from './tenancy_store_support.mjs';

const MASTER = 'sk-master-ab-report';
const mocks = [];
const databases = [];
after(async () => {
  for (const m of mocks) await m.stop();
  for (const db of databases) await db.destroy();
});

function configFor(mock) {
  const variant = (marker, weight, fault) => ({
    model_name: 'ab',
    litellm_params: {
      model: `openai/${marker}`,
      api_base: `${mock.url}/${marker}${fault ? `/fault/${fault}` : ''}/v1`,
      api_key: 'sk-upstream',
      weight,
    },
    model_info: { id: marker, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002 },
  });
  return toYaml({
    model_list: [
      variant('variant-a', 1),
      variant('variant-b', 1, 'status=500'),
      { model_name: 'other', litellm_params: { model: 'openai/other', api_base: `${mock.url}/other/v1`, api_key: 'k' } },
    ],
    // No retries and no cooldown: each call tries one variant, so B's calls are all errors.
    router_settings: { num_retries: 0, disable_cooldowns: true, optional_pre_call_checks: ['deployment_affinity'] },
    general_settings: { master_key: MASTER },
  });
}

async function readReport(env) {
  const mock = await startMock();
  mocks.push(mock);
  const llmux = await startLlmux(configFor(mock), { env });
  try {
    const auth = { authorization: `Bearer ${MASTER}` };
    const outcomes = { a: 0, b: 0 };
    for (let u = 0; u < 40; u += 1) {
      const answer = await chat(llmux.url, { model: 'ab', user: `u${u}`, messages: [{ role: 'user', content: 'hi' }] }, auth);
      outcomes[answer.status === 200 ? 'a' : 'b'] += 1;
    }
    await chat(llmux.url, { model: 'other', messages: [{ role: 'user', content: 'hi' }] }, auth);
    const report = await waitFor(async () => {
      const got = await (await fetch(`${llmux.url}/global/spend/report?group_by=deployment&model=ab`, { headers: auth })).json();
      return Array.isArray(got) && got.reduce((n, r) => n + r.requests, 0) === 40 ? got : null;
    }, { timeoutMs: 20_000 });
    return { report, outcomes };
  } finally {
    await llmux.stop();
  }
}

function checkReport({ report, outcomes }) {
  assert.ok(report, 'every call is in the report');
  assert.ok(outcomes.a > 0 && outcomes.b > 0, JSON.stringify(outcomes));
  const byId = Object.fromEntries(report.map((r) => [r.deployment_id, r]));
  assert.deepEqual(Object.keys(byId).sort(), ['variant-a', 'variant-b'], 'model=ab leaves the other group out');
  const a = byId['variant-a'];
  const b = byId['variant-b'];
  assert.equal(a.requests, outcomes.a);
  assert.equal(a.errors, 0);
  assert.equal(b.requests, outcomes.b);
  assert.equal(b.errors, outcomes.b, 'every call B served failed');
  assert.equal(b.spend, 0);
  assert.ok(a.prompt_tokens > 0 && a.completion_tokens > 0 && a.spend > 0, JSON.stringify(a));
  for (const row of [a, b]) {
    assert.equal(row.model_group, 'ab');
    assert.ok(Number.isInteger(row.latency_ms.p50) && Number.isInteger(row.latency_ms.p95));
    assert.ok(row.latency_ms.p50 <= row.latency_ms.p95);
  }
}

test('group_by=deployment on SQLite', async () => {
  checkReport(await readReport({}));
});

const skip = postgresSkipReason() || false;
test('group_by=deployment on PostgreSQL', { skip }, async () => {
  const pg = await startPostgres();
  databases.push(pg);
  checkReport(await readReport({ DATABASE_URL: pg.url }));
});
