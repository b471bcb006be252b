// Hostile HTTP against the real binary over raw sockets: framing that would make the server buffer
// without bound (endless chunk extensions, endless trailers), Transfer-Encodings we do not
// implement, malformed chunked bodies, HEAD on a keep-alive connection, the connection cap, and an
// upstream whose chunked body never ends a line.

import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';

import { openRawSocket, parseHttpResponses, startLlmux, waitFor } from '../lib/harness.mjs';
import { startRawUpstream } from '../lib/raw_upstream.mjs';

let llmux;
let hostileUpstream;
let endlessHeadUpstream;

// Writes `first`, then 64 KiB of filler at a time, up to 8 MiB or until the peer goes.
function pumpEndlessly(socket, first) {
  socket.write(first);
  const filler = 'x'.repeat(64 * 1024);
  let sent = 0;
  const pump = () => {
    while (sent < 8 * 1024 * 1024 && !socket.destroyed) {
      sent += filler.length;
      if (!socket.write(filler)) return socket.once('drain', pump);
    }
  };
  pump();
}

before(async () => {
  // Answers every request with a chunked body whose first size line never ends.
  hostileUpstream = await startRawUpstream((request, socket) => pumpEndlessly(
    socket, 'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1;'));
  // And one whose response header never ends.
  endlessHeadUpstream = await startRawUpstream((request, socket) => pumpEndlessly(socket, 'HTTP/1.1 200 OK\r\nX-Endless: '));
  llmux = await startLlmux([
    'model_list:',
    '  - model_name: canned',
    '    litellm_params:',
    '      model: mock/canned',
    '      mock_response: canned answer',
    '  - model_name: endless-chunk-line',
    '    litellm_params:',
    '      model: openai/endless',
    `      api_base: ${hostileUpstream.url}/v1`,
    '      api_key: sk-upstream',
    '  - model_name: endless-head',
    '    litellm_params:',
    '      model: openai/endless',
    `      api_base: ${endlessHeadUpstream.url}/v1`,
    '      api_key: sk-upstream',
    'router_settings:',
    '  num_retries: 0',
    'llmux_settings:',
    '  max_chunk_line_bytes: 1024',
    '  max_trailer_bytes: 2048',
    '',
  ].join('\n'));
});

const rssKiB = (pid) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);

const chunkedHead = (transferEncoding = 'chunked') =>
  'POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
  `Transfer-Encoding: ${transferEncoding}\r\n\r\n`;

function assertOpenAiError(response, status, messagePattern) {
  assert.equal(response.status, status, JSON.stringify(response));
  const { error } = JSON.parse(response.body);
  assert.equal(error.code, String(status));
  assert.equal(typeof error.type, 'string');
  assert.ok(messagePattern.test(error.message), error.message);
  assert.equal(response.headers.connection, 'close');
}

// Writes `first`, then `filler` over and over (up to `budget` bytes) until the server answers or
// closes; returns the socket with what it received.
async function sendEndlessly(first, filler, budget) {
  const raw = await openRawSocket(llmux.port);
  await raw.write(first);
  for (let sent = 0; sent < budget; sent += filler.length) {
    if (raw.received.length > 0 || raw.closedAt !== null || raw.error) break;
    await raw.write(filler);
  }
  return raw;
}

async function expectRefusedWithoutGrowth(first, filler, messagePattern, status = 400) {
  const before = rssKiB(llmux.proc.child.pid);
  const raw = await sendEndlessly(first, filler, 8 * 1024 * 1024);
  assert.ok(await raw.waitFor(/\r\n\r\n.*\}\}/s), `no answer: ${JSON.stringify(raw.received.slice(0, 300))}`);
  const [response] = parseHttpResponses(raw.received);
  assertOpenAiError(response, status, messagePattern);
  raw.end();
  const grown = rssKiB(llmux.proc.child.pid) - before;
  assert.ok(grown < 4 * 1024, `llmux's RSS grew by ${grown} KiB`);
}

test('an endless request head (one header line that never ends) is refused with 431 at max_header_bytes', async () => {
  await expectRefusedWithoutGrowth('GET /health/liveliness HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Endless: ',
    'h'.repeat(64 * 1024), /header fields too large/i, 431);
});

test('an endless chunk extension is refused with 400 once max_chunk_line_bytes is passed, without buffering it', async () => {
  await expectRefusedWithoutGrowth(`${chunkedHead()}5;ext=`, 'a'.repeat(64 * 1024), /chunk size line/i);
});

test('an endless trailer section is refused with 400 once max_trailer_bytes is passed, without buffering it', async () => {
  await expectRefusedWithoutGrowth(`${chunkedHead()}2\r\n{}\r\n0\r\n`, `X-Trailer: ${'t'.repeat(1000)}\r\n`.repeat(64),
    /trailer/i);
});

for (const coding of ['gzip', 'identity', 'chunked, identity', 'xchunked', 'chunked, chunked', 'gzip, chunked',
  'chunked;q=1']) {
  test(`Transfer-Encoding: ${coding} is a 400 and the connection closes (its body is never read as a request)`, async () => {
    const raw = await openRawSocket(llmux.port);
    // A body that would be a second request if the first were taken to have none.
    const smuggled = 'GET /health/liveliness HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
    await raw.write(`${chunkedHead(coding)}${smuggled}`);
    // Our end of the body: the server's lingering read (after its answer) then sees it at once.
    raw.socket.end();
    await Promise.race([raw.closed, new Promise((r) => setTimeout(r, 5_000))]);
    const responses = parseHttpResponses(raw.received);
    assert.equal(responses.length, 1, raw.received);
    assertOpenAiError(responses[0], 400, /Transfer-Encoding/);
    assert.notEqual(raw.closedAt, null, 'the connection should be closed');
  });
}

