import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * What a blip does to the TCP connections that are open when it starts:
 * - `lost`: their path is gone for good (a NAT, a load balancer or a Wi-Fi access point that lost
 *   their state): every byte either way is dropped, silently, and neither end is told;
 * - `delayed`: the packets are dropped while the blip lasts and TCP retransmits them afterwards,
 *   at its next retransmission (200 ms, then doubling from the first segment lost).
 */
export type BlipKind = 'lost' | 'delayed';

/** Linux retransmits a lost SYN 1, 3, 7, 15, 31 and 63 s after the first one. */
const SYN_RETRIES_S = [1, 3, 7, 15, 31, 63];
/** A lost segment is sent again 0.2 s later, then after doubling waits (the minimum RTO). */
const MIN_RTO_S = 0.2;

/** When TCP would next resend something first sent at `firstAt`, at or after `now` (ms). */
function nextRetransmit(firstAt: number, now: number, waitsS: (k: number) => number): number {
  for (let k = 0; k < 64; k++) {
    const at = firstAt + waitsS(k) * 1000;
    if (at >= now) return at;
  }
  return now;
}

/** One direction of one connection: bytes move at once, or are dropped, or wait for a retransmission. */
class Direction {
  private held: Buffer[] = [];
  private heldSince: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  /** A slow link: bytes trickle out at this rate (per second), or null for no limit. */
  private trickle: { bytesPerSecond: number; queue: Buffer; timer: NodeJS.Timeout } | null = null;
  state: 'open' | 'held' | 'lost' = 'open';

  constructor(private readonly to: () => Socket | null) {}

  send(bytes: Buffer): void {
    if (this.state === 'lost') return;
    if (this.state === 'held' || this.timer !== undefined || !this.to()) {
      this.heldSince ??= Date.now();
      this.held.push(bytes);
      return;
    }
    this.write(bytes);
  }

  private write(bytes: Buffer): void {
    if (this.trickle) this.trickle.queue = Buffer.concat([this.trickle.queue, bytes]);
    else this.to()?.write(bytes);
  }

  /** Limits this direction to `bytesPerSecond` (null: no limit; what is queued goes at once). */
  throttle(bytesPerSecond: number | null): void {
    const queued = this.trickle?.queue ?? Buffer.alloc(0);
    if (this.trickle) clearInterval(this.trickle.timer);
    this.trickle = null;
    if (bytesPerSecond === null) {
      if (queued.length > 0) this.to()?.write(queued);
      return;
    }
    const timer = setInterval(() => {
      const trickle = this.trickle;
      if (!trickle || trickle.queue.length === 0) return;
      const take = Math.max(1, Math.floor(bytesPerSecond / 10));
      this.to()?.write(trickle.queue.subarray(0, take));
      trickle.queue = trickle.queue.subarray(take);
    }, 100);
    this.trickle = { bytesPerSecond, queue: queued, timer };
  }

  /** The link is back: what was held goes at TCP's next retransmission. */
  release(): void {
    if (this.state !== 'held') return;
    this.state = 'open';
    if (this.heldSince === null) return;
    const at = nextRetransmit(this.heldSince, Date.now(), (k) => MIN_RTO_S * (2 ** (k + 1) - 1));
    this.timer = setTimeout(() => this.flush(), at - Date.now());
  }

  flush(): void {
    this.timer = undefined;
    this.heldSince = null;
    if (!this.to()) return;
    for (const bytes of this.held.splice(0)) this.write(bytes);
  }

  stop(): void {
    clearTimeout(this.timer);
    if (this.trickle) clearInterval(this.trickle.timer);
  }
}

