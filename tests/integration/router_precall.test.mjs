// router_settings.enable_pre_call_checks: the prompt is counted once, deployments whose
// max_input_tokens (model_info, else the price table) it passes are skipped before any call, a
// group that none fits goes straight to its context_window_fallbacks, and when nothing fits the
// client gets LiteLLM's ContextWindowExceededError (400) in its own API's shape. Off by default.
// Each deployment has its own mock path prefix, so the mock's counts say which ones were called.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { startMock, startLlmux, chat, toYaml, mockHits, routeEntries } from '../lib/harness.mjs';

let mock;

before(async () => {
  mock = await startMock();
});

function deployment(group, marker, { maxInputTokens, model = `openai/${marker}` } = {}) {
  const modelInfo = { id: marker };
  if (maxInputTokens !== undefined) modelInfo.max_input_tokens = maxInputTokens;
  return {
    model_name: group,
    litellm_params: { model, api_base: `${mock.url}/${marker}/v1`, api_key: 'sk-upstream' },
    model_info: modelInfo,
  };
}

function startWith(modelList, routerSettings = {}) {
  return startLlmux(toYaml({ model_list: modelList, router_settings: { num_retries: 0, ...routerSettings } }));
}

// About 1,200 tokens of English (each sentence is 12 of cl100k's tokens).
const longPrompt = [{ role: 'user', content: 'The quick brown fox jumps over the lazy dog again and again. '.repeat(100) }];
const shortPrompt = [{ role: 'user', content: 'ping' }];
const hits = (marker) => mockHits(mock, `/${marker}/`);
const route = (response) => routeEntries(response.headers).map((e) => `${e.group}[${e.model}]:${e.outcome}`);

