// An OpenAI-compatible upstream whose behaviour a test changes while llmux runs: per path prefix
// (one per deployment) a delay before answering and extra response headers. The routing strategy
// tests use it to make a deployment slow down, or report its own rate limit, mid-test. It counts
// requests per prefix and the most it had in flight at once. Binds 127.0.0.1 port 0; closed when
// the test file ends.

import { createServer } from 'node:http';
import { after } from 'node:test';

const servers = new Set();
after(async () => {
  await Promise.all([...servers].map((s) => s.close()));
});

export async function startSteerableUpstream() {
  const behaviour = new Map();  // prefix → { delayMs, headers }
  const hits = new Map();
  const inFlight = new Map();
  const peak = new Map();
  const prefixOf = (url) => url.split('/')[1] ?? '';

  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const prefix = prefixOf(req.url);
      hits.set(prefix, (hits.get(prefix) ?? 0) + 1);
      inFlight.set(prefix, (inFlight.get(prefix) ?? 0) + 1);
      peak.set(prefix, Math.max(peak.get(prefix) ?? 0, inFlight.get(prefix)));
      const { delayMs = 0, headers = {} } = behaviour.get(prefix) ?? {};
      let model = 'steerable';
      try { model = JSON.parse(body).model ?? model; } catch { /* not JSON */ }
      setTimeout(() => {
        inFlight.set(prefix, inFlight.get(prefix) - 1);
        const text = JSON.stringify({
          id: 'chatcmpl-steerable', object: 'chat.completion', created: 1, model,
          choices: [{ index: 0, message: { role: 'assistant', content: `from ${prefix}` }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
        });
        res.writeHead(200, { 'content-type': 'application/json', ...headers });
        res.end(text);
      }, delayMs);
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  const url = `http://127.0.0.1:${port}`;
  const handle = {
    url,
    // api_base for the deployment answered by `prefix`
    base: (prefix) => `${url}/${prefix}/v1`,
    steer: (prefix, { delayMs = 0, headers = {} } = {}) => behaviour.set(prefix, { delayMs, headers }),
    hits: (prefix) => hits.get(prefix) ?? 0,
    peakInFlight: (prefix) => peak.get(prefix) ?? 0,
    close: () => new Promise((r) => {
      servers.delete(handle);
      server.closeAllConnections?.();
      server.close(() => r());
    }),
  };
  servers.add(handle);
  return handle;
}
