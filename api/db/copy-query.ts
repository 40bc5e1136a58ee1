import type pg from 'pg';

/**
 * A COPY run through node-postgres's Submittable interface (as pg-cursor runs its queries): the
 * statement goes in a simple Query message, the messages a COPY does not expect pass, and the
 * query ends once, on its error or on ReadyForQuery (after an error the driver sends it nothing
 * more, not even ReadyForQuery). copy-in.ts and copy-out.ts say what goes in and what comes out.
 */
export abstract class CopyQuery implements pg.Submittable {
  private ended = false;

  constructor(private readonly text: string) {}

  submit(connection: pg.Connection): void {
    connection.query(this.text);
  }

  abstract handleCopyInResponse(connection: pg.Connection): void;

  /** The bytes PostgreSQL sends of a COPY … TO STDOUT; none come for a COPY … FROM STDIN. */
  handleCopyData(_message: { chunk: Buffer }): void {}

  handleError(error: Error): void {
    this.end(error);
  }

  handleReadyForQuery(): void {
    this.end(null);
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleCommandComplete(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}

  /** Called once, when the query has ended: with its error, or null. */
  protected abstract finished(error: Error | null): void;

  private end(error: Error | null): void {
    if (this.ended) return;
    this.ended = true;
    this.finished(error);
  }
}
