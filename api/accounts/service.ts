import { randomUUID } from 'node:crypto';
import { isWithinScope, levelOfCode } from '../../geo/area-codes.ts';
import type { Principal } from '../app-env.ts';
import { hashPassword, requireStrongPassword } from '../auth/passwords.ts';
import { mayGrant, roleFitsScope } from '../auth/permissions.ts';
import { type AuditEntry, authRepository } from '../auth/repository.ts';
import type { RequestOrigin } from '../auth/service.ts';
import type { SessionCache } from '../auth/session-cache.ts';
import type { Database, Queryable, Transaction } from '../db/client.ts';
import { enterScope, leaveScope } from '../db/scoped.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { AREA_LEVEL_LABELS } from '../vocabulary/area-levels.ts';
import { isRole, ROLE_LABELS, ROLE_LEVELS, ROLES, type Role } from '../vocabulary/roles.ts';
import type { AccountChanges, NewAccount } from './contracts.ts';
import { accountsRepository } from './repository.ts';

const USERNAME = /^[a-z0-9][a-z0-9_.-]{2,31}$/;

function validateUsername(username: string): string {
  const normalized = username.trim().toLowerCase();
  if (!USERNAME.test(normalized)) {
    throw badRequest('invalid_username', {
      zh: '用户名须为 3 到 32 位小写字母、数字或 . _ -，以字母或数字开头',
      en: 'A username is 3 to 32 lower-case letters, digits or . _ -, starting with a letter or digit',
    });
  }
  return normalized;
}

function validateRole(role: string): asserts role is Role {
  if (!isRole(role)) {
    throw badRequest('invalid_role', { zh: `没有“${role}”这个角色`, en: `No role "${role}"` }, { roles: ROLES });
  }
}

function validateScope(scopeCode: string, actorScope: string | null): void {
  if (!levelOfCode(scopeCode)) {
    throw badRequest('invalid_area_code', { zh: `区划代码“${scopeCode}”格式不正确`, en: `"${scopeCode}" is not an area code` });
  }
  if (actorScope && !isWithinScope(scopeCode, actorScope)) {
    throw new AppError(403, 'scope_outside_yours', {
      zh: '只能把账号范围设在您自己的管辖范围之内',
      en: 'An account can only be scoped inside your own scope',
    });
  }
}

/** An account's scope is at its role's level (a grid worker's is a grid); see ROLE_LEVELS. */
function validateRoleLevel(role: Role, scopeCode: string): void {
  if (roleFitsScope(role, scopeCode)) return;
  const levels = ROLE_LEVELS[role];
  throw badRequest(
    'scope_level_mismatch',
    {
      zh: `${ROLE_LABELS[role].zh}的管辖范围应为${levels.map((level) => AREA_LEVEL_LABELS[level].zh).join('、')}级`,
      en: `A ${ROLE_LABELS[role].en.toLowerCase()} is scoped at the ${levels.map((level) => AREA_LEVEL_LABELS[level].en.toLowerCase()).join(', ')} level`,
    },
    { role, scopeCode, levels },
  );
}

/** The administrator may create or manage an account of this role and scope (see mayGrant). */
function requireGrantable(actor: Principal, role: Role, scopeCode: string): void {
  if (mayGrant(actor.scopeCode, role, scopeCode)) return;
  throw new AppError(
    403,
    'grant_beyond_yours',
    {
      zh: `您不能创建或管理该范围的${ROLE_LABELS[role].zh}账号：县级以下的管理员只管理低于自身层级的账号`,
      en: `You cannot create or manage a ${ROLE_LABELS[role].en.toLowerCase()} account there: below the county, administrators manage only accounts below their own level`,
    },
    { role, scopeCode },
  );
}

/** Only department cadres belong to a department, and it must exist. */
async function validateDepartment(db: Queryable, role: string, departmentCode: string | null | undefined): Promise<void> {
  if (departmentCode == null) return;
  if (role !== 'department_cadre') {
    throw badRequest('department_for_cadres_only', {
      zh: '只有部门干部账号可以设置所属部门',
      en: 'Only department cadre accounts belong to a department',
    });
  }
  if (!(await accountsRepository(db).departmentExists(departmentCode))) {
    throw badRequest('unknown_department', { zh: `没有编号为 ${departmentCode} 的部门`, en: `No department ${departmentCode}` });
  }
}

