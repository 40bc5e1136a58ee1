import { sql } from 'drizzle-orm';
import type { Database } from '../../api/db/client.ts';
import { once } from './support/once.ts';
import { insertTestReport } from './support/reports.ts';
import { signedInBrowser, type TestBrowser } from './support/sessions.ts';
import { testApp } from './support/test-database.ts';

type App = Awaited<ReturnType<typeof testApp>>['app'];
export let app: App;
export let db: Database;
export let county: TestBrowser;
export let informant: TestBrowser;
export let caseId: string;

/** The fuzzing browsers come from an address of their own: their failed sign-ins slow no other test. */
export const FUZZ_ADDRESS = '127.0.0.250';

export const NUL = '\u0000';

/**
 * Rows in every table a command writes. Left out: the audit log (a refused sign-in is recorded
 * on purpose), sessions, and the county's own geography, which no route writes.
 */
export async function writtenRows(): Promise<number> {
  const tables = await db.rows<{ name: string }>(sql`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'
      AND tablename NOT IN ('audit_log', 'sessions', 'areas', 'area_tile_geometries', 'households', 'household_clusters', 'spatial_ref_sys')
    ORDER BY tablename`);
  const counts = tables.map(({ name }) => sql`(SELECT count(*) FROM ${sql.identifier(name)})`);
  const [row] = await db.rows<{ total: string }>(sql`SELECT ${sql.join(counts, sql` + `)} AS total`);
  return Number(row?.total);
}

/** Opens the app and signs in the accounts of these tests. */
export const openHostileInput = once(async () => {
  ({ app, db } = await testApp());
  county = await signedInBrowser(app, 't-county', FUZZ_ADDRESS);
  informant = await signedInBrowser(app, 't-informant', FUZZ_ADDRESS);
  ({ id: caseId } = await insertTestReport(db, { cellCode: '511921108209001001', description: '敌意输入测试' }));
});
