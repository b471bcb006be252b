// litellm_params presets reach the upstream (issue 12 §1): request parameters, extra_body,
// headers / extra_headers, organization, additional_drop_params and
// router_settings.default_litellm_params, on every path (OpenAI client or Anthropic client,
// OpenAI-wire or Anthropic deployment, whole answers and streams), with the request's own value
// winning; LiteLLM's gateway-only fields never reach an upstream; x-litellm-max-retries.
// The real binary runs against a scripted upstream that records the body and headers it got.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { startLlmux, chat, readSse, toYaml, routeEntries } from '../lib/harness.mjs';
import { startScriptedUpstream } from '../lib/scripted_upstream.mjs';

const secretHeader = 'tok-gateway-secret-0987654321';

let upstream;
let llmux;

// OpenAI's and Anthropic's answer shapes, whole or streamed; `fail` makes the upstream refuse
// (echoing the headers it got, as some proxies do) the first time a path is asked.
function answer(request) {
  if (request.path.includes('/echo-headers/')) {
    return { status: 401, json: { error: { message: `denied: ${JSON.stringify(request.headers)}`, type: 'auth' } } };
  }
  if (request.path.includes('/flaky/') && upstream.requests.filter((r) => r.path === request.path).length === 1) {
    return { status: 500, json: { error: { message: 'try again', type: 'server_error' } } };
  }
  const stream = request.json?.stream === true;
  if (request.path.endsWith('/messages')) {
    if (!stream) {
      return {
        json: {
          id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x',
          content: [{ type: 'text', text: 'hi' }], stop_reason: 'end_turn', stop_sequence: null,
          usage: { input_tokens: 3, output_tokens: 1 },
        },
      };
    }
    return {
      sse: [
        { event: 'message_start', data: { type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-x', content: [], stop_reason: null, usage: { input_tokens: 3, output_tokens: 0 } } } },
        { event: 'content_block_start', data: { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } } },
        { event: 'content_block_delta', data: { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'hi' } } },
        { event: 'content_block_stop', data: { type: 'content_block_stop', index: 0 } },
        { event: 'message_delta', data: { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 1 } } },
        { event: 'message_stop', data: { type: 'message_stop' } },
      ],
    };
  }
  if (!stream) {
    return {
      json: {
        id: 'chatcmpl-1', object: 'chat.completion', created: 1, model: 'm',
        choices: [{ index: 0, message: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
      },
    };
  }
  const chunk = (delta, finish) => ({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
  return {
    sse: [
      { data: chunk({ role: 'assistant', content: 'hi' }, null) },
      { data: chunk({}, 'stop') },
      { data: { id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 } } },
      { data: '[DONE]' },
    ],
  };
}

// What every deployment here presets, in litellm_params.
const presetParams = {
  temperature: 0.2,
  max_tokens: 64,
  stop: ['END'],
  top_p: 0.5,
  extra_body: { top_k: 7, guided_choice: ['a', 'b'] },
  headers: { 'X-Team': 'alpha', 'X-Trace': 'from-headers' },
  extra_headers: { 'X-Trace': 'from-extra-headers', 'X-Gateway-Token': secretHeader },
  additional_drop_params: ['user'],
};

before(async () => {
  upstream = await startScriptedUpstream(answer);
  const openai = (name, path, extra = {}) => ({
    model_name: name,
    litellm_params: { model: 'openai/m', api_base: `${upstream.url}/${path}/v1`, api_key: 'sk-openai-upstream-1234567890', ...presetParams, ...extra },
  });
  const anthropic = (name, path) => ({
    model_name: name,
    // drop_params: default_litellm_params' presence_penalty has no Anthropic equivalent.
    litellm_params: { model: 'anthropic/claude-x', api_base: `${upstream.url}/${path}`, api_key: 'sk-ant-upstream-1234567890', drop_params: true, ...presetParams },
  });
  const config = {
    model_list: [
      openai('oa', 'oa', { organization: 'org-42' }),
      anthropic('an', 'an'),
      { model_name: 'plain', litellm_params: { model: 'openai/m', api_base: `${upstream.url}/plain/v1`, api_key: 'sk-plain-1234567890' } },
      openai('echo', 'echo-headers'),
      { model_name: 'flaky', litellm_params: { model: 'openai/m', api_base: `${upstream.url}/flaky/v1`, api_key: 'sk-f-1234567890', num_retries: 3 } },
    ],
    router_settings: {
      num_retries: 0,
      default_litellm_params: { presence_penalty: 0.1, temperature: 0.9, extra_headers: { 'X-Env': 'prod', 'X-Team': 'default' } },
    },
  };
  llmux = await startLlmux(toYaml(config));
});

const lastRequest = (path) => {
  const all = upstream.requests.filter((r) => r.path.startsWith(`/${path}/`));
  assert.ok(all.length > 0, `no upstream request under /${path}/`);
  return all.at(-1);
};

async function messages(body) {
  const response = await fetch(`${llmux.url}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
  return response;
}

function assertPresetHeaders(headers) {
  assert.equal(headers['x-team'], 'alpha');  // the deployment's own over default_litellm_params'
  assert.equal(headers['x-trace'], 'from-extra-headers');  // extra_headers over headers
  assert.equal(headers['x-gateway-token'], secretHeader);
  assert.equal(headers['x-env'], 'prod');  // from default_litellm_params
}

test('OpenAI client, OpenAI-wire deployment: presets fill what the request lacks, the request wins', async () => {
  const r = await chat(llmux.url, { model: 'oa', messages: [{ role: 'user', content: 'hi' }], temperature: 1.5, user: 'end-user-1' });
  assert.equal(r.status, 200, r.text);
  const got = lastRequest('oa');
  assert.equal(got.json.model, 'm');
  assert.equal(got.json.temperature, 1.5);  // the request's own
  assert.equal(got.json.max_tokens, 64);
  assert.deepEqual(got.json.stop, ['END']);
  assert.equal(got.json.top_p, 0.5);
  assert.equal(got.json.top_k, 7);  // extra_body members at the top level
  assert.deepEqual(got.json.guided_choice, ['a', 'b']);
  assert.equal(got.json.extra_body, undefined);
  assert.equal(got.json.presence_penalty, 0.1);  // default_litellm_params
  assert.equal(got.json.user, undefined);  // additional_drop_params
  assertPresetHeaders(got.headers);
  assert.equal(got.headers['openai-organization'], 'org-42');
  assert.equal(got.headers.authorization, 'Bearer sk-openai-upstream-1234567890');
});

test('an output limit in the request keeps the preset max_tokens out', async () => {
  const r = await chat(llmux.url, { model: 'oa', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 5 });
  assert.equal(r.status, 200, r.text);
  const got = lastRequest('oa');
  assert.equal(got.json.max_completion_tokens, 5);
  assert.equal(got.json.max_tokens, undefined);
});

test('a streamed call gets the presets too', async () => {
  const response = await fetch(`${llmux.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'oa', messages: [{ role: 'user', content: 'hi' }], stream: true }),
  });
  assert.equal(response.status, 200);
  const events = await readSse(response);
  assert.equal(events.at(-1).data, '[DONE]');
  const got = lastRequest('oa');
  assert.equal(got.json.stream, true);
  assert.equal(got.json.temperature, 0.2);
  assert.equal(got.json.top_k, 7);
  assertPresetHeaders(got.headers);
});

