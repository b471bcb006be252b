// Numbers beyond a double's range (1e309) in a body that is translated through a JSON document.
// Boost.JSON reads them as infinity (and some, like -0e3095808, as NaN) and writes them back as
// `Infinity` / `NaN`, which is not JSON: found by tests/fuzz (messages_request, anthropic_request).
// Such a request is refused with a 400 that says why, in the caller's API shape, and nothing goes
// upstream. (On the pass-through path the body is forwarded byte for byte, so no such rewrite.)

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startMock, startLlmux, toYaml } from '../lib/harness.mjs';

let mock;
let llmux;

before(async () => {
  mock = await startMock();
  llmux = await startLlmux(toYaml({
    model_list: [
      {
        model_name: 'to-claude',
        litellm_params: { model: 'anthropic/claude-3-5-sonnet-20241022', api_base: `${mock.url}/to-claude`, api_key: 'sk-ant-x' },
      },
      {
        model_name: 'to-vllm',
        litellm_params: { model: 'openai/meta-llama/Llama-3.1-8B-Instruct', api_base: `${mock.url}/to-vllm/v1`, api_key: 'sk-v' },
      },
    ],
  }));
});

after(async () => {
  await llmux?.stop();
  await mock?.stop();
});

async function post(path, body) {
  const response = await fetch(`${llmux.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body,
  });
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* checked by the caller */ }
  return { status: response.status, text, json };
}

const hitsUnder = async (marker) => (await mock.requests()).filter((r) => r.path.startsWith(`/${marker}/`)).length;

const cases = [
  ['1e309', '1e309'],
  ['-1e400', '-1e400'],
  ['a NaN to Boost.JSON', '-0e3095808'],
];

for (const [name, number] of cases) {
  test(`/v1/messages to an OpenAI-compatible deployment: temperature ${name} is a 400 in Anthropic shape`, async () => {
    await mock.clearRequests();
    const r = await post('/v1/messages',
      `{"model":"to-vllm","max_tokens":16,"temperature":${number},"messages":[{"role":"user","content":"hi"}]}`);
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json?.type, 'error', r.text);
    assert.equal(r.json.error?.type, 'invalid_request_error', r.text);
    assert.match(r.json.error.message, /number out of range/, r.text);
    assert.equal(await hitsUnder('to-vllm'), 0, 'nothing may reach the upstream');
  });

  test(`/v1/chat/completions to an Anthropic deployment: temperature ${name} is a 400 in OpenAI shape`, async () => {
    await mock.clearRequests();
    const r = await post('/v1/chat/completions',
      `{"model":"to-claude","temperature":${number},"messages":[{"role":"user","content":"hi"}]}`);
    assert.equal(r.status, 400, r.text);
    assert.equal(typeof r.json?.error?.message, 'string', r.text);
    assert.match(r.json.error.message, /number out of range/, r.text);
    assert.equal(await hitsUnder('to-claude'), 0, 'nothing may reach the upstream');
  });
}
