// The @tus/server peer of tusk's benchmark: `node server.js PORT DATA_DIR`.
// Listens on 127.0.0.1 only, serves tus at /files/ from a @tus/file-store in DATA_DIR.
import http from 'node:http';
import { Server } from '@tus/server';
import { FileStore } from '@tus/file-store';

const [port, directory] = process.argv.slice(2);
if (!port || !directory) {
  console.error('usage: node server.js PORT DATA_DIR');
  process.exit(2);
}

const tus = new Server({
  path: '/files',
  datastore: new FileStore({ directory }),
  maxSize: 64 * 1024 * 1024 * 1024,
  relativeLocation: true,
});

const server = http.createServer((req, res) => tus.handle(req, res));
server.keepAliveTimeout = 60_000;
server.headersTimeout = 65_000;
server.listen(Number(port), '127.0.0.1', () => console.log(`@tus/server listening on 127.0.0.1:${port}`));

// @tus/server 2.4.5 on Node 20 throws this from undici's Response body stream after every GET it
// has served completely; uncaught, it ends the process after the first download. The response is
// already complete when it happens, so the peer logs it and stays up; any other error still exits.
process.on('uncaughtException', (error) => {
  if (error && error.code === 'ERR_INVALID_STATE') {
    console.error(`ignored after a completed GET: ${error.message}`);
    return;
  }
  console.error(error);
  process.exit(1);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => { server.close(); server.closeAllConnections(); process.exit(0); });
}