test('a deployment without presets gets only default_litellm_params', async () => {
  const r = await chat(llmux.url, { model: 'plain', messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(r.status, 200, r.text);
  const got = lastRequest('plain');
  assert.deepEqual(Object.keys(got.json).sort(), ['messages', 'model', 'presence_penalty', 'temperature']);
  assert.equal(got.json.temperature, 0.9);
  assert.equal(got.headers['x-env'], 'prod');
  assert.equal(got.headers['x-team'], 'default');
});

test("LiteLLM's gateway-only fields never reach an OpenAI-wire upstream", async () => {
  const controls = {
    metadata: { tags: ['t'], trace_id: 'x' }, litellm_metadata: { a: 1 }, tags: ['t'], fallbacks: ['plain'],
    context_window_fallbacks: ['plain'], content_policy_fallbacks: ['plain'], num_retries: 1, max_retries: 1,
    timeout: 30, stream_timeout: 30, request_timeout: 30, mock_testing_fallbacks: false, mock_timeout: false,
    drop_params: true, additional_drop_params: ['seed'], allowed_openai_params: ['seed'], caching: false,
    cache: { 'no-cache': true }, ttl: 60, 'no-log': true, user_api_key: 'sk-x', user_api_key_alias: 'a',
    litellm_trace_id: 'trace', litellm_call_id: 'call', litellm_session_id: 's', proxy_server_request: { a: 1 },
    guardrails: ['g'], api_key: 'sk-client-key-should-not-leak', api_base: 'http://evil', base_url: 'http://evil',
    api_version: 'v', organization: 'org-client', custom_llm_provider: 'openai', extra_headers: { 'X-Evil': '1' },
    headers: { 'X-Evil': '1' }, model_info: { id: 'x' }, input_cost_per_token: 0, priority: 1, max_fallbacks: 1,
    disable_fallbacks: false, langfuse_public_key: 'pk', prompt_id: 'p', id: 'x',
  };
  const r = await chat(llmux.url, { model: 'plain', messages: [{ role: 'user', content: 'hi' }], seed: 3, ...controls });
  assert.equal(r.status, 200, r.text);
  const got = lastRequest('plain');
  for (const key of Object.keys(controls)) assert.equal(got.json[key], undefined, `${key} reached the upstream`);
  assert.equal(got.json.seed, 3);
  assert.ok(!got.body.includes('sk-client-key-should-not-leak'));
  assert.equal(got.headers['x-evil'], undefined);
});

test('OpenAI client, Anthropic deployment: presets are translated like the request\'s own', async () => {
  const r = await chat(llmux.url, { model: 'an', messages: [{ role: 'user', content: 'hi' }], top_p: 0.8, user: 'u1' });
  assert.equal(r.status, 200, r.text);
  const got = lastRequest('an');
  assert.equal(got.path, '/an/v1/messages');
  assert.deepEqual(got.json.stop_sequences, ['END']);
  assert.equal(got.json.max_tokens, 64);
  assert.equal(got.json.temperature, 0.2);
  assert.equal(got.json.top_p, 0.8);
  assert.equal(got.json.top_k, 7);
  assert.equal(got.json.metadata, undefined);  // user dropped by additional_drop_params
  assert.equal(got.json.presence_penalty, undefined);  // no Anthropic equivalent: dropped (drop_params)
  assertPresetHeaders(got.headers);
  assert.equal(got.headers['x-api-key'], 'sk-ant-upstream-1234567890');
  assert.equal(got.headers['openai-organization'], undefined);
});

test('Anthropic client, Anthropic deployment: presets in Anthropic names, whole and streamed', async () => {
  const response = await messages({ model: 'an', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], temperature: 1 });
  assert.equal(response.status, 200, await response.clone().text());
  let got = lastRequest('an');
  assert.equal(got.json.max_tokens, 10);  // the client's own
  assert.equal(got.json.temperature, 1);
  assert.deepEqual(got.json.stop_sequences, ['END']);
  assert.equal(got.json.top_p, 0.5);
  assert.equal(got.json.top_k, 7);
  assert.equal(got.json.stop, undefined);
  assert.equal(got.json.presence_penalty, undefined);  // an OpenAI-only preset
  assertPresetHeaders(got.headers);

  const streamed = await messages({ model: 'an', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], stream: true });
  assert.equal(streamed.status, 200);
  const events = await readSse(streamed);
  assert.equal(events.at(-1).event, 'message_stop');
  got = lastRequest('an');
  assert.equal(got.json.stream, true);
  assert.deepEqual(got.json.stop_sequences, ['END']);
  assertPresetHeaders(got.headers);
});

