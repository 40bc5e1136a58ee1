import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LngLat } from '../../geo/types.ts';
import { db, duty, eventsOf, fuyang, informant, labelPoint, openImpact, report } from './impact-fixtures.ts';

beforeAll(openImpact);

describe('near-duplicates and merging', () => {
  /** A place of its own for these tests: a cell of the urban core, where no other test here reports. */
  let origin: LngLat;
  beforeAll(async () => {
    const [cell] = await db.rows<{ code: string }>(sql`
      SELECT code FROM areas WHERE level = 'cell' AND code LIKE '511921%' AND code NOT LIKE '511921108%' AND code NOT LIKE '511921112%'
      ORDER BY code DESC LIMIT 1`);
    origin = await labelPoint(cell!.code);
  });

  /** A point `metres` east of `position`. */
  const east = ([lng, lat]: LngLat, metres: number): LngLat => [lng + metres / (111_320 * Math.cos((lat * Math.PI) / 180)), lat];

  async function duplicatesOf(id: string) {
    const response = await duty.get(`/api/cases/${id}/duplicates`);
    expect(response.status).toBe(200);
    return (await response.json()) as {
      duplicates: { id: string; distanceM: number; secondsApart: number; type: string; state: string }[];
    };
  }

  it('suggests open reports of the same type within 500 m and 24 h, nearest first, as an independent query finds them', async () => {
    const a = await report(duty, origin);
    const b = await report(duty, east(origin, 200));
    const c = await report(duty, east(origin, 450));
    const far = await report(duty, east(origin, 800));
    const otherType = await report(duty, origin, 'flood');
    const old = await report(duty, east(origin, 100));
    await db.rows(sql`UPDATE reports SET reported_at = reported_at - interval '25 hours' WHERE id = ${old.id}`);
    const cancelled = await report(duty, east(origin, 100));
    await db.rows(sql`UPDATE reports SET state = 'cancelled' WHERE id = ${cancelled.id}`);

    const { duplicates } = await duplicatesOf(a.id);
    const ids = duplicates.map((duplicate) => duplicate.id);
    expect(ids.indexOf(b.id)).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(b.id)).toBeLessThan(ids.indexOf(c.id));
    for (const excluded of [far, otherType, old, cancelled]) expect(ids).not.toContain(excluded.id);

    const expected = await db.rows<{ id: string; distanceM: number }>(sql`
      SELECT o.id, ST_Distance(o.location::geography, r.location::geography) AS "distanceM"
      FROM reports r JOIN reports o ON o.id <> r.id AND o.type = r.type
        AND abs(EXTRACT(EPOCH FROM o.reported_at - r.reported_at)) <= 24 * 3600
        AND ST_Distance(o.location::geography, r.location::geography) <= 500
        AND o.state NOT IN ('closed', 'evaluated', 'rejected', 'cancelled', 'merged')
      WHERE r.id = ${a.id} ORDER BY 2, o.id`);
    expect(ids.sort()).toEqual(expected.map((row) => row.id).sort());
    const b200 = duplicates.find((duplicate) => duplicate.id === b.id)!;
    expect(b200.distanceM).toEqual(expect.closeTo(expected.find((row) => row.id === b.id)!.distanceM, 0));
    expect(b200.distanceM).toEqual(expect.closeTo(200, -1));
    expect(Math.abs(b200.secondsApart)).toBeLessThan(600);
  });

  it('merges a case into another: merged state, steps on both, a live event; once', async () => {
    const into = await report(duty, origin, 'fire');
    const merged = await report(duty, east(origin, 50), 'fire');
    const clientId = randomUUID();
    const response = await duty.request('POST', `/api/cases/${merged.id}/merge`, { intoId: into.id, clientId });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      created: true,
      case: { id: merged.id, state: 'merged', mergedInto: into.id },
      into: { id: into.id, caseNumber: into.caseNumber },
    });
    const [row] = await db.rows<{ state: string; mergedInto: string; dueAt: string | null }>(sql`
      SELECT state, merged_into AS "mergedInto", due_at AS "dueAt" FROM reports WHERE id = ${merged.id}`);
    expect(row).toEqual({ state: 'merged', mergedInto: into.id, dueAt: null });
    const steps = await db.rows<{ reportId: string; action: string; toState: string }>(sql`
      SELECT report_id AS "reportId", action, to_state AS "toState" FROM case_steps
      WHERE report_id IN (${merged.id}, ${into.id}) AND action IN ('merge', 'merged_in') ORDER BY action`);
    expect(steps).toEqual([
      { reportId: merged.id, action: 'merge', toState: 'merged' },
      { reportId: into.id, action: 'merged_in', toState: 'reported' },
    ]);
    expect(await eventsOf(merged.id, 'case.merged')).toHaveLength(1);

    const again = await duty.request('POST', `/api/cases/${merged.id}/merge`, { intoId: into.id, clientId });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { created: boolean }).created).toBe(false);
    const [count] = await db.rows<{ count: number }>(sql`
      SELECT count(*)::int AS count FROM case_steps WHERE report_id IN (${merged.id}, ${into.id}) AND action IN ('merge', 'merged_in')`);
    expect(count!.count).toBe(2);
    expect((await duplicatesOf(into.id)).duplicates.map((duplicate) => duplicate.id)).not.toContain(merged.id);
  });

  it.each([
    ['into itself', 'self', 400, 'merge_into_itself'],
    ['into a merged case', 'merged', 409, 'merge_target_finished'],
    ['into a closed case', 'closed', 409, 'merge_target_finished'],
    ['across types', 'flood', 409, 'merge_type_mismatch'],
    ['into a case that does not exist', 'missing', 404, 'merge_target_not_found'],
  ])('refuses merging %s', async (_name, target, status, code) => {
    const source = await report(duty, origin, 'road_damage');
    let intoId: string;
    if (target === 'self') intoId = source.id;
    else if (target === 'missing') intoId = randomUUID();
    else if (target === 'flood') intoId = (await report(duty, origin, 'flood')).id;
    else {
      intoId = (await report(duty, origin, 'road_damage')).id;
      await db.rows(sql`UPDATE reports SET state = ${target} WHERE id = ${intoId}`);
    }
    const response = await duty.request('POST', `/api/cases/${source.id}/merge`, { intoId, clientId: randomUUID() });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe(code);
    const [row] = await db.rows<{ state: string }>(sql`SELECT state FROM reports WHERE id = ${source.id}`);
    expect(row!.state).toBe('reported');
  });

  it('refuses merging a finished case, without cases.command, or outside the scope', async () => {
    const into = await report(duty, origin, 'other');
    const closed = await report(duty, origin, 'other');
    await db.rows(sql`UPDATE reports SET state = 'closed' WHERE id = ${closed.id}`);
    const closedResponse = await duty.request('POST', `/api/cases/${closed.id}/merge`, {
      intoId: into.id,
      clientId: randomUUID(),
    });
    expect(closedResponse.status).toBe(409);
    expect(((await closedResponse.json()) as { error: { code: string } }).error.code).toBe('case_finished');
    const open = await report(duty, origin, 'other');
    expect(
      (await informant.request('POST', `/api/cases/${open.id}/merge`, { intoId: into.id, clientId: randomUUID() })).status,
    ).toBe(403);
    expect(
      (await fuyang.request('POST', `/api/cases/${open.id}/merge`, { intoId: into.id, clientId: randomUUID() })).status,
    ).toBe(404);
    expect((await fuyang.get(`/api/cases/${open.id}/duplicates`)).status).toBe(404);
  });
});
