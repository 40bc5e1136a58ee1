import type { Writable } from 'node:stream';
import type pg from 'pg';
import { CopyQuery } from './copy-query.ts';

type CopyConnection = pg.Connection & {
  stream: Writable;
  endCopyFrom(): void;
};

/** The CopyData message's type byte ('d'). */
const COPY_DATA = 0x64;

/** `COPY … FROM STDIN`: once PostgreSQL asks for the data, all of `data` and the end of it. */
class CopyIn extends CopyQuery {
  constructor(
    text: string,
    private readonly data: Buffer,
    private readonly settle: (error: Error | null) => void,
  ) {
    super(text);
  }

  /**
   * One CopyData message: its five-byte head and the data written together, as they are. The
   * driver's sendCopyFromChunk copies the data into a buffer of its own first (half a megabyte
   * for a group of batches of fixes).
   */
  handleCopyInResponse(connection: CopyConnection): void {
    const { stream } = connection;
    // A connection whose socket has gone writes nothing, as the driver's own sends do; its query fails with it.
    if (stream.writable) {
      const head = Buffer.allocUnsafe(5);
      head.writeUInt8(COPY_DATA, 0);
      head.writeInt32BE(4 + this.data.length, 1);
      stream.cork();
      stream.write(head);
      stream.write(this.data);
      stream.uncork();
    }
    connection.endCopyFrom();
  }

  protected finished(error: Error | null): void {
    this.settle(error);
  }
}

/**
 * Copies `rows` into `table (columns)`: text format (tab-separated, one row a line, `\N` for
 * NULL) or binary (a stream of binary-copy.ts). The fastest way rows get into a table.
 */
export function copyIn(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: Buffer,
  format: 'text' | 'binary' = 'text',
): Promise<void> {
  return new Promise((resolve, reject) => {
    const options = format === 'binary' ? ' (FORMAT binary)' : '';
    client.query(
      new CopyIn(`COPY ${table} (${columns.join(', ')}) FROM STDIN${options}`, rows, (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  });
}
