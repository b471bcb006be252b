// What a call costs, end to end: `--prices FILE` (LiteLLM's model_prices_and_context_window.json
// format) prices deployments the built-in table does not know, a deployment's own model_info
// prices override the file, and cached-input tokens are billed at the cache-read / cache-write
// prices — OpenAI's `prompt_tokens_details.cached_tokens`, Anthropic's `cache_read_input_tokens`
// and `cache_creation_input_tokens`, in whole answers and in streams.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startLlmux, startMock, simpleMessages, toYaml, waitFor } from '../lib/harness.mjs';

const MASTER = 'sk-master-pricing';
let mock;
let llmux;
let cachingUpstream;

const prices = {
  sample_spec: { input_cost_per_token: 0, output_cost_per_token: 0, litellm_provider: 'openai', mode: 'chat' },
  'file-priced-model': { input_cost_per_token: 2e-6, output_cost_per_token: 4e-6, litellm_provider: 'openai', mode: 'chat' },
  'cached-gpt': {
    input_cost_per_token: 1e-6, output_cost_per_token: 2e-6, cache_read_input_token_cost: 1e-7,
    litellm_provider: 'openai', mode: 'chat',
  },
  'claude-cached': {
    input_cost_per_token: 3e-6, output_cost_per_token: 1.5e-5, cache_read_input_token_cost: 3e-7,
    cache_creation_input_token_cost: 3.75e-6, litellm_provider: 'anthropic', mode: 'chat',
  },
};

// The usage the caching upstream reports: most of the prompt read from, or written to, the cache.
const openaiUsage = { prompt_tokens: 1000, completion_tokens: 100, total_tokens: 1100, prompt_tokens_details: { cached_tokens: 800 } };
const anthropicUsage = { input_tokens: 100, cache_read_input_tokens: 800, cache_creation_input_tokens: 500, output_tokens: 50 };
const openaiCost = 200 * 1e-6 + 800 * 1e-7 + 100 * 2e-6;
const anthropicCost = 100 * 3e-6 + 800 * 3e-7 + 500 * 3.75e-6 + 50 * 1.5e-5;

// An upstream that answers with the usage above (the mock's usage has no cache fields).
function startCachingUpstream() {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      const json = JSON.parse(body);
      if (request.url.endsWith('/messages')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({
          id: 'msg_cached', type: 'message', role: 'assistant', model: json.model,
          content: [{ type: 'text', text: 'cached answer' }], stop_reason: 'end_turn', stop_sequence: null,
          usage: anthropicUsage,
        }));
        return;
      }
      const base = { id: 'chatcmpl-cached', created: 1, model: json.model };
      if (!json.stream) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({
          ...base, object: 'chat.completion', usage: openaiUsage,
          choices: [{ index: 0, message: { role: 'assistant', content: 'cached answer' }, finish_reason: 'stop' }],
        }));
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const frame = (data) => response.write(`data: ${JSON.stringify(data)}\n\n`);
      frame({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: 'cached' }, finish_reason: null }] });
      frame({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
      frame({ ...base, object: 'chat.completion.chunk', choices: [], usage: openaiUsage });
      response.end('data: [DONE]\n\n');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

before(async () => {
  mock = await startMock();
  cachingUpstream = await startCachingUpstream();
  const cachingUrl = `http://127.0.0.1:${cachingUpstream.address().port}`;
  const pricesPath = join(mkdtempSync(join(tmpdir(), 'llmux-prices-')), 'prices.json');
  writeFileSync(pricesPath, JSON.stringify(prices));
  llmux = await startLlmux(toYaml({
    model_list: [
      { model_name: 'by-file', litellm_params: { model: 'openai/file-priced-model', api_base: mock.base(), api_key: 'sk-upstream' } },
      {
        model_name: 'overridden',
        litellm_params: { model: 'openai/file-priced-model', api_base: mock.base(), api_key: 'sk-upstream' },
        model_info: { input_cost_per_token: 1e-5 },
      },
      { model_name: 'unpriced', litellm_params: { model: 'openai/no-price-anywhere', api_base: mock.base(), api_key: 'sk-upstream' } },
      { model_name: 'cached-gpt', litellm_params: { model: 'openai/cached-gpt', api_base: `${cachingUrl}/v1`, api_key: 'sk-upstream' } },
      { model_name: 'cached-claude', litellm_params: { model: 'anthropic/claude-cached', api_base: cachingUrl, api_key: 'sk-upstream' } },
    ],
    router_settings: { num_retries: 0 },
    general_settings: { master_key: MASTER },
  }), { args: ['--prices', pricesPath] });
});

after(async () => {
  await llmux?.stop();
  await mock?.stop();
  await new Promise((resolve) => cachingUpstream?.close(resolve));
});

async function call(model, extra = {}) {
  const response = await fetch(`${llmux.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER}` },
    body: JSON.stringify({ model, messages: simpleMessages, ...extra }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

const costOf = (answer) => Number(answer.headers.get('x-litellm-response-cost'));
const near = (actual, expected) => Math.abs(actual - expected) <= expected * 1e-9;

test('--prices FILE prices a deployment the built-in table does not know; model_info overrides it', async () => {
  const byFile = await call('by-file');
  assert.equal(byFile.status, 200, byFile.text);
  const { usage } = JSON.parse(byFile.text);
  const expected = usage.prompt_tokens * 2e-6 + usage.completion_tokens * 4e-6;
  assert.ok(near(costOf(byFile), expected), `${costOf(byFile)} = ${expected}`);

  // model_info sets the input price only: the output price still comes from the file.
  const overridden = await call('overridden');
  const expectedOverride = usage.prompt_tokens * 1e-5 + usage.completion_tokens * 4e-6;
  assert.ok(near(costOf(overridden), expectedOverride), `${costOf(overridden)} = ${expectedOverride}`);

  // A model neither the file nor the built-in table prices has no cost header (LiteLLM's behaviour).
  const unpriced = await call('unpriced');
  assert.equal(unpriced.status, 200);
  assert.equal(unpriced.headers.get('x-litellm-response-cost'), null);
});

test('OpenAI cached_tokens are billed at the cache-read price, in answers and in streams', async () => {
  const answer = await call('cached-gpt');
  assert.equal(answer.status, 200, answer.text);
  assert.ok(near(costOf(answer), openaiCost), `${costOf(answer)} = ${openaiCost}`);

  const streamed = await call('cached-gpt', { stream: true });
  assert.equal(streamed.status, 200);
  const row = await waitFor(async () => {
    const logs = await (await fetch(`${llmux.url}/spend/logs`, { headers: { authorization: `Bearer ${MASTER}` } })).json();
    return logs.find((r) => r.request_id === streamed.headers.get('x-litellm-call-id'));
  });
  assert.ok(row, 'the stream is logged');
  assert.equal(row.cached_tokens, 800);
  assert.ok(near(row.spend, openaiCost), `${row.spend} = ${openaiCost}`);
});

test('Anthropic cache reads and cache writes are billed at their own prices', async () => {
  const answer = await call('cached-claude', { max_tokens: 64 });
  assert.equal(answer.status, 200, answer.text);
  const usage = JSON.parse(answer.text).usage;
  assert.equal(usage.prompt_tokens, 1400, 'prompt tokens include cache reads and writes');
  assert.ok(near(costOf(answer), anthropicCost), `${costOf(answer)} = ${anthropicCost}`);
});