const accountNotFound = (id: string) => notFound('account_not_found', { zh: '找不到该账号', en: 'No such account' }, { id });

/** The account `id` as it is, if it exists in the administrator's scope (404) and is the administrator's to manage (403). */
async function manageableAccount(actor: Principal, repository: ReturnType<typeof accountsRepository>, id: string) {
  const current = await repository.find(id);
  if (!current) throw accountNotFound(id);
  requireGrantable(actor, current.role as Role, current.scopeCode);
  return current;
}

/**
 * Account administration. Every command runs in one transaction: the change itself as the
 * scoped role (row-level security refuses rows outside the administrator's scope), then the
 * session revocations and the audit entry as the owner.
 */
export function accountsService(db: Database, sessions: SessionCache) {
  async function command<T>(
    actor: Principal,
    work: (scoped: Queryable) => Promise<T>,
    after: (tx: Transaction, result: T) => Promise<AuditEntry>,
  ): Promise<T> {
    return db.transaction(async (tx) => {
      await enterScope(tx, actor);
      const result = await work(tx);
      await leaveScope(tx);
      await authRepository(tx).insertAudit(await after(tx, result));
      return result;
    });
  }

  const auditBase = (actor: Principal, origin: RequestOrigin) => ({
    actorId: actor.accountId,
    actorUsername: actor.username,
    actorRole: actor.role,
    outcome: 'ok' as const,
    targetType: 'account',
    ...origin,
  });

  async function requireArea(scoped: Queryable, scopeCode: string): Promise<void> {
    if (!(await accountsRepository(scoped).areaExists(scopeCode))) {
      throw notFound(
        'area_not_found',
        { zh: `找不到区划 ${scopeCode}`, en: `No area with code ${scopeCode}` },
        { code: scopeCode },
      );
    }
  }

  return {
    async list(scoped: Queryable, filter: { text?: string | undefined; role?: string | undefined; includeDisabled: boolean }) {
      return { accounts: await accountsRepository(scoped).list(filter) };
    },

    async create(actor: Principal, origin: RequestOrigin, input: NewAccount) {
      const username = validateUsername(input.username);
      validateRole(input.role);
      validateScope(input.scopeCode, actor.scopeCode);
      validateRoleLevel(input.role, input.scopeCode);
      requireGrantable(actor, input.role, input.scopeCode);
      requireStrongPassword(input.password);
      await validateDepartment(db, input.role, input.departmentCode);
      if (await accountsRepository(db).usernameTaken(username)) {
        throw new AppError(409, 'username_taken', { zh: `用户名 ${username} 已被使用`, en: `The username ${username} is taken` });
      }
      const passwordHash = await hashPassword(input.password);
      const id = randomUUID();
      await command(
        actor,
        async (scoped) => {
          await requireArea(scoped, input.scopeCode);
          await accountsRepository(scoped).insert({
            id,
            username,
            displayName: input.displayName.trim(),
            role: input.role,
            scopeCode: input.scopeCode,
            departmentCode: input.departmentCode ?? null,
            passwordHash,
            demo: false,
          });
        },
        async () => ({
          ...auditBase(actor, origin),
          action: 'account.create',
          targetId: username,
          scopeCode: input.scopeCode,
          details: { role: input.role },
        }),
      );
      const created = await accountsRepository(db).find(id);
      if (!created) throw new Error('account vanished after insert');
      return { account: created };
    },

    async update(actor: Principal, origin: RequestOrigin, id: string, changes: AccountChanges) {
      if (changes.role !== undefined) validateRole(changes.role);
      if (changes.scopeCode !== undefined) validateScope(changes.scopeCode, actor.scopeCode);
      if (id === actor.accountId && (changes.disabled || changes.role !== undefined || changes.scopeCode !== undefined)) {
        throw badRequest('cannot_change_self', {
          zh: '不能停用自己的账号或修改自己的角色与范围，请由其他管理员操作',
          en: 'You cannot disable your own account or change your own role or scope; ask another administrator',
        });
      }
      const before = await command(
        actor,
        async (scoped) => {
          const repository = accountsRepository(scoped);
          // Both the account as it is and as it would be must be the administrator's to manage.
          const current = await manageableAccount(actor, repository, id);
          const role = changes.role ?? current.role;
          const scopeCode = changes.scopeCode ?? current.scopeCode;
          if (changes.role !== undefined || changes.scopeCode !== undefined) {
            validateRoleLevel(role as Role, scopeCode);
            requireGrantable(actor, role as Role, scopeCode);
          }
          if (changes.scopeCode !== undefined) await requireArea(scoped, changes.scopeCode);
          if (changes.departmentCode !== undefined) await validateDepartment(db, role, changes.departmentCode);
          else if (role !== 'department_cadre' && current.departmentCode) changes.departmentCode = null;
          await repository.update(id, { ...changes, displayName: changes.displayName?.trim() });
          return current;
        },
        async (tx, current) => {
          const endsSessions =
            changes.disabled === true ||
            (changes.role ?? current.role) !== current.role ||
            (changes.scopeCode ?? current.scopeCode) !== current.scopeCode ||
            (changes.departmentCode !== undefined && changes.departmentCode !== current.departmentCode);
          const sessionsEnded = endsSessions ? await authRepository(tx).revokeAccountSessions(id) : 0;
          return {
            ...auditBase(actor, origin),
            action:
              changes.disabled === true ? 'account.disable' : changes.disabled === false ? 'account.enable' : 'account.update',
            targetId: current.username,
            scopeCode: changes.scopeCode ?? current.scopeCode,
            details: {
              changes,
              before: { role: current.role, scopeCode: current.scopeCode, disabled: current.disabled },
              sessionsEnded,
            },
          };
        },
      );
      sessions.forgetAccount(id);
      const after = await accountsRepository(db).find(id);
      return { account: after ?? before };
    },

    async resetPassword(actor: Principal, origin: RequestOrigin, id: string, password: string) {
      requireStrongPassword(password);
      const passwordHash = await hashPassword(password);
      await command(
        actor,
        async (scoped) => {
          const repository = accountsRepository(scoped);
          const current = await manageableAccount(actor, repository, id);
          await repository.update(id, { passwordHash });
          return current;
        },
        async (tx, current) => ({
          ...auditBase(actor, origin),
          action: 'account.password_reset',
          targetId: current.username,
          scopeCode: current.scopeCode,
          details: { sessionsEnded: await authRepository(tx).revokeAccountSessions(id) },
        }),
      );
      sessions.forgetAccount(id);
    },
  };
}

