import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountAsSystem } from '../../api/accounts/service.ts';
import type { Database } from '../../api/db/client.ts';
import { hexagonOf } from '../../geo/hexagons.ts';
import { okJson, signedInBrowser, TEST_PASSWORD, type TestBrowser } from './support/sessions.ts';
import { cellsUnder, type FixtureCell, insertPeople, insertVisits } from './support/special-fixtures.ts';
import { testApp } from './support/test-database.ts';

// Fixtures live in 2001, a year no other file's visits or due days reach, so that the figures
// below are this file's alone on the shared database.

type App = Awaited<ReturnType<typeof testApp>>['app'];
interface Heatmap {
  exact: boolean;
  size: string | null;
  units: { unit: string; value: number | null; suppressed: boolean }[];
  publishedSum: number;
  suppressedUnits: number;
}

const SHAXI = '511921108';
let app: App;
let db: Database;
let county: TestBrowser;
let shaxi: TestBrowser;
let chief: TestBrowser;
let worker: TestBrowser;
/** Two cells of one village in one 3 km hexagon, and a cell of the village in another (its grid chief: `chief`). */
let a1: FixtureCell;
let a2: FixtureCell;
let b: FixtureCell;
let village: string;
/** A village of 沙溪镇 other than `village` and one of its cells: where the glass is broken. */
let otherVillage: string;
let c: FixtureCell;

const heatmap = (browser: TestBrowser, query: string) =>
  okJson<Heatmap>(browser.get(`/api/special/heatmap?${query}`), `heatmap ${query}`);
const unitOf = (map: Heatmap, unit: string) => map.units.find((figure) => figure.unit === unit);

beforeAll(async () => {
  ({ app, db } = await testApp());
  county = await signedInBrowser(app, 't-county');
  shaxi = await signedInBrowser(app, 't-shaxi');
  worker = await signedInBrowser(app, 't-worker');
  // The test county's cells are large: find two of one village in one 3 km hexagon, county-wide.
  const cells = await cellsUnder(db, '511921');
  const sameHex = (cell: FixtureCell) =>
    cells.filter(
      (other) => other !== cell && other.hex.medium === cell.hex.medium && other.code.slice(0, 12) === cell.code.slice(0, 12),
    );
  a1 = cells.find((cell) => sameHex(cell).length > 0)!;
  a2 = sameHex(a1)[0]!;
  village = a1.code.slice(0, 12);
  b = cells.find((cell) => cell.code.startsWith(village) && cell.hex.medium !== a1.hex.medium)!;
  c = cells.find(
    (cell) =>
      cell.code.startsWith(SHAXI) && !cell.code.startsWith(village) && ![a1.hex.medium, b.hex.medium].includes(cell.hex.medium),
  )!;
  await createAccountAsSystem(db, {
    username: 'hm-chief',
    displayName: '热力测试网格长',
    role: 'grid_chief',
    scopeCode: village,
    password: TEST_PASSWORD,
  });
  chief = await signedInBrowser(app, 'hm-chief');
  otherVillage = c.code.slice(0, 12);

  // January: 6 people of one category in a1, 2 rental houses in a2 (hexagon A: 8 people); 2 people in b.
  await insertVisits(db, await insertPeople(db, 'HM', a1.code, 6), a1, '2001-01-10T09:00:00+08:00');
  await insertVisits(
    db,
    await insertPeople(db, 'HM', a2.code, 2, { category: 'rental_house' }),
    a2,
    '2001-01-11T09:00:00+08:00',
    'rental_house',
  );
  await insertVisits(db, await insertPeople(db, 'HM', b.code, 2), b, '2001-01-12T09:00:00+08:00');
  // February: 3 people in a1 (hexagon A below 5).
  await insertVisits(db, await insertPeople(db, 'HM', a1.code, 3), a1, '2001-02-10T09:00:00+08:00');
  // March: 5 + 5 in two categories, each visited twice.
  const march = await insertPeople(db, 'HM', a1.code, 5);
  const marchDrug = await insertPeople(db, 'HM', a2.code, 5, { category: 'drug_rehabilitation' });
  for (const day of ['05', '20']) {
    await insertVisits(db, march, a1, `2001-03-${day}T09:00:00+08:00`);
    await insertVisits(db, marchDrug, a2, `2001-03-${day}T09:00:00+08:00`, 'drug_rehabilitation');
  }
  // Overdue since 2001: 4 entries in a1 (one of risk 4), 6 in c; due in 2001-04.
  await insertPeople(db, 'HM', a1.code, 3, { nextDueOn: '2001-04-03', riskLevel: 1 });
  await insertPeople(db, 'HM', a1.code, 1, { nextDueOn: '2001-04-04', riskLevel: 4 });
  await insertVisits(db, await insertPeople(db, 'HM', c.code, 6, { nextDueOn: '2001-04-05' }), c, '2001-05-03T09:00:00+08:00');
  // Last minute of January county time is January; the first of February is not.
  await insertVisits(db, await insertPeople(db, 'HM', b.code, 1), b, '2001-01-31T23:59:00+08:00');
});

