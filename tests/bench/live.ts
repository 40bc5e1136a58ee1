/**
 * Live delivery to many browsers: 1,000 event streams open on a real API server, one new report
 * filed through POST /api/reports, and the time until each stream has it; next to a bare Node
 * SSE server (bare-sse.ts, in a process of its own too) broadcasting the same frame to 1,000
 * streams, measured by the same clients in the same run.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { LngLat } from '../../geo/types.ts';
import { signInOverHttp } from '../support/http-sign-in.ts';
import { startBareServer } from './bare-process.ts';

interface DeliveryResult {
  clients: number;
  rounds: number;
  /** Clients × rounds: every stream should get every event. */
  expected: number;
  delivered: number;
  /** From sending the trigger (the report, or the broadcast) to a stream having the event, in ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Time to answer the trigger request itself (median), in ms. */
  triggerMs: number;
  /** Time to open every stream and see it ready, in ms. */
  connectMs: number;
}

export interface LiveDeliveryResult {
  server: DeliveryResult;
  bare: DeliveryResult;
}

interface StreamState {
  marker: string | null;
  tail: string;
  arrivedAt: number | null;
  /** The chunk that brought the awaited event (kept for one client, to replay the same frame on the bare server). */
  chunk: string | null;
  ready: boolean;
  request: http.ClientRequest;
}

/** Many event streams held open by one process, each noting when a given marker first arrives. */
class StreamClients {
  private readonly streams: StreamState[] = [];
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 2_000 });

  async open(url: string, headers: Record<string, string>, count: number): Promise<number> {
    const started = performance.now();
    const { hostname, port, pathname, search } = new URL(url);
    // In batches: a thousand connects at once overflow the listen backlog and wait out SYN retries.
    for (let first = 0; first < count; first += 100) {
      const batch = Array.from({ length: Math.min(100, count - first) }, () =>
        this.openOne(hostname, port, `${pathname}${search}`, headers),
      );
      await Promise.all(batch);
    }
    return performance.now() - started;
  }

  private openOne(host: string, port: string, path: string, headers: Record<string, string>): Promise<void> {
    return new Promise((ready, fail) => {
      const request = http.request({ host, port, path, agent: this.agent, headers: { Accept: 'text/event-stream', ...headers } });
      const stream: StreamState = { marker: null, tail: '', arrivedAt: null, chunk: null, ready: false, request };
      request.on('response', (response) => {
        if (response.statusCode !== 200) {
          fail(new Error(`stream answered ${response.statusCode}`));
          response.resume();
          return;
        }
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          const text = stream.tail + chunk;
          if (!stream.ready && text.includes('event: ready')) {
            stream.ready = true;
            ready();
          }
          if (stream.marker && stream.arrivedAt === null && text.includes(stream.marker)) {
            stream.arrivedAt = performance.now();
            if (this.streams[0] === stream) stream.chunk = chunk;
          }
          stream.tail = text.slice(-64);
        });
      });
      request.on('error', (error) => {
        if (!stream.ready) fail(error);
      });
      request.end();
      this.streams.push(stream);
    });
  }

  arm(marker: string): void {
    for (const stream of this.streams) {
      stream.marker = marker;
      stream.arrivedAt = null;
    }
  }

  /** Waits until every stream has the marker, or `timeoutMs`; returns the arrival times (ms after `since`). */
  async arrivals(since: number, timeoutMs: number): Promise<number[]> {
    const deadline = performance.now() + timeoutMs;
    while (this.streams.some((stream) => stream.arrivedAt === null) && performance.now() < deadline) {
      await new Promise((wait) => setTimeout(wait, 2));
    }
    return this.streams.flatMap((stream) => (stream.arrivedAt === null ? [] : [stream.arrivedAt - since]));
  }

  firstChunk(): string | null {
    return this.streams[0]?.chunk ?? null;
  }

  close(): void {
    for (const stream of this.streams) stream.request.destroy();
    this.agent.destroy();
  }
}

