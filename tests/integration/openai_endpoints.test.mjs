// The other OpenAI endpoints through the real binary against the mock upstream: images
// (generations, edits), audio (transcriptions, translations, speech), moderations and rerank —
// routed by model like chat (fallbacks, 429s, key access, budgets), passed through byte for byte
// (multipart bodies with only the model rewritten, speech audio streamed), refused clearly where a
// deployment's family cannot serve them, and priced by LiteLLM's per-image / per-second /
// per-character / per-query prices into one spend row each.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';

import { startLlmux, startMock, toYaml, waitFor, routeEntries, readSse } from '../lib/harness.mjs';
import { assertOpenAiShape } from '../lib/openai_schema.mjs';

const MASTER = 'sk-master-endpoints';
let mock;
let llmux;
let htmlProxy;  // answers every request 200 with an HTML page, as a misconfigured proxy does

const openai = (model, base = mock.base()) => ({ model: `openai/${model}`, api_base: base, api_key: 'sk-upstream' });

before(async () => {
  mock = await startMock();
  htmlProxy = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html><body>Bad gateway</body></html>');
    });
  });
  await new Promise((resolve) => htmlProxy.listen(0, '127.0.0.1', resolve));
  const htmlBase = `http://127.0.0.1:${htmlProxy.address().port}/v1`;
  llmux = await startLlmux(toYaml({
    model_list: [
      { model_name: 'dall-e-3', litellm_params: openai('dall-e-3') },
      { model_name: 'gpt-image-1', litellm_params: openai('gpt-image-1') },
      { model_name: 'whisper-1', litellm_params: openai('whisper-1') },
      { model_name: 'tts-1', litellm_params: openai('tts-1') },
      { model_name: 'omni-moderation-latest', litellm_params: openai('omni-moderation-latest') },
      { model_name: 'vllm-rerank', litellm_params: { model: 'hosted_vllm/BAAI/bge-reranker-v2-m3', api_base: mock.base() } },
      { model_name: 'cohere-rerank', litellm_params: { model: 'cohere/rerank-v3.5', api_base: mock.url, api_key: 'co-key' } },
      { model_name: 'tts-broken', litellm_params: openai('tts-1', mock.base('chunks=4,break_after=2,chunk_delay_ms=30')) },
      { model_name: 'whisper-behind-html', litellm_params: openai('whisper-1', htmlBase) },
      { model_name: 'tts-behind-html', litellm_params: openai('tts-1', htmlBase) },
      { model_name: 'images-broken', litellm_params: openai('dall-e-3', mock.base('status=503')) },
      { model_name: 'images-limited', litellm_params: openai('dall-e-3', mock.base('status=429')) },
      { model_name: 'claude', litellm_params: { model: 'anthropic/claude-3-5-haiku-20241022', api_base: mock.url, api_key: 'sk-ant' } },
      // One group, two families: speech must always reach the OpenAI-compatible one.
      { model_name: 'mixed-speech', litellm_params: { model: 'anthropic/claude-3-5-haiku-20241022', api_base: mock.url, api_key: 'sk-ant' } },
      { model_name: 'mixed-speech', litellm_params: openai('tts-1') },
    ],
    router_settings: {
      num_retries: 0,
      fallbacks: [{ 'images-broken': ['dall-e-3'] }, { 'whisper-behind-html': ['whisper-1'] }, { 'tts-behind-html': ['tts-1'] }],
    },
    general_settings: { master_key: MASTER, max_request_size_mb: 1 },
  }));
});

after(async () => {
  await llmux?.stop();
  await mock?.stop();
  await new Promise((resolve) => (htmlProxy ? htmlProxy.close(resolve) : resolve()));
});

const auth = (key = MASTER) => ({ authorization: `Bearer ${key}` });