for (const [name, body] of [
  ['a size that is not hex', 'zz\r\n{}\r\n0\r\n\r\n'],
  ['chunk data not followed by CRLF', '2\r\n{}XX0\r\n\r\n'],
  ['a size that overflows 64 bits', 'fffffffffffffffffffff\r\n'],
]) {
  test(`a chunked body with ${name} gets a 400 in OpenAI shape, then the connection closes`, async () => {
    const raw = await openRawSocket(llmux.port);
    await raw.write(`${chunkedHead()}${body}`);
    raw.socket.end();
    await Promise.race([raw.closed, new Promise((r) => setTimeout(r, 5_000))]);
    const responses = parseHttpResponses(raw.received);
    assert.equal(responses.length, 1, JSON.stringify(raw.received));
    assertOpenAiError(responses[0], 400, /chunked/i);
    assert.notEqual(raw.closedAt, null, 'the connection should be closed');
  });
}

// Splits raw bytes into response heads, taking a HEAD answer to have no body whatever its
// Content-Length says (as a client that sent HEAD must).
function splitHeadThenGet(text) {
  const headEnd = text.indexOf('\r\n\r\n');
  if (headEnd < 0) return null;
  const [head] = parseHttpResponses(`${text.slice(0, headEnd + 4)}`.replace(/content-length: \d+/i, 'Content-Length: 0'));
  const rest = parseHttpResponses(text.slice(headEnd + 4));
  if (rest.length < 1) return null;
  return { head, get: rest[0], afterHead: text.slice(headEnd + 4) };
}

// [path, whether GET's body is HEAD's too] (a 405 names the method it refused).
for (const [path, sameBody] of [['/health/liveliness', true], ['/health/readiness', true], ['/v1/models', true],
  ['/models', true], ['/v1/no-such-route', true], ['/v1/chat/completions', false]]) {
  test(`HEAD ${path} gets GET's status and headers and no body; the keep-alive connection then serves a GET`, async () => {
    const raw = await openRawSocket(llmux.port);
    await raw.write(`HEAD ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    assert.ok(await raw.waitFor((text) => splitHeadThenGet(text) !== null), JSON.stringify(raw.received));
    const { head, get, afterHead } = splitHeadThenGet(raw.received);
    assert.ok(afterHead.startsWith('HTTP/1.1 '), `bytes after HEAD's head: ${JSON.stringify(afterHead.slice(0, 80))}`);
    assert.equal(head.status, get.status);
    assert.equal(head.headers['content-type'], get.headers['content-type']);
    assert.equal(head.headers.connection, 'keep-alive');
    const declared = raw.received.match(/content-length: (\d+)/i);
    if (declared && sameBody) assert.equal(Number(declared[1]), Buffer.byteLength(get.body, 'latin1'));
    raw.end();
  });
}

for (const [model, what, pattern] of [
  ['endless-chunk-line', 'chunk size line', /malformed response body|chunk/i],
  ['endless-head', 'header section', /response headers .* exceed/i],
]) {
  test(`an upstream whose ${what} never ends is a classified failure, not a buffer that grows`, async () => {
    const before = rssKiB(llmux.proc.child.pid);
    const response = await fetch(`${llmux.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const body = await response.json();
    assert.ok(response.status >= 500, `status ${response.status}: ${JSON.stringify(body)}`);
    assert.match(body.error.message, pattern);
    const grown = rssKiB(llmux.proc.child.pid) - before;
    assert.ok(grown < 4 * 1024, `llmux's RSS grew by ${grown} KiB`);
  });
}

test('max_connections: the connection past the cap gets 503 with Retry-After and is closed; a freed slot serves again', async () => {
  const capped = await startLlmux([
    'model_list:',
    '  - model_name: canned',
    '    litellm_params:',
    '      model: mock/canned',
    '      mock_response: canned answer',
    'llmux_settings:',
    '  max_connections: 4',
    '',
  ].join('\n'));
  const health = 'GET /health/liveliness HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';
  const held = [];
  for (let i = 0; i < 4; i++) {
    const raw = await openRawSocket(capped.port);
    await raw.write(health);
    assert.ok(await raw.waitFor((text) => parseHttpResponses(text).length === 1), `connection ${i} was not served`);
    held.push(raw);
  }
  const refused = await openRawSocket(capped.port);
  await refused.write(health);
  await Promise.race([refused.closed, new Promise((r) => setTimeout(r, 5_000))]);
  const [answer] = parseHttpResponses(refused.received);
  assert.ok(answer, JSON.stringify(refused.received));
  assertOpenAiError(answer, 503, /connections/i);
  assert.ok(Number(answer.headers['retry-after']) >= 1, JSON.stringify(answer.headers));
  assert.notEqual(refused.closedAt, null, 'the refused connection should be closed');
  assert.ok(await waitFor(() => /max_connections/.test(capped.proc.outputText())), 'no warning was logged');

  held.pop().end();
  const servedAgain = await waitFor(async () => {
    const raw = await openRawSocket(capped.port);
    await raw.write(health);
    await raw.waitFor((text) => parseHttpResponses(text).length === 1);
    const [first] = parseHttpResponses(raw.received);
    raw.end();
    return first?.status === 200;
  }, { timeoutMs: 5_000, intervalMs: 50 });
  assert.ok(servedAgain, 'a freed slot should serve a new connection');
  for (const raw of held) raw.end();
  await capped.stop();
});