afterAll(async () => {
  await db.rows(sql`UPDATE special_access_grants SET revoked_at = now() WHERE revoked_at IS NULL AND reason LIKE '测试%'`);
});

describe('the fixed hexagon grid', () => {
  it('names the same hexagon in SQL as in geo/hexagons.ts', async () => {
    const map = await heatmap(chief, `measure=visits&from=2001-01&to=2001-01&area=${a1.code}`);
    expect(map.units.map((figure) => figure.unit)).toEqual([hexagonOf(a1.point, 'medium')]);
  });
});

describe('aggregates for readers without personal access', () => {
  it('suppresses a hexagon of fewer than 5 people, and sums only what it publishes', async () => {
    const map = await heatmap(county, `measure=visits&from=2001-01&to=2001-01&area=${village}`);
    expect(map.exact).toBe(false);
    expect(map.size).toBe('medium');
    expect(unitOf(map, a1.hex.medium)).toEqual({ unit: a1.hex.medium, value: 8, suppressed: false });
    expect(unitOf(map, b.hex.medium)).toEqual({ unit: b.hex.medium, value: null, suppressed: true });
    expect(map.publishedSum).toBe(map.units.reduce((sum, figure) => sum + (figure.value ?? 0), 0));
  });

  it('gives the same aggregate size whatever size is asked for', async () => {
    const map = await heatmap(county, `measure=visits&from=2001-01&to=2001-01&area=${village}&size=small`);
    expect(map.size).toBe('medium');
    expect(unitOf(map, a1.hex.medium)?.value).toBe(8);
  });

  it('refuses cells and points to them', async () => {
    expect((await county.get(`/api/special/heatmap?measure=visits&from=2001-01&to=2001-01&unit=cell`)).status).toBe(403);
    expect((await county.get(`/api/special/heatmap/points?measure=visits&from=2001-01&to=2001-01`)).status).toBe(403);
    expect((await county.get(`/api/special/overdue-cells?area=${village}`)).status).toBe(403);
  });

  it('gives a unit the same value in two areas that differ by cells (the area only picks whole units)', async () => {
    const query = 'measure=visits&from=2001-03&to=2001-03';
    const byVillage = await heatmap(county, `${query}&area=${village}`);
    const grid = await heatmap(county, `${query}&area=${a1.code}`);
    const oneCell = await heatmap(county, `${query}&area=${a2.code}`);
    expect(unitOf(byVillage, a1.hex.medium)?.value).toBe(20);
    expect(unitOf(grid, a1.hex.medium)).toEqual(unitOf(byVillage, a1.hex.medium));
    expect(unitOf(oneCell, a1.hex.medium)).toEqual(unitOf(byVillage, a1.hex.medium));
  });

  it('publishes a period only from months that each pass: two periods differing by a month do not give it away', async () => {
    const january = await heatmap(county, `measure=visits&from=2001-01&to=2001-01&area=${village}`);
    const toFebruary = await heatmap(county, `measure=visits&from=2001-01&to=2001-02&area=${village}`);
    const toMarch = await heatmap(county, `measure=visits&from=2001-01&to=2001-03&area=${village}`);
    expect(unitOf(january, a1.hex.medium)?.value).toBe(8);
    // February holds 3 people: every period that contains it is withheld.
    expect(unitOf(toFebruary, a1.hex.medium)?.suppressed).toBe(true);
    expect(unitOf(toMarch, a1.hex.medium)?.suppressed).toBe(true);
  });

  it('cuts months in county time', async () => {
    const map = await heatmap(chief, `measure=visits&from=2001-01&to=2001-01&area=${b.code}`);
    expect(unitOf(map, b.hex.medium)?.value).toBe(3);
  });

  it('withdraws a category whose complement would name fewer than 5 people (filters differing by one category)', async () => {
    const query = `measure=visits&from=2001-01&to=2001-01&area=${village}`;
    const all = await heatmap(county, query);
    const mental = await heatmap(county, `${query}&categories=severe_mental_illness`);
    const both = await heatmap(county, `${query}&categories=severe_mental_illness,rental_house`);
    expect(unitOf(all, a1.hex.medium)?.value).toBe(8);
    // 8 − 6 would be the 2 rental houses: the 6 are withdrawn, and so is any set holding the 2.
    expect(unitOf(mental, a1.hex.medium)?.suppressed).toBe(true);
    expect(unitOf(both, a1.hex.medium)?.suppressed).toBe(true);
    // In March both categories hold 5: each is published, and all − one is the other.
    const march = `measure=visits&from=2001-03&to=2001-03&area=${village}`;
    expect(unitOf(await heatmap(county, `${march}&categories=severe_mental_illness`), a1.hex.medium)?.value).toBe(10);
    expect(unitOf(await heatmap(county, `${march}&categories=drug_rehabilitation`), a1.hex.medium)?.value).toBe(10);
    expect(unitOf(await heatmap(county, march), a1.hex.medium)?.value).toBe(20);
  });

  it('keeps a total minus its parts at zero: a suppressed unit never enters the sum', async () => {
    const query = `measure=visits&from=2001-01&to=2001-01&area=${village}`;
    const before = await heatmap(county, query);
    await insertVisits(db, await insertPeople(db, 'HM', b.code, 1), b, '2001-01-20T09:00:00+08:00');
    const after = await heatmap(county, query);
    expect(after.publishedSum).toBe(before.publishedSum);
    expect(after.publishedSum - (unitOf(after, a1.hex.medium)?.value ?? 0)).toBe(
      after.units.filter((figure) => figure.unit !== a1.hex.medium).reduce((sum, figure) => sum + (figure.value ?? 0), 0),
    );
    expect(after.suppressedUnits).toBeGreaterThanOrEqual(1);
  });

  it('counts overdue entries by the month they fell due, suppressed below 5', async () => {
    const map = await heatmap(county, `measure=overdue&from=2001-04&to=2001-04`);
    expect(unitOf(map, a1.hex.medium)?.suppressed).toBe(true);
    expect(unitOf(map, c.hex.medium)?.value).toBe(6);
  });
});

