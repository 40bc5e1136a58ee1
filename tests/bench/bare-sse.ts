/**
 * The floor for live delivery: a bare Node http server that keeps every GET /events open as an
 * event stream and writes whatever is POSTed to /broadcast to all of them, nothing else (no
 * database, no sessions, no scope). Started by tests/bench/live.ts in a process of its own, as
 * the API server is; prints `{"port": …}` once listening.
 */
import http from 'node:http';

const streams = new Set<http.ServerResponse>();

const server = http.createServer((request, response) => {
  if (request.method === 'GET' && request.url === '/events') {
    response.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform' });
    response.write('retry: 3000\n\nevent: ready\ndata: {}\n\n');
    streams.add(response);
    request.on('close', () => streams.delete(response));
    return;
  }
  if (request.method === 'POST' && request.url === '/broadcast') {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const frame = Buffer.concat(chunks);
      for (const stream of streams) stream.write(frame);
      response.writeHead(204).end();
    });
    return;
  }
  response.writeHead(404).end();
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 }));
});

process.once('SIGTERM', () => {
  for (const stream of streams) stream.end();
  server.close(() => process.exit(0));
});
