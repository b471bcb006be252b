// The official openai SDK against the Responses API's state in llmux: follow-up turns with
// previous_response_id (whole and streamed), responses.retrieve, responses.inputItems.list (its
// cursor paging), responses.cancel and responses.delete — on a bridged deployment (the mock's chat
// wire; llmux keeps the state) and on one passed through (the mock's /responses wire, which keeps
// its own).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { startMock, startLlmux } from '../lib/harness.mjs';
import { assertOpenAiShape } from '../lib/openai_schema.mjs';

let mock;
let llmux;
let client;

before(async () => {
  mock = await startMock();
  const config = {
    model_list: [
      { model_name: 'bridged', litellm_params: { model: 'openai/mock-model', api_base: `${mock.url}/v1`, api_key: 'sk-up' } },
      {
        model_name: 'native',
        litellm_params: { model: 'openai/mock-model', api_base: `${mock.url}/native/v1`, api_key: 'sk-up' },
        model_info: { supported_endpoints: ['/v1/chat/completions', '/v1/responses'] },
      },
    ],
    general_settings: { master_key: 'sk-e2e-state' },
  };
  llmux = await startLlmux(JSON.stringify(config));
  client = new OpenAI({ baseURL: `${llmux.url}/v1`, apiKey: 'sk-e2e-state', maxRetries: 0, timeout: 20_000 });
});

after(async () => {
  await llmux?.stop();
  await mock?.stop();
});

for (const model of ['bridged', 'native']) {
  test(`${model}: a conversation over previous_response_id, then retrieve, inputItems.list and delete`, async () => {
    const first = await client.responses.create({ model, input: 'My name is Ada.', instructions: 'Be brief.' });
    assertOpenAiShape('Response', first);
    assert.equal(first.output_text, 'Mock reply to: My name is Ada.');

    const second = await client.responses.create({ model, input: 'What is my name?', previous_response_id: first.id });
    assertOpenAiShape('Response', second);
    assert.equal(second.previous_response_id, first.id);

    // A streamed third turn, through the SDK's stream helper.
    const stream = client.responses.stream({ model, input: 'Once more.', previous_response_id: second.id });
    const seen = [];
    for await (const event of stream) seen.push(event.type);
    const third = await stream.finalResponse();
    assert.equal(seen[0], 'response.created');
    assert.equal(seen.at(-1), 'response.completed');
    const message = third.output.find((item) => item.type === 'message');
    assert.equal(message.content[0].text, 'Mock reply to: Once more.');

    const retrieved = await client.responses.retrieve(second.id);
    assert.equal(retrieved.id, second.id);
    assert.equal(retrieved.output_text, second.output_text);

    // Every item the third turn saw: three user turns and two answers, newest first, 2 a page.
    const texts = [];
    for await (const item of client.responses.inputItems.list(third.id, { limit: 2 })) {
      texts.push(item.content?.[0]?.text);
    }
    assert.deepEqual(texts, [
      'Once more.',
      'Mock reply to: What is my name?',
      'What is my name?',
      'Mock reply to: My name is Ada.',
      'My name is Ada.',
    ]);
    const ascending = await client.responses.inputItems.list(third.id, { order: 'asc', limit: 1 });
    assert.equal(ascending.data[0].content[0].text, 'My name is Ada.');
    assert.equal(ascending.has_more, true);

    await assert.rejects(client.responses.cancel(first.id), (error) => error instanceof OpenAI.BadRequestError);

    const deleted = await client.responses.delete(first.id);
    // Typed void by the SDK, which hands on the body OpenAI sends.
    assert.deepEqual(deleted, { id: first.id, object: 'response', deleted: true });
    await assert.rejects(client.responses.retrieve(first.id), (error) => error instanceof OpenAI.NotFoundError);
    await assert.rejects(
      client.responses.create({ model, input: 'x', previous_response_id: first.id }),
      (error) => error instanceof OpenAI.NotFoundError && error.code === 'previous_response_not_found',
    );
  });
}

test('native: a background response is cancelled at the deployment that runs it', async () => {
  const queued = await client.responses.create({ model: 'native', input: 'take your time', background: true });
  assert.equal(queued.status, 'in_progress');
  const cancelled = await client.responses.cancel(queued.id);
  assert.equal(cancelled.status, 'cancelled');
  assert.equal((await client.responses.retrieve(queued.id)).status, 'cancelled');
});
