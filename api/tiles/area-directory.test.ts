import type { SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Queryable } from '../db/client.ts';
import { areaDirectory } from './repository.ts';

const WANGPING = { code: '511921108209', name: '王坪村', kind: 'village', population: 1860, households: 602, urban: false };

/** A database whose area outlines are `rows`, changed by the test; counts the reads. */
function fakeDatabase(rows: (typeof WANGPING)[]) {
  const state = { reads: 0, fail: false, rows };
  const db: Queryable = {
    rows: async <Row>(_query: SQL) => {
      state.reads++;
      if (state.fail) throw new Error('the database is away');
      return state.rows.map((row) => ({ ...row })) as Row[];
    },
    read: () => Promise.reject(new Error('the area directory reads raw SQL only')),
  };
  return { db, state };
}

describe('the area directory of the embedded tile cut', () => {
  it('gives each code its properties, in the order asked, reading the database once', async () => {
    const other = { ...WANGPING, code: '511921108210', name: '长坪村', population: 990 };
    const { db, state } = fakeDatabase([WANGPING, other]);
    const directory = areaDirectory(db);
    const { code: _w, ...wangping } = WANGPING;
    const { code: _o, ...changping } = other;
    expect(await directory.lookup([other.code, WANGPING.code])).toEqual([changping, wangping]);
    expect(await directory.lookup([WANGPING.code])).toEqual([wangping]);
    expect(state.reads).toBe(1);
  });

  it('reads again when a tile names a code it does not know, as after an import', async () => {
    const { db, state } = fakeDatabase([WANGPING]);
    const directory = areaDirectory(db);
    await directory.lookup([WANGPING.code]);
    const imported = { ...WANGPING, code: '511921108211', name: '新建村' };
    state.rows = [WANGPING, imported];
    expect((await directory.lookup([imported.code]))[0]?.name).toBe('新建村');
    expect(state.reads).toBe(2);
  });

  it('refuses a code that is nowhere, naming it', async () => {
    const { db } = fakeDatabase([WANGPING]);
    await expect(areaDirectory(db).lookup(['511921999999'])).rejects.toThrow(/511921999999/);
  });

  it('does not keep a failed read', async () => {
    const { db, state } = fakeDatabase([WANGPING]);
    const directory = areaDirectory(db);
    state.fail = true;
    await expect(directory.lookup([WANGPING.code])).rejects.toThrow(/away/);
    state.fail = false;
    expect(await directory.lookup([WANGPING.code])).toHaveLength(1);
  });
});
