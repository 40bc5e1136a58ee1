import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { isWithinScope, levelOfCode } from '../../geo/area-codes.ts';
import type { Principal } from '../app-env.ts';
import { type AuditContext, recordRead } from '../audit/service.ts';
import { can } from '../auth/permissions.ts';
import type { Database, Queryable } from '../db/client.ts';
import { AppError, badRequest, notFound } from '../errors.ts';

/** A reason shorter than this says nothing a superior could check. */
export const MIN_REASON_LENGTH = 10;
/** The longest a grant lasts. */
export const MAX_GRANT_HOURS = 4;

/** A break-the-glass grant as it leaves the server. */
export interface AccessGrant {
  id: string;
  accountName: string;
  accountScope: string;
  areaCode: string;
  reason: string;
  grantedAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

/** Why a reader may see personal fields of an area: its role in its scope, or a live grant of its own. */
export type PersonalAccess = { basis: 'role' } | { basis: 'grant'; grantId: string; expiresAt: string };

const GRANT_COLUMNS = sql`id, account_name AS "accountName", account_scope AS "accountScope", area_code AS "areaCode", reason,
  to_char(granted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "grantedAt",
  to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "expiresAt",
  to_char(revoked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "revokedAt"`;

/**
 * Whether `reader` may see the personal fields (people, points, exact counts) of `areaCode`, and
 * on what ground: a role with `special.personal` inside its scope, or a live break-the-glass grant
 * of its own whose area holds `areaCode`. The one test every special-population read of personal
 * data makes (the registers' routes too), so that a grant opens the fields exactly where row-level
 * security (`gcc_special_reach`) opens the rows; a read on a grant is audited with its id.
 */
export async function personalAccess(owner: Queryable, reader: Principal, areaCode: string): Promise<PersonalAccess | null> {
  if (can(reader.role, 'special.personal') && isWithinScope(areaCode, reader.scopeCode)) return { basis: 'role' };
  if (!can(reader.role, 'special.break_glass')) return null;
  const [grant] = await owner.rows<{ id: string; expiresAt: string }>(sql`
    SELECT id, to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "expiresAt"
    FROM special_access_grants
    WHERE account_id = ${reader.accountId} AND revoked_at IS NULL AND expires_at > now() AND ${areaCode} ^@ area_code
    ORDER BY expires_at DESC LIMIT 1`);
  return grant ? { basis: 'grant', grantId: grant.id, expiresAt: grant.expiresAt } : null;
}

/** Audit details of a personal read: the grant it was made on, if any. */
export function accessDetails(access: PersonalAccess): { basis: string; grantId?: string } {
  return access.basis === 'grant' ? { basis: 'grant', grantId: access.grantId } : { basis: 'role' };
}

function refuseReason(reason: string): void {
  if ([...reason.trim()].length >= MIN_REASON_LENGTH) return;
  throw badRequest(
    'reason_too_short',
    {
      zh: `请说明紧急查看的理由（至少 ${MIN_REASON_LENGTH} 个字），上级会在审计日志中看到`,
      en: `State why (at least ${MIN_REASON_LENGTH} characters); your superiors see it in the audit log`,
    },
    { minLength: MIN_REASON_LENGTH },
  );
}

/**
 * Break the glass (special.break_glass): time-limited access to the personal fields of an area in
 * the holder's scope, with a stated reason. A request is one transaction (the grant and its audit
 * entry) and is idempotent by the client's id: a retry gets the same grant. Grants and their
 * audit entries are filed under the holder's scope, where its superiors (those whose scope holds
 * it and who may read the audit log) find them.
 */
export function accessGrantsService(owner: Database, options: { now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());
  return {
    async open(
      scoped: Queryable,
      context: AuditContext,
      request: { clientId: string; areaCode: string; reason: string; hours: number },
    ): Promise<AccessGrant> {
      const { principal } = context;
      refuseReason(request.reason);
      const level = levelOfCode(request.areaCode);
      if (!level || level === 'county') {
        throw badRequest('invalid_area_code', {
          zh: '紧急查看只能针对一个乡镇、村（社区）、网格或单元格',
          en: 'Break the glass for a township, village, grid or cell',
        });
      }
      const [area] = await scoped.rows<{ code: string }>(sql`SELECT code FROM areas WHERE code = ${request.areaCode}`);
      if (!area || !isWithinScope(request.areaCode, principal.scopeCode)) {
        throw notFound('area_not_found', { zh: `找不到区划 ${request.areaCode}`, en: `No area with code ${request.areaCode}` });
      }
      const id = `BG-${createHash('sha256').update(`${principal.accountId}\n${request.clientId}`).digest('hex').slice(0, 20)}`;
      const grantedAt = now();
      const expiresAt = new Date(grantedAt.getTime() + request.hours * 3_600_000);
      return owner.transaction(async (tx) => {
        const inserted = await tx.rows<{ id: string }>(sql`
          INSERT INTO special_access_grants (id, account_id, account_name, account_scope, area_code, reason, granted_at, expires_at)
          VALUES (${id}, ${principal.accountId}, ${principal.displayName}, ${principal.scopeCode}, ${request.areaCode},
            ${request.reason.trim()}, ${grantedAt.toISOString()}::timestamptz, ${expiresAt.toISOString()}::timestamptz)
          ON CONFLICT (id) DO NOTHING RETURNING id`);
        if (inserted.length > 0) {
          await recordRead(tx, context, {
            action: 'special.break_glass',
            targetType: 'special_access_grant',
            targetId: id,
            scopeCode: principal.scopeCode,
            details: { areaCode: request.areaCode, reason: request.reason.trim(), expiresAt: expiresAt.toISOString() },
          });
        }
        const [grant] = await tx.rows<AccessGrant>(sql`SELECT ${GRANT_COLUMNS} FROM special_access_grants WHERE id = ${id}`);
        if (!grant) throw new Error(`grant ${id} vanished`);
        return grant;
      });
    },

    /** Ends one of the caller's own grants now; revoking an ended one changes nothing. */
    async revoke(context: AuditContext, id: string): Promise<AccessGrant> {
      const { principal } = context;
      return owner.transaction(async (tx) => {
        const [grant] = await tx.rows<AccessGrant & { live: boolean }>(sql`
          SELECT ${GRANT_COLUMNS}, (revoked_at IS NULL AND expires_at > now()) AS live
          FROM special_access_grants WHERE id = ${id} AND account_id = ${principal.accountId} FOR UPDATE`);
        if (!grant) throw notFound('grant_not_found', { zh: '找不到这项紧急授权', en: 'No such grant of yours' });
        if (!grant.live) {
          const { live: _live, ...ended } = grant;
          return ended;
        }
        const [revoked] = await tx.rows<AccessGrant>(sql`
          UPDATE special_access_grants SET revoked_at = greatest(now(), granted_at + interval '1 millisecond')
          WHERE id = ${id} RETURNING ${GRANT_COLUMNS}`);
        await recordRead(tx, context, {
          action: 'special.break_glass_revoke',
          targetType: 'special_access_grant',
          targetId: id,
          scopeCode: principal.scopeCode,
          details: { areaCode: grant.areaCode },
        });
        if (!revoked) throw new AppError(500, 'internal_error', { zh: '撤销失败', en: 'Revoking failed' });
        return revoked;
      });
    },

    /** The caller's live grants, newest first. */
    mine: (principal: Principal) =>
      owner.rows<AccessGrant>(sql`
        SELECT ${GRANT_COLUMNS} FROM special_access_grants
        WHERE account_id = ${principal.accountId} AND revoked_at IS NULL AND expires_at > now()
        ORDER BY granted_at DESC`),
  };
}

export type AccessGrantsService = ReturnType<typeof accessGrantsService>;
