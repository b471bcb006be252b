// Upstreams that answer in bad faith. (1) Error events and bodies that echo the deployment's key
// back (raw, JSON-escaped, in an Authorization echo, cut across two reads), on the OpenAI-compatible
// pass-through, the Anthropic translated stream and the Anthropic pass-through: neither the client
// nor llmux's log (run with --verbose, so every DEBUG line counts too) may ever see the key.
// (2) A 200 that is not what the API promises (HTML, truncated JSON, a body shorter than its
// Content-Length, a stream answered without events): a failure like a 502, failed over when another
// deployment can serve, else a 502 in the client's error shape.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startLlmux, chat, toYaml } from '../lib/harness.mjs';
import { startRawUpstream, rawHead } from '../lib/raw_upstream.mjs';

const key = 'sk-hostile/Key0123456789abcdef';
// What must never show: any part of the key past the three characters the mask keeps.
const leaks = (text) => ['hostile', 'Key0123', '456789abcdef'].filter((part) => text.includes(part));
const escapedKey = key.replace('/', '\\/');

let upstream;
let llmux;

const sse = (frames) => frames.map((f) => (f.event ? `event: ${f.event}\n` : '') + `data: ${f.data}\n\n`).join('');
const openAiChunk = (content) => JSON.stringify({
  id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'm',
  choices: [{ index: 0, delta: { content }, finish_reason: null }],
});