async function postJson(path, body, key) {
  const response = await fetch(`${llmux.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...auth(key) }, body: JSON.stringify(body),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, bytes, text: bytes.toString('utf8') };
}

async function postForm(path, form, key) {
  const response = await fetch(`${llmux.url}${path}`, { method: 'POST', headers: auth(key), body: form });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function postRaw(path, contentType, body) {
  const response = await fetch(`${llmux.url}${path}`, {
    method: 'POST', headers: { 'content-type': contentType, ...auth() }, body,
  });
  return { status: response.status, text: await response.text() };
}

// A PCM WAV of `seconds` at 8 kHz mono 16-bit: its header says exactly how long it plays.
function wav(seconds) {
  const rate = 8000;
  const data = Buffer.alloc(Math.round(seconds * rate) * 2, 1);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0); header.writeUInt32LE(36 + data.length, 4); header.write('WAVE', 8);
  header.write('fmt ', 12); header.writeUInt32LE(16, 16); header.writeUInt16LE(1, 20); header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24); header.writeUInt32LE(rate * 2, 28); header.writeUInt16LE(2, 32); header.writeUInt16LE(16, 34);
  header.write('data', 36); header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

function audioForm(model, file, extra = {}) {
  const form = new FormData();
  if (model !== undefined) form.append('model', model);
  if (file) form.append('file', new Blob([file], { type: 'audio/wav' }), 'clip.wav');
  for (const [k, v] of Object.entries(extra)) form.append(k, v);
  return form;
}

async function spendRow(callId) {
  return waitFor(async () => {
    const logs = await (await fetch(`${llmux.url}/spend/logs`, { headers: auth() })).json();
    return logs.find((row) => row.request_id === callId);
  });
}

const near = (actual, expected) => Math.abs(actual - expected) <= Math.max(1e-12, expected * 1e-6);
const lastUpstream = async (suffix) => (await mock.requests()).filter((r) => r.path.endsWith(suffix)).at(-1);

test('images/generations: n images, passed through, priced per image by size and quality, logged once', async () => {
  const answer = await postJson('/v1/images/generations', {
    model: 'dall-e-3', prompt: 'a lighthouse', n: 2, size: '1024x1024', quality: 'hd', response_format: 'b64_json',
  });
  assert.equal(answer.status, 200, answer.text);
  const body = JSON.parse(answer.text);
  assert.equal(body.data.length, 2);
  assert.ok(body.data.every((image) => typeof image.b64_json === 'string' && image.b64_json.length > 0));
  assert.equal(typeof body.created, 'number');
  // hd/1024-x-1024/dall-e-3: 7.629e-08 per pixel (LiteLLM's map), two images.
  const expected = 2 * 7.629e-08 * 1024 * 1024;
  assert.ok(near(Number(answer.headers.get('x-litellm-response-cost')), expected), answer.headers.get('x-litellm-response-cost'));
  assert.equal(answer.headers.get('x-litellm-model-group'), 'dall-e-3');
  const upstream = JSON.parse((await lastUpstream('/images/generations')).body);
  assert.equal(upstream.model, 'dall-e-3');
  assert.equal(upstream.n, 2);
  const row = await spendRow(answer.headers.get('x-litellm-call-id'));
  assert.ok(near(row.spend, expected), `${row.spend}`);
  assert.equal(row.status, 'success');

  // Without size or quality: the standard 1024x1024 price.
  const plain = await postJson('/images/generations', { model: 'dall-e-3', prompt: 'a boat' });
  assert.equal(plain.status, 200, plain.text);
  assert.ok(typeof JSON.parse(plain.text).data[0].url === 'string');
  assert.ok(near(Number(plain.headers.get('x-litellm-response-cost')), 3.81469e-08 * 1024 * 1024));
});

test('images: gpt-image-1 answers with tokens, which are what it is billed for', async () => {
  const answer = await postJson('/v1/images/generations', { model: 'gpt-image-1', prompt: 'a cat', n: 1 });
  assert.equal(answer.status, 200, answer.text);
  const { usage } = JSON.parse(answer.text);
  const expected = usage.input_tokens_details.text_tokens * 5e-6 + usage.output_tokens * 4e-5;
  assert.ok(near(Number(answer.headers.get('x-litellm-response-cost')), expected));
});

test('images/edits: multipart forwarded byte for byte with the deployment model; missing parts are 400s', async () => {
  const form = new FormData();
  form.append('model', 'dall-e-3');
  form.append('prompt', 'add a hat');
  form.append('image', new Blob([Buffer.from('\x89PNG fake image bytes')], { type: 'image/png' }), 'in.png');
  form.append('n', '1');
  const answer = await postForm('/v1/images/edits', form);
  assert.equal(answer.status, 200, answer.text);
  assert.equal(JSON.parse(answer.text).data.length, 1);
  const upstream = await lastUpstream('/images/edits');
  assert.match(upstream.headers['content-type'], /^multipart\/form-data; boundary=/);
  assert.ok(upstream.body.includes('PNG fake image bytes'));

  const noImage = new FormData();
  noImage.append('model', 'dall-e-3');
  noImage.append('prompt', 'add a hat');
  const refused = await postForm('/v1/images/edits', noImage);
  assert.equal(refused.status, 400);
  assert.match(JSON.parse(refused.text).error.message, /Missing required parameter: 'image'/);
});

test('audio/transcriptions: the file reaches the upstream intact; verbose_json duration prices it per second', async () => {
  const clip = wav(12.5);
  const answer = await postForm('/v1/audio/transcriptions', audioForm('whisper-1', clip, { response_format: 'verbose_json' }));
  assert.equal(answer.status, 200, answer.text);
  const body = JSON.parse(answer.text);
  assert.equal(body.duration, 12.5);
  assert.match(body.text, new RegExp(`Mock transcript of ${clip.length} bytes`));
  assert.ok(near(Number(answer.headers.get('x-litellm-response-cost')), 12.5 * 0.0001));
  const row = await spendRow(answer.headers.get('x-litellm-call-id'));
  assert.ok(near(row.spend, 12.5 * 0.0001));

  // text and srt answers pass through as text; srt's last cue and a bare json answer's WAV header
  // both give the duration.
  const text = await postForm('/audio/transcriptions', audioForm('whisper-1', wav(3), { response_format: 'text' }));
  assert.equal(text.status, 200, text.text);
  assert.match(text.headers.get('content-type'), /^text\/plain/);
  assert.ok(near(Number(text.headers.get('x-litellm-response-cost')), 3 * 0.0001));
  const srt = await postForm('/v1/audio/transcriptions', audioForm('whisper-1', Buffer.alloc(32000, 7), { response_format: 'srt' }));
  assert.match(srt.text, /-->/);
  assert.ok(near(Number(srt.headers.get('x-litellm-response-cost')), 2 * 0.0001), srt.headers.get('x-litellm-response-cost'));
  const json = await postForm('/v1/audio/transcriptions', audioForm('whisper-1', wav(4)));
  assert.ok(near(Number(json.headers.get('x-litellm-response-cost')), 4 * 0.0001));

  const translated = await postForm('/v1/audio/translations', audioForm('whisper-1', wav(1)));
  assert.equal(translated.status, 200, translated.text);
  assert.match(JSON.parse(translated.text).text, /Mock translation/);
});

test('audio: a malformed form, a missing, empty or repeated model, a missing file are 400s naming the problem', async () => {
  const missingModel = await postForm('/v1/audio/transcriptions', audioForm(undefined, wav(1)));
  assert.equal(missingModel.status, 400);
  assert.match(JSON.parse(missingModel.text).error.message, /Missing required parameter: 'model'/);
  const emptyModel = await postForm('/v1/audio/transcriptions', audioForm('', wav(1)));
  assert.equal(emptyModel.status, 400);
  const twice = audioForm('whisper-1', wav(1));
  twice.append('model', 'tts-1');
  const repeated = await postForm('/v1/audio/transcriptions', twice);
  assert.equal(repeated.status, 400);
  assert.match(JSON.parse(repeated.text).error.message, /'model' is given more than once/);
  const noFile = await postForm('/v1/audio/transcriptions', audioForm('whisper-1', null));
  assert.equal(noFile.status, 400);
  assert.match(JSON.parse(noFile.text).error.message, /'file'/);

  const notMultipart = await postRaw('/v1/audio/transcriptions', 'application/json', '{"model":"whisper-1"}');
  assert.equal(notMultipart.status, 400);
  assert.match(JSON.parse(notMultipart.text).error.message, /multipart\/form-data/);
  const unterminated = await postRaw('/v1/audio/transcriptions', 'multipart/form-data; boundary=XyZ',
    '--XyZ\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\nabc');
  assert.equal(unterminated.status, 400);
  assert.match(JSON.parse(unterminated.text).error.message, /closing multipart boundary/);
  const bareLf = await postRaw('/v1/audio/transcriptions', 'multipart/form-data; boundary="q b"',
    '--q b\nContent-Disposition: form-data; name="model"\n\nwhisper-1\n--q b--');
  assert.equal(bareLf.status, 400);
  // A quoted boundary with a space, framed with CRLFs, is fine.
  const quoted = await postRaw('/v1/audio/transcriptions', 'multipart/form-data; charset=utf-8; boundary="q b"',
    '--q b\r\nContent-Disposition: form-data; name="model"\r\n\r\nwhisper-1\r\n--q b\r\n' +
    'Content-Disposition: form-data; name="file"; filename="x.wav"\r\nContent-Type: audio/wav\r\n\r\n' +
    `${wav(1).toString('latin1')}\r\n--q b--\r\n`);
  assert.equal(quoted.status, 200, quoted.text);
});

test('a body past max_request_size_mb is a 413 before anything is called', async () => {
  const before = (await mock.stats()).requests;
  const answer = await postForm('/v1/audio/transcriptions', audioForm('whisper-1', Buffer.alloc(2 * 1024 * 1024, 1)));
  assert.equal(answer.status, 413);
  assert.equal((await mock.stats()).requests, before);
});

test('audio/speech: the audio is streamed back with the upstream content type, priced per character', async () => {
  const input = 'Hello from the gateway';
  const response = await fetch(`${llmux.url}/v1/audio/speech`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...auth() },
    body: JSON.stringify({ model: 'tts-1', input, voice: 'alloy' }),
  });
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'audio/mpeg');
  const bytes = Buffer.from(await response.arrayBuffer());
  assert.equal(bytes.subarray(0, 3).toString(), 'ID3');
  assert.equal(bytes.length, 256 + 16 * input.length);
  const row = await spendRow(response.headers.get('x-litellm-call-id'));
  assert.ok(near(row.spend, input.length * 1.5e-5), `${row.spend}`);

  // A stream that breaks after it started is cut, never passed off as a whole file.
  const broken = await fetch(`${llmux.url}/v1/audio/speech`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...auth() },
    body: JSON.stringify({ model: 'tts-broken', input, voice: 'alloy' }),
  });
  assert.equal(broken.status, 200);
  await assert.rejects(broken.arrayBuffer());
  const failed = await spendRow(broken.headers.get('x-litellm-call-id'));
  assert.equal(failed.status, 'failure');
});

test('moderations: routed by model, and without one to the configured moderation model; free', async () => {
  const answer = await postJson('/v1/moderations', { model: 'omni-moderation-latest', input: ['calm words', 'violence'] });
  assert.equal(answer.status, 200, answer.text);
  const body = JSON.parse(answer.text);
  assert.equal(body.results.length, 2);
  assert.equal(body.results[1].flagged, true);
  assert.equal(answer.headers.get('x-litellm-response-cost'), '0.0');

  const defaulted = await postJson('/moderations', { input: 'hello' });
  assert.equal(defaulted.status, 200, defaulted.text);
  assert.equal(defaulted.headers.get('x-litellm-model-group'), 'omni-moderation-latest');
  assert.equal(JSON.parse((await lastUpstream('/moderations')).body).model, 'omni-moderation-latest');

  const noInput = await postJson('/v1/moderations', { model: 'omni-moderation-latest' });
  assert.equal(noInput.status, 400);
});

test('rerank: vLLM gets /v1/rerank under its base, Cohere /v1/rerank under its host; per-query price', async () => {
  const documents = ['the sky is blue', 'grass is green', { text: 'blue whales' }];
  for (const path of ['/v1/rerank', '/rerank', '/v2/rerank']) {
    const answer = await postJson(path, { model: 'vllm-rerank', query: 'blue', documents, top_n: 2, return_documents: true });
    assert.equal(answer.status, 200, answer.text);
    const body = JSON.parse(answer.text);
    assert.equal(body.results.length, 2);
    assert.ok(body.results[0].relevance_score >= body.results[1].relevance_score);
    assert.ok(body.results[0].document.text);
  }
  assert.equal((await lastUpstream('/rerank')).path, '/v1/rerank');
  assert.equal(JSON.parse((await lastUpstream('/rerank')).body).model, 'BAAI/bge-reranker-v2-m3');

  const cohere = await postJson('/v1/rerank', { model: 'cohere-rerank', query: 'blue', documents });
  assert.equal(cohere.status, 200, cohere.text);
  const upstream = await lastUpstream('/rerank');
  assert.equal(upstream.path, '/v1/rerank');
  assert.equal(upstream.headers.authorization, 'Bearer co-key');
  assert.ok(near(Number(cohere.headers.get('x-litellm-response-cost')), 0.002));

  const noQuery = await postJson('/v1/rerank', { model: 'vllm-rerank', documents });
  assert.equal(noQuery.status, 400);
  assert.match(JSON.parse(noQuery.text).error.message, /'query'/);
});

test('an upstream 5xx falls back to the next group; a 429 reaches the client as a 429', async () => {
  const fellBack = await postJson('/v1/images/generations', { model: 'images-broken', prompt: 'x' });
  assert.equal(fellBack.status, 200, fellBack.text);
  const route = routeEntries(fellBack.headers);
  assert.deepEqual(route.map((entry) => entry.group), ['images-broken', 'dall-e-3'], fellBack.headers.get('x-llmux-route'));
  assert.equal(fellBack.headers.get('x-litellm-model-group'), 'dall-e-3');
  assert.equal(fellBack.headers.get('x-litellm-attempted-fallbacks'), '1');

  const limited = await postJson('/v1/images/generations', { model: 'images-limited', prompt: 'x' });
  assert.equal(limited.status, 429);
  assert.ok(JSON.parse(limited.text).error.message);
});

test('a deployment family that cannot serve the endpoint: 400 naming both; a mixed group is routed around it', async () => {
  const refused = await postJson('/v1/audio/speech', { model: 'claude', input: 'hi', voice: 'alloy' });
  assert.equal(refused.status, 400);
  const { error } = JSON.parse(refused.text);
  assert.match(error.message, /\/audio\/speech is not supported by anthropic deployments/);
  assert.equal(error.type, 'invalid_request_error');
  const embeddings = await postJson('/v1/embeddings', { model: 'claude', input: 'hi' });
  assert.equal(embeddings.status, 400);
  assert.match(JSON.parse(embeddings.text).error.message, /\/embeddings is not supported by anthropic/);

  for (let i = 0; i < 6; i++) {
    const response = await fetch(`${llmux.url}/v1/audio/speech`, {
      method: 'POST', headers: { 'content-type': 'application/json', ...auth() },
      body: JSON.stringify({ model: 'mixed-speech', input: 'hi', voice: 'alloy' }),
    });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('x-llmux-route'), /openai\/tts-1/);
    await response.arrayBuffer();
  }
});

test('keys: model access and budgets hold for the media endpoints; the reservation is n × the image price', async () => {
  const admin = async (path, body) => (await fetch(`${llmux.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...auth() }, body: JSON.stringify(body),
  })).json();
  const narrow = await admin('/key/generate', { models: ['dall-e-3'] });
  const denied = await postForm('/v1/audio/transcriptions', audioForm('whisper-1', wav(1)), narrow.key);
  assert.equal(denied.status, 401);
  assert.match(JSON.parse(denied.text).error.message, /whisper-1/);

  // 0.05 USD: one standard dall-e-3 image (0.04) fits, two (0.08 reserved) do not.
  const budgeted = await admin('/key/generate', { max_budget: 0.05 });
  const two = await postJson('/v1/images/generations', { model: 'dall-e-3', prompt: 'x', n: 2 }, budgeted.key);
  assert.equal(two.status, 400, two.text);
  assert.match(JSON.parse(two.text).error.message, /budget/i);
  const one = await postJson('/v1/images/generations', { model: 'dall-e-3', prompt: 'x', n: 1 }, budgeted.key);
  assert.equal(one.status, 200, one.text);
  const tooMany = await postJson('/v1/images/generations', { model: 'dall-e-3', prompt: 'x', n: 1000 }, budgeted.key);
  assert.equal(tooMany.status, 400);
  assert.match(JSON.parse(tooMany.text).error.message, /Invalid 'n'/);
});

