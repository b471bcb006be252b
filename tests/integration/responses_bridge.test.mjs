// POST /v1/responses through the real binary, bridged to chat deployments: the mock's OpenAI chat
// wire and its Anthropic wire (provider anthropic/, reached through llmux's chat -> Anthropic
// translation). What the upstream receives (the mock's request log), the Response objects and event
// streams the client gets (validated against OpenAI's published schema), tools and reasoning across
// both hops, retries and fallbacks, a stream broken mid-way, refusals, and one spend row per call.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { startMock, startLlmux, readSse, routeEntries, waitFor } from '../lib/harness.mjs';
import { assertOpenAiShape } from '../lib/openai_schema.mjs';

const MASTER = 'sk-master-responses';
const claudeModel = 'claude-3-5-sonnet-20241022';
const weatherTool = {
  type: 'function',
  name: 'get_weather',
  description: 'Current weather for a city',
  parameters: {
    type: 'object',
    properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['location', 'unit'],
    additionalProperties: false,
  },
  strict: true,
};

let mock;
let llmux;

function openaiDeployment(group, marker, fault, extra = {}) {
  const faultSegment = fault ? `/fault/${fault}` : '';
  return {
    model_name: group,
    litellm_params: { model: 'openai/mock-model', api_base: `${mock.url}/${marker}${faultSegment}/v1`, api_key: 'sk-up', ...extra },
    model_info: { id: marker, input_cost_per_token: 0.000001, output_cost_per_token: 0.000002 },
  };
}
function claudeDeployment(group, marker, fault) {
  const faultSegment = fault ? `/fault/${fault}` : '';
  return {
    model_name: group,
    litellm_params: { model: `anthropic/${claudeModel}`, api_base: `${mock.url}/${marker}${faultSegment}`, api_key: 'sk-ant-up' },
    model_info: { id: marker, input_cost_per_token: 0.000003, output_cost_per_token: 0.000015 },
  };
}

before(async () => {
  mock = await startMock();
  const config = {
    model_list: [
      openaiDeployment('gpt', 'oa'),
      openaiDeployment('gpt-thinking', 'oa-think', 'thinking'),
      claudeDeployment('claude', 'an'),
      claudeDeployment('claude-thinking', 'an-think', 'thinking'),
      openaiDeployment('flaky', 'flaky', 'status=503'),
      openaiDeployment('retry-once', 'retry', 'status=500,times=1,key=retry-once'),
      openaiDeployment('dies-first', 'dies', 'reset'),
      openaiDeployment('breaks', 'breaks', 'chunks=6,chunk_delay_ms=20,break_after=3'),
      claudeDeployment('claude-breaks', 'an-breaks', 'chunks=6,chunk_delay_ms=20,stream_error=overloaded_error'),
      openaiDeployment('down', 'down', 'status=503'),
    ],
    router_settings: {
      num_retries: 0,
      fallbacks: [{ flaky: ['claude'] }, { 'dies-first': ['gpt'] }],
    },
    general_settings: { master_key: MASTER },
  };
  llmux = await startLlmux(JSON.stringify(config));  // JSON is YAML
});

