import type pg from 'pg';

type CopyConnection = pg.Connection & {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  sendCopyFail(message: string): void;
};

/**
 * `COPY … FROM STDIN` of text-format rows through node-postgres's Submittable interface (the
 * driver has no COPY FROM of its own; api/db/copy-out.ts does the same for COPY TO): the fastest
 * way rows get into a table, and so the floor the HTTP batch endpoint is measured against.
 */
class CopyIn implements pg.Submittable {
  private settled = false;

  constructor(
    private readonly text: string,
    private readonly data: Buffer,
    private readonly settle: (error: Error | null) => void,
  ) {}

  submit(connection: pg.Connection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    connection.sendCopyFromChunk(this.data);
    connection.endCopyFrom();
  }

  handleError(error: Error): void {
    this.finish(error);
  }

  handleReadyForQuery(): void {
    this.finish(null);
  }

  handleCopyData(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}

  private finish(error: Error | null): void {
    if (this.settled) return;
    this.settled = true;
    this.settle(error);
  }
}

/** Copies `rows` (text format: tab-separated, one row a line, `\N` for NULL) into `table (columns)`. */
export function copyIn(client: pg.ClientBase, table: string, columns: readonly string[], rows: string): Promise<void> {
  return new Promise((resolve, reject) => {
    client.query(
      new CopyIn(`COPY ${table} (${columns.join(', ')}) FROM STDIN`, Buffer.from(rows), (error) =>
        error ? reject(error) : resolve(),
      ),
    );
  });
}
