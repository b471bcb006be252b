// Streaming through llmux: SSE framing, chunks forwarded as they arrive, usage handling, breaks
// after the first byte, failover before it, stream timeouts, and a client that goes away.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { assertOpenAiShape } from '../lib/openai_schema.mjs';

import {
  readSse, simpleMessages, startLlmux, startMock, tcpConnectionsOf, tcpEntriesWithLocalPort, waitFor,
} from '../lib/harness.mjs';

let mock; // shared by most tests
let lonelyMock; // only the client-disconnect test talks to it, so its connections can be counted
let llmux;
let retrying; // long backoff between retries

const SLOW = 'chunk_delay_ms=150,chunks=5';
const RETRY_PATH = '/fault/status=500,key=retry-abort/v1/chat/completions';
const RETRY_CONTROL_PATH = '/fault/status=500,key=retry-control/v1/chat/completions';

before(async () => {
  mock = await startMock();
  lonelyMock = await startMock();
  const deployment = (name, model, base, extra = []) => [
    `  - model_name: ${name}`,
    '    litellm_params:',
    `      model: openai/${model}`,
    `      api_base: ${base}`,
    '      api_key: sk-stream',
    ...extra.map((line) => `      ${line}`),
  ];
  llmux = await startLlmux([
    'model_list:',
    ...deployment('plain', 'plain-model', mock.base()),
    ...deployment('slow', 'slow-model', mock.base(SLOW)),
    ...deployment('slow-tool', 'tool-model', mock.base(`${SLOW},tool_call=get_weather`)),
    ...deployment('broken', 'broken-model', mock.base('break_after=2,chunk_delay_ms=50')),
    ...deployment('fails-first', 'failing-model', mock.base('status=500')),
    ...deployment('stalls', 'stalling-model', mock.base('chunk_delay_ms=1500,chunks=3'), ['stream_timeout: 0.5']),
    ...deployment('endless', 'endless-model', lonelyMock.base('chunk_delay_ms=100,chunks=300')),
    'router_settings:',
    '  num_retries: 0',
    '  fallbacks:',
    '    - fails-first: [plain]',
    '',
  ].join('\n'));
  retrying = await startLlmux([
    'model_list:',
    ...deployment('retry-abort', 'retry-model', `${mock.url}${RETRY_PATH.replace('/chat/completions', '')}`),
    ...deployment('retry-control', 'retry-model', `${mock.url}${RETRY_CONTROL_PATH.replace('/chat/completions', '')}`),
    'router_settings:',
    '  num_retries: 3',
    '  retry_after: 1',
    '  allowed_fails: 100',
    '',
  ].join('\n'));
});

function streamRequest(url, body, signal) {
  return fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: simpleMessages, stream: true, ...body }),
    signal,
  });
}

// Parses each event's JSON (null for [DONE] or non-JSON).
function parsed(events) {
  return events.map((e) => {
    let json = null;
    try { json = JSON.parse(e.data); } catch { /* [DONE] */ }
    // Every chunk llmux forwards or writes is OpenAI's shape: a chunk, or the error ending a stream.
    if (json) assertOpenAiShape(json.error ? 'ErrorResponse' : 'CreateChatCompletionStreamResponse', json);
    return { ...e, json };
  });
}

const contentEvents = (events) => events.filter((e) => typeof e.json?.choices?.[0]?.delta?.content === 'string' &&
  e.json.choices[0].delta.content.length > 0);
const isDone = (e) => e.data === '[DONE]';
const isError = (e) => e.json && typeof e.json.error === 'object' && e.json.error !== null;
const isUsageOnly = (e) => Array.isArray(e.json?.choices) && e.json.choices.length === 0 && e.json.usage;

async function pathCount(path) {
  const stats = await mock.stats();
  return stats.by_path?.[path] ?? 0;
}

test('stream: true answers text/event-stream SSE ending with data: [DONE]', async () => {
  const response = await streamRequest(llmux.url, { model: 'plain' });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  assert.ok(response.headers.get('x-litellm-call-id'), 'streams carry the LiteLLM headers too');
  const events = parsed(await readSse(response));
  assert.ok(events.length >= 3, JSON.stringify(events));
  assert.ok(isDone(events.at(-1)), `last event: ${events.at(-1)?.data}`);
  assert.equal(events.filter(isDone).length, 1);
  for (const e of events.slice(0, -1)) {
    assert.equal(e.json?.object, 'chat.completion.chunk', e.data);
  }
  assert.ok(contentEvents(events).length > 0);
  assert.ok(!events.some(isError), 'an error event in a healthy stream');
});

test('content chunks are forwarded as they arrive, not batched', async () => {
  const response = await streamRequest(llmux.url, { model: 'slow' });
  assert.equal(response.status, 200);
  const events = parsed(await readSse(response));
  const content = contentEvents(events);
  assert.equal(content.length, 5, JSON.stringify(events.map((e) => e.data)));
  const spread = content.at(-1).at - content[0].at;
  assert.ok(spread >= 450, `content chunks arrived within ${spread.toFixed(0)} ms of each other (upstream spaced them 150 ms apart)`);
  for (let i = 1; i < content.length; i++) {
    const gap = content[i].at - content[i - 1].at;
    assert.ok(gap >= 75, `chunk ${i} arrived ${gap.toFixed(0)} ms after chunk ${i - 1}: batched`);
  }
  assert.ok(isDone(events.at(-1)));
});

