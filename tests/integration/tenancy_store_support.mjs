// Shared by tests/integration/tenancy_store_*.test.mjs: a throwaway PostgreSQL server (through
// tests/store/pg_server.sh), the gateway config, admin calls, and a load generator that remembers
// the call id of every answer, so a test can compare "answered" with "logged" row by row.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { repoRoot, simpleMessages, waitFor } from '../lib/harness.mjs';

const run = promisify(execFile);
const pgServer = join(repoRoot, 'tests', 'store', 'pg_server.sh');
const pgBin = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export const MASTER = 'sk-master-store';

// What kill -9 may cost, in answered requests without a spend row (README "Durability"): the
// spend writer commits every 200 ms or every 500 rows, so at the kill at most one batch is in
// flight and fewer than one batch (or one interval's worth) waits in the queue: 2 × 500.
export const CRASH_LOSS_BOUND = 1000;

// Why the PostgreSQL tests cannot run here, or '' when they can.
export function postgresSkipReason() {
  return existsSync(join(pgBin, 'initdb')) ? '' : `no PostgreSQL server binaries in ${pgBin} (Debian: apt-get install postgresql)`;
}

// Starts a server on loopback; the returned controls act on that server only.
export async function startPostgres() {
  const { stdout } = await run(pgServer, ['start']);
  const vars = Object.fromEntries(stdout.trim().split('\n').map((line) => {
    const at = line.indexOf('=');
    return [line.slice(0, at), line.slice(at + 1)];
  }));
  const dir = vars.LLMUX_PG_DIR;
  const control = (command) => run(pgServer, [command, dir]).then(() => undefined);
  return {
    url: vars.LLMUX_PG_URL,
    password: new URL(vars.LLMUX_PG_URL).password,
    stop: () => control('stop'),
    resume: () => control('resume'),
    freeze: () => control('freeze'),
    thaw: () => control('thaw'),
    destroy: () => control('destroy'),
  };
}

export function gatewayConfig(mock) {
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
    '  - model_name: gpt-other',
    '    litellm_params:',
    '      model: openai/upstream-other',
    `      api_base: ${mock.base()}`,
    '      api_key: sk-upstream',
    'router_settings:',
    '  num_retries: 0',
    'general_settings:',
    `  master_key: ${MASTER}`,
  ].join('\n');
}

export async function admin(url, method, path, body) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* reported through text */ }
  return { status: response.status, json, text };
}

export async function newKey(url, body = {}) {
  const made = await admin(url, 'POST', '/key/generate', body);
  if (made.status !== 200) throw new Error(`/key/generate: ${made.status} ${made.text}`);
  return made.json;
}

// One chat call; resolves { status, callId, ms } and never throws (a refused connection is status 0).
export async function call(url, key, model = 'gpt-allowed') {
  const started = performance.now();
  try {
    const response = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model, messages: simpleMessages }),
    });
    await response.arrayBuffer();
    return { status: response.status, callId: response.headers.get('x-litellm-call-id'), ms: performance.now() - started };
  } catch {
    return { status: 0, callId: null, ms: performance.now() - started };
  }
}

// `concurrency` loops calling as fast as they can until stop() (or maxRequests answers). Keeps
// the call id of each 200 answer: those are the requests whose spend must be logged.
export function startLoad(url, key, { concurrency = 8, maxRequests = 8000 } = {}) {
  const load = { answered: [], other: new Map(), latencies: [], stopped: false };
  const loop = async () => {
    while (!load.stopped && load.answered.length < maxRequests) {
      const result = await call(url, key);
      if (result.status === 200) {
        load.answered.push(result.callId);
        load.latencies.push(result.ms);
      } else {
        load.other.set(result.status, (load.other.get(result.status) ?? 0) + 1);
        if (result.status === 0) await new Promise((r) => setTimeout(r, 5));  // gateway gone
      }
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  load.stop = async () => {
    load.stopped = true;
    await Promise.all(loops);
    return load;
  };
  return load;
}

// Call ids of the spend rows logged for `key` (at most 10,000: the page /spend/logs answers).
export async function loggedCallIds(url, key) {
  const logs = await admin(url, 'GET', `/spend/logs?api_key=${key}`);
  if (logs.status !== 200) throw new Error(`/spend/logs: ${logs.status} ${logs.text}`);
  return new Set(logs.json.map((row) => row.request_id));
}

export function missing(answered, logged) {
  return answered.filter((id) => !logged.has(id));
}

export async function readiness(url) {
  const response = await fetch(`${url}/health/readiness`);
  return { status: response.status, text: await response.text() };
}

// Polls until the request with `key` answers `status`; resolves the time it took (ms) or null.
export async function timeUntilStatus(url, key, model, status, timeoutMs) {
  const started = performance.now();
  const reached = await waitFor(async () => (await call(url, key, model)).status === status,
    { timeoutMs, intervalMs: 25 });
  return reached ? performance.now() - started : null;
}

export function percentile(values, p) {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}