/**
 * Creates an account without an administrator: the first admin (`npm run user:create`) and the
 * embedded demo's accounts. Audited as done by the system.
 */
export async function createAccountAsSystem(
  db: Database,
  input: NewAccount & { demo?: boolean },
  origin: RequestOrigin = { ip: null, userAgent: 'cli' },
) {
  const username = validateUsername(input.username);
  validateRole(input.role);
  validateScope(input.scopeCode, null);
  validateRoleLevel(input.role, input.scopeCode);
  if (!input.demo) requireStrongPassword(input.password);
  await validateDepartment(db, input.role, input.departmentCode);
  const repository = accountsRepository(db);
  if (!(await repository.areaExists(input.scopeCode))) {
    throw notFound('area_not_found', { zh: `找不到区划 ${input.scopeCode}`, en: `No area with code ${input.scopeCode}` });
  }
  if (await repository.usernameTaken(username)) {
    throw new AppError(409, 'username_taken', { zh: `用户名 ${username} 已被使用`, en: `The username ${username} is taken` });
  }
  const passwordHash = await hashPassword(input.password);
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await accountsRepository(tx).insert({
      id,
      username,
      displayName: input.displayName,
      role: input.role,
      scopeCode: input.scopeCode,
      departmentCode: input.departmentCode ?? null,
      passwordHash,
      demo: input.demo ?? false,
    });
    await authRepository(tx).insertAudit({
      actorId: null,
      actorUsername: 'system',
      actorRole: null,
      action: 'account.create',
      outcome: 'ok',
      targetType: 'account',
      targetId: username,
      scopeCode: input.scopeCode,
      ...origin,
      details: { role: input.role, demo: input.demo ?? false },
    });
  });
  return { id, username };
}

export type AccountsService = ReturnType<typeof accountsService>;
