// The official `openai` SDK's other endpoints through llmux to the mock upstream: images.generate,
// audio.transcriptions.create with a file (the SDK's own multipart encoding), audio.speech.create
// read as binary, moderations.create with and without a model, and completions.create on an
// Anthropic deployment (bridged to Messages). The SDK's retries are off: every retry is llmux's.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import OpenAI, { toFile } from 'openai';

import { startLlmux, startMock, toYaml } from '../lib/harness.mjs';
import { assertOpenAiShape } from '../lib/openai_schema.mjs';

const MASTER = 'sk-e2e-endpoints';
let mock;
let llmux;
let client;

before(async () => {
  mock = await startMock();
  const openai = (model) => ({ model: `openai/${model}`, api_base: mock.base(), api_key: 'sk-upstream' });
  llmux = await startLlmux(toYaml({
    model_list: [
      { model_name: 'dall-e-3', litellm_params: openai('dall-e-3') },
      { model_name: 'whisper-1', litellm_params: openai('whisper-1') },
      { model_name: 'tts-1', litellm_params: openai('tts-1') },
      { model_name: 'text-moderation-stable', litellm_params: openai('omni-moderation-latest') },
      { model_name: 'claude', litellm_params: { model: 'anthropic/claude-3-5-haiku-20241022', api_base: mock.url, api_key: 'sk-ant' } },
    ],
    general_settings: { master_key: MASTER },
  }));
  client = new OpenAI({ apiKey: MASTER, baseURL: `${llmux.url}/v1`, maxRetries: 0 });
});

after(async () => {
  await llmux?.stop();
  await mock?.stop();
});

test('images.generate: n images as b64_json', async () => {
  const images = await client.images.generate({ model: 'dall-e-3', prompt: 'a red kite', n: 2, response_format: 'b64_json' });
  assert.equal(images.data.length, 2);
  for (const image of images.data) {
    const bytes = Buffer.from(image.b64_json, 'base64');
    assert.equal(bytes[0], 0x89);
    assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
  }
  assert.equal(typeof images.created, 'number');
});

test('audio.transcriptions.create: the SDK uploads the file; verbose_json comes back whole', async () => {
  const audio = Buffer.alloc(48_000, 3);
  const transcript = await client.audio.transcriptions.create({
    model: 'whisper-1', file: await toFile(audio, 'speech.mp3', { type: 'audio/mpeg' }), response_format: 'verbose_json',
  });
  assert.match(transcript.text, /Mock transcript of 48000 bytes \(speech\.mp3\)/);
  assert.equal(transcript.duration, 3);
  const plain = await client.audio.transcriptions.create({
    model: 'whisper-1', file: await toFile(audio, 'speech.mp3'), response_format: 'text',
  });
  assert.match(plain, /Mock transcript/);
  const upstream = (await mock.requests()).filter((r) => r.path.endsWith('/audio/transcriptions')).at(-1);
  assert.match(upstream.headers['content-type'], /^multipart\/form-data; boundary=/);
});

test('audio.speech.create: the binary answer, byte for byte', async () => {
  const input = 'The quick brown fox';
  const speech = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input });
  assert.equal(speech.headers.get('content-type'), 'audio/mpeg');
  const bytes = Buffer.from(await speech.arrayBuffer());
  assert.equal(bytes.length, 256 + 16 * input.length);
  assert.equal(bytes.subarray(0, 3).toString(), 'ID3');
});

test('moderations.create: with a model, and without one (the configured moderation model)', async () => {
  const named = await client.moderations.create({ model: 'text-moderation-stable', input: ['fine', 'violence'] });
  assert.equal(named.results.length, 2);
  assert.equal(named.results[1].flagged, true);
  const defaulted = await client.moderations.create({ input: 'fine' });
  assert.equal(defaulted.results[0].flagged, false);
});

test('completions.create on an Anthropic deployment, whole and streamed', async () => {
  const completion = await client.completions.create({ model: 'claude', prompt: 'Say hi', max_tokens: 20 });
  assertOpenAiShape('CreateCompletionResponse', completion);
  assert.equal(completion.choices[0].text, 'Mock reply to: Say hi');
  const stream = await client.completions.create({ model: 'claude', prompt: 'Say hi', max_tokens: 20, stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
  assert.equal(text, 'Mock reply to: Say hi');
});

test('the SDK sees an unservable endpoint as a BadRequestError', async () => {
  await assert.rejects(client.audio.speech.create({ model: 'claude', voice: 'alloy', input: 'x' }), (error) => {
    assert.ok(error instanceof OpenAI.BadRequestError);
    assert.match(error.message, /\/audio\/speech is not supported by anthropic deployments/);
    return true;
  });
});
