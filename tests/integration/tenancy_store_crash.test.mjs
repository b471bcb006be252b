// The spend log's crash bound on the default store (SQLite): kill -9 in the middle of load loses
// at most CRASH_LOSS_BOUND answered requests' rows (measured over several runs and reported),
// and SIGTERM in the middle of load loses none. The same on PostgreSQL is in
// tenancy_store_pg.test.mjs.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startLlmux, startMock, waitFor } from '../lib/harness.mjs';
import { gatewayConfig, loggedCallIds, missing, newKey, startLoad, CRASH_LOSS_BOUND } from './tenancy_store_support.mjs';

let mock;
let configYaml;
const dbPath = join(mkdtempSync(join(tmpdir(), 'llmux-crash-')), 'spend.db');

const gateway = () => startLlmux(configYaml, { args: ['--db', dbPath] });

before(async () => {
  mock = await startMock();
  configYaml = gatewayConfig(mock);
});

after(async () => {
  await mock?.stop();
});

// Loads a fresh key until `answers` requests were answered, stops llmux with `signal`, and
// returns the answered call ids that have no spend row after a restart.
async function lossAfter(signal, answers) {
  let llmux = await gateway();
  const key = await newKey(llmux.url);
  const load = startLoad(llmux.url, key.key, { concurrency: 16, maxRequests: 9000 });
  await waitFor(() => load.answered.length >= answers, { timeoutMs: 15_000 });
  await llmux.stop(signal);
  await load.stop();
  llmux = await gateway();
  const logged = await loggedCallIds(llmux.url, key.key);
  await llmux.stop();
  return { lost: missing(load.answered, logged).length, answered: load.answered.length };
}

test(`kill -9 under load on SQLite loses at most ${CRASH_LOSS_BOUND} answered rows (5 runs)`, async (t) => {
  const runs = [];
  for (let run = 0; run < 5; run += 1) runs.push(await lossAfter('SIGKILL', 1000 + 250 * run));
  t.diagnostic(`kill -9 on SQLite, rows lost / answered: ${runs.map((r) => `${r.lost}/${r.answered}`).join(', ')}`);
  for (const { lost, answered } of runs) assert.ok(lost <= CRASH_LOSS_BOUND, `lost ${lost} of ${answered}`);
});

test('SIGTERM under load on SQLite writes every answered row', async () => {
  const { lost, answered } = await lossAfter('SIGTERM', 2000);
  assert.ok(answered >= 2000);
  assert.equal(lost, 0);
});