test('legacy /v1/completions on an Anthropic deployment: the prompt as one user message, a text_completion back', async () => {
  const answer = await postJson('/v1/completions', { model: 'claude', prompt: 'Say hi', max_tokens: 32, temperature: 0 });
  assert.equal(answer.status, 200, answer.text);
  const body = JSON.parse(answer.text);
  assertOpenAiShape('CreateCompletionResponse', body);
  assert.equal(body.object, 'text_completion');
  assert.equal(body.choices[0].text, 'Mock reply to: Say hi');
  assert.equal(body.choices[0].finish_reason, 'stop');
  assert.equal(body.choices[0].logprobs, null);
  assert.ok(body.usage.prompt_tokens > 0 && body.usage.completion_tokens > 0);
  const upstream = JSON.parse((await lastUpstream('/messages')).body);
  assert.equal(upstream.messages.length, 1);
  assert.equal(upstream.messages[0].role, 'user');
  assert.equal(upstream.prompt, undefined);
  // Priced as chat: claude-3-5-haiku at 0.8 / 4.0 USD per million tokens.
  const expected = body.usage.prompt_tokens * 0.8e-6 + body.usage.completion_tokens * 4e-6;
  assert.ok(near(Number(answer.headers.get('x-litellm-response-cost')), expected));
  const row = await spendRow(answer.headers.get('x-litellm-call-id'));
  assert.ok(near(row.spend, expected));
  assert.equal(row.prompt_tokens, body.usage.prompt_tokens);

  const response = await fetch(`${llmux.url}/v1/completions`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...auth() },
    body: JSON.stringify({ model: 'claude', prompt: ['Stream me'], max_tokens: 32, stream: true, stream_options: { include_usage: true } }),
  });
  assert.equal(response.status, 200);
  const events = await readSse(response);
  const data = events.map((e) => e.data ?? e);
  assert.equal(data.at(-1), '[DONE]');
  const chunks = data.slice(0, -1).map((d) => JSON.parse(d));
  const text = chunks.flatMap((c) => c.choices.map((choice) => choice.text)).join('');
  assert.equal(text, 'Mock reply to: Stream me');
  for (const chunk of chunks) {
    assert.equal(chunk.object, 'text_completion');
    for (const choice of chunk.choices) {
      assert.equal(typeof choice.text, 'string');
      assert.equal(choice.logprobs, null);
    }
  }
  const last = chunks.filter((c) => c.choices.length > 0).at(-1);
  assertOpenAiShape('CreateCompletionResponse', last);
  assert.equal(last.choices[0].finish_reason, 'stop');
  assert.ok(chunks.at(-1).usage.completion_tokens > 0, 'the usage chunk the client asked for');

  const several = await postJson('/v1/completions', { model: 'claude', prompt: ['a', 'b'], max_tokens: 8 });
  assert.equal(several.status, 400);
  assert.match(JSON.parse(several.text).error.message, /one text prompt/);
  const echo = await postJson('/v1/completions', { model: 'claude', prompt: 'a', echo: true, max_tokens: 8 });
  assert.equal(echo.status, 400);
  assert.match(JSON.parse(echo.text).error.message, /UnsupportedParamsError.*'echo'/s);
});

test('a 200 HTML page is a failed attempt for the text and binary answers too, and is failed over', async () => {
  const transcript = await postForm('/v1/audio/transcriptions', audioForm('whisper-behind-html', wav(1), { response_format: 'text' }));
  assert.equal(transcript.status, 200, transcript.text);
  assert.match(transcript.text, /Mock transcript/);
  assert.deepEqual(routeEntries(transcript.headers).map((entry) => entry.group), ['whisper-behind-html', 'whisper-1']);
  const speech = await postJson('/v1/audio/speech', { model: 'tts-behind-html', input: 'hi', voice: 'alloy' });
  assert.equal(speech.status, 200);
  assert.equal(speech.bytes.subarray(0, 3).toString(), 'ID3');
});
