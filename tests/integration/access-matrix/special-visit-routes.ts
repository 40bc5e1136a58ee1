import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../../api/db/client.ts';
import { accountIdOf } from '../support/patrols.ts';
import { insertTestPerson } from '../support/special-people.ts';
import { IN, json, OUT, type RouteCase, type Target } from './route-case.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

/** A fresh entry of the registers in the target's cell (王坪村 in scope, 红江村 outside), named after the target. */
const personFor = (db: Database, target: Target) =>
  insertTestPerson(db, target === 'in' ? IN.cell : OUT.village, { idPrefix: 'MATRIX-SP', name: `矩阵走访对象 ${target}` });

/** A visit by the caller (its scope may have changed since) to a fresh entry of the target, with one photo. */
async function visitFor(db: Database, username: string, target: Target) {
  const person = await personFor(db, target);
  const id = randomUUID();
  await db.rows(sql`
    INSERT INTO special_visits (id, client_id, person_id, category, area_code, visitor_id, visitor_name, visited_at, mode, outcome)
    VALUES (${id}, ${randomUUID()}, ${person.id}, 'severe_mental_illness', ${person.cellCode},
      ${await accountIdOf(db, username).catch(() => 'nobody')}, '矩阵', now(), 'home', 'seen_stable')`);
  const photoId = randomUUID();
  await db.rows(sql`
    INSERT INTO special_visit_photos (id, visit_id, area_code, content_type, byte_size, sha256, bytes)
    VALUES (${photoId}, ${id}, ${person.cellCode}, 'image/png', ${PNG.length}, 'matrix', ${PNG})`);
  return { id, photoId };
}

/** The special-population visit routes' entries of the access matrix (api/special-visits). */
export const SPECIAL_VISIT_ROUTES: Record<string, RouteCase> = {
  'POST /api/special/visits': {
    probe: async (target, ctx) => ({
      method: 'POST',
      path: '/api/special/visits',
      body: {
        clientId: randomUUID(),
        personId: (await personFor(ctx.db, target)).id,
        visitedAt: new Date().toISOString(),
        mode: 'phone',
        outcome: 'seen_stable',
      },
    }),
    ok: 201,
    outOfScope: 'not-found',
  },
  'GET /api/special/visits/mine': {
    probe: async (target, ctx) => {
      await visitFor(ctx.db, ctx.username, target);
      return { method: 'GET', path: '/api/special/visits/mine?limit=200' };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes('矩阵走访对象 out'),
  },
  'GET /api/special/visits/due': {
    probe: async (target, ctx) => {
      await personFor(ctx.db, target);
      return { method: 'GET', path: '/api/special/visits/due' };
    },
    ok: 200,
    outOfScope: 'cut',
    leaks: async (response) => (await json(response)).includes('矩阵走访对象 out'),
  },
  'POST /api/special/visits/:id/photos': {
    probe: async (target, ctx) => {
      const { id } = await visitFor(ctx.db, ctx.username, target);
      const form = new FormData();
      form.append('photos', new File([PNG], 'matrix.png', { type: 'image/png' }));
      return { method: 'POST', path: `/api/special/visits/${id}/photos`, body: form };
    },
    ok: 201,
    outOfScope: 'not-found',
  },
  'GET /api/special/visits/:id/photos/:photoId': {
    probe: async (target, ctx) => {
      const { id, photoId } = await visitFor(ctx.db, ctx.username, target);
      return { method: 'GET', path: `/api/special/visits/${id}/photos/${photoId}` };
    },
    ok: 200,
    outOfScope: 'not-found',
  },
};
