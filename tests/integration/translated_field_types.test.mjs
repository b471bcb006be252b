// Wrongly typed fields on the translated paths: an OpenAI request for an Anthropic deployment, and
// Anthropic Messages requests (/v1/messages) for an OpenAI-compatible or an Anthropic deployment.
// Each is a 400 in the caller's API shape naming the field, and the upstream is never called.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { assertOpenAiShape } from '../lib/openai_schema.mjs';
import { startMock, startLlmux, chat, toYaml } from '../lib/harness.mjs';

let mock;
let llmux;

before(async () => {
  mock = await startMock();
  llmux = await startLlmux(toYaml({
    model_list: [
      { model_name: 'claude', litellm_params: { model: 'anthropic/claude-3-5-sonnet-20241022', api_base: `${mock.url}/types-claude`, api_key: 'sk-ant-types-0123456789' } },
      { model_name: 'gpt', litellm_params: { model: 'openai/gpt-4o-mini', api_base: `${mock.url}/types-gpt/v1`, api_key: 'sk-types-0123456789' } },
    ],
    router_settings: { num_retries: 0 },
  }));
});

const hi = [{ role: 'user', content: 'hi' }];
const upstreamCalls = async () => (await mock.requests()).filter((r) => r.path.startsWith('/types-')).length;

const openAiCases = [
  ['tools', 'x'], ['max_tokens', 'ten'], ['temperature', 'hot'], ['thinking', 'on'], ['tool_choice', 3],
  ['top_k', 'many'], ['parallel_tool_calls', 'no'],
];

for (const [field, value] of openAiCases) {
  test(`OpenAI request for an Anthropic deployment with ${field}: ${JSON.stringify(value)} is a 400 in OpenAI's shape`, async () => {
    const before = await upstreamCalls();
    const answer = await chat(llmux.url, { model: 'claude', messages: hi, [field]: value });
    assert.equal(answer.status, 400, answer.text);
    assert.equal(typeof answer.json?.error?.message, 'string', answer.text);
    assert.equal(answer.json.error.type, 'invalid_request_error', answer.text);
    assertOpenAiShape('ErrorResponse', answer.json);
    assert.ok(answer.json.error.message.includes(`'${field}'`), answer.text);
    assert.equal(await upstreamCalls(), before, 'the upstream was called');
  });
}

const anthropicCases = [
  ['tools', 'x'], ['max_tokens', 'ten'], ['stream', 'yes'], ['temperature', 'hot'], ['stop_sequences', 5],
  ['messages', {}], ['system', 7], ['thinking', 'on'], ['tool_choice', 3], ['metadata', []],
];

for (const model of ['gpt', 'claude']) {
  for (const [field, value] of anthropicCases) {
    test(`/v1/messages for ${model} with ${field}: ${JSON.stringify(value)} is a 400 in Anthropic's shape`, async () => {
      const before = await upstreamCalls();
      const response = await fetch(`${llmux.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify({ model, max_tokens: 10, messages: hi, [field]: value }),
      });
      const text = await response.text();
      assert.equal(response.status, 400, text);
      const body = JSON.parse(text);
      assert.equal(body.type, 'error', text);
      assert.equal(body.error.type, 'invalid_request_error', text);
      assert.ok(body.error.message.startsWith(`${field}: `), text);
      assert.equal(await upstreamCalls(), before, 'the upstream was called');
    });
  }
}
