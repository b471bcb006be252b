// The official `openai` SDK, unchanged, talking to llmux in front of an Anthropic deployment (the
// mock upstream speaking Anthropic's Messages API): chat, streams, tool calls, image input, and the
// SDK's own error classes for Anthropic's failures. The SDK's retries are off (maxRetries: 0).

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startMock, startLlmux, toYaml } from '../lib/harness.mjs';
import { assertOpenAiShape } from '../lib/openai_schema.mjs';

const claudeModel = 'claude-3-5-sonnet-20241022';
const question = 'What is the capital of France?';
const weatherTool = {
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: {
      type: 'object',
      properties: { location: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['location'],
    },
  },
};
const pngBase64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

let mock;
let client;

before(async () => {
  mock = await startMock();
  const claude = (group, fault) => ({
    model_name: group,
    litellm_params: {
      model: `anthropic/${claudeModel}`,
      api_base: `${mock.url}/${group}${fault ? `/fault/${fault}` : ''}`,
      api_key: 'sk-ant-upstream',
    },
  });
  const llmux = await startLlmux(toYaml({
    model_list: [
      claude('claude'),
      claude('claude-429', 'status=429,retry_after=2'),
      claude('claude-400', 'status=400'),
      claude('claude-midstream', 'chunks=6,chunk_delay_ms=20,stream_error=overloaded_error'),
    ],
    router_settings: { num_retries: 0 },
  }));
  client = new OpenAI({ baseURL: `${llmux.url}/v1`, apiKey: 'sk-test', maxRetries: 0, timeout: 20_000 });
});

const upstreamBody = async (group) => {
  const sent = (await mock.requests()).filter((r) => r.path.startsWith(`/${group}/`)).at(-1);
  assert.ok(sent, `no upstream request for ${group}`);
  return JSON.parse(sent.body);
};

test('chat.completions.create: Claude answers in OpenAI shape', async () => {
  const completion = await client.chat.completions.create({
    model: 'claude',
    messages: [{ role: 'system', content: 'Answer briefly.' }, { role: 'user', content: question }],
  });
  assert.equal(completion.object, 'chat.completion');
  assertOpenAiShape('CreateChatCompletionResponse', completion);
  assert.equal(completion.model, claudeModel);
  assert.equal(completion.choices[0].message.role, 'assistant');
  assert.equal(completion.choices[0].message.content, `Mock reply to: ${question}`);
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.ok(completion.usage.prompt_tokens > 0 && completion.usage.completion_tokens > 0);
  assert.equal(completion.usage.total_tokens, completion.usage.prompt_tokens + completion.usage.completion_tokens);
  assert.equal((await upstreamBody('claude')).system, 'Answer briefly.');
});

test('stream with for await: the text assembles, one finish_reason, usage when asked', async () => {
  const stream = await client.chat.completions.create({
    model: 'claude',
    messages: [{ role: 'user', content: question }],
    stream: true,
    stream_options: { include_usage: true },
  });
  let text = '';
  const finishes = [];
  let usage = null;
  let chunks = 0;
  for await (const chunk of stream) {
    assertOpenAiShape('CreateChatCompletionStreamResponse', chunk);
    chunks += 1;
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.choices[0]?.finish_reason) finishes.push(chunk.choices[0].finish_reason);
    if (chunk.usage) usage = chunk.usage;
  }
  assert.ok(chunks >= 3);
  assert.equal(text, `Mock reply to: ${question}`);
  assert.deepEqual(finishes, ['stop']);
  assert.ok(usage && usage.prompt_tokens > 0 && usage.completion_tokens > 0, JSON.stringify(usage));
});

test('chat.completions.stream helper: finalChatCompletion', async () => {
  const runner = client.chat.completions.stream({ model: 'claude', messages: [{ role: 'user', content: question }] });
  const final = await runner.finalChatCompletion();
  assert.equal(final.choices[0].message.content, `Mock reply to: ${question}`);
  assert.equal(final.choices[0].finish_reason, 'stop');
});

