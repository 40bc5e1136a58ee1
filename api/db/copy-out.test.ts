import { describe, expect, it } from 'vitest';
import { selectBytes, singleValueOfBinaryCopy } from './copy-out.ts';

const HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
const int16 = (value: number) => {
  const bytes = Buffer.alloc(2);
  bytes.writeInt16BE(value);
  return bytes;
};
const int32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value);
  return bytes;
};
const row = (...fields: (Buffer | null)[]) =>
  Buffer.concat([int16(fields.length), ...fields.flatMap((field) => (field ? [int32(field.length), field] : [int32(-1)]))]);
const TRAILER = int16(-1);

describe('the value of a binary COPY stream', () => {
  it('is the one field of the one row', () => {
    const value = Buffer.from([0, 1, 2, 255]);
    expect(singleValueOfBinaryCopy(Buffer.concat([HEADER, row(value), TRAILER]))).toEqual(value);
  });

  it('is null for a NULL field and for no row', () => {
    expect(singleValueOfBinaryCopy(Buffer.concat([HEADER, row(null), TRAILER]))).toBeNull();
    expect(singleValueOfBinaryCopy(Buffer.concat([HEADER, TRAILER]))).toBeNull();
  });

  it('skips a header extension', () => {
    const extended = Buffer.concat([HEADER.subarray(0, 15), int32(3), Buffer.from('abc')]);
    expect(singleValueOfBinaryCopy(Buffer.concat([extended, row(Buffer.from('x')), TRAILER]))).toEqual(Buffer.from('x'));
  });

  it.each([
    ['no header', Buffer.concat([Buffer.from('COPY 1\n'), Buffer.alloc(20)]), /no PGCOPY header/],
    ['two columns', Buffer.concat([HEADER, row(Buffer.from('a'), Buffer.from('b')), TRAILER]), /2 columns/],
    ['two rows', Buffer.concat([HEADER, row(Buffer.from('a')), row(Buffer.from('b')), TRAILER]), /more than one row/],
    ['a stream cut before its trailer', Buffer.concat([HEADER, row(Buffer.from('abc'))]), /cut short/],
    ['a stream cut inside its value', Buffer.concat([HEADER, row(Buffer.from('abc'))]).subarray(0, -1), /cut short/],
  ])('refuses %s', (_name, stream, message) => {
    expect(() => singleValueOfBinaryCopy(stream)).toThrow(message);
  });
});

describe('selectBytes', () => {
  /** Plays the driver's part: hands the query its CopyData from one read buffer, as pg-protocol does, then reuses it. */
  function driverReusingItsBuffer(stream: Buffer) {
    const readBuffer = Buffer.from(stream);
    const sent: string[] = [];
    const client = {
      query(copy: {
        submit(connection: unknown): void;
        handleCopyData(m: { chunk: Buffer }): void;
        handleReadyForQuery(): void;
      }) {
        copy.submit({ query: (text: string) => sent.push(text) });
        copy.handleCopyData({ chunk: readBuffer.subarray(0, stream.length - 2) });
        copy.handleCopyData({ chunk: readBuffer.subarray(stream.length - 2) });
        readBuffer.fill(0);
        copy.handleReadyForQuery();
        return copy;
      },
    };
    return { client: client as never, sent };
  }

  it('sends the statement as a binary COPY and keeps its own copy of what the driver hands it', async () => {
    const value = Buffer.from('a tile, byte for byte');
    const { client, sent } = driverReusingItsBuffer(Buffer.concat([HEADER, row(value), TRAILER]));
    expect(await selectBytes(client, 'SELECT 1')).toEqual(value);
    expect(sent).toEqual(['COPY (SELECT 1) TO STDOUT (FORMAT binary)']);
  });
});
