// The pre-call check's token count, measured against the real tokenizer: POST /utils/token_counter
// (LiteLLM's endpoint, the count the check uses) over prompts of every kind, against LiteLLM's
// token_counter arithmetic on tiktoken's cl100k_base and o200k_base. The stated bound
// (docs/compatibility.md): never below either, and at most 1.25 × cl100k's count + 8 — except
// text in scripts cl100k splits finely (CJK, emoji, Thai…) and runs of mixed whitespace, where the
// estimate may reach 1.5 × + 8.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startLlmux, toYaml } from '../lib/harness.mjs';
import { tokenCountCases } from '../lib/token_count_prompts.mjs';
import { referencePromptTokens } from '../lib/reference_token_count.mjs';

const looser = new Set(['cjk', 'emoji', 'long whitespace', 'identifiers']);

async function countTokens(url, body) {
  const response = await fetch(`${url}/utils/token_counter`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return JSON.parse(text);
}

const config = toYaml({
  model_list: [{ model_name: 'counted', litellm_params: { model: 'openai/gpt-4o-mini', api_base: 'http://127.0.0.1:9/v1', api_key: 'sk-x' } }],
});

test('the count never falls below tiktoken and stays within the stated bound', async () => {
  const llmux = await startLlmux(config);
  const rows = [];
  for (const c of tokenCountCases) {
    const body = { model: 'counted', messages: c.messages, ...(c.tools ? { tools: c.tools } : {}) };
    const answer = await countTokens(llmux.url, body);
    const cl100k = referencePromptTokens(c, 'cl100k_base');
    const o200k = referencePromptTokens(c, 'o200k_base');
    const factor = looser.has(c.name) ? 1.5 : 1.25;
    rows.push(`${c.name}: ${answer.total_tokens} (cl100k ${cl100k}, o200k ${o200k})`);
    assert.ok(answer.total_tokens >= Math.max(cl100k, o200k), `${c.name}: ${answer.total_tokens} < tiktoken ${cl100k}/${o200k}`);
    assert.ok(answer.total_tokens <= factor * cl100k + 8, `${c.name}: ${answer.total_tokens} > ${factor} × ${cl100k} + 8`);
  }
  console.log(rows.join('\n'));
});

test("LiteLLM's answer shape: total_tokens, request_model, model_used, tokenizer_type", async () => {
  const llmux = await startLlmux(config);
  const answer = await countTokens(llmux.url, { model: 'counted', messages: [{ role: 'user', content: 'hello there' }] });
  assert.equal(answer.request_model, 'counted');
  assert.equal(answer.model_used, 'gpt-4o-mini');
  assert.equal(answer.tokenizer_type, 'openai_tokenizer');
  assert.ok(Number.isInteger(answer.total_tokens) && answer.total_tokens >= 8, JSON.stringify(answer));
  const prompt = await countTokens(llmux.url, { model: 'counted', prompt: 'hello there' });
  assert.ok(prompt.total_tokens >= 2 && prompt.total_tokens < answer.total_tokens, JSON.stringify(prompt));
});

test('a body that is not JSON is a 400 in OpenAI\'s shape', async () => {
  const llmux = await startLlmux(config);
  const response = await fetch(`${llmux.url}/utils/token_counter`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":' });
  assert.equal(response.status, 400);
  const json = await response.json();
  assert.equal(json.error.type, 'invalid_request_error');
  assert.match(json.error.message, /^\/utils\/token_counter: /);
});