/** A client's connection through the proxy. */
class Link {
  upstream: Socket | null = null;
  readonly toServer = new Direction(() => this.upstream);
  readonly toClient = new Direction(() => this.client);
  private clientEnded = false;
  private connectTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly client: Socket,
    private readonly target: { host: string; port: number },
    readonly bornAt: number,
    readonly bornInBlip: boolean,
  ) {
    client.on('error', () => {});
    client.on('data', (bytes: Buffer) => this.toServer.send(bytes));
    client.on('end', () => {
      this.clientEnded = true;
      // A FIN sent into a dead path never arrives.
      if (this.toServer.state !== 'lost') this.upstream?.end();
    });
    if (!bornInBlip) this.connectUpstream();
  }

  connectUpstream(): void {
    const upstream = connect(this.target);
    this.upstream = upstream;
    upstream.on('error', () => this.client.destroy());
    upstream.on('connect', () => {
      this.toServer.flush();
      if (this.clientEnded) upstream.end();
    });
    upstream.on('data', (bytes: Buffer) => this.toClient.send(bytes));
    upstream.on('end', () => {
      if (this.toClient.state !== 'lost') this.client.end();
    });
  }

  /** A connection opened during the blip: its SYN was lost; it connects at its next SYN retry. */
  connectAtNextSynRetry(): void {
    const at = nextRetransmit(this.bornAt, Date.now(), (k) => SYN_RETRIES_S[Math.min(k, SYN_RETRIES_S.length - 1)]!);
    this.connectTimer = setTimeout(() => this.connectUpstream(), at - Date.now());
  }

  destroy(): void {
    clearTimeout(this.connectTimer);
    this.toServer.stop();
    this.toClient.stop();
    this.client.destroy();
    this.upstream?.destroy();
  }
}

/**
 * A TCP proxy in front of the server that can cut the network the way a real blip does: packets
 * dropped, no error on either side, so a browser learns of it only from silence. Chromium's own
 * offline switch (context.setOffline, Network.emulateNetworkConditions) fails new requests but
 * leaves a stream that is already open flowing, so it cannot stand for this.
 */
export class BlipProxy {
  private readonly links = new Set<Link>();
  private blip: BlipKind | null = null;
  private bytesPerSecond: number | null = null;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(targetUrl: string): Promise<BlipProxy> {
    const target = new URL(targetUrl);
    const proxy: { value?: BlipProxy } = {};
    const server = createServer((client) => {
      const self = proxy.value!;
      const link = new Link(client, { host: target.hostname, port: Number(target.port) }, Date.now(), self.blip !== null);
      if (self.blip !== null) {
        // The SYN is lost: nothing is answered until the link is back and TCP tries again.
        link.toServer.state = 'held';
        link.toClient.state = 'held';
      }
      if (self.bytesPerSecond !== null) link.toClient.throttle(self.bytesPerSecond);
      self.links.add(link);
      client.on('close', () => {
        if (link.toServer.state === 'lost') return;
        self.links.delete(link);
        link.destroy();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('the blip proxy has no port');
    proxy.value = new BlipProxy(server, `http://127.0.0.1:${address.port}`);
    return proxy.value;
  }

  /** The network goes away: open connections are lost or held (`kind`), new ones get no answer. */
  cut(kind: BlipKind): void {
    this.blip = kind;
    for (const link of this.links) {
      if (link.toServer.state === 'lost') continue;
      const state = kind === 'lost' ? 'lost' : 'held';
      link.toServer.state = state;
      link.toClient.state = state;
    }
  }

  /** The network is back. Lost connections stay lost; the rest move again at TCP's next try. */
  restore(): void {
    this.blip = null;
    for (const link of this.links) {
      if (link.toServer.state === 'lost') continue;
      if (link.bornInBlip && link.upstream === null) {
        link.toServer.state = 'open';
        link.toClient.state = 'open';
        link.connectAtNextSynRetry();
        continue;
      }
      link.toServer.release();
      link.toClient.release();
    }
  }

  /** A slow link from the server to the browser (null: full speed again), for every connection. */
  throttle(bytesPerSecond: number | null): void {
    this.bytesPerSecond = bytesPerSecond;
    for (const link of this.links) link.toClient.throttle(bytesPerSecond);
  }

  async close(): Promise<void> {
    for (const link of this.links) link.destroy();
    this.links.clear();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
