import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../api/db/client.ts';
import { okJson, signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

/**
 * The households a surveyor may call (满意度调查): every one of the scope reachable by pages (keyset
 * by code) and by a search on code or address, with the count of all; row-level security keeps
 * other townships' households out.
 */
interface Page {
  households: { code: string; cellCode: string; address: string; workerName: string | null }[];
  total: number;
  limit: number;
  next: string | null;
}

const SHAXI = '511921108';
const WANGPING = '511921108209';
let db: Database;
const browsers: Record<string, TestBrowser> = {};

beforeAll(async () => {
  const { app, db: database } = await testApp();
  db = database;
  for (const username of ['t-shaxi', 't-chief', 't-informant']) browsers[username] = await signedInBrowser(app, username);
});

const page = (username: string, query: string) =>
  okJson<Page>(browsers[username]!.get(`/api/workforce/surveys/households?${query}`), 'survey households');

async function codesUnder(prefix: string): Promise<string[]> {
  const rows = await db.rows<{ code: string }>(sql`SELECT code FROM households WHERE cell_code ^@ ${prefix} ORDER BY code`);
  return rows.map((row) => row.code);
}

/** Every page of `query` at `limit` a page, in order. */
async function walk(username: string, query: string, limit: number): Promise<{ codes: string[]; pages: Page[] }> {
  const pages: Page[] = [];
  let after: string | null = null;
  do {
    const next: Page = await page(username, `${query}&limit=${limit}${after ? `&after=${after}` : ''}`);
    pages.push(next);
    after = next.next;
  } while (after !== null && pages.length < 1000);
  return { codes: pages.flatMap((p) => p.households.map((household) => household.code)), pages };
}

describe('survey households', () => {
  it('pages through every household of a village by code, with the count of all', async () => {
    const expected = await codesUnder(WANGPING);
    expect(expected.length).toBeGreaterThan(30);
    const first = await page('t-chief', 'limit=7');
    expect(first.households.map((household) => household.code)).toEqual(expected.slice(0, 7));
    expect(first).toMatchObject({ total: expected.length, limit: 7, next: expected[6] });
    const { codes, pages } = await walk('t-chief', 'q=', 25);
    expect(codes).toEqual(expected);
    expect(pages.length).toBe(Math.ceil(expected.length / 25));
    expect(pages.at(-1)!.next).toBeNull();
    expect(pages.every((p) => p.total === expected.length)).toBe(true);
    expect(first.households.every((household) => household.workerName)).toBe(true);
  });

  it('reaches a township commander’s households beyond the first 300', async () => {
    const expected = await codesUnder(SHAXI);
    expect(expected.length).toBeGreaterThan(300);
    const { codes } = await walk('t-shaxi', 'q=', 300);
    expect(codes).toEqual(expected);
    const last = expected.at(-1)!;
    const found = await page('t-shaxi', `q=${last}`);
    expect(found.households.map((household) => household.code)).toEqual([last]);
    expect(found.total).toBe(1);
  });

  it('searches by address within the scope, paged too', async () => {
    const [sample] = await db.rows<{ address: string }>(sql`
      SELECT address FROM households WHERE cell_code ^@ ${WANGPING} ORDER BY code DESC LIMIT 1`);
    const term = sample!.address.slice(-6);
    const [count] = await db.rows<{ n: number }>(sql`
      SELECT count(*)::int AS n FROM households WHERE cell_code ^@ ${WANGPING} AND strpos(address, ${term}) > 0`);
    const { codes, pages } = await walk('t-chief', `q=${encodeURIComponent(term)}`, 2);
    expect(codes.length).toBe(count!.n);
    expect(pages[0]!.total).toBe(count!.n);
    const rows = pages.flatMap((p) => p.households);
    expect(rows.every((household) => household.address.includes(term) && household.cellCode.startsWith(WANGPING))).toBe(true);
    const [audit] = await db.rows<{ details: { q: string | null } }>(sql`
      SELECT details FROM audit_log WHERE action = 'workforce.survey_households_read' AND actor_username = 't-chief'
      ORDER BY id DESC LIMIT 1`);
    expect(audit!.details.q).toBe(term);
  });

  it('never shows another township’s households, searched by code or paged past', async () => {
    const [outside] = await db.rows<{ code: string }>(sql`
      SELECT code FROM households WHERE NOT cell_code ^@ ${SHAXI} ORDER BY code DESC LIMIT 1`);
    const searched = await page('t-shaxi', `q=${outside!.code}`);
    expect(searched).toMatchObject({ households: [], total: 0, next: null });
    const informant = await walk('t-informant', 'q=', 10);
    expect(informant.codes).toEqual(await codesUnder('511921108209001001'));
    const before = await page('t-shaxi', 'after=000000000000000000&limit=3');
    expect(before.households.every((household) => household.cellCode.startsWith(SHAXI))).toBe(true);
  });

  it('refuses a malformed page in Chinese', async () => {
    for (const query of ['after=abc', 'limit=0', 'limit=301', `q=${'x'.repeat(51)}`]) {
      const response = await browsers['t-chief']!.get(`/api/workforce/surveys/households?${query}`);
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; message: string } };
      expect(body.error.message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
