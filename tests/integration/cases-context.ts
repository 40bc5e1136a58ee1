import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { casesContext } from './cases-fixtures.ts';
import { once } from './support/once.ts';

/** The app, the database and the signed-in browsers of the case tests, once `openCasesContext` has run. */
export let context: Awaited<ReturnType<typeof casesContext>>;

/** Opens the app and signs in the case tests' accounts. */
export const openCasesContext = once(async () => {
  context = await casesContext();
});

/** A case as `username` reads it through the API. */
export const detail = async (username: string, id: string) => {
  const response = await (await context.as(username)).get(`/api/cases/${id}`);
  expect(response.status).toBe(200);
  return (await response.json()).case;
};

/** An instant written in Shanghai wall time. */
export const cst = (local: string) => new Date(`${local}+08:00`);
export const iso = (local: string) => cst(local).toISOString();

/** The escalation columns of a case, as stored. */
export async function caseRow(id: string) {
  const [row] = await context.db.rows<{ level: string; count: number; dueAt: string; startedAt: string; stage: string }>(sql`
    SELECT responsible_level AS level, escalation_count::int AS count, clock_stage AS stage,
      to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "dueAt",
      to_char(clock_started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "startedAt"
    FROM reports WHERE id = ${id}`);
  return row!;
}
