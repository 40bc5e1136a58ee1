import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeepAliveClient } from './http-client.ts';

/** The benchmark's load client against a node:http server answering the ways the tile routes do, and some they never do. */
describe('bench keep-alive client', () => {
  let server: http.Server;
  let client: KeepAliveClient;
  const connections = new Set<Socket>();
  const seen: http.IncomingHttpHeaders[] = [];
  /** Connections whose next request is dropped unanswered, as by a keep-alive timeout striking just then. */
  const dropNext = new Set<Socket>();
  const big = Buffer.alloc(300_000, 7);

  beforeAll(async () => {
    server = http.createServer((request, response) => {
      seen.push(request.headers);
      if (dropNext.delete(request.socket)) {
        request.socket.destroy();
        return;
      }
      if (request.url === '/arm') {
        dropNext.add(request.socket);
        response.writeHead(204).end();
      } else if (request.url === '/drop') request.socket.destroy();
      else if (request.url === '/big') response.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(big);
      else if (request.url === '/empty') response.writeHead(204).end();
      else if (request.url === '/chunked') {
        response.writeHead(200);
        response.write('a');
        response.end('b');
      } else if (request.url === '/unframed') {
        // HTTP/1.0 style: the body ends when the connection does.
        response.socket?.end('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end');
      } else if (request.url === '/close') response.writeHead(200, { Connection: 'close' }).end('bye');
      else response.writeHead(404).end('no');
    });
    server.on('connection', (socket) => connections.add(socket));
    // Short, so that a kept-alive connection is closed by the server between two requests
    // (Node adds a second to it).
    server.keepAliveTimeout = 50;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    client = KeepAliveClient.of(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  });

  afterAll(async () => {
    client.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads a body sent in many packets, byte for byte, and only counts it when not kept', async () => {
    const kept = await client.get('/big', 'Cookie: a=b\r\n', true);
    expect(kept.status).toBe(200);
    expect(kept.bytes).toBe(big.length);
    expect(kept.body?.equals(big)).toBe(true);
    expect(seen.at(-1)?.cookie).toBe('a=b');
    const counted = await client.get('/big', '', false);
    expect(counted).toEqual({ status: 200, bytes: big.length, body: null });
  });

  it('reuses one connection for requests in sequence, and reads 204 and 404 as they are', async () => {
    const before = connections.size;
    expect((await client.get('/empty', '', true)).status).toBe(204);
    expect(await client.get('/missing', '', true)).toMatchObject({ status: 404, bytes: 2 });
    expect((await client.get('/big', '', false)).bytes).toBe(big.length);
    expect(connections.size - before).toBeLessThanOrEqual(1);
  });

  it('sends the GET again, once, when a kept-alive connection is dropped before any answer', async () => {
    expect((await client.get('/arm', '', false)).status).toBe(204);
    const before = connections.size;
    expect((await client.get('/big', '', false)).bytes).toBe(big.length);
    expect(connections.size).toBe(before + 1);
    // On a new connection there is nothing to retry: the failure is the answer.
    client.close();
    await expect(client.get('/drop', '', false)).rejects.toThrow(/closed|reset/i);
  });

  it('does not reuse a kept-alive connection the server has closed', async () => {
    await client.get('/empty', '', false);
    const open = [...connections].filter((socket) => !socket.destroyed);
    expect(open).toHaveLength(1);
    await new Promise((resolve) => open[0]!.once('close', resolve));
    const before = connections.size;
    expect((await client.get('/big', '', false)).bytes).toBe(big.length);
    expect(connections.size).toBe(before + 1);
  });

  it('honours Connection: close', async () => {
    expect(await client.get('/close', '', true)).toMatchObject({ status: 200, bytes: 3 });
    expect((await client.get('/empty', '', true)).status).toBe(204);
  });

  it('reads a chunked body, and refuses a body whose end it cannot know', async () => {
    const chunked = await client.get('/chunked', '', true);
    expect(chunked).toMatchObject({ status: 200, bytes: 2 });
    expect(chunked.body?.toString()).toBe('ab');
    expect(seen.length).toBeGreaterThan(0);
    await expect(client.get('/unframed', '', true)).rejects.toThrow(/Content-Length/);
    expect((await client.get('/empty', '', true)).status).toBe(204);
  });
});
