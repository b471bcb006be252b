// The clients new applications start with, unchanged, against /v1/responses bridged to chat
// deployments — one on the mock's OpenAI chat wire, one on its Anthropic wire: the official
// `openai` SDK (responses.create, responses.stream, its error classes), the OpenAI Agents SDK
// (@openai/agents: an Agent with a function tool run by run(), default model settings, tracing
// off) and the Vercel AI SDK (`ai` + @ai-sdk/openai's default provider, which calls /v1/responses:
// generateText and streamText, with a tool call). SDK retries are off.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { Agent, run, tool as agentTool, setDefaultOpenAIClient, setTracingDisabled, setOpenAIAPI } from '@openai/agents';
import { generateText, streamText, tool as aiTool, stepCountIs } from 'ai';
import { createOpenAI } from '@ai-sdk/openai';
import { z } from 'zod';
import { startMock, startLlmux, toYaml } from '../lib/harness.mjs';
import { assertOpenAiShape } from '../lib/openai_schema.mjs';

const claudeModel = 'claude-3-5-sonnet-20241022';
const wires = [['OpenAI wire', 'gpt'], ['Anthropic wire', 'claude']];

let mock;
let llmux;
let client;

before(async () => {
  mock = await startMock();
  const gpt = (group, fault) => ({
    model_name: group,
    litellm_params: { model: 'openai/mock-model', api_base: `${mock.url}/${group}${fault ? `/fault/${fault}` : ''}/v1`, api_key: 'sk-up' },
  });
  const claude = (group, fault) => ({
    model_name: group,
    litellm_params: { model: `anthropic/${claudeModel}`, api_base: `${mock.url}/${group}${fault ? `/fault/${fault}` : ''}`, api_key: 'sk-ant-up' },
  });
  llmux = await startLlmux(toYaml({
    model_list: [
      gpt('gpt'), claude('claude'),
      // The mock calls get_weather until the conversation ends with its result: an agent loop.
      gpt('gpt-tools', 'tool_call=get_weather'), claude('claude-tools', 'tool_call=get_weather'),
    ],
    router_settings: { num_retries: 0 },
  }));
  client = new OpenAI({ baseURL: `${llmux.url}/v1`, apiKey: 'sk-test', maxRetries: 0, timeout: 20_000 });
  setDefaultOpenAIClient(client);
  setOpenAIAPI('responses');
  setTracingDisabled(true);
});

const weatherSchema = {
  type: 'object',
  properties: { location: { type: 'string' } },
  required: ['location'],
  additionalProperties: false,
};

