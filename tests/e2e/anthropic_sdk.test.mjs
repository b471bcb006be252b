// The official `@anthropic-ai/sdk`, unchanged, pointed at llmux's /v1/messages: the same calls
// work whether the model group is an Anthropic deployment (passed through) or an OpenAI-compatible
// one such as a self-hosted vLLM (translated both ways). The SDK's retries are off (maxRetries: 0),
// so every retry seen is llmux's.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { startMock, startLlmux, toYaml, mockHits } from '../lib/harness.mjs';

const claudeModel = 'claude-3-5-sonnet-20241022';
const vllmModel = 'meta-llama/Llama-3.1-8B-Instruct';
const question = 'What is the capital of France?';
const weatherTool = {
  name: 'get_weather',
  description: 'Current weather for a city',
  input_schema: {
    type: 'object',
    properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
    required: ['location'],
  },
};
// Both kinds of deployment, by model group.
const targets = [
  { group: 'sdk-claude', marker: '/sdk-claude/', upstreamPath: '/sdk-claude/v1/messages' },
  { group: 'sdk-vllm', marker: '/sdk-vllm/', upstreamPath: '/sdk-vllm/v1/chat/completions' },
];

let mock;
let llmux;
let client;

before(async () => {
  mock = await startMock();
  const fault = (spec) => (spec ? `/fault/${spec}` : '');
  const claude = (group, spec) => ({
    model_name: group,
    litellm_params: { model: `anthropic/${claudeModel}`, api_base: `${mock.url}/${group}${fault(spec)}`, api_key: 'sk-ant-upstream' },
  });
  const vllm = (group, spec) => ({
    model_name: group,
    litellm_params: { model: `openai/${vllmModel}`, api_base: `${mock.url}/${group}${fault(spec)}/v1`, api_key: 'sk-vllm' },
  });
  llmux = await startLlmux(toYaml({
    model_list: [
      claude('sdk-claude'),
      vllm('sdk-vllm'),
      claude('sdk-claude-429', 'status=429,retry_after=3'),
      vllm('sdk-vllm-429', 'status=429'),
      claude('sdk-claude-400', 'status=400'),
      claude('sdk-claude-529', 'status=529'),
    ],
    router_settings: { num_retries: 0 },
  }));
  client = new Anthropic({ baseURL: llmux.url, apiKey: 'x', maxRetries: 0, timeout: 20_000 });
});

for (const { group, marker, upstreamPath } of targets) {
  test(`${group}: messages.create returns a text message`, async () => {
    const { data: message, response } = await client.messages.create({
      model: group,
      max_tokens: 200,
      system: 'Answer briefly.',
      messages: [{ role: 'user', content: question }],
    }).withResponse();

    assert.equal(message.type, 'message');
    assert.equal(message.role, 'assistant');
    assert.equal(message.content.length, 1);
    assert.equal(message.content[0].type, 'text');
    assert.equal(message.content[0].text, `Mock reply to: ${question}`);
    assert.equal(message.stop_reason, 'end_turn');
    assert.ok(message.usage.input_tokens > 0 && message.usage.output_tokens > 0, JSON.stringify(message.usage));
    assert.equal(response.headers.get('x-litellm-model-group'), group);
    const upstream = (await mock.requests()).filter((r) => r.path.startsWith(marker)).at(-1);
    assert.equal(upstream.path, upstreamPath);
  });

  test(`${group}: messages.stream gives text events and a finalMessage`, async () => {
    const stream = client.messages.stream({
      model: group,
      max_tokens: 200,
      messages: [{ role: 'user', content: question }],
    });
    const pieces = [];
    stream.on('text', (text) => pieces.push(text));
    const final = await stream.finalMessage();

    assert.ok(pieces.length >= 2, `several text events, got ${pieces.length}`);
    assert.equal(pieces.join(''), `Mock reply to: ${question}`);
    assert.equal(final.role, 'assistant');
    assert.deepEqual(final.content.map((b) => b.type), ['text']);
    assert.equal(final.content[0].text, `Mock reply to: ${question}`);
    assert.equal(final.stop_reason, 'end_turn');
    assert.ok(final.usage.output_tokens > 0, JSON.stringify(final.usage));
  });

  test(`${group}: a tool_use block with parsed input, then the tool_result turn gets the answer`, async () => {
    const ask = { role: 'user', content: 'What is the weather in Paris?' };
    const first = await client.messages.create({
      model: group,
      max_tokens: 200,
      tools: [weatherTool],
      tool_choice: { type: 'tool', name: 'get_weather' },
      messages: [ask],
    });
    assert.equal(first.stop_reason, 'tool_use');
    const toolUse = first.content.find((b) => b.type === 'tool_use');
    assert.ok(toolUse, JSON.stringify(first.content));
    assert.equal(toolUse.name, 'get_weather');
    assert.deepEqual(toolUse.input, { location: 'Paris', unit: 'celsius' });
    assert.ok(toolUse.id.length > 0);

    const second = await client.messages.create({
      model: group,
      max_tokens: 200,
      tools: [weatherTool],
      messages: [
        ask,
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: '18 degrees and sunny' }] },
      ],
    });
    assert.equal(second.stop_reason, 'end_turn');
    assert.equal(second.content.find((b) => b.type === 'text')?.text, 'Mock reply to: 18 degrees and sunny');
  });

  test(`${group}: a streamed tool_use block assembles its input`, async () => {
    const final = await client.messages.stream({
      model: group,
      max_tokens: 200,
      tools: [weatherTool],
      tool_choice: { type: 'tool', name: 'get_weather' },
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
    }).finalMessage();
    const toolUse = final.content.find((b) => b.type === 'tool_use');
    assert.ok(toolUse, JSON.stringify(final.content));
    assert.deepEqual(toolUse.input, { location: 'Paris', unit: 'celsius' });
    assert.equal(final.stop_reason, 'tool_use');
  });
}

