// An upstream that writes exactly the bytes a test gives it, in the pieces it gives them, for the
// hostile answers no well-behaved server sends: an error event cut in two mid-key, a body shorter
// than its Content-Length, HTML where JSON belongs. Binds 127.0.0.1 port 0, keeps every request,
// and is closed when the test file ends.

import { createServer } from 'node:net';
import { after } from 'node:test';

const servers = new Set();
after(async () => {
  await Promise.all([...servers].map((s) => s.close()));
});

// `answer(request)` gets { method, path, headers, body } and returns { pieces: [string],
// gapMs = 15 }: the raw HTTP response (status line, headers, body) as the pieces to write, each
// flushed on its own `gapMs` apart so that llmux reads them apart; the connection is closed after
// the last one. An answer that writes to the socket itself (an endless body, say) returns null
// and gets `socket` as its second argument.
export async function startRawUpstream(answer) {
  const requests = [];
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', async (text) => {
      buffered += text;
      const headEnd = buffered.indexOf('\r\n\r\n');
      if (headEnd < 0) return;
      const [requestLine, ...headerLines] = buffered.slice(0, headEnd).split('\r\n');
      const headers = Object.fromEntries(headerLines.map((l) => {
        const colon = l.indexOf(':');
        return [l.slice(0, colon).trim().toLowerCase(), l.slice(colon + 1).trim()];
      }));
      const length = Number(headers['content-length'] ?? 0);
      if (Buffer.byteLength(buffered.slice(headEnd + 4)) < length) return;
      const [method, path] = requestLine.split(' ');
      const request = { method, path, headers, body: buffered.slice(headEnd + 4) };
      buffered = '';
      requests.push(request);
      const reply = answer(request, socket);
      if (!reply) return;
      const { pieces, gapMs = 15 } = reply;
      for (const [i, piece] of pieces.entries()) {
        if (i > 0) await new Promise((r) => setTimeout(r, gapMs));
        if (socket.destroyed) return;
        socket.write(piece);
      }
      socket.end();
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  const handle = {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () => new Promise((r) => {
      servers.delete(handle);
      for (const s of sockets) s.destroy();
      server.close(() => r());
    }),
  };
  servers.add(handle);
  return handle;
}

// A response head for `startRawUpstream` pieces. `length` null leaves Content-Length out (the body
// then ends when the connection closes).
export function rawHead(status, contentType, length = null) {
  const reason = { 200: 'OK', 401: 'Unauthorized', 500: 'Internal Server Error' }[status] ?? 'Status';
  return `HTTP/1.1 ${status} ${reason}\r\ncontent-type: ${contentType}\r\nconnection: close\r\n` +
    (length === null ? '' : `content-length: ${length}\r\n`) + '\r\n';
}