test('Anthropic client, OpenAI-wire deployment: the translated request gets the presets', async () => {
  const response = await messages({ model: 'oa', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], metadata: { user_id: 'u' } });
  assert.equal(response.status, 200, await response.clone().text());
  const got = lastRequest('oa');
  assert.equal(got.json.max_tokens, 10);
  assert.equal(got.json.temperature, 0.2);
  assert.equal(got.json.top_k, 7);
  assert.equal(got.json.metadata, undefined);
  assert.equal(got.json.user, undefined);  // additional_drop_params
  assertPresetHeaders(got.headers);
  assert.equal(got.headers['openai-organization'], 'org-42');
});

test('a secret header value never reaches the client, even when the upstream echoes it', async () => {
  const r = await chat(llmux.url, { model: 'echo', messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(r.status, 401, r.text);
  assert.equal(lastRequest('echo-headers').headers['x-gateway-token'], secretHeader);
  assert.ok(!r.text.includes(secretHeader), r.text);
  assert.ok(!r.text.includes('sk-openai-upstream-1234567890'), r.text);
  assert.ok(r.text.includes('tok****'), r.text);
});

test('x-litellm-max-retries comes with an answer that needed a retry, from the deployment\'s num_retries', async () => {
  const retried = await chat(llmux.url, { model: 'flaky', messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(retried.status, 200, retried.text);
  assert.equal(retried.headers.get('x-litellm-attempted-retries'), '1');
  assert.equal(retried.headers.get('x-litellm-max-retries'), '3');
  assert.deepEqual(routeEntries(retried.headers).map((e) => e.outcome).at(-1), 'ok');
  const first = await chat(llmux.url, { model: 'plain', messages: [{ role: 'user', content: 'hi' }] });
  assert.equal(first.headers.get('x-litellm-attempted-retries'), '0');
  assert.equal(first.headers.get('x-litellm-max-retries'), null);
});