// What the upstream answers, by the path llmux calls (each deployment has its own prefix).
const scripts = {
  // An in-band error event after content, cut in the middle of the key.
  '/oa-mid/v1/chat/completions': () => {
    const error = `data: {"error":{"message":"Incorrect API key provided: Bearer ${escapedKey}","type":"invalid_request_error"}}\n\n`;
    const cut = error.indexOf('Key01');
    return { pieces: [rawHead(200, 'text/event-stream'), sse([{ data: openAiChunk('Hi') }]), error.slice(0, cut), error.slice(cut)] };
  },
  // The same error as the stream's first event: failed over, then reported in the error body.
  '/oa-first/v1/chat/completions': () => ({
    pieces: [rawHead(200, 'text/event-stream'),
      `data: {"error":{"message":"bad key ${key}","type":"invalid_request_error"}}\n\n`],
  }),
  // A whole-body 401 quoting the request's headers, with the key JSON-escaped two ways.
  '/oa-401/v1/chat/completions': () => {
    const body = `{"error":{"message":"Incorrect API key provided: Bearer ${escapedKey}","type":"invalid_request_error"}}`;
    return { pieces: [rawHead(401, 'application/json', Buffer.byteLength(body)) + body] };
  },
  // A proxy's HTML error page quoting the request as JSON: the raw body is the message.
  '/oa-500/v1/chat/completions': () => {
    const body = `<html><body>upstream failed for {"authorization":"Bearer ${escapedKey}",` +
      `"x-api-key":"sk-hostile\\u002fKey0123456789abcdef"}</body></html>`;
    return { pieces: [rawHead(500, 'text/html', Buffer.byteLength(body)) + body] };
  },
  // Anthropic: an overload error after content, echoing x-api-key, cut in two mid-key.
  '/an-mid/v1/messages': () => {
    const error = sse([{ event: 'error', data: `{"type":"error","error":{"type":"overloaded_error","message":"x-api-key ${escapedKey} overloaded"}}` }]);
    const cut = error.indexOf('Key01');
    return {
      pieces: [rawHead(200, 'text/event-stream'), sse([
        { event: 'message_start', data: '{"type":"message_start","message":{"id":"msg_1","model":"claude","usage":{"input_tokens":3}}}' },
        { event: 'content_block_start', data: '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}' },
        { event: 'content_block_delta', data: '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}' },
      ]), error.slice(0, cut), error.slice(cut)],
    };
  },
  // Anthropic: an error event without its event name, read by its payload's type.
  '/an-unnamed/v1/messages': () => ({
    pieces: [rawHead(200, 'text/event-stream'), sse([
      { event: 'message_start', data: '{"type":"message_start","message":{"id":"msg_1","model":"claude","usage":{"input_tokens":3}}}' },
    ]), sse([{ data: `{"type":"error","error":{"type":"api_error","message":"key ${key} refused"}}` }])],
  }),
  // ---- 200s that are not answers
  '/oa-html/v1/chat/completions': () => {
    const body = '<html><body><h1>502 Bad Gateway</h1></body></html>';
    return { pieces: [rawHead(200, 'text/html', body.length) + body] };
  },
  '/oa-trunc/v1/chat/completions': () => {
    const body = '{"id":"c1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hel';
    return { pieces: [rawHead(200, 'application/json', body.length) + body] };
  },
  '/oa-short/v1/chat/completions': () => {
    const body = '{"id":"c1","object":"chat.completion","choices":[';
    return { pieces: [rawHead(200, 'application/json', body.length + 200) + body] };
  },
  '/oa-good/v1/chat/completions': () => {
    const body = JSON.stringify({
      id: 'c2', object: 'chat.completion', created: 1, model: 'm',
      choices: [{ index: 0, message: { role: 'assistant', content: 'fine' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    });
    return { pieces: [rawHead(200, 'application/json', body.length) + body] };
  },
  '/oa-stream-json/v1/chat/completions': () => {
    const body = '{"error":{"message":"Rate limit reached for requests","type":"rate_limit_error"}}';
    return { pieces: [rawHead(200, 'application/json', body.length) + body] };
  },
  '/oa-stream-html/v1/chat/completions': () => {
    const body = '<html>\n<body>\ndata: not an event\n\n</body>\n</html>\n';
    return { pieces: [rawHead(200, 'text/html', body.length) + body] };
  },
  // A data line that never ends (17 MiB, past the SSE parser's 16 MiB): the stream must end with
  // an error saying so, not go quiet while the rest is dropped.
  '/oa-endless/v1/chat/completions': () => ({
    pieces: [rawHead(200, 'text/event-stream'), sse([{ data: openAiChunk('Hi') }]), 'data: ' + 'x'.repeat(17 << 20)],
  }),
  '/an-html/v1/messages': () => {
    const body = '<html>maintenance</html>';
    return { pieces: [rawHead(200, 'text/html', body.length) + body] };
  },
};

function deployment(name, prefix, family) {
  const model = family === 'anthropic' ? 'anthropic/claude-3-5-sonnet-20241022' : 'openai/gpt-4o-mini';
  return { model_name: name, litellm_params: { model, api_base: `${upstream.url}/${prefix}${family === 'anthropic' ? '' : '/v1'}`, api_key: key } };
}

before(async () => {
  upstream = await startRawUpstream((request) => {
    const script = scripts[request.path];
    if (!script) return { pieces: [rawHead(404, 'text/plain', 2) + 'no'] };
    return script(request);
  });
  llmux = await startLlmux(toYaml({
    model_list: [
      deployment('oa-mid', 'oa-mid', 'openai'),
      deployment('oa-first', 'oa-first', 'openai'),
      deployment('oa-401', 'oa-401', 'openai'),
      deployment('oa-500', 'oa-500', 'openai'),
      deployment('an-mid', 'an-mid', 'anthropic'),
      deployment('an-unnamed', 'an-unnamed', 'anthropic'),
      deployment('oa-html', 'oa-html', 'openai'),
      deployment('oa-trunc', 'oa-trunc', 'openai'),
      deployment('oa-short', 'oa-short', 'openai'),
      deployment('html-then-good', 'oa-html', 'openai'),
      deployment('good', 'oa-good', 'openai'),
      deployment('oa-stream-json', 'oa-stream-json', 'openai'),
      deployment('oa-stream-html', 'oa-stream-html', 'openai'),
      deployment('an-html', 'an-html', 'anthropic'),
      deployment('oa-endless', 'oa-endless', 'openai'),
    ],
    router_settings: { num_retries: 0, fallbacks: [{ 'html-then-good': ['good'] }] },
  }), { args: ['--verbose'] });
});

after(async () => {
  await llmux?.stop();
});

async function post(path, body) {
  const response = await fetch(`${llmux.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

const ask = (model, extra = {}) => ({ model, messages: [{ role: 'user', content: 'hi' }], ...extra });

const cases = [
  { name: 'OpenAI-compatible stream: an error event cut mid-key after content', path: '/v1/chat/completions', body: ask('oa-mid', { stream: true }), status: 200, shows: 'Incorrect API key provided' },
  { name: 'OpenAI-compatible stream: an error event before the first byte', path: '/v1/chat/completions', body: ask('oa-first', { stream: true }), shows: 'bad key' },
  { name: 'OpenAI-compatible whole answer: a 401 echoing the Authorization header', path: '/v1/chat/completions', body: ask('oa-401'), status: 401, shows: 'Incorrect API key provided' },
  { name: 'OpenAI-compatible whole answer: an HTML 500 quoting the key JSON-escaped', path: '/v1/chat/completions', body: ask('oa-500'), status: 500, shows: 'upstream failed for' },
  { name: 'Anthropic translated stream: an error event cut mid-key', path: '/v1/chat/completions', body: ask('an-mid', { stream: true }), status: 200, shows: 'overloaded' },
  { name: 'Anthropic pass-through stream (/v1/messages): an error event cut mid-key', path: '/v1/messages', body: ask('an-mid', { stream: true, max_tokens: 10 }), status: 200, shows: 'overloaded' },
  { name: 'Anthropic translated stream: an error event without its event name', path: '/v1/chat/completions', body: ask('an-unnamed', { stream: true }), status: 200, shows: 'refused' },
];

for (const c of cases) {
  test(`${c.name}: the key reaches neither the client nor the log`, async () => {
    const answer = await post(c.path, c.body);
    if (c.status) assert.equal(answer.status, c.status, answer.text);
    else assert.ok(answer.status >= 400, `${answer.status} ${answer.text}`);
    if (c.shows) assert.ok(answer.text.includes(c.shows), `the upstream's message is still shown: ${answer.text}`);
    assert.deepEqual(leaks(answer.text), [], answer.text);
    assert.ok(answer.text.includes('sk-****'), `the key's place is masked: ${answer.text}`);
    assert.deepEqual(leaks(llmux.proc.outputText()), [], llmux.proc.outputText());
  });
}

// ---- (2) 200s that are not answers

const unusable = [
  { name: 'an HTML page', model: 'oa-html' },
  { name: 'truncated JSON', model: 'oa-trunc' },
  { name: 'a body shorter than its Content-Length', model: 'oa-short' },
  { name: 'a stream request answered with an HTML page', model: 'oa-stream-html', stream: true },
];

for (const c of unusable) {
  test(`a 200 with ${c.name} is a 502 in OpenAI's error shape, not a success`, async () => {
    const answer = await post('/v1/chat/completions', ask(c.model, c.stream ? { stream: true } : {}));
    assert.equal(answer.status, 502, answer.text);
    const body = JSON.parse(answer.text);
    assert.equal(typeof body.error?.message, 'string', answer.text);
    assert.ok('type' in body.error && 'param' in body.error && 'code' in body.error, answer.text);
  });
}

test('a 200 that is not JSON is failed over to the next deployment before the client sees anything', async () => {
  const answer = await post('/v1/chat/completions', ask('html-then-good'));
  assert.equal(answer.status, 200, answer.text);
  assert.equal(JSON.parse(answer.text).choices[0].message.content, 'fine');
});

test('a stream request answered with a JSON error body is that error, with its kind and message', async () => {
  const answer = await post('/v1/chat/completions', ask('oa-stream-json', { stream: true }));
  assert.equal(answer.status, 429, answer.text);
  assert.match(JSON.parse(answer.text).error.message, /Rate limit reached/);
});

test('an Anthropic pass-through answer that is not JSON is a 502 in Anthropic\'s error shape', async () => {
  const answer = await post('/v1/messages', ask('an-html', { max_tokens: 10 }));
  assert.equal(answer.status, 502, answer.text);
  const body = JSON.parse(answer.text);
  assert.equal(body.type, 'error', answer.text);
  assert.equal(typeof body.error?.message, 'string', answer.text);
});

test('a stream event past the SSE size limit ends the stream with an error that says so', async () => {
  const answer = await post('/v1/chat/completions', ask('oa-endless', { stream: true }));
  assert.equal(answer.status, 200, answer.text.slice(0, 200));
  assert.ok(answer.text.includes('"Hi"'), answer.text.slice(0, 400));
  assert.match(answer.text, /SSE size limit/, answer.text.slice(0, 400));
  assert.ok(answer.text.length < 1 << 20, 'the endless line is not forwarded');
});