describe('personal access', () => {
  it('gives exact figures, cells and points in scope, each audited', async () => {
    const hexes = await heatmap(chief, `measure=visits&from=2001-01&to=2001-02`);
    expect(hexes.exact).toBe(true);
    expect(unitOf(hexes, a1.hex.medium)?.value).toBe(11);
    const cells = await heatmap(chief, `measure=visits&from=2001-01&to=2001-01&unit=cell&area=${village}`);
    expect(unitOf(cells, a2.code)).toEqual({ unit: a2.code, value: 2, suppressed: false });
    const small = await heatmap(chief, `measure=visits&from=2001-01&to=2001-01&size=small&area=${a1.code}`);
    expect(small.size).toBe('small');
    expect(unitOf(small, a1.hex.small)?.value).toBe(6);
    const audited = await db.rows<{ action: string }>(sql`
      SELECT action FROM audit_log WHERE actor_username = 'hm-chief' AND action = 'special.heatmap'`);
    expect(audited.length).toBeGreaterThanOrEqual(3);
  });

  it('gives points only in the reader’s scope', async () => {
    const gridOfA = a1.code.slice(0, 15);
    const { points } = await okJson<{ points: { cellCode: string }[] }>(
      chief.get(`/api/special/heatmap/points?measure=visits&from=2001-01&to=2001-03&area=${village}`),
      'points',
    );
    // January 6 + 2 + 2 + 1 + 1 (the one added above), February 3, March 20.
    expect(points.length).toBe(12 + 3 + 20);
    expect(points.every((point) => point.cellCode.startsWith(village))).toBe(true);
    const workerScope = '511921108209001';
    const own = await worker.get(`/api/special/heatmap/points?measure=visits&from=2001-01&to=2001-03`);
    expect(own.status).toBe(200);
    const ownPoints = ((await own.json()) as { points: { cellCode: string }[] }).points;
    expect(ownPoints.every((point) => point.cellCode.startsWith(workerScope))).toBe(true);
    if (!gridOfA.startsWith(workerScope)) {
      expect(
        (await worker.get(`/api/special/heatmap/points?measure=visits&from=2001-01&to=2001-03&area=${gridOfA}`)).status,
      ).toBe(404);
    }
    const [entry] = await db.rows<{ details: { basis: string; points: number } }>(sql`
      SELECT details FROM audit_log WHERE actor_username = 'hm-chief' AND action = 'special.points' ORDER BY id DESC LIMIT 1`);
    expect(entry?.details).toMatchObject({ basis: 'role', points: points.length });
  });

  it('colours cells by the worst overdue entry', async () => {
    const { cells } = await okJson<{ cells: { cellCode: string; overdue: number; worst: string }[] }>(
      chief.get(`/api/special/overdue-cells?area=${a1.code}`),
      'overdue cells',
    );
    expect(cells).toEqual([{ cellCode: a1.code, overdue: 4, worst: 'red' }]);
    const [entry] = await db.rows<{ scope_code: string }>(sql`
      SELECT scope_code FROM audit_log WHERE actor_username = 'hm-chief' AND action = 'special.overdue_cells' ORDER BY id DESC LIMIT 1`);
    expect(entry?.scope_code).toBe(a1.code);
  });
});