function percentile(sorted: number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

function summarize(latencies: number[], triggers: number[], clients: number, rounds: number, connectMs: number): DeliveryResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  const triggerSorted = [...triggers].sort((a, b) => a - b);
  return {
    clients,
    rounds,
    expected: clients * rounds,
    delivered: sorted.length,
    p50Ms: percentile(sorted, 0.5),
    p99Ms: percentile(sorted, 0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    triggerMs: percentile(triggerSorted, 0.5),
    connectMs,
  };
}

/** A marker of fixed length, so every round's frame has the same size. */
const newMarker = () => `bench-${randomBytes(8).toString('hex')}`;

/**
 * Runs both measurements against `serverUrl` (an API server over a seeded county, with a
 * county-wide account that may file reports) with `clients` streams each, a warm-up round and
 * `rounds` measured ones. Reports are filed at `point` (WGS84), which must be inside the county.
 * Both sets of streams stay open throughout and the rounds alternate (server, bare, server, …),
 * so that both see the same machine: a busy one slows both alike.
 */
export async function benchLiveDelivery(options: {
  serverUrl: string;
  username: string;
  password: string;
  point: LngLat;
  clients?: number;
  rounds?: number;
}): Promise<LiveDeliveryResult> {
  const clients = options.clients ?? 1_000;
  const rounds = options.rounds ?? 10;
  const session = await signInOverHttp(options.serverUrl, options.username, options.password);
  const bare = await startBareServer('tests/bench/bare-sse.ts');
  const onServer = new StreamClients();
  const onBare = new StreamClients();
  try {
    const serverConnectMs = await onServer.open(`${options.serverUrl}/api/live/events`, { Cookie: session.cookie }, clients);
    const bareConnectMs = await onBare.open(`${bare.url}/events`, {}, clients);
    const server = { latencies: [] as number[], triggers: [] as number[] };
    const floor = { latencies: [] as number[], triggers: [] as number[] };
    let frame = '';
    let frameMarker = '';

    const fileReport = async (marker: string) => {
      const response = await fetch(`${options.serverUrl}/api/reports`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Cookie: session.cookie,
          'X-CSRF-Token': session.csrfToken,
          Origin: options.serverUrl,
        },
        body: JSON.stringify({
          clientId: randomUUID(),
          type: 'landslide',
          urgency: 'urgent',
          description: marker,
          lng: options.point[0],
          lat: options.point[1],
        }),
      });
      if (response.status !== 201) throw new Error(`filing the bench report failed: ${response.status} ${await response.text()}`);
    };
    const broadcast = async (marker: string) => {
      // The server's own frame, with a fresh marker of the same length: the same bytes to every stream.
      const response = await fetch(`${bare.url}/broadcast`, { method: 'POST', body: frame.replaceAll(frameMarker, marker) });
      if (response.status !== 204) throw new Error(`bare broadcast failed: ${response.status}`);
    };
    const round = async (streams: StreamClients, trigger: (marker: string) => Promise<void>, into: typeof server | null) => {
      const marker = newMarker();
      streams.arm(marker);
      const sent = performance.now();
      await trigger(marker);
      const answered = performance.now();
      const arrived = await streams.arrivals(sent, 10_000);
      if (into) {
        into.latencies.push(...arrived);
        into.triggers.push(answered - sent);
      }
      return marker;
    };

    // Warm-up (the first report of the process pays for statement plans and JIT), which also
    // gives the frame the bare server will send.
    frameMarker = await round(onServer, fileReport, null);
    frame = onServer.firstChunk() ?? `event: report.created\ndata: {"marker":"${frameMarker}"}\n\n`;
    await round(onBare, broadcast, null);
    for (let index = 0; index < rounds; index++) {
      await round(onServer, fileReport, server);
      await round(onBare, broadcast, floor);
    }
    return {
      server: summarize(server.latencies, server.triggers, clients, rounds, serverConnectMs),
      bare: summarize(floor.latencies, floor.triggers, clients, rounds, bareConnectMs),
    };
  } finally {
    onServer.close();
    onBare.close();
    await bare.stop();
  }
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

export function printLiveDelivery(result: LiveDeliveryResult): void {
  const { server, bare } = result;
  console.log(
    `\n### live delivery: one new report to ${server.clients} open event streams (${server.rounds} rounds each after a warm-up, alternating)\n`,
  );
  console.log(
    '| path | delivered | p50 ms | p99 ms | max ms | trigger answered (p50 ms) | streams opened in | p99 ratio to bare |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  const row = (name: string, delivery: DeliveryResult) =>
    console.log(
      `| ${name} | ${delivery.delivered}/${delivery.expected} | ${fmt(delivery.p50Ms)} | ${fmt(delivery.p99Ms)} | ${fmt(delivery.maxMs)} | ${fmt(delivery.triggerMs)} | ${fmt(delivery.connectMs / 1000, 2)} s | ${fmt(delivery.p99Ms / bare.p99Ms, 2)}x |`,
    );
  row('bare Node SSE broadcast (POST /broadcast → streams)', bare);
  row('server (POST /api/reports → commit → NOTIFY → hub → streams)', server);
}

/** Target rows for run.ts's table: [target, measured, met]. */
export function liveDeliveryTargets(engine: string, result: LiveDeliveryResult): [string, string, boolean][] {
  const { server, bare } = result;
  const ratio = server.p99Ms / bare.p99Ms;
  return [
    [
      `${engine}: a new report reaches every one of ${server.clients} streams`,
      `${server.delivered}/${server.expected}`,
      server.delivered === server.expected,
    ],
    [`${engine}: delivery p99 ≤ 1 s`, `${fmt(server.p99Ms)} ms`, server.p99Ms <= 1_000],
    [`${engine}: delivery p99 ≤ 2x the bare broadcast's`, `${fmt(ratio, 2)}x (bare ${fmt(bare.p99Ms)} ms)`, ratio <= 2],
  ];
}