for (const [wire, group] of wires) {
  test(`openai SDK responses.create (${wire}): text, then a function tool round trip`, async () => {
    const response = await client.responses.create({ model: group, instructions: 'Be brief.', input: 'Say hello' });
    assert.equal(response.output_text, 'Mock reply to: Say hello');
    assert.equal(response.status, 'completed');
    assert.ok(response.usage.input_tokens > 0);
    const { output_text: _convenience, ...wireShape } = response;
    assertOpenAiShape('Response', wireShape);

    const tools = [{ type: 'function', name: 'get_weather', description: 'Weather', parameters: weatherSchema, strict: true }];
    const first = await client.responses.create({ model: group, input: 'Weather in Paris?', tools, tool_choice: 'required' });
    const call = first.output.find((item) => item.type === 'function_call');
    assert.ok(call, JSON.stringify(first.output));
    assert.deepEqual(JSON.parse(call.arguments), { location: 'Paris' });
    const second = await client.responses.create({
      model: group, tools,
      input: [{ role: 'user', content: 'Weather in Paris?' }, call,
        { type: 'function_call_output', call_id: call.call_id, output: '21C and sunny' }],
    });
    assert.equal(second.output_text, 'Mock reply to: 21C and sunny');
  });

  test(`openai SDK responses.stream (${wire}): deltas as they come, and the final Response`, async () => {
    const stream = client.responses.stream({ model: group, input: 'Stream this' });
    let text = '';
    const types = new Set();
    stream.on('response.output_text.delta', (event) => { text += event.delta; });
    for await (const event of stream) types.add(event.type);
    const final = await stream.finalResponse();
    assert.equal(text, 'Mock reply to: Stream this');
    // output_text is an SDK convenience responses.create adds; a stream's final Response has the items.
    const finalText = final.output.filter((i) => i.type === 'message').flatMap((i) => i.content).map((p) => p.text).join('');
    assert.equal(finalText, text);
    assert.equal(final.status, 'completed');
    assert.ok(final.usage.output_tokens > 0);
    for (const type of ['response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
      'response.output_text.done', 'response.content_part.done', 'response.output_item.done', 'response.completed']) {
      assert.ok(types.has(type), `${type} seen`);
    }
  });

  test(`@openai/agents run() (${wire}): an Agent calls its function tool and answers`, async () => {
    const calls = [];
    const getWeather = agentTool({
      name: 'get_weather',
      description: 'Current weather for a city',
      parameters: z.object({ location: z.string() }),
      execute: async ({ location }) => {
        calls.push(location);
        return `It is sunny in ${location}`;
      },
    });
    const agent = new Agent({ name: 'Weather', instructions: 'Answer with the weather.', model: `${group}-tools`, tools: [getWeather] });
    const result = await run(agent, 'What is the weather in Paris?');
    assert.deepEqual(calls, ['Paris']);
    assert.equal(result.finalOutput, 'Mock reply to: It is sunny in Paris');
  });

  test(`Vercel AI SDK generateText and streamText (${wire}): text and a tool call`, async () => {
    const openai = createOpenAI({ baseURL: `${llmux.url}/v1`, apiKey: 'sk-test' });
    const plain = await generateText({ model: openai(group), prompt: 'Say hi' });
    assert.equal(plain.text, 'Mock reply to: Say hi');
    assert.ok(plain.usage.inputTokens > 0 && plain.usage.outputTokens > 0);

    // A second turn from the first one's messages: under its default store: true the SDK sends the
    // earlier assistant message as an item_reference, which llmux resolves from its store.
    await mock.clearRequests();
    const followUp = await generateText({
      model: openai(group),
      messages: [{ role: 'user', content: 'Say hi' }, ...plain.response.messages, { role: 'user', content: 'And again' }],
    });
    assert.equal(followUp.text, 'Mock reply to: And again');
    // Only this turn's upstream request is in the log: it must carry the referenced assistant text.
    const sent = JSON.stringify(await mock.requests());
    assert.match(sent, /Mock reply to: Say hi/, 'the referenced assistant message reached the deployment');

    const seen = [];
    const tools = {
      get_weather: aiTool({
        description: 'Current weather for a city',
        inputSchema: z.object({ location: z.string() }),
        execute: async ({ location }) => {
          seen.push(location);
          return `Rainy in ${location}`;
        },
      }),
    };
    const withTool = await generateText({ model: openai(`${group}-tools`), tools, stopWhen: stepCountIs(3), prompt: 'Weather in Paris?' });
    assert.deepEqual(seen, ['Paris']);
    assert.equal(withTool.steps.length, 2);
    assert.equal(withTool.steps[0].toolCalls[0].toolName, 'get_weather');
    assert.match(withTool.text, /^Mock reply to: .*Rainy in Paris/);

    const streamed = streamText({ model: openai(group), prompt: 'Stream hi' });
    let text = '';
    for await (const delta of streamed.textStream) text += delta;
    assert.equal(text, 'Mock reply to: Stream hi');
    assert.equal(await streamed.finishReason, 'stop');

    // The mock fills every `location` with "Paris", whatever was asked.
    const streamedTool = streamText({ model: openai(`${group}-tools`), tools, stopWhen: stepCountIs(3), prompt: 'Weather in Rome?' });
    let toolText = '';
    for await (const delta of streamedTool.textStream) toolText += delta;
    assert.deepEqual(seen, ['Paris', 'Paris']);
    assert.equal((await streamedTool.steps).length, 2);
    assert.match(toolText, /^Mock reply to: .*Rainy in Paris/);
  });
}

test('openai SDK: a refused request is a BadRequestError naming the param', async () => {
  await assert.rejects(
    client.responses.create({ model: 'gpt', input: 'x', tools: [{ type: 'web_search' }] }),
    (error) => error instanceof OpenAI.BadRequestError && error.status === 400 && error.param === 'tools[0].type' &&
      /web_search/.test(error.message),
  );
  // An id the response store does not hold (responses_state_sdk.test.mjs follows real ones).
  await assert.rejects(
    client.responses.create({ model: 'gpt', input: 'x', previous_response_id: 'resp_1' }),
    (error) => error instanceof OpenAI.NotFoundError && error.param === 'previous_response_id' &&
      error.code === 'previous_response_not_found',
  );
});
