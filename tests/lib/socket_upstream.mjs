// An upstream that writes raw bytes, for answers no HTTP library would send (a chunk size line
// that never ends, a header section without end). It binds 127.0.0.1 port 0 and calls
// `onRequest(socket)` once the first request head has arrived; it is closed when the test file ends.

import { createServer } from 'node:net';
import { after } from 'node:test';

const servers = new Set();
after(async () => {
  await Promise.all([...servers].map((s) => s.close()));
});

export async function startSocketUpstream(onRequest) {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});  // llmux closing on us mid-write is the expected outcome
    let received = '';
    let answered = false;
    socket.setEncoding('latin1');
    socket.on('data', (text) => {
      received += text;
      if (!answered && received.includes('\r\n\r\n')) {
        answered = true;
        onRequest(socket);
      }
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  const handle = {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () => new Promise((r) => {
      servers.delete(handle);
      for (const socket of sockets) socket.destroy();
      server.close(() => r());
    }),
  };
  servers.add(handle);
  return handle;
}
