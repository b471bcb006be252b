// A client that hangs up mid-stream cancels its upstream request, and that says nothing about the
// deployment: it must not count toward `allowed_fails` nor cool the deployment down. A stream the
// upstream breaks does count (the control case, which shows a cooldown here is observable).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startLlmux, startMock, simpleMessages, toYaml, tcpConnectionsOf, waitFor } from '../lib/harness.mjs';

let mock;
let llmux;

function deployment(group, marker, fault) {
  const faultSegment = fault ? `/fault/${fault}` : '';
  return {
    model_name: group,
    litellm_params: { model: `openai/${marker}`, api_base: `${mock.url}/${marker}${faultSegment}/v1`, api_key: 'sk-upstream' },
    model_info: { id: marker },
  };
}

before(async () => {
  mock = await startMock();
  llmux = await startLlmux(toYaml({
    model_list: [
      deployment('slow', 'slow-main', 'chunk_delay_ms=100,chunks=40'),
      deployment('slow-backup', 'slow-backup'),
      deployment('snaps', 'snaps-main', 'break_after=1,chunk_delay_ms=10'),
      deployment('snaps-backup', 'snaps-backup'),
    ],
    router_settings: {
      num_retries: 0,
      allowed_fails: 1,
      cooldown_time: 60,
      fallbacks: [{ slow: ['slow-backup'] }, { snaps: ['snaps-backup'] }],
    },
  }));
});

after(async () => {
  await llmux?.stop();
  await mock?.stop();
});

function stream(model, signal) {
  return fetch(`${llmux.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: simpleMessages, stream: true }),
    signal,
  });
}

// Which deployment a plain (non-streamed) call for `model` reaches now.
async function servedBy(model) {
  const response = await fetch(`${llmux.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: simpleMessages }),
  });
  await response.text();
  return response.headers.get('x-litellm-model-id');
}

// Upstream connections llmux still holds open to the mock (ESTABLISHED).
async function openUpstreams() {
  return (await tcpConnectionsOf(llmux.proc.child.pid, mock.port)).filter((c) => c.state === '01').length;
}

test('clients that hang up mid-stream do not cool the deployment down', async () => {
  for (let i = 0; i < 4; i += 1) {
    const abort = new AbortController();
    const response = await stream('slow', abort.signal);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('x-litellm-model-id'), 'slow-main', `hang-up ${i + 1} reached the deployment`);
    const reader = response.body.getReader();
    await reader.read();  // the stream has started: bytes reached the client
    abort.abort();
    await reader.cancel().catch(() => {});
  }
  // A cancelled upstream stream cannot go back to the pool: once none is open, llmux has handled
  // every hang-up (and would have recorded any failure).
  assert.ok(await waitFor(async () => (await openUpstreams()) === 0), 'llmux cancelled every upstream stream');
  for (let i = 0; i < 3; i += 1) assert.equal(await servedBy('slow'), 'slow-main');
});

test('control: streams the upstream breaks do count, and cool the deployment down', async () => {
  for (let i = 0; i < 3; i += 1) {
    const response = await stream('snaps');
    assert.equal(response.status, 200);
    await response.text();
  }
  assert.equal(await servedBy('snaps'), 'snaps-backup');
});
