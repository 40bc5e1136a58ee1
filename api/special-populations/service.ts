import { createHash } from 'node:crypto';
import { isWithinScope, levelOfCode } from '../../geo/area-codes.ts';
import { type AuditContext, recordRead } from '../audit/service.ts';
import { authRepository } from '../auth/repository.ts';
import type { Database, Queryable } from '../db/client.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import {
  parseFollowUpRule,
  RISK_LEVEL_MAX,
  type SpecialCategory,
  type SupervisionGrade,
} from '../vocabulary/special-populations.ts';
import { shanghaiDay } from './follow-up.ts';
import { type EntryFields, type EntryFilter, type EntryRow, specialPopulationsRepository } from './repository.ts';
import { listView, maskIdNumber, type Tenant } from './views.ts';

/** The most rows one export holds; a narrower filter gets the rest. */
const EXPORT_LIMIT = 20_000;
/** The visits a detail shows. */
const DETAIL_VISITS = 20;

const entryNotFound = (id: string) =>
  notFound('special_entry_not_found', { zh: '找不到该重点人群登记', en: 'No such register entry' }, { id });

const staleEdit = (id: string, version: number) =>
  new AppError(
    409,
    'special_entry_stale',
    {
      zh: '该登记已被他人修改，请刷新后重新填写',
      en: 'Someone else changed this entry since you opened it: reload it and make your change again',
    },
    { id, version },
  );

/** The fields an edit may set: everything but the category, the registration day and the state (changed with a reason). */
export type EntryEdit = Omit<EntryFields, 'category' | 'registeredOn' | 'riskLevel' | 'supervisionGrade' | 'areaCode'>;
export type EntryRegistration = Omit<EntryFields, 'areaCode' | 'registeredOn'> & { clientId: string; registeredOn?: string };

/**
 * The registers: lists and details of people in the reader's reach (row-level security) with their
 * personal fields, every read audited; registering, editing, state changes and closing, each one
 * transaction that also recomputes the entry's due day; the follow-up rules and their versions.
 */