describe('area summaries', () => {
  interface Summary {
    exact: boolean;
    children: { code: string; registered: number | null; overdue: number | null; byCategory: Record<string, number | null> }[];
    shownSums: { registered: number };
  }
  /** Entries overdue today in a1's grid, counted here (other files may register people there too). */
  const overdueInGrid = async () => {
    const [row] = await db.rows<{ count: number }>(sql`
      SELECT count(*)::int AS count FROM special_people
      WHERE active AND next_due_on < (now() AT TIME ZONE 'Asia/Shanghai')::date AND area_code ^@ ${a1.code.slice(0, 15)}`);
    return row?.count ?? 0;
  };
  const summaryOf = (browser: TestBrowser, area: string) =>
    okJson<Summary>(browser.get(`/api/special/summary?area=${area}`), 'summary');

  it('gives exact figures per child with personal access, audited', async () => {
    const summary = await summaryOf(chief, village);
    expect(summary.exact).toBe(true);
    const child = summary.children.find((entry) => a1.code.startsWith(entry.code));
    expect(child?.overdue).toBe(await overdueInGrid());
    const [entry] = await db.rows<{ details: { basis: string } }>(sql`
      SELECT details FROM audit_log WHERE actor_username = 'hm-chief' AND action = 'special.summary' ORDER BY id DESC LIMIT 1`);
    expect(entry?.details.basis).toBe('role');
  });

  it('suppresses a child below 5 and sums only the shown children for aggregate readers', async () => {
    const summary = await summaryOf(county, village);
    expect(summary.exact).toBe(false);
    const child = summary.children.find((entry) => a1.code.startsWith(entry.code));
    // 4 entries of this file overdue in the grid of a1: fewer than 5, not shown.
    const overdue = await overdueInGrid();
    expect(child?.overdue).toBe(overdue > 0 && overdue < 5 ? null : overdue);
    expect(summary.shownSums.registered).toBe(summary.children.reduce((sum, entry) => sum + (entry.registered ?? 0), 0));
    for (const entry of summary.children) {
      for (const value of Object.values(entry.byCategory)) expect(value === null || value === 0 || value >= 5).toBe(true);
    }
  });
});