async function post(body, { key = MASTER, raw = false } = {}) {
  const response = await fetch(`${llmux.url}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: raw ? body : JSON.stringify(body),
  });
  if (body.stream && response.status === 200) return { status: 200, headers: response.headers, events: await readSse(response) };
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text) };
}

const upstreamUnder = async (marker) => (await mock.requests()).filter((r) => r.path.startsWith(`/${marker}/`));
const lastBody = async (marker) => JSON.parse((await upstreamUnder(marker)).at(-1).body);
const outputText = (response) => response.output.filter((i) => i.type === 'message')
  .flatMap((i) => i.content).filter((p) => p.type === 'output_text').map((p) => p.text).join('');

// Every frame: `event:` = data.type, sequence numbers 0..n-1; the events as objects.
function checkedEvents(events) {
  const parsed = events.map((e) => ({ event: e.event, data: JSON.parse(e.data) }));
  parsed.forEach((e, i) => {
    assert.equal(e.event, e.data.type);
    assert.equal(e.data.sequence_number, i);
  });
  return parsed.map((e) => e.data);
}

for (const [group, marker] of [['gpt', 'oa'], ['claude', 'an']]) {
  test(`${group}: a whole answer is a Response object; the upstream gets the chat translation`, async () => {
    const answer = await post({
      model: group, instructions: 'Be brief.', input: 'Say hello', max_output_tokens: 64, temperature: 0.2,
      metadata: { trace: 'abc' }, store: true, user: 'end-user-1',
    });
    assert.equal(answer.status, 200);
    assertOpenAiShape('Response', answer.json);
    assert.match(answer.json.id, /^resp_[0-9a-f]{32}$/);
    assert.equal(answer.json.status, 'completed');
    assert.equal(outputText(answer.json), 'Mock reply to: Say hello');
    assert.match(answer.json.output[0].id, /^msg_/);
    assert.deepEqual(answer.json.metadata, { trace: 'abc' });
    assert.equal(answer.json.instructions, 'Be brief.');
    assert.equal(answer.json.temperature, 0.2);
    assert.equal(answer.json.max_output_tokens, 64);
    assert.ok(answer.json.usage.input_tokens > 0 && answer.json.usage.output_tokens > 0);
    assert.equal(answer.json.usage.total_tokens, answer.json.usage.input_tokens + answer.json.usage.output_tokens);
    assert.equal(routeEntries(answer.headers).map((e) => e.outcome).join(), 'ok');
    assert.equal(answer.headers.get('x-litellm-model-group'), group);
    assert.ok(answer.headers.get('x-litellm-call-id'));

    const upstream = await lastBody(marker);
    assert.equal(upstream.max_tokens, 64);
    assert.equal(upstream.temperature, 0.2);
    assert.equal(upstream.metadata?.trace, undefined, 'Responses metadata is not sent upstream');
    assert.equal(upstream.store, undefined);
    if (group === 'gpt') {
      assert.deepEqual(upstream.messages, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello' }]);
      assert.equal(upstream.user, 'end-user-1');
    } else {
      assert.equal(upstream.model, claudeModel);
      assert.equal(upstream.system, 'Be brief.');
      assert.deepEqual(upstream.messages, [{ role: 'user', content: [{ type: 'text', text: 'Say hello' }] }]);
    }
  });

  test(`${group}: a streamed answer is the Responses event sequence, ending in response.completed`, async () => {
    const answer = await post({ model: group, input: 'Stream please', stream: true });
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type'), /text\/event-stream/);
    const events = checkedEvents(answer.events);
    const types = events.map((e) => e.type);
    assert.deepEqual(types.slice(0, 4),
      ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added']);
    assert.deepEqual(types.slice(-5), ['response.output_text.delta', 'response.output_text.done',
      'response.content_part.done', 'response.output_item.done', 'response.completed']);
    const deltas = events.filter((e) => e.type === 'response.output_text.delta').map((e) => e.delta).join('');
    assert.equal(deltas, 'Mock reply to: Stream please');
    const completed = events.at(-1).response;
    assertOpenAiShape('Response', completed);
    assertOpenAiShape('Response', events[0].response);
    assert.equal(outputText(completed), deltas);
    assert.ok(completed.usage.output_tokens > 0, 'usage arrives in response.completed');
    const upstream = await lastBody(marker);
    assert.equal(upstream.stream, true);
  });

  test(`${group}: function tools map across, and the tool loop continues with function_call_output`, async () => {
    const first = await post({ model: group, input: 'Weather in Paris?', tools: [weatherTool],
      tool_choice: { type: 'function', name: 'get_weather' }, parallel_tool_calls: false });
    assert.equal(first.status, 200);
    assertOpenAiShape('Response', first.json);
    const call = first.json.output.find((i) => i.type === 'function_call');
    assert.ok(call, JSON.stringify(first.json.output));
    assert.match(call.id, /^fc_/);
    assert.equal(call.name, 'get_weather');
    assert.deepEqual(JSON.parse(call.arguments), { location: 'Paris', unit: 'celsius' });
    assert.deepEqual(first.json.tools[0].name, 'get_weather');
    const sent = await lastBody(marker);
    if (group === 'gpt') {
      assert.deepEqual(sent.tools[0], { type: 'function', function: {
        name: 'get_weather', description: weatherTool.description, parameters: weatherTool.parameters, strict: true } });
      assert.deepEqual(sent.tool_choice, { type: 'function', function: { name: 'get_weather' } });
      assert.equal(sent.parallel_tool_calls, false);
    } else {
      assert.equal(sent.tools[0].name, 'get_weather');
      assert.deepEqual(sent.tool_choice, { type: 'tool', name: 'get_weather', disable_parallel_tool_use: true });
    }

    const second = await post({ model: group, tools: [weatherTool], input: [
      { role: 'user', content: 'Weather in Paris?' },
      { type: 'function_call', call_id: call.call_id, name: call.name, arguments: call.arguments, id: call.id, status: 'completed' },
      { type: 'function_call_output', call_id: call.call_id, output: 'Sunny, 21C' },
    ] });
    assert.equal(second.status, 200);
    assertOpenAiShape('Response', second.json);
    assert.equal(outputText(second.json), 'Mock reply to: Sunny, 21C');
  });

  test(`${group}: a streamed tool call is function_call_arguments events`, async () => {
    const answer = await post({ model: group, input: 'Weather?', tools: [weatherTool], tool_choice: 'required', stream: true });
    assert.equal(answer.status, 200);
    const events = checkedEvents(answer.events);
    const added = events.find((e) => e.type === 'response.output_item.added' && e.item.type === 'function_call');
    assert.ok(added);
    const args = events.filter((e) => e.type === 'response.function_call_arguments.delta').map((e) => e.delta).join('');
    assert.deepEqual(JSON.parse(args), { location: 'Paris', unit: 'celsius' });
    const done = events.find((e) => e.type === 'response.function_call_arguments.done');
    assert.equal(done.arguments, args);
    const completed = events.at(-1);
    assert.equal(completed.type, 'response.completed');
    assertOpenAiShape('Response', completed.response);
    assert.equal(completed.response.output.at(-1).arguments, args);
  });
}

test('reasoning survives both hops: reasoning_content (chat) and thinking (Anthropic) become a reasoning item', async () => {
  const chatAnswer = await post({ model: 'gpt-thinking', input: 'Why?', reasoning: { effort: 'high' } });
  assert.equal(chatAnswer.status, 200);
  assertOpenAiShape('Response', chatAnswer.json);
  assert.equal(chatAnswer.json.output[0].type, 'reasoning');
  assert.match(chatAnswer.json.output[0].id, /^rs_/);
  assert.equal(chatAnswer.json.output[0].summary[0].text, 'Mock thinking about: Why?');
  assert.equal(chatAnswer.json.reasoning.effort, 'high');
  assert.equal((await lastBody('oa-think')).reasoning_effort, 'high');

  const claudeAnswer = await post({ model: 'claude-thinking', input: 'Why?', reasoning: { effort: 'low' } });
  assert.equal(claudeAnswer.status, 200);
  assertOpenAiShape('Response', claudeAnswer.json);
  assert.equal(claudeAnswer.json.output[0].type, 'reasoning');
  assert.equal(claudeAnswer.json.output[0].summary[0].text, 'Mock thinking about: Why?');
  const anthropicBody = await lastBody('an-think');
  assert.equal(anthropicBody.thinking?.type, 'enabled', 'reasoning.effort became Anthropic thinking');

  // Anthropic's signed thinking rides in the reasoning item's encrypted_content, and an item sent
  // back (stateless, as the Agents SDK does) returns to Anthropic as a thinking block with its signature.
  const signed = claudeAnswer.json.output[0].encrypted_content;
  assert.match(signed, /^llmux\.thinking\.v1:/);
  const next = await post({ model: 'claude-thinking', reasoning: { effort: 'low' },
    input: [{ role: 'user', content: 'Why?' }, ...claudeAnswer.json.output, { role: 'user', content: 'Go on' }] });
  assert.equal(next.status, 200);
  const assistant = (await lastBody('an-think')).messages.find((m) => m.role === 'assistant');
  const thinkingBlock = assistant.content.find((b) => b.type === 'thinking');
  assert.ok(thinkingBlock?.signature, 'the thinking block went back with its signature');
  assert.equal(thinkingBlock.thinking, 'Mock thinking about: Why?');
  assert.equal(chatAnswer.json.output[0].encrypted_content, undefined, 'a chat reasoning_content has no signature');

  for (const group of ['gpt-thinking', 'claude-thinking']) {
    const streamed = await post({ model: group, input: 'Why?', stream: true, reasoning: { effort: 'low' } });
    const events = checkedEvents(streamed.events);
    const summary = events.filter((e) => e.type === 'response.reasoning_summary_text.delta').map((e) => e.delta).join('');
    assert.equal(summary, 'Mock thinking about: Why?', group);
    const completed = events.at(-1).response;
    assertOpenAiShape('Response', completed);
    assert.deepEqual(completed.output.map((i) => i.type), ['reasoning', 'message'], group);
  }
});

test('retries and fallbacks run as for chat; a stream that dies before its first byte is failed over', async () => {
  // The router's num_retries is 0: the request's own num_retries (a gateway control, carried over
  // from the Responses body) gives the retry.
  const withRetry = await post({ model: 'retry-once', input: 'hi', num_retries: 1 });
  assert.equal(withRetry.status, 200);
  assertOpenAiShape('Response', withRetry.json);
  assert.deepEqual(routeEntries(withRetry.headers).map((e) => e.outcome.startsWith('ok')), [false, true]);
  assert.equal(withRetry.headers.get('x-litellm-attempted-retries'), '1');

  const fellBack = await post({ model: 'flaky', input: 'hi' });
  assert.equal(fellBack.status, 200);
  assertOpenAiShape('Response', fellBack.json);
  assert.deepEqual(routeEntries(fellBack.headers).map((e) => e.group), ['flaky', 'claude']);
  assert.equal(routeEntries(fellBack.headers).at(-1).outcome, 'ok');
  assert.equal(fellBack.headers.get('x-litellm-attempted-fallbacks'), '1');

  const streamed = await post({ model: 'dies-first', input: 'hi', stream: true });
  assert.equal(streamed.status, 200);
  const events = checkedEvents(streamed.events);
  assert.equal(events.at(-1).type, 'response.completed');
  assert.deepEqual(routeEntries(streamed.headers).map((e) => e.group), ['dies-first', 'gpt']);
});

test('a stream broken after it started ends with response.failed, never a silent end', async () => {
  for (const group of ['breaks', 'claude-breaks']) {
    const answer = await post({ model: group, input: 'Tell me a long story', stream: true });
    assert.equal(answer.status, 200, group);
    const events = checkedEvents(answer.events);
    const last = events.at(-1);
    assert.equal(last.type, 'response.failed', `${group}: ${events.map((e) => e.type).join()}`);
    assert.equal(last.response.status, 'failed');
    assert.ok(last.response.error.message.length > 0);
    assert.equal(last.response.error.code, 'server_error');
    assertOpenAiShape('Response', last.response);
    assert.ok(!events.some((e) => e.type === 'response.completed'));
  }
});

test('what a chat deployment cannot honour is refused with a 400 naming it, in OpenAI\'s shape', async () => {
  const cases = [
    [{ model: 'gpt', input: 'x', tools: [{ type: 'web_search' }] }, 'tools[0].type', /web_search/],
    [{ model: 'claude', input: 'x', tools: [weatherTool, { type: 'file_search', vector_store_ids: ['vs_1'] }] }, 'tools[1].type', /file_search/],
    [{ model: 'gpt', input: 'x', background: true }, 'background', /background/],
    [{ model: 'gpt', input: [{ type: 'item_reference', id: 'msg_1' }] }, 'input[0]', /item_reference/],
    [{ model: 'gpt', input: [{ role: 'user', content: [{ type: 'input_image', file_id: 'file-1' }] }] }, 'input[0].content[0].file_id', /file_id/],
    [{ model: 'gpt', input: 'x', temperature: 5 }, 'temperature', /Expected a value <= 2/],
    [{ model: 'gpt', input: 'x', surprise: 1 }, 'surprise', /Unknown parameter: 'surprise'/],
    [{ model: 'gpt' }, 'input', /Missing required parameter: 'input'/],
    [{ model: 'no-such-model', input: 'x' }, 'model', /Invalid model name/],
  ];
  for (const [body, param, message] of cases) {
    const answer = await post(body);
    assert.equal(answer.status, 400, JSON.stringify(body));
    assertOpenAiShape('ErrorResponse', answer.json);
    assert.equal(answer.json.error.param, param, JSON.stringify(answer.json));
    assert.match(answer.json.error.message, message);
    assert.equal(answer.json.error.type, 'invalid_request_error');
  }
  const notJson = await post('{"model": "gpt", ', { raw: true });
  assert.equal(notJson.status, 400);
  assertOpenAiShape('ErrorResponse', notJson.json);
  const unauthenticated = await post({ model: 'gpt', input: 'x' }, { key: 'wrong' });
  assert.equal(unauthenticated.status, 401);

  const down = await post({ model: 'down', input: 'x' });
  assert.equal(down.status, 503);
  assertOpenAiShape('ErrorResponse', down.json);
  assert.match(down.json.error.message, /down/);
});

test('a virtual key: limits headers, and exactly one spend row per call (whole, streamed, broken)', async () => {
  const made = await (await fetch(`${llmux.url}/key/generate`, {
    method: 'POST', headers: { authorization: `Bearer ${MASTER}`, 'content-type': 'application/json' },
    body: JSON.stringify({ models: ['gpt', 'breaks'], rpm_limit: 100 }),
  })).json();
  const whole = await post({ model: 'gpt', input: 'Count me once' }, { key: made.key });
  assert.equal(whole.status, 200);
  assert.equal(whole.headers.get('x-ratelimit-limit-requests'), '100');
  assert.ok(Number(whole.headers.get('x-litellm-response-cost')) > 0);
  const streamed = await post({ model: 'gpt', input: 'Count me once too', stream: true }, { key: made.key });
  assert.equal(streamed.status, 200);
  const broken = await post({ model: 'breaks', input: 'Break', stream: true }, { key: made.key });
  assert.equal(broken.status, 200);
  const forbidden = await post({ model: 'claude', input: 'x' }, { key: made.key });
  assert.equal(forbidden.status, 401);
  assertOpenAiShape('ErrorResponse', forbidden.json);

  const rows = await waitFor(async () => {
    const logs = await (await fetch(`${llmux.url}/spend/logs?api_key=${made.token}`, {
      headers: { authorization: `Bearer ${MASTER}` },
    })).json();
    return logs.length >= 3 ? logs : null;
  });
  assert.ok(rows, 'the calls are logged');
  assert.equal(rows.length, 3, JSON.stringify(rows));
  const byStatus = rows.map((r) => `${r.model_group}:${r.status}`).sort();
  assert.deepEqual(byStatus, ['breaks:failure', 'gpt:success', 'gpt:success']);
  for (const row of rows.filter((r) => r.status === 'success')) {
    assert.ok(row.prompt_tokens > 0 && row.completion_tokens > 0, JSON.stringify(row));
    assert.ok(row.spend > 0);
  }
});
