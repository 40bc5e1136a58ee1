import { sql } from 'drizzle-orm';
import type { Principal } from '../../../api/app-env.ts';
import type { Database } from '../../../api/db/client.ts';
import { providersService } from '../../../api/providers/service.ts';
import { IN, OUT, type RouteCase, type Target } from './route-case.ts';

const COUNTY_MANAGER: Principal = {
  accountId: 'matrix',
  username: 'matrix',
  displayName: '矩阵',
  role: 'county_commander',
  scopeCode: '511921',
  departmentCode: null,
  sessionId: '',
  csrfToken: '',
};

/** A provider's fields in the target's village (王坪村 in scope, 红江村 outside), at its first cell's label point. */
async function providerIn(db: Database, target: Target) {
  const village = target === 'in' ? IN.village : OUT.village;
  const [cell] = await db.rows<{ lng: number; lat: number }>(sql`
    SELECT ST_X(label_point) AS lng, ST_Y(label_point) AS lat FROM areas WHERE level = 'cell' AND code ^@ ${village} ORDER BY code LIMIT 1`);
  return {
    name: `矩阵测试服务队 ${target}`,
    category: 'volunteer' as const,
    services: ['邻里互助'],
    serviceAreaCodes: [village],
    position: [Number(cell!.lng), Number(cell!.lat)] as [number, number],
    contactName: '矩阵',
    contactPhone: '13800000000',
  };
}

/** A provider written by the county, for the routes that change one. */
async function codeIn(db: Database, target: Target): Promise<string> {
  const created = await providersService(db).create(COUNTY_MANAGER, { ip: null, userAgent: null }, await providerIn(db, target));
  return created.code;
}

/** The service providers' routes (api/providers): public facts to read, managed within the manager's scope. */
export const PROVIDER_ROUTES: Record<string, RouteCase> = {
  'GET /api/providers': { probe: () => ({ method: 'GET', path: '/api/providers' }), ok: 200, outOfScope: 'no-scope' },
  'GET /api/providers/features': {
    probe: () => ({ method: 'GET', path: '/api/providers/features' }),
    ok: 200,
    outOfScope: 'no-scope',
  },
  'POST /api/providers': {
    probe: async (target, ctx) => ({ method: 'POST', path: '/api/providers', body: await providerIn(ctx.db, target) }),
    ok: 201,
    outOfScope: 'forbidden',
  },
  'PATCH /api/providers/:code': {
    probe: async (target, ctx) => ({
      method: 'PATCH',
      path: `/api/providers/${await codeIn(ctx.db, target)}`,
      body: { contactName: '矩阵更名' },
    }),
    ok: 200,
    outOfScope: 'forbidden',
  },
  'POST /api/providers/:code/deactivate': {
    probe: async (target, ctx) => ({ method: 'POST', path: `/api/providers/${await codeIn(ctx.db, target)}/deactivate` }),
    ok: 200,
    outOfScope: 'forbidden',
  },
};
