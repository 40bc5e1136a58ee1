import net from 'node:net';

/** What a GET came back with: the status, the body's length and, when asked for, the body. */
export interface GetResult {
  status: number;
  bytes: number;
  body: Buffer | null;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * The load's HTTP client: GET over keep-alive HTTP/1.1 connections, one request at a time on
 * each, reading the status line and the body's framing (Content-Length or chunks) and
 * nothing more.
 *
 * It runs on the same two cores as PostgreSQL and the server it measures, and node:http's
 * client spent about half a millisecond of CPU per tile there (its request and response
 * objects, header parsing, stream events), time the server under test then did not get. A
 * response whose end cannot be known (no Content-Length, not chunked) is an error, not a guess.
 */
export class KeepAliveClient {
  private readonly idle: Connection[] = [];
  private readonly hostHeader: string;

  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {
    this.hostHeader = `${host}:${port}`;
  }

  static of(url: string): KeepAliveClient {
    const { hostname, port } = new URL(url);
    return new KeepAliveClient(hostname, Number(port) || 80);
  }

  /**
   * `headers` as `Name: value` lines, each ending in \r\n. Rejects when the exchange fails. A
   * kept-alive connection the server closes just as it is reused (its keep-alive timeout) fails
   * before any answer; the GET is then sent once more on a new connection, as a browser does.
   */
  async get(path: string, headers: string, keepBody: boolean): Promise<GetResult> {
    const request = `GET ${path} HTTP/1.1\r\nHost: ${this.hostHeader}\r\n${headers}\r\n`;
    for (;;) {
      const reused = this.idle.pop();
      if (reused && !reused.reusable) continue;
      const connection = reused ?? new Connection(this.host, this.port);
      try {
        const result = await connection.exchange(request, keepBody);
        if (connection.reusable) this.idle.push(connection);
        return result;
      } catch (error) {
        if (!reused || connection.answered) throw error;
      }
    }
  }

  close(): void {
    for (const connection of this.idle.splice(0)) connection.close();
  }
}

const CRLF = Buffer.from('\r\n');

/**
 * Where a response stands: its head being read, a body of known length, or a chunked body
 * (a chunk's size line, its data, the CRLF after it, the trailer after the last one).
 */
type Stage = 'head' | 'length' | 'size' | 'data' | 'data-end' | 'trailer';

class Connection {
  private readonly socket: net.Socket;
  private pending: { resolve: (result: GetResult) => void; reject: (error: Error) => void; keepBody: boolean } | undefined;
  private stage: Stage = 'head';
  /** Bytes of a head or of a chunk-framing line not complete yet. */
  private carry: Buffer | null = null;
  /** Body bytes (or bytes of the current chunk) still to come. */
  private remaining = 0;
  private status = 0;
  private bytes = 0;
  private chunks: Buffer[] = [];
  private closeAfter = false;
  reusable = true;
  /** Whether any byte of an answer to the current request has come. */
  answered = false;

  constructor(host: string, port: number) {
    this.socket = net.connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('connection closed')));
  }

  exchange(request: string, keepBody: boolean): Promise<GetResult> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject, keepBody };
      this.stage = 'head';
      this.carry = null;
      this.chunks = [];
      this.bytes = 0;
      this.answered = false;
      this.socket.write(request, 'latin1');
    });
  }

  close(): void {
    this.reusable = false;
    this.socket.destroy();
  }

  private receive(packet: Buffer): void {
    if (!this.pending) {
      this.fail(new Error('data without a request'));
      return;
    }
    this.answered = true;
    let data = this.carry ? Buffer.concat([this.carry, packet]) : packet;
    this.carry = null;
    while (this.pending) {
      if (this.stage === 'length' || this.stage === 'data') {
        const taken = Math.min(this.remaining, data.length);
        if (taken > 0) this.take(data.subarray(0, taken));
        this.remaining -= taken;
        data = data.subarray(taken);
        if (this.remaining > 0) return;
        if (this.stage === 'length') {
          this.finish(data.length);
          return;
        }
        this.stage = 'data-end';
        continue;
      }
      const separator = this.stage === 'head' ? HEADER_END : CRLF;
      const end = data.indexOf(separator);
      if (end === -1) {
        if (data.length > 0) this.carry = Buffer.from(data);
        return;
      }
      const read = this.readLine(data.toString('latin1', 0, end));
      if (read instanceof Error) {
        this.fail(read);
        return;
      }
      data = data.subarray(end + separator.length);
      if (read === 'complete') {
        this.finish(data.length);
        return;
      }
    }
  }

  /**
   * A head, a chunk's size line, the CRLF after a chunk's data, or a trailer line: 'complete'
   * when the response ends with it, an Error when it is not what HTTP allows there.
   */
  private readLine(line: string): Error | 'complete' | null {
    switch (this.stage) {
      case 'head':
        return this.readHead(line);
      case 'size': {
        const size = Number.parseInt(line.split(';')[0] ?? '', 16);
        if (!Number.isInteger(size) || size < 0) return new Error(`a chunk size of "${line}"`);
        this.remaining = size;
        this.stage = size === 0 ? 'trailer' : 'data';
        return null;
      }
      case 'data-end':
        if (line !== '') return new Error('a chunk longer than its size');
        this.stage = 'size';
        return null;
      case 'trailer':
        return line === '' ? 'complete' : null;
      default:
        return new Error(`no line expected in stage ${this.stage}`);
    }
  }

  /** Reads the status and how the body is framed: 'complete' when there is no body, an Error when the framing cannot be known. */
  private readHead(head: string): Error | 'complete' | null {
    const lines = head.split('\r\n');
    const status = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (!status) return new Error(`not an HTTP response: ${lines[0]}`);
    this.status = Number(status[1]);
    let length: number | null = null;
    let chunked = false;
    this.closeAfter = false;
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = line
        .slice(colon + 1)
        .trim()
        .toLowerCase();
      if (name === 'content-length') length = Number(value);
      else if (name === 'transfer-encoding') {
        if (value !== 'chunked') return new Error(`a body in transfer encoding "${value}"`);
        chunked = true;
      } else if (name === 'connection' && value === 'close') this.closeAfter = true;
    }
    if (this.status === 204 || this.status === 304 || this.status < 200 || length === 0) return 'complete';
    if (chunked) this.stage = 'size';
    else if (length !== null && Number.isInteger(length) && length > 0) {
      this.stage = 'length';
      this.remaining = length;
    } else return new Error('a response without Content-Length that is not chunked');
    return null;
  }

  private take(body: Buffer): void {
    this.bytes += body.length;
    if (this.pending?.keepBody) this.chunks.push(body);
  }

  /** The response is complete; `extra` bytes after it are a protocol error (one request at a time). */
  private finish(extra: number): void {
    if (extra > 0) {
      this.fail(new Error('more bytes than the response framed'));
      return;
    }
    const pending = this.pending!;
    this.pending = undefined;
    if (this.closeAfter) this.close();
    pending.resolve({
      status: this.status,
      bytes: this.bytes,
      body: pending.keepBody ? Buffer.concat(this.chunks) : null,
    });
  }

  private fail(error: Error): void {
    this.reusable = false;
    this.socket.destroy();
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}
