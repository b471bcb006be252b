// The response store on PostgreSQL (DATABASE_URL), and what state does while the database is away:
// a call still works (its turn is not kept, and a warning says so); a turn that needs the store
// (previous_response_id, GET …/responses/{id}) is a clear 503, never a wrong answer; once the
// database is back, state works again. Skipped only where PostgreSQL is not installed.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startLlmux, startMock, waitFor } from '../lib/harness.mjs';
import { postgresSkipReason, startPostgres } from './tenancy_store_support.mjs';

const skip = postgresSkipReason() || false;
const MASTER = 'sk-master-rstate-pg';
let pg;
let mock;

before(async () => {
  if (skip) return;
  pg = await startPostgres();
  mock = await startMock();
});

after(async () => {
  await mock?.stop();
  await pg?.destroy();
});

async function create(url, body) {
  const response = await fetch(`${url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, json: await response.json() };
}
async function retrieve(url, id) {
  const response = await fetch(`${url}/v1/responses/${id}`, { headers: { authorization: `Bearer ${MASTER}` } });
  return { status: response.status, json: await response.json() };
}

test('PostgreSQL stopped: calls still work, state answers 503, and works again once it is back', { skip }, async () => {
  const config = {
    model_list: [{ model_name: 'bridged', litellm_params: { model: 'openai/mock-model', api_base: `${mock.url}/v1`, api_key: 'sk-up' } }],
    general_settings: { master_key: MASTER },
  };
  const llmux = await startLlmux(JSON.stringify(config), { env: { DATABASE_URL: pg.url } });
  try {
    const kept = await create(llmux.url, { model: 'bridged', input: 'before the outage' });
    assert.equal(kept.status, 200);
    assert.equal((await waitFor(async () => (await retrieve(llmux.url, kept.json.id)).status === 200)), true);

    await pg.stop();
    const during = await create(llmux.url, { model: 'bridged', input: 'during the outage' });
    assert.equal(during.status, 200, 'the call itself needs no database');
    const followUp = await create(llmux.url, { model: 'bridged', input: 'x', previous_response_id: kept.json.id });
    assert.equal(followUp.status, 503, JSON.stringify(followUp.json));
    assert.match(followUp.json.error.message, /response store cannot be read/);
    assert.equal(followUp.json.error.param, 'previous_response_id');
    const read = await retrieve(llmux.url, kept.json.id);
    assert.equal(read.status, 503);
    assert.doesNotMatch(JSON.stringify(followUp.json) + JSON.stringify(read.json), new RegExp(pg.password));

    await pg.resume();
    const back = await waitFor(async () => (await create(llmux.url, { model: 'bridged', input: 'after', previous_response_id: kept.json.id })).status === 200,
      { timeoutMs: 20_000, intervalMs: 200 });
    assert.ok(back, 'previous_response_id works again once the database is back');
    assert.equal((await retrieve(llmux.url, during.json.id)).status, 404, 'the turn served during the outage was not kept');
    assert.match(llmux.proc.outputText(), new RegExp(`${during.json.id} could not be saved`));
  } finally {
    await pg.resume().catch(() => {});
    await llmux.stop();
  }
});