async function anthropicMessages(url, body) {
  const response = await fetch(`${url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
}

test('a long prompt skips the small-context deployment: never called, shown as skipped(context_window)', async () => {
  const llmux = await startWith(
    [deployment('pc-mixed', 'pc-small', { maxInputTokens: 500 }), deployment('pc-mixed', 'pc-large', { maxInputTokens: 100000 })],
    { enable_pre_call_checks: true },
  );
  for (let i = 0; i < 6; i++) {
    const r = await chat(llmux.url, { model: 'pc-mixed', messages: longPrompt });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('x-litellm-model-id'), 'pc-large');
    assert.deepEqual(route(r), ['pc-mixed[openai/pc-large]:ok', 'pc-mixed[openai/pc-small]:skipped(context_window)']);
  }
  assert.equal(await hits('pc-small'), 0);
  assert.equal(await hits('pc-large'), 6);
  // A short prompt fits both: nothing is skipped.
  const short = await chat(llmux.url, { model: 'pc-mixed', messages: shortPrompt });
  assert.equal(short.status, 200, short.text);
  assert.ok(!short.headers.get('x-llmux-route').includes('skipped'), short.headers.get('x-llmux-route'));
});

test('a group none fits goes straight to context_window_fallbacks, with no upstream call wasted', async () => {
  const llmux = await startWith(
    [
      deployment('pc-tiny', 'pc-tiny-a', { maxInputTokens: 300 }),
      deployment('pc-tiny', 'pc-tiny-b', { maxInputTokens: 400 }),
      deployment('pc-other', 'pc-other'),
      deployment('pc-wide', 'pc-wide', { maxInputTokens: 200000 }),
    ],
    {
      enable_pre_call_checks: true,
      fallbacks: [{ 'pc-tiny': ['pc-other'] }],
      context_window_fallbacks: [{ 'pc-tiny': ['pc-wide'] }],
    },
  );
  const r = await chat(llmux.url, { model: 'pc-tiny', messages: longPrompt });

  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers.get('x-litellm-model-id'), 'pc-wide');
  assert.equal(r.headers.get('x-litellm-attempted-fallbacks'), '1');
  assert.deepEqual(route(r).sort(), [
    'pc-tiny[openai/pc-tiny-a]:skipped(context_window)',
    'pc-tiny[openai/pc-tiny-b]:skipped(context_window)',
    'pc-wide[openai/pc-wide]:ok',
  ].sort());
  assert.deepEqual([await hits('pc-tiny-a'), await hits('pc-tiny-b'), await hits('pc-other'), await hits('pc-wide')], [0, 0, 0, 1]);
});

test("nothing fits: LiteLLM's ContextWindowExceededError, 400, OpenAI shape, no upstream called", async () => {
  const llmux = await startWith(
    [deployment('pc-none', 'pc-none-a', { maxInputTokens: 100 }), deployment('pc-none-fb', 'pc-none-fb', { maxInputTokens: 200 })],
    { enable_pre_call_checks: true, context_window_fallbacks: [{ 'pc-none': ['pc-none-fb'] }] },
  );
  const r = await chat(llmux.url, { model: 'pc-none', messages: longPrompt });

  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.type, 'invalid_request_error');
  assert.equal(r.json.error.code, '400');
  const message = r.json.error.message;
  assert.match(message, /litellm\._pre_call_checks: Context Window exceeded for given call\. No models have context window large enough for this call\.\nModel=openai\/pc-none-(a|fb), Max Input Tokens=(100|200), Got=(\d+)$/);
  const got = Number(message.match(/Got=(\d+)/)[1]);
  assert.ok(got > 1200 && got < 1700, `counted ${got} tokens`);
  assert.deepEqual(route(r), ['pc-none[openai/pc-none-a]:skipped(context_window)', 'pc-none-fb[openai/pc-none-fb]:skipped(context_window)']);
  assert.equal(await hits('pc-none'), 0);
});

test('nothing fits, Anthropic client: the same error in Anthropic\'s shape', async () => {
  const llmux = await startWith([deployment('pc-anth', 'pc-anth', { maxInputTokens: 100 })], { enable_pre_call_checks: true });
  const r = await anthropicMessages(llmux.url, { model: 'pc-anth', max_tokens: 50, messages: longPrompt });

  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.type, 'error');
  assert.equal(r.json.error.type, 'invalid_request_error');
  assert.match(r.json.error.message, /Context Window exceeded for given call\. No models have context window large enough for this call\.\nModel=openai\/pc-anth, Max Input Tokens=100, Got=\d+$/);
  assert.equal(await hits('pc-anth'), 0);
  // A prompt that fits is served through the same translation.
  const ok = await anthropicMessages(llmux.url, { model: 'pc-anth', max_tokens: 50, messages: shortPrompt });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(await hits('pc-anth'), 1);
});

test('off by default: the deployment is called whatever its max_input_tokens', async () => {
  const llmux = await startWith([deployment('pc-off', 'pc-off', { maxInputTokens: 10 })]);
  const r = await chat(llmux.url, { model: 'pc-off', messages: longPrompt });

  assert.equal(r.status, 200, r.text);
  assert.deepEqual(route(r), ['pc-off[openai/pc-off]:ok']);
  assert.equal(await hits('pc-off'), 1);
});

test('max_input_tokens from the price table when model_info has none (gpt-4: 8,192)', async () => {
  const llmux = await startWith(
    [deployment('pc-priced', 'pc-gpt4', { model: 'openai/gpt-4' }), deployment('pc-priced', 'pc-unpriced', { model: 'openai/no-such-model' })],
    { enable_pre_call_checks: true },
  );
  const huge = [{ role: 'user', content: 'The quick brown fox jumps over the lazy dog again and again. '.repeat(800) }];
  for (let i = 0; i < 4; i++) {
    const r = await chat(llmux.url, { model: 'pc-priced', messages: huge });
    assert.equal(r.status, 200, r.text);
    // An unknown model has no known limit and is never skipped.
    assert.equal(r.headers.get('x-litellm-model-id'), 'pc-unpriced');
    assert.deepEqual(route(r), ['pc-priced[openai/no-such-model]:ok', 'pc-priced[openai/gpt-4]:skipped(context_window)']);
  }
  assert.equal(await hits('pc-gpt4'), 0);
});

test('enable_pre_call_checks must be a boolean: start-up error naming the line', async () => {
  const { runLlmux, writeTempConfig } = await import('../lib/harness.mjs');
  const path = writeTempConfig(toYaml({ model_list: [deployment('pc-bad', 'pc-bad')], router_settings: { enable_pre_call_checks: 'sometimes' } }));
  const { code, output } = await runLlmux(['--config', path, '--host', '127.0.0.1', '--port', '0']);
  assert.notEqual(code, 0);
  assert.match(output, /config\.yaml:\d+: .*enable_pre_call_checks/);
});