test('sdk-vllm: messages.stream reports an estimate at message_start and the upstream count in finalMessage', async () => {
  const ask = { model: 'sdk-vllm', max_tokens: 200, system: 'Answer briefly.', messages: [{ role: 'user', content: question }] };
  const estimate = await client.messages.countTokens({ model: ask.model, system: ask.system, messages: ask.messages });
  const stream = client.messages.stream(ask);
  let startUsage = null;
  stream.on('streamEvent', (event) => {
    // A copy: the SDK's accumulator updates this very object when message_delta arrives.
    if (event.type === 'message_start') startUsage = { ...event.message.usage };
  });
  const final = await stream.finalMessage();
  assert.ok(startUsage?.input_tokens > 0, `message_start usage: ${JSON.stringify(startUsage)}`);
  assert.equal(startUsage.input_tokens, estimate.input_tokens, 'the estimate count_tokens gives');
  // The mock upstream counts ceil(bytes / 4) of the system and message text.
  const upstreamCount = Math.ceil(('Answer briefly.'.length + question.length) / 4);
  assert.notEqual(upstreamCount, estimate.input_tokens);
  assert.equal(final.usage.input_tokens, upstreamCount, JSON.stringify(final.usage));
  assert.equal(final.usage.output_tokens, Math.ceil(`Mock reply to: ${question}`.length / 4));
});

test('messages.countTokens: exact from Anthropic, an honest estimate for vLLM', async () => {
  const ask = { messages: [{ role: 'user', content: 'Count the tokens of this sentence, please.' }] };
  const before = await mockHits(mock, '/sdk-vllm/');

  const exact = await client.messages.countTokens({ model: 'sdk-claude', ...ask }).withResponse();
  assert.equal(exact.data.input_tokens, Math.ceil(ask.messages[0].content.length / 4), 'the mock counts ceil(bytes / 4)');
  assert.equal(exact.response.headers.get('x-llmux-token-count'), 'exact');

  const estimate = await client.messages.countTokens({ model: 'sdk-vllm', ...ask }).withResponse();
  assert.ok(estimate.data.input_tokens > 0 && estimate.data.input_tokens < 50, JSON.stringify(estimate.data));
  assert.equal(estimate.data.estimated, true);
  assert.equal(estimate.response.headers.get('x-llmux-token-count'), 'estimate');
  assert.equal(await mockHits(mock, '/sdk-vllm/'), before, 'no upstream call for an estimate');
});

test('an unknown model: BadRequestError with status 400 and invalid_request_error', async () => {
  await assert.rejects(
    client.messages.create({ model: 'no-such-model', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    (error) => {
      assert.ok(error instanceof Anthropic.BadRequestError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.status, 400);
      assert.equal(error.error?.type, 'error');
      assert.equal(error.error?.error?.type, 'invalid_request_error');
      assert.match(error.message, /no-such-model/);
      return true;
    },
  );
});

test('the upstream keeps answering 429 (num_retries 0): RateLimitError, from both kinds of deployment', async () => {
  for (const group of ['sdk-claude-429', 'sdk-vllm-429']) {
    await assert.rejects(
      client.messages.create({ model: group, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
      (error) => {
        assert.ok(error instanceof Anthropic.RateLimitError, `${group}: ${error.constructor.name}: ${error.message}`);
        assert.equal(error.status, 429);
        assert.equal(error.error?.error?.type, 'rate_limit_error');
        if (group === 'sdk-claude-429') assert.equal(error.headers.get('retry-after'), '3');
        return true;
      },
    );
  }
});

test('the SDK stream helper rejects with RateLimitError too', async () => {
  const stream = client.messages.stream({ model: 'sdk-claude-429', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] });
  await assert.rejects(stream.finalMessage(), (error) => {
    assert.ok(error instanceof Anthropic.RateLimitError, `${error.constructor.name}: ${error.message}`);
    return true;
  });
});

test('a plain upstream 400 is BadRequestError; an overloaded upstream is a server error of type overloaded_error', async () => {
  await assert.rejects(
    client.messages.create({ model: 'sdk-claude-400', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    (error) => {
      assert.ok(error instanceof Anthropic.BadRequestError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.status, 400);
      return true;
    },
  );
  await assert.rejects(
    client.messages.create({ model: 'sdk-claude-529', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    (error) => {
      assert.ok(error instanceof Anthropic.APIError && error.status >= 500, `${error.constructor.name}: ${error.status}`);
      assert.equal(error.error?.error?.type, 'overloaded_error');
      return true;
    },
  );
});