test('tool-call argument deltas are forwarded one by one as they arrive', async () => {
  const tools = [{
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather for a city',
      parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
    },
  }];
  const response = await streamRequest(llmux.url, { model: 'slow-tool', tools });
  assert.equal(response.status, 200);
  const events = parsed(await readSse(response));
  const toolEvents = events.filter((e) => Array.isArray(e.json?.choices?.[0]?.delta?.tool_calls));
  assert.ok(toolEvents.length >= 2, JSON.stringify(events.map((e) => e.data)));
  assert.equal(toolEvents[0].json.choices[0].delta.tool_calls[0].function.name, 'get_weather');
  const argumentDeltas = toolEvents.filter((e) => (e.json.choices[0].delta.tool_calls[0].function?.arguments ?? '') !== '');
  assert.equal(argumentDeltas.length, 5, JSON.stringify(toolEvents.map((e) => e.data)));
  for (let i = 1; i < argumentDeltas.length; i++) {
    const gap = argumentDeltas[i].at - argumentDeltas[i - 1].at;
    assert.ok(gap >= 75, `tool delta ${i} arrived ${gap.toFixed(0)} ms after delta ${i - 1}: batched`);
  }
  const args = toolEvents.map((e) => e.json.choices[0].delta.tool_calls[0].function?.arguments ?? '').join('');
  assert.doesNotThrow(() => JSON.parse(args), `the argument deltas do not join into JSON: ${args}`);
  const finish = events.find((e) => e.json?.choices?.[0]?.finish_reason);
  assert.equal(finish?.json.choices[0].finish_reason, 'tool_calls');
  assert.ok(isDone(events.at(-1)));
});

test('stream_options.include_usage: true ends with a usage-only chunk before [DONE]', async () => {
  const response = await streamRequest(llmux.url, { model: 'plain', stream_options: { include_usage: true } });
  assert.equal(response.status, 200);
  const events = parsed(await readSse(response));
  assert.ok(isDone(events.at(-1)));
  const usageChunks = events.filter(isUsageOnly);
  assert.equal(usageChunks.length, 1, JSON.stringify(events.map((e) => e.data)));
  assert.equal(events.at(-2), usageChunks[0], 'the usage chunk should come right before [DONE]');
  const contentChunks = events.filter((e) => e.json && !isUsageOnly(e));
  assert.ok(contentChunks.length > 0);
  for (const chunk of contentChunks) assert.equal(chunk.json.usage, null, `asked for: kept as sent: ${chunk.data}`);
  const { usage } = usageChunks[0].json;
  for (const field of ['prompt_tokens', 'completion_tokens', 'total_tokens']) {
    assert.equal(typeof usage[field], 'number', `usage.${field}: ${JSON.stringify(usage)}`);
  }
});

test('without include_usage the client gets no usage chunk, though llmux asked the upstream for one', async () => {
  await mock.clearRequests();
  const response = await streamRequest(llmux.url, { model: 'plain' });
  assert.equal(response.status, 200);
  const events = parsed(await readSse(response));
  assert.ok(isDone(events.at(-1)));
  assert.deepEqual(events.filter(isUsageOnly).map((e) => e.data), []);
  assert.ok(!events.some((e) => e.json?.usage), 'a chunk carries usage the client did not ask for');
  const withUsageKey = events.filter((e) => e.json && 'usage' in e.json).map((e) => e.data);
  assert.deepEqual(withUsageKey, [], 'the "usage": null that include_usage adds reached the client');

  const requests = await mock.requests();
  assert.equal(requests.length, 1, JSON.stringify(requests));
  const upstreamBody = JSON.parse(requests[0].body);
  assert.equal(upstreamBody.stream, true);
  assert.equal(upstreamBody.stream_options?.include_usage, true, `upstream body: ${requests[0].body}`);
});

test('a stream that breaks after some chunks ends with an SSE error event and no [DONE]', async () => {
  const response = await streamRequest(llmux.url, { model: 'broken' });
  assert.equal(response.status, 200);
  let events;
  try {
    events = parsed(await readSse(response));
  } catch (e) {
    assert.fail(`the client stream was cut instead of ending with an error event: ${e.message}`);
  }
  assert.equal(contentEvents(events).length, 2, JSON.stringify(events.map((e) => e.data)));
  assert.ok(isError(events.at(-1)), `last event should be an error: ${events.at(-1)?.data}`);
  assert.equal(typeof events.at(-1).json.error.message, 'string');
  assert.ok(!events.some(isDone), 'a broken stream must not claim [DONE]');
});