test('tools: a forced tool call, whole and streamed; streamed arguments parse as JSON', async () => {
  const request = {
    model: 'claude',
    messages: [{ role: 'user', content: 'Weather in Paris?' }],
    tools: [weatherTool],
    tool_choice: { type: 'function', function: { name: 'get_weather' } },
  };
  const whole = await client.chat.completions.create(request);
  assertOpenAiShape('CreateChatCompletionResponse', whole);
  assert.equal(whole.choices[0].finish_reason, 'tool_calls');
  const [call] = whole.choices[0].message.tool_calls;
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { location: 'Paris', unit: 'celsius' });

  const stream = await client.chat.completions.create({ ...request, stream: true });
  const calls = new Map();
  let finish = null;
  for await (const chunk of stream) {
    for (const delta of chunk.choices[0]?.delta?.tool_calls ?? []) {
      const entry = calls.get(delta.index) ?? { id: '', name: '', arguments: '' };
      entry.id += delta.id ?? '';
      entry.name += delta.function?.name ?? '';
      entry.arguments += delta.function?.arguments ?? '';
      calls.set(delta.index, entry);
    }
    finish = chunk.choices[0]?.finish_reason ?? finish;
  }
  assert.deepEqual([...calls.keys()], [0]);
  const streamed = calls.get(0);
  assert.equal(streamed.name, 'get_weather');
  assert.match(streamed.id, /^toolu_/);
  assert.deepEqual(JSON.parse(streamed.arguments), { location: 'Paris', unit: 'celsius' });
  assert.equal(finish, 'tool_calls');

  // The tool's result goes back in OpenAI's shape and reaches Claude as a tool_result block.
  const followUp = await client.chat.completions.create({
    model: 'claude',
    tools: [weatherTool],
    messages: [
      request.messages[0],
      { role: 'assistant', content: null, tool_calls: [{ id: streamed.id, type: 'function', function: { name: streamed.name, arguments: streamed.arguments } }] },
      { role: 'tool', tool_call_id: streamed.id, content: '18 degrees and sunny' },
    ],
  });
  assert.equal(followUp.choices[0].message.content, 'Mock reply to: 18 degrees and sunny');
  const sent = await upstreamBody('claude');
  assert.deepEqual(sent.messages.map((m) => m.role), ['user', 'assistant', 'user']);
  const toolResult = sent.messages[2].content.find((b) => b.type === 'tool_result');
  assert.equal(toolResult.tool_use_id, streamed.id);
  assert.equal(sent.messages[1].content.find((b) => b.type === 'tool_use').id, streamed.id);
});

test('image input as a data URL reaches Claude as a base64 image block', async () => {
  const completion = await client.chat.completions.create({
    model: 'claude',
    messages: [{
      role: 'user',
      content: [
        { type: 'text', text: 'Describe this image' },
        { type: 'image_url', image_url: { url: `data:image/png;base64,${pngBase64}` } },
      ],
    }],
  });
  assert.equal(completion.choices[0].message.content, 'Mock reply to: Describe this image');
  const image = (await upstreamBody('claude')).messages[0].content.find((b) => b.type === 'image');
  assert.deepEqual(image, { type: 'image', source: { type: 'base64', media_type: 'image/png', data: pngBase64 } });
});

test('errors: RateLimitError on 429, BadRequestError on a plain 400', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'claude-429', messages: [{ role: 'user', content: 'hi' }] }),
    (error) => {
      assert.ok(error instanceof OpenAI.RateLimitError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.status, 429);
      assert.equal(error.headers.get('retry-after'), '2');
      return true;
    },
  );
  await assert.rejects(
    client.chat.completions.create({ model: 'claude-400', messages: [{ role: 'user', content: 'hi' }] }),
    (error) => {
      assert.ok(error instanceof OpenAI.BadRequestError, `${error.constructor.name}: ${error.message}`);
      assert.equal(error.status, 400);
      assert.equal(error.type, 'invalid_request_error');
      return true;
    },
  );
});

test('a streamed 429 before the first byte is a RateLimitError too', async () => {
  await assert.rejects(
    (async () => {
      const stream = await client.chat.completions.create({ model: 'claude-429', messages: [{ role: 'user', content: 'hi' }], stream: true });
      for await (const _ of stream) { /* drain */ }
    })(),
    (error) => {
      assert.ok(error instanceof OpenAI.RateLimitError, `${error.constructor.name}: ${error.message}`);
      return true;
    },
  );
});

test('an overloaded_error mid-stream makes the SDK iterator throw after the first text', async () => {
  const stream = await client.chat.completions.create({
    model: 'claude-midstream', messages: [{ role: 'user', content: 'Tell me a long story please' }], stream: true,
  });
  let text = '';
  await assert.rejects(
    (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    })(),
    (error) => {
      assert.ok(error instanceof OpenAI.APIError, `${error.constructor.name}: ${error.message}`);
      assert.match(error.message, /overloaded/i);
      return true;
    },
  );
  assert.ok(text.length > 0, 'some text arrived before the error');
});
