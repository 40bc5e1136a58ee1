import { sql } from 'drizzle-orm';
import type { Principal } from '../../api/app-env.ts';
import type { Database } from '../../api/db/client.ts';
import { insertTestReport } from './support/reports.ts';

/** Shanghai wall time as an instant: `at('2033-03-01 10:00')`. */
export const at = (wallTime: string) => new Date(`${wallTime.replace(' ', 'T')}:00+08:00`);

interface Step {
  action: string;
  at: string;
  details?: unknown;
}

export interface FixtureCase {
  name: string;
  reportedAt: string;
  state: string;
  steps: Step[];
  closedAt?: string;
  closedOnTime?: boolean;
  parked?: boolean;
  /** The running clock's deadline (reports.due_at). */
  dueAt?: string;
  department?: string;
  residentScore?: number;
  workerScore?: number;
}

/**
 * A case written straight into the tables with the timeline the KPIs read, in `cellCode`: the
 * workflow's own steps are tested elsewhere (cases.test.ts); here the facts are set by hand.
 */
export async function insertFixtureCase(db: Database, cellCode: string, fixture: FixtureCase): Promise<string> {
  const { id } = await insertTestReport(db, {
    cellCode,
    state: fixture.state,
    reportedAt: at(fixture.reportedAt),
    description: fixture.name,
  });
  const iso = (wall: string | undefined) => (wall ? at(wall).toISOString() : null);
  await db.rows(sql`
    UPDATE reports SET filed_at = reported_at, closed_at = ${iso(fixture.closedAt)}::timestamptz,
      closed_on_time = ${fixture.closedOnTime ?? null}, parked = ${fixture.parked ?? false},
      due_at = ${iso(fixture.dueAt)}::timestamptz, assigned_department_code = ${fixture.department ?? null}
    WHERE id = ${id}`);
  for (const step of fixture.steps) {
    await db.rows(sql`
      INSERT INTO case_steps (report_id, at, actor_name, actor_role, action, to_state, details, cell_code)
      VALUES (${id}, ${at(step.at).toISOString()}::timestamptz, '测试', 'township_commander', ${step.action}, ${fixture.state},
        ${step.details === undefined ? null : JSON.stringify(step.details)}::jsonb, ${cellCode})`);
  }
  const evaluations: [string, string, number | undefined][] = [
    ['resident', '', fixture.residentScore],
    ['grid_worker', fixture.department ?? '', fixture.workerScore],
  ];
  for (const [party, subject, score] of evaluations) {
    if (score === undefined) continue;
    await db.rows(sql`
      INSERT INTO case_evaluations (report_id, party, subject_code, score, source, evaluator_name, evaluator_role, client_id, area_code)
      VALUES (${id}, ${party}, ${subject}, ${score}, ${party === 'resident' ? 'field' : 'grid_worker'}, '测试', 'cell_informant',
        ${`${id}-${party}`}, ${cellCode})`);
  }
  return id;
}

const ack = (atTime: string, dueAt: string): Step => ({
  action: 'acknowledge',
  at: atTime,
  details: { dueAt: at(dueAt).toISOString() },
});

/**
 * The hand-computed fixture: cases of one grid in March and April 2033, each a rule of
 * api/vocabulary/review.ts. March: due A B C G H (5), deferred C, closed A B G, on time A G.
 * April: D (reported in March, due in April), closed on time. E (cancelled) and F (merged) count nowhere.
 */
export const FIXTURE_CASES: FixtureCase[] = [
  {
    name: 'A closed on time',
    reportedAt: '2033-03-01 09:00',
    state: 'evaluated',
    steps: [
      { action: 'dispatch', at: '2033-03-01 10:00' },
      ack('2033-03-01 10:30', '2033-03-05 10:30'),
      { action: 'feedback', at: '2033-03-02 10:00', details: { handledOnTime: true } },
      { action: 'check', at: '2033-03-03 10:00', details: { passed: true } },
    ],
    closedAt: '2033-03-03 10:00',
    closedOnTime: true,
    department: 'D01',
    residentScore: 5,
    workerScore: 4,
  },
  {
    name: 'B reworked, closed late',
    reportedAt: '2033-03-02 09:00',
    state: 'closed',
    steps: [
      { action: 'dispatch', at: '2033-03-02 10:00' },
      ack('2033-03-02 11:00', '2033-03-10 11:00'),
      { action: 'feedback', at: '2033-03-07 10:00', details: { handledOnTime: true } },
      { action: 'check', at: '2033-03-08 10:00', details: { passed: false, rework: true } },
      { action: 'feedback', at: '2033-03-11 10:00', details: { handledOnTime: false } },
      { action: 'check', at: '2033-03-12 10:00', details: { passed: true } },
    ],
    closedAt: '2033-03-12 10:00',
    closedOnTime: false,
    department: 'D01',
    workerScore: 2,
  },
  {
    name: 'C deferred by an approved extension',
    reportedAt: '2033-03-03 09:00',
    state: 'acknowledged',
    steps: [
      ack('2033-03-03 11:00', '2033-03-15 11:00'),
      { action: 'approve', at: '2033-03-14 09:00', details: { request: { kind: 'extension', amount: 10, unit: 'days' } } },
    ],
    dueAt: '2033-03-25 11:00',
  },
  {
    name: 'D spans two months',
    reportedAt: '2033-03-28 09:00',
    state: 'closed',
    steps: [
      ack('2033-03-28 11:00', '2033-04-02 11:00'),
      { action: 'feedback', at: '2033-03-31 10:00', details: { handledOnTime: true } },
      { action: 'check', at: '2033-04-01 10:00', details: { passed: true } },
    ],
    closedAt: '2033-04-01 10:00',
    closedOnTime: true,
  },
  {
    name: 'E cancelled',
    reportedAt: '2033-03-04 09:00',
    state: 'cancelled',
    steps: [ack('2033-03-04 11:00', '2033-03-20 11:00')],
  },
  {
    name: 'F merged',
    reportedAt: '2033-03-04 09:00',
    state: 'merged',
    steps: [],
    dueAt: '2033-03-05 09:00',
  },
  {
    name: 'G handled on the spot',
    reportedAt: '2033-03-05 08:00',
    state: 'closed',
    steps: [
      { action: 'on_spot', at: '2033-03-05 09:00', details: { handledOnTime: true } },
      { action: 'check', at: '2033-03-05 12:00', details: { passed: true } },
    ],
    closedAt: '2033-03-05 12:00',
    closedOnTime: true,
    residentScore: 4,
  },
  {
    name: 'H open and overdue',
    reportedAt: '2033-03-20 09:00',
    state: 'acknowledged',
    steps: [ack('2033-03-20 11:00', '2033-03-25 11:00')],
    dueAt: '2033-03-25 11:00',
  },
];

/** A principal as the service sees a signed-in reader. */
export function principalOf(role: string, scopeCode: string): Principal {
  return {
    accountId: `review-${role}`,
    username: `review-${role}`,
    displayName: `考评测试 ${role}`,
    role,
    scopeCode,
    departmentCode: null,
    sessionId: 'test',
    csrfToken: 'test',
  };
}