export function specialPopulationsService(owner: Database, options: { now?: () => Date } = {}) {
  const now = options.now ?? (() => new Date());

  /** The entry as the scoped reader sees it, or 404. */
  async function visibleEntry(scoped: Queryable, id: string): Promise<EntryRow> {
    const entry = await specialPopulationsRepository(scoped).entry(id);
    if (!entry) throw entryNotFound(id);
    return entry;
  }

  function checkCategoryFields(fields: { category: SpecialCategory; riskLevel: number | null; supervisionGrade: string | null }) {
    if (fields.category !== 'severe_mental_illness' && fields.riskLevel !== null)
      throw badRequest('risk_level_not_applicable', {
        zh: '只有严重精神障碍患者有风险等级',
        en: 'Only severe mental illness entries have a risk level',
      });
    if (fields.category !== 'community_correction' && fields.supervisionGrade !== null)
      throw badRequest('grade_not_applicable', {
        zh: '只有社区矫正对象有管控级别',
        en: 'Only community correction entries have a supervision grade',
      });
  }

  /** Records a change of the register in the log, in the change's own transaction. */
  async function audit(
    tx: Queryable,
    context: AuditContext,
    action: string,
    targetId: string,
    scopeCode: string,
    details?: unknown,
  ) {
    await authRepository(tx).insertAudit({
      actorId: context.principal.accountId,
      actorUsername: context.principal.username,
      actorRole: context.principal.role,
      outcome: 'ok',
      ip: context.ip,
      userAgent: context.userAgent,
      action,
      targetType: 'special_person',
      targetId,
      scopeCode,
      details,
    });
  }

  return {
    /** A page of an area's entries in the reader's reach, by due day; the read is audited with the filter and the ids shown. */
    async list(scoped: Queryable, context: AuditContext, filter: Omit<EntryFilter, 'today'>, page: number, pageSize: number) {
      const today = shanghaiDay(now());
      const full = { ...filter, today };
      const repository = specialPopulationsRepository(scoped);
      const [rows, total] = await Promise.all([
        repository.entries(full, pageSize, (page - 1) * pageSize),
        repository.entryCount(full),
      ]);
      await recordRead(owner, context, {
        action: 'special.list',
        targetType: 'special_register',
        targetId: filter.area,
        scopeCode: filter.area,
        details: { filter, page, shown: rows.map((row) => row.id) },
      });
      return { today, total, page, pageSize, entries: rows.map((row) => listView(row, today)) };
    },

    /** The entries of an export (at most EXPORT_LIMIT), audited with who, when, the format and the filter. */
    async exportRows(scoped: Queryable, context: AuditContext, filter: Omit<EntryFilter, 'today'>, format: 'csv' | 'xlsx') {
      const today = shanghaiDay(now());
      const rows = await specialPopulationsRepository(scoped).entries({ ...filter, today }, EXPORT_LIMIT, 0);
      const exportedAt = now();
      await recordRead(owner, context, {
        action: 'special.export',
        targetType: 'special_register',
        targetId: format,
        scopeCode: filter.area,
        details: { filter, rows: rows.length, exportedAt: exportedAt.toISOString() },
      });
      return {
        entries: rows.map((row) => listView(row, today)),
        exportedBy: `${context.principal.displayName}（${context.principal.username}）`,
        exportedAt,
      };
    },

    /**
     * The follow-ups overdue and due within 7 days in `area` (a grid, village or township), the people
     * by due day and the counts per grid; the read is audited with the ids shown.
     */
    async dueList(scoped: Queryable, context: AuditContext, area: string, category?: SpecialCategory) {
      const today = shanghaiDay(now());
      const repository = specialPopulationsRepository(scoped);
      const [overdue, dueSoon] = await Promise.all([
        repository.entries({ area, today, category, due: 'overdue' }, EXPORT_LIMIT, 0),
        repository.entries({ area, today, category, due: 'due_soon' }, EXPORT_LIMIT, 0),
      ]);
      const grids = new Map<string, { gridCode: string; gridName: string | null; overdue: number; dueSoon: number }>();
      const gridOf = (row: EntryRow) => {
        const gridCode = row.areaCode.slice(0, 15);
        const grid = grids.get(gridCode) ?? { gridCode, gridName: row.gridName, overdue: 0, dueSoon: 0 };
        grids.set(gridCode, grid);
        return grid;
      };
      for (const row of overdue) gridOf(row).overdue += 1;
      for (const row of dueSoon) gridOf(row).dueSoon += 1;
      await recordRead(owner, context, {
        action: 'special.due_read',
        targetType: 'special_register',
        targetId: area,
        scopeCode: area,
        details: { category: category ?? null, shown: [...overdue, ...dueSoon].map((row) => row.id) },
      });
      return {
        today,
        area,
        overdue: overdue.map((row) => listView(row, today)),
        dueSoon: dueSoon.map((row) => listView(row, today)),
        grids: [...grids.values()].sort((a, b) => b.overdue - a.overdue || a.gridCode.localeCompare(b.gridCode)),
      };
    },

    /** One entry with its state history and newest visits; the read is audited. */
    async detail(scoped: Queryable, context: AuditContext, id: string) {
      const repository = specialPopulationsRepository(scoped);
      const entry = await visibleEntry(scoped, id);
      const [states, visits] = await Promise.all([repository.states(id), repository.visits(id, DETAIL_VISITS)]);
      const own = isWithinScope(entry.areaCode, context.principal.scopeCode);
      const tenants = Array.isArray(entry.tenants)
        ? (entry.tenants as Tenant[]).map((tenant) => ({
            name: tenant.name,
            idNumber: own ? (tenant.idNumber ?? null) : maskIdNumber(tenant.idNumber ?? null),
            phone: tenant.phone ?? null,
            since: tenant.since ?? null,
          }))
        : [];
      await audit(owner, context, 'special.read', id, entry.areaCode, { own, visits: visits.length });
      const today = shanghaiDay(now());
      return {
        entry: {
          ...listView(entry, today),
          idNumber: own ? entry.idNumber : maskIdNumber(entry.idNumber),
          landlordName: entry.landlordName,
          landlordPhone: entry.landlordPhone,
          tenants,
          guardianName: entry.guardianName,
          guardianPhone: entry.guardianPhone,
          notes: entry.notes,
          closedOn: entry.closedOn,
          closedReason: entry.closedReason,
          updatedAt: entry.updatedAt,
        },
        states,
        visits,
      };
    },

    /**
     * Registers an entry in the household `householdCode` (in the caller's scope; its cell becomes the
     * entry's). Idempotent: the register code is derived from the caller and `clientId`, so a retry
     * finds the entry the first try wrote and answers with it (`created: false`).
     */
    async register(scoped: Queryable, context: AuditContext, input: EntryRegistration) {
      checkCategoryFields(input);
      const household = await specialPopulationsRepository(scoped).household(input.householdCode);
      if (!household)
        throw notFound(
          'household_not_found',
          { zh: '找不到该住户，或不在您的管辖范围内', en: 'No such household in your scope' },
          { householdCode: input.householdCode },
        );
      const id = `ZD-${createHash('sha256').update(`${context.principal.accountId}\n${input.clientId}`).digest('hex').slice(0, 12).toUpperCase()}`;
      const at = now();
      const { clientId: _clientId, ...fields } = input;
      const created = await owner.transaction(async (tx) => {
        const repository = specialPopulationsRepository(tx);
        const inserted = await repository.insertEntry(id, {
          ...fields,
          areaCode: household.cellCode,
          registeredOn: input.registeredOn ?? shanghaiDay(at),
        });
        if (!inserted) return false;
        if (input.riskLevel !== null || input.supervisionGrade !== null)
          await repository.insertState(id, {
            areaCode: household.cellCode,
            effectiveFrom: at,
            riskLevel: input.riskLevel,
            supervisionGrade: input.supervisionGrade,
            reason: '登记',
            setById: context.principal.accountId,
            setByName: context.principal.displayName,
          });
        await repository.recomputeFollowUps([id]);
        await audit(tx, context, 'special.register', id, household.cellCode, { category: input.category });
        return true;
      });
      return { created, ...(await this.detail(scoped, context, id)) };
    },

    /** Edits an entry last read at `version`; a stale version is 409. Moving to another household moves its cell (in scope). */
    async edit(scoped: Queryable, context: AuditContext, id: string, version: number, edit: EntryEdit) {
      const entry = await visibleEntry(scoped, id);
      let areaCode = entry.areaCode;
      if (edit.householdCode !== entry.householdCode) {
        const household = await specialPopulationsRepository(scoped).household(edit.householdCode);
        if (!household)
          throw notFound('household_not_found', {
            zh: '找不到该住户，或不在您的管辖范围内',
            en: 'No such household in your scope',
          });
        areaCode = household.cellCode;
      }
      await owner.transaction(async (tx) => {
        const repository = specialPopulationsRepository(tx);
        if (!(await repository.updateEntry(id, version, { ...edit, areaCode }))) throw staleEdit(id, version);
        await repository.recomputeFollowUps([id]);
        await audit(tx, context, 'special.edit', id, areaCode, { version });
      });
      return this.detail(scoped, context, id);
    },

    /**
     * Sets the risk level (severe mental illness) or the supervision grade (community correction) from
     * now on, with a reason: a dated state row, and the due day recomputed. Setting what is already
     * set is a no-op (a retried request does not add a second row).
     */
    async changeState(
      scoped: Queryable,
      context: AuditContext,
      id: string,
      input: { version: number; riskLevel?: number | undefined; supervisionGrade?: SupervisionGrade | undefined; reason: string },
    ) {
      const entry = await visibleEntry(scoped, id);
      const riskLevel = entry.category === 'severe_mental_illness' ? (input.riskLevel ?? null) : null;
      const supervisionGrade = entry.category === 'community_correction' ? (input.supervisionGrade ?? null) : null;
      if (riskLevel === null && supervisionGrade === null)
        throw badRequest('state_not_applicable', {
          zh: `只有严重精神障碍患者可调整风险等级（0–${RISK_LEVEL_MAX}），只有社区矫正对象可调整管控级别`,
          en: 'Only severe mental illness entries take a risk level, only community correction entries a grade',
        });
      if (entry.riskLevel === riskLevel && entry.supervisionGrade === supervisionGrade) return this.detail(scoped, context, id);
      await owner.transaction(async (tx) => {
        const repository = specialPopulationsRepository(tx);
        const changed = await repository.changeState(id, input.version, {
          areaCode: entry.areaCode,
          effectiveFrom: now(),
          riskLevel,
          supervisionGrade,
          reason: input.reason,
          setById: context.principal.accountId,
          setByName: context.principal.displayName,
        });
        if (!changed) throw staleEdit(id, input.version);
        await repository.recomputeFollowUps([id]);
        await audit(tx, context, 'special.state', id, entry.areaCode, { riskLevel, supervisionGrade, reason: input.reason });
      });
      return this.detail(scoped, context, id);
    },

    /** Closes an entry (moved away, term ended, died) with a reason; closing a closed entry answers it as it is. */
    async close(
      scoped: Queryable,
      context: AuditContext,
      id: string,
      input: { version: number; reason: string; closedOn?: string | undefined },
    ) {
      const entry = await visibleEntry(scoped, id);
      if (!entry.active) return this.detail(scoped, context, id);
      await owner.transaction(async (tx) => {
        const repository = specialPopulationsRepository(tx);
        if (!(await repository.close(id, input.version, input.closedOn ?? shanghaiDay(now()), input.reason)))
          throw staleEdit(id, input.version);
        await repository.recomputeFollowUps([id]);
        await audit(tx, context, 'special.close', id, entry.areaCode, { reason: input.reason });
      });
      return this.detail(scoped, context, id);
    },

    /** Every category's rule in force today and every version, newest first. */
    async rules() {
      const today = shanghaiDay(now());
      const versions = await specialPopulationsRepository(owner).rules();
      return {
        today,
        versions: versions
          .map((version) => ({ ...version, current: false }))
          .map((version, _index, all) => {
            const inForce = all.filter((other) => other.category === version.category && other.effectiveFrom <= today).at(-1);
            return { ...version, current: inForce?.id === version.id };
          })
          .reverse(),
      };
    },

    /**
     * Sets `category`'s rule from `effectiveFrom` (today or later; county-level accounts only, as the
     * geohazard rule) and recomputes the due day of every active entry of the category, in one transaction.
     */
    async setRule(context: AuditContext, category: SpecialCategory, effectiveFrom: string, rule: unknown) {
      const { principal } = context;
      if (levelOfCode(principal.scopeCode) !== 'county')
        throw new AppError(403, 'county_scope_required', {
          zh: '走访规则全县统一，只有县级账号可以修改',
          en: 'The follow-up rules are county-wide: only a county-level account may change them',
        });
      const today = shanghaiDay(now());
      if (effectiveFrom < today)
        throw badRequest(
          'rule_in_past',
          { zh: '新规则只能从今天或以后开始生效', en: 'A new rule applies from today or a later day, never from a past one' },
          { effectiveFrom, today },
        );
      const parsed = parseFollowUpRule(category, rule);
      if (!parsed.success)
        throw badRequest(
          'invalid_follow_up_rule',
          { zh: '走访规则格式不正确', en: 'The follow-up rule is malformed' },
          { issues: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) },
        );
      const recomputed = await owner.transaction(async (tx) => {
        const repository = specialPopulationsRepository(tx);
        await repository.saveRule({
          category,
          effectiveFrom,
          rule: parsed.data,
          setById: principal.accountId,
          setByName: principal.displayName,
        });
        const ids = await repository.activeIdsOf(category);
        await repository.recomputeFollowUps(ids);
        await audit(tx, context, 'special.rule_set', category, principal.scopeCode, {
          effectiveFrom,
          rule: parsed.data,
          recomputed: ids.length,
        });
        return ids.length;
      });
      return { category, effectiveFrom, rule: parsed.data, recomputed };
    },
  };
}

export type SpecialPopulationsService = ReturnType<typeof specialPopulationsService>;