describe('break the glass', () => {
  const open = (browser: TestBrowser, body: object) => browser.request('POST', '/api/special/grants', body);

  it('requires a reason, a short duration and an area in scope', async () => {
    const base = { clientId: 'hm-refused-1', areaCode: otherVillage, hours: 1 };
    expect((await open(shaxi, { ...base, reason: '紧急' })).status).toBe(400);
    expect((await open(shaxi, { ...base, reason: '测试：群众报告其行为异常，需要立即核实', hours: 5 })).status).toBe(400);
    expect(
      (await open(shaxi, { ...base, areaCode: '511921112200', reason: '测试：群众报告其行为异常，需要立即核实' })).status,
    ).toBe(404);
    expect((await open(chief, { ...base, reason: '测试：群众报告其行为异常，需要立即核实' })).status).toBe(403);
  });

  it('opens the area’s personal fields while live, audits every use with the grant, and ends on revoke', async () => {
    const query = `measure=visits&from=2001-05&to=2001-05&area=${otherVillage}`;
    expect((await heatmap(shaxi, query)).exact).toBe(false);
    expect((await shaxi.get(`/api/special/heatmap/points?${query}`)).status).toBe(403);

    const body = { clientId: 'hm-grant-1', areaCode: otherVillage, reason: '测试：群众报告其行为异常，需要立即核实', hours: 2 };
    const { grant } = await okJson<{ grant: { id: string; expiresAt: string; grantedAt: string } }>(open(shaxi, body), 'grant');
    const again = await okJson<{ grant: { id: string } }>(open(shaxi, body), 'grant again');
    expect(again.grant.id).toBe(grant.id);
    expect(Date.parse(grant.expiresAt) - Date.parse(grant.grantedAt)).toBe(2 * 3_600_000);
    const grantAudits = await db.rows<{ details: { reason: string } }>(sql`
      SELECT details FROM audit_log WHERE action = 'special.break_glass' AND target_id = ${grant.id}`);
    expect(grantAudits).toHaveLength(1);
    expect(grantAudits[0]?.details.reason).toBe(body.reason);

    const mine = await okJson<{ grants: { id: string }[] }>(shaxi.get('/api/special/grants/mine'), 'mine');
    expect(mine.grants.map((live) => live.id)).toContain(grant.id);
    const exact = await heatmap(shaxi, query);
    expect(exact.exact).toBe(true);
    expect(unitOf(exact, c.hex.medium)?.value).toBe(6);
    const points = await okJson<{ points: unknown[] }>(shaxi.get(`/api/special/heatmap/points?${query}`), 'points');
    expect(points.points).toHaveLength(6);
    const uses = await db.rows<{ action: string; details: { grantId: string } }>(sql`
      SELECT action, details FROM audit_log WHERE actor_username = 't-shaxi' AND action IN ('special.heatmap', 'special.points')
        AND details->>'grantId' = ${grant.id}`);
    expect(uses.map((use) => use.action).sort()).toEqual(['special.heatmap', 'special.points']);
    // The rest of the township stays aggregate.
    expect((await heatmap(shaxi, `measure=visits&from=2001-05&to=2001-05&area=${SHAXI}`)).exact).toBe(false);

    await okJson(shaxi.request('POST', `/api/special/grants/${grant.id}/revoke`), 'revoke');
    expect((await shaxi.get(`/api/special/heatmap/points?${query}`)).status).toBe(403);
    expect(
      (await okJson<{ grants: { id: string }[] }>(shaxi.get('/api/special/grants/mine'), 'mine')).grants.map((g) => g.id),
    ).not.toContain(grant.id);
    expect((await county.request('POST', `/api/special/grants/${grant.id}/revoke`)).status).toBe(404);
  });

  it('ends by itself when it expires', async () => {
    await db.rows(sql`
      INSERT INTO special_access_grants (id, account_id, account_name, account_scope, area_code, reason, granted_at, expires_at)
      SELECT 'BG-HM-EXPIRED', id, display_name, scope_code, ${otherVillage}, '测试：已过期的授权不再生效', now() - interval '5 hours', now() - interval '1 hour'
      FROM accounts WHERE username = 't-shaxi'`);
    expect(
      (await shaxi.get(`/api/special/heatmap/points?measure=visits&from=2001-05&to=2001-05&area=${otherVillage}`)).status,
    ).toBe(403);
  });

  it('shows grants to superiors in the audit log, not to peers', async () => {
    const body = { clientId: 'hm-grant-2', areaCode: otherVillage, reason: '测试：夜间警情，需联系监护人', hours: 1 };
    const { grant } = await okJson<{ grant: { id: string } }>(open(shaxi, body), 'grant');
    const seen = async (browser: TestBrowser) => {
      const { entries } = await okJson<{ entries: { targetId: string | null }[] }>(
        browser.get('/api/audit?action=special.break_glass&pageSize=100'),
        'audit',
      );
      return entries.some((entry) => entry.targetId === grant.id);
    };
    expect(await seen(county)).toBe(true);
    expect(await seen(await signedInBrowser(app, 't-shaxi-admin'))).toBe(true);
    await createAccountAsSystem(db, {
      username: 'hm-fuyang-admin',
      displayName: '涪阳管理员',
      role: 'admin',
      scopeCode: '511921112',
      password: TEST_PASSWORD,
    });
    expect(await seen(await signedInBrowser(app, 'hm-fuyang-admin'))).toBe(false);
  });
});
