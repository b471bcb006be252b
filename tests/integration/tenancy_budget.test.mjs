// Budgets under concurrency and the accounting of streams: a call reserves its likely cost before
// it runs and settles to its real cost after, so a burst of parallel calls cannot overshoot a
// key's budget; a stream that breaks after it started is logged as a failure, with the usage it
// reported before it broke.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startLlmux, startMock, readSse, simpleMessages, toYaml, waitFor } from '../lib/harness.mjs';
import { adminRequest, chatAs } from '../lib/tenancy.mjs';

const MASTER = 'sk-master-budget';
const BUDGET = 0.0001;
let mock;
let llmux;

// Token prices chosen so the figures are exact enough to reason about: 1e-6 per token both ways.
const metered = { input_cost_per_token: 0.000001, output_cost_per_token: 0.000001 };

before(async () => {
  mock = await startMock();
  llmux = await startLlmux(toYaml({
    model_list: [
      {
        // Every answer takes 300 ms, so a burst is all in flight at once.
        model_name: 'metered',
        litellm_params: { model: 'openai/metered', api_base: mock.base('delay_ms=300'), api_key: 'sk-upstream' },
        model_info: metered,
      },
      {
        model_name: 'breaks',
        litellm_params: { model: 'openai/breaks', api_base: mock.base('break_after=2,chunk_delay_ms=20'), api_key: 'sk-upstream' },
        model_info: metered,
      },
      {
        // Anthropic reports input tokens in message_start, before the stream breaks.
        model_name: 'claude-breaks',
        litellm_params: {
          model: 'anthropic/claude-3-5-sonnet-20241022',
          api_base: `${mock.url}/fault/break_after=2,chunk_delay_ms=20`,
          api_key: 'sk-upstream',
        },
        model_info: metered,
      },
    ],
    router_settings: { num_retries: 0 },
    general_settings: { master_key: MASTER },
  }));
});

after(async () => {
  await llmux?.stop();
  await mock?.stop();
});

const admin = (method, path, body) => adminRequest(llmux.url, MASTER, method, path, body);
const call = (key, body) => chatAs(llmux.url, key, body);

async function spendLogs(token, expected) {
  return waitFor(async () => {
    const rows = await admin('GET', `/spend/logs?api_key=${token}`);
    return rows.length === expected ? rows : null;
  });
}

test('a burst of 100 parallel calls cannot overshoot a key budget; the refused get 400 budget_exceeded with the figures', async () => {
  const made = await admin('POST', '/key/generate', { max_budget: BUDGET });
  // Per call: about 10 prompt tokens estimated from the body + max_tokens 20 → a reservation of
  // about 3e-5; the mock really uses 3 + 6 tokens → 9e-6. Without reservations all 100 would pass
  // the check (spend stays 0 until the first answer) and spend 9e-4, nine times the budget.
  const body = { model: 'metered', messages: simpleMessages, max_tokens: 20 };
  const answers = await Promise.all(Array.from({ length: 100 }, () => call(made.key, body)));

  const served = answers.filter((a) => a.status === 200);
  const refused = answers.filter((a) => a.status !== 200);
  assert.ok(served.length >= 1, 'calls that fit the budget are served');
  assert.ok(refused.length >= 1, 'the rest of the burst is refused');
  for (const answer of refused) {
    assert.equal(answer.status, 400);
    assert.equal(answer.json.error.type, 'budget_exceeded');
    const figures = answer.json.error.message.match(
      /^Budget has been exceeded! Current cost: ([\d.e-]+), Max budget: ([\d.e-]+)(?:, Estimated cost of this call: ([\d.e-]+))?$/);
    assert.ok(figures, answer.json.error.message);
    assert.equal(Number(figures[2]), BUDGET);
    // Refused because current cost (spend + reservations in flight) plus this call's estimate
    // would pass the budget.
    assert.ok(Number(figures[1]) + Number(figures[3] ?? 0) > BUDGET, answer.json.error.message);
  }
  const headerSpend = served.reduce((sum, a) => sum + Number(a.headers.get('x-litellm-response-cost')), 0);

  // Each call's estimate is an upper bound of its real cost here (max_tokens set and honoured), so
  // the design allows no overshoot at all: the logged spend stays within the budget.
  const rows = await spendLogs(made.token, served.length);
  assert.ok(rows, 'every served call is logged');
  const logged = rows.reduce((sum, row) => sum + row.spend, 0);
  assert.ok(rows.every((row) => row.status === 'success' && row.spend > 0));
  assert.ok(Math.abs(logged - headerSpend) < 1e-12, `logged ${logged} = answered ${headerSpend}`);
  assert.ok(logged <= BUDGET + 1e-12, `logged spend ${logged} stays within the budget ${BUDGET}`);

  // Reservations settle to the real cost: once the burst is over, the budget left still serves calls.
  const later = await call(made.key, body);
  assert.equal(later.status, 200, JSON.stringify(later.json));
});

test('without max_tokens the reservation assumes the default output allowance', async () => {
  // 1024 output tokens at 1e-6 ≈ 1e-3 alone: more than this key's whole budget.
  const made = await admin('POST', '/key/generate', { max_budget: BUDGET });
  const refused = await call(made.key, { model: 'metered', messages: simpleMessages });
  assert.equal(refused.status, 400);
  assert.equal(refused.json.error.type, 'budget_exceeded');
  assert.match(refused.json.error.message, /Current cost: 0\.0, Max budget: 0\.0001, Estimated cost of this call: 0\.001/);
  const fits = await call(made.key, { model: 'metered', messages: simpleMessages, max_completion_tokens: 20 });
  assert.equal(fits.status, 200);
});

test('a stream that breaks after it started is logged as a failure, with the usage seen so far', async () => {
  const made = await admin('POST', '/key/generate', {});
  const response = await fetch(`${llmux.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${made.key}` },
    body: JSON.stringify({ model: 'breaks', messages: simpleMessages, stream: true }),
  });
  assert.equal(response.status, 200);
  const events = await readSse(response);
  assert.ok(events.some((e) => e.data.includes('"error"')), 'the client is told the stream failed');

  const claude = await fetch(`${llmux.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${made.key}` },
    body: JSON.stringify({ model: 'claude-breaks', messages: simpleMessages, stream: true, max_tokens: 64 }),
  });
  assert.equal(claude.status, 200);
  await readSse(claude);

  const rows = await spendLogs(made.token, 2);
  assert.ok(rows, 'both broken streams are logged');
  const byGroup = Object.fromEntries(rows.map((row) => [row.model_group, row]));
  assert.equal(byGroup.breaks.status, 'failure');
  assert.equal(byGroup['claude-breaks'].status, 'failure');
  // Anthropic said how many input tokens it read before the stream broke: they are charged.
  assert.ok(byGroup['claude-breaks'].prompt_tokens > 0);
  assert.ok(byGroup['claude-breaks'].spend > 0);
});
