import type pg from 'pg';
import { BINARY_COPY_SIGNATURE } from './binary-copy.ts';
import { CopyQuery } from './copy-query.ts';

/**
 * `COPY (…) TO STDOUT (FORMAT binary)`: keeps the CopyData messages, which the driver hands over
 * as bytes. The driver reuses its read buffer, so each chunk is copied as it arrives.
 */
class BinaryCopyOut extends CopyQuery {
  private readonly chunks: Buffer[] = [];

  constructor(
    text: string,
    private readonly settle: (error: Error | null, stream?: Buffer) => void,
  ) {
    super(text);
  }

  override handleCopyData(message: { chunk: Buffer }): void {
    this.chunks.push(Buffer.from(message.chunk));
  }

  /** Never for COPY … TO STDOUT; refused as node-postgres refuses it, and the error then ends the query. */
  handleCopyInResponse(connection: pg.Connection & { sendCopyFail(message: string): void }): void {
    connection.sendCopyFail('this query reads, it sends no COPY data');
  }

  protected finished(error: Error | null): void {
    if (error) this.settle(error);
    else this.settle(null, this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks));
  }
}

/**
 * The one value of a binary COPY stream of at most one row and one column: null for no row
 * or a NULL value. Anything else in the stream is a bug in the statement and throws.
 */
export function singleValueOfBinaryCopy(stream: Buffer): Buffer | null {
  const fail = (why: string) => new Error(`binary COPY stream: ${why}`);
  if (stream.length < 21 || !stream.subarray(0, BINARY_COPY_SIGNATURE.length).equals(BINARY_COPY_SIGNATURE)) {
    throw fail('no PGCOPY header');
  }
  // Signature, flags (int32), header extension length (int32) and the extension itself.
  let offset = BINARY_COPY_SIGNATURE.length + 4;
  offset += 4 + stream.readInt32BE(offset);
  const fields = readAt(stream, offset, 2, fail);
  offset += 2;
  if (fields === -1) return null;
  if (fields !== 1) throw fail(`a row of ${fields} columns, expected 1`);
  const length = readAt(stream, offset, 4, fail);
  offset += 4;
  if (offset + Math.max(length, 0) > stream.length) throw fail('cut short');
  const value = length === -1 ? null : stream.subarray(offset, offset + length);
  offset += Math.max(length, 0);
  if (readAt(stream, offset, 2, fail) !== -1) throw fail('more than one row');
  return value;
}

/** The big-endian signed integer of `size` bytes at `offset`. */
function readAt(stream: Buffer, offset: number, size: 2 | 4, fail: (why: string) => Error): number {
  if (offset + size > stream.length) throw fail('cut short');
  return size === 2 ? stream.readInt16BE(offset) : stream.readInt32BE(offset);
}

/**
 * Runs `select` (one statement, parameters already written in) and returns the one bytea value
 * it yields, as bytes: null when it yields no row or NULL. node-postgres reads every result
 * field as text, so a bytea travels as hex, twice its size, and is decoded back in JS; a
 * binary COPY sends the bytes as they are. For an 80 KB vector tile that saves both
 * PostgreSQL and Node a good part of the work around the query.
 */
export function selectBytes(client: pg.ClientBase, select: string): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const copy = new BinaryCopyOut(`COPY (${select}) TO STDOUT (FORMAT binary)`, (error, stream) => {
      if (error) reject(error);
      else {
        try {
          resolve(singleValueOfBinaryCopy(stream as Buffer));
        } catch (malformed) {
          reject(malformed);
        }
      }
    });
    client.query(copy);
  });
}