test('a stream that fails before its first byte is failed over: the client sees a clean stream', async () => {
  const before = await pathCount('/fault/status=500/v1/chat/completions');
  const response = await streamRequest(llmux.url, { model: 'fails-first' });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  const route = response.headers.get('x-llmux-route') ?? '';
  assert.match(route, /^fails-first\[openai\/failing-model\]:[^,]+, plain\[openai\/plain-model\]:ok$/, route);
  assert.equal(response.headers.get('x-litellm-attempted-fallbacks'), '1');
  const events = parsed(await readSse(response));
  assert.ok(!events.some(isError), JSON.stringify(events.map((e) => e.data)));
  assert.ok(isDone(events.at(-1)));
  assert.ok(contentEvents(events).length > 0);
  assert.equal(events.find((e) => e.json)?.json.model, 'plain-model');
  assert.equal(await pathCount('/fault/status=500/v1/chat/completions'), before + 1, 'the failing upstream was tried once');
});

test('a stream_timeout shorter than the gap between chunks ends the stream with an error event', async () => {
  const started = performance.now();
  const response = await streamRequest(llmux.url, { model: 'stalls' });
  assert.equal(response.status, 200);
  const events = parsed(await readSse(response));
  const elapsed = performance.now() - started;
  assert.ok(isError(events.at(-1)), `last event should be an error: ${JSON.stringify(events.map((e) => e.data))}`);
  assert.ok(!events.some(isDone));
  assert.ok(elapsed < 1400, `the stream took ${elapsed.toFixed(0)} ms: the 0.5 s stream_timeout did not cut it`);
});

test('a client that disconnects mid-stream cancels the upstream request', async () => {
  const pid = llmux.proc.child.pid;
  const controller = new AbortController();
  const response = await streamRequest(llmux.url, { model: 'endless' }, controller.signal);
  assert.equal(response.status, 200);
  const reader = response.body.getReader();
  // Read a few chunks so the stream is surely flowing.
  const chunks = (text) => (text.match(/"object":"chat\.completion\.chunk"/g) ?? []).length;
  let received = '';
  for (let i = 0; i < 50 && chunks(received) < 4; i++) {
    const { value, done } = await reader.read();
    if (done) break;
    received += new TextDecoder().decode(value);
  }
  assert.ok(chunks(received) >= 4, `too little arrived: ${received}`);

  const upstream = (await tcpConnectionsOf(pid, lonelyMock.port)).filter((c) => c.state === '01');
  assert.equal(upstream.length, 1, `llmux should hold one connection to the upstream: ${JSON.stringify(upstream)}`);
  const llmuxSidePorts = new Set(upstream.map((c) => c.localPort));

  controller.abort();
  await reader.cancel().catch(() => {});

  const llmuxLetGo = await waitFor(async () => (await tcpConnectionsOf(pid, lonelyMock.port)).length === 0,
    { timeoutMs: 3_000 });
  assert.ok(llmuxLetGo, `llmux still holds its upstream connection 3 s after the client left: ${
    JSON.stringify(await tcpConnectionsOf(pid, lonelyMock.port))}`);
  // The mock saw its connection closed (no ESTABLISHED or CLOSE_WAIT end left for it).
  const mockSawClose = await waitFor(async () => !(await tcpEntriesWithLocalPort(lonelyMock.port))
    .some((e) => llmuxSidePorts.has(e.remotePort) && (e.state === '01' || e.state === '08')), { timeoutMs: 3_000 });
  assert.ok(mockSawClose, 'the mock still has the upstream connection open');
  assert.equal((await lonelyMock.stats()).requests, 1, 'the upstream request was repeated');
});

test('retries are really spaced by the retry_after floor (control for the next test)', async () => {
  const before = await pathCount(RETRY_CONTROL_PATH);
  const started = performance.now();
  const response = await streamRequest(retrying.url, { model: 'retry-control', num_retries: 1 });
  await response.text();
  const elapsed = performance.now() - started;
  assert.equal(response.status, 500);
  assert.equal(await pathCount(RETRY_CONTROL_PATH), before + 2, 'one attempt and one retry');
  assert.ok(elapsed >= 900, `the retry came after ${elapsed.toFixed(0)} ms, before the 1 s floor`);
});

test('a client that disconnects while a retry is pending gets no further attempts made for it', async () => {
  const before = await pathCount(RETRY_PATH);
  const controller = new AbortController();
  const pending = streamRequest(retrying.url, { model: 'retry-abort' }, controller.signal).catch((e) => e);
  const firstAttempt = await waitFor(async () => (await pathCount(RETRY_PATH)) >= before + 1, { timeoutMs: 3_000 });
  assert.ok(firstAttempt, 'the first attempt never reached the mock');
  controller.abort();
  const outcome = await pending;
  assert.ok(outcome instanceof Error, `the request should have been aborted, got status ${outcome.status}`);
  const afterAbort = await pathCount(RETRY_PATH);

  // The backoff is at least 1 s: without cancellation a retry lands inside this window.
  const retried = await waitFor(async () => (await pathCount(RETRY_PATH)) > afterAbort, { timeoutMs: 2_500, intervalMs: 100 });
  assert.ok(!retried, `${(await pathCount(RETRY_PATH)) - afterAbort} more attempt(s) reached the mock after the client left`);
  assert.equal(afterAbort, before + 1);
});
