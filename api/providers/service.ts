import type { Feature, FeatureCollection, Point } from 'geojson';
import { isWithinScope } from '../../geo/area-codes.ts';
import type { Principal } from '../app-env.ts';
import { authRepository } from '../auth/repository.ts';
import type { RequestOrigin } from '../auth/service.ts';
import type { Database, Queryable } from '../db/client.ts';
import { AppError, badRequest, notFound } from '../errors.ts';
import { nextProviderCode } from '../vocabulary/providers.ts';
import { type ProviderFields, type ProviderRow, providersRepository } from './repository.ts';

/** What a manager sends to create a provider; the cell it lies in is looked up from its point. */
export type ProviderInput = Omit<ProviderFields, 'areaCode'>;

const providerNotFound = (code: string) =>
  notFound('provider_not_found', { zh: `没有编号为 ${code} 的服务主体`, en: `No service provider ${code}` }, { code });

const outsideScope = (details: unknown) =>
  new AppError(
    403,
    'provider_outside_scope',
    {
      zh: '服务主体的位置和服务区域须在您的管辖范围内',
      en: 'A provider’s place and the areas it serves must lie inside your scope',
    },
    details,
  );

/**
 * The service providers (多元主体: companies, clinics, NGOs, volunteer and arts teams): public facts
 * on the map, and rows of `departments` (kind 'provider') that cases are dispatched to. A manager
 * (providers.manage) creates and changes those whose place and service areas lie in their scope;
 * every change is in the audit log.
 */
export function providersService(owner: Database) {
  /** The checked fields: a point inside the county (its cell found) and service areas that exist, all in scope. */
  async function checkedFields(q: Queryable, principal: Principal, input: ProviderInput): Promise<ProviderFields> {
    const repository = providersRepository(q);
    const areaCode = await repository.cellAt(input.position);
    if (!areaCode) {
      throw badRequest('outside_county', {
        zh: '服务主体的位置不在本县范围内',
        en: 'The provider’s place lies outside the county',
      });
    }
    const serviceAreaCodes = [...new Set(input.serviceAreaCodes)];
    const known = await repository.knownAreas(serviceAreaCodes);
    const unknown = serviceAreaCodes.filter((code) => !known.has(code));
    if (unknown.length > 0) {
      throw badRequest(
        'unknown_area',
        { zh: `没有这个区域：${unknown.join('、')}`, en: `No area ${unknown.join(', ')}` },
        { unknown },
      );
    }
    const outside = [areaCode, ...serviceAreaCodes].filter((code) => !isWithinScope(code, principal.scopeCode));
    if (outside.length > 0) throw outsideScope({ outside });
    const services = [...new Set(input.services.map((service) => service.trim()).filter(Boolean))];
    return { ...input, name: input.name.trim(), services, serviceAreaCodes, areaCode };
  }

  async function audit(
    q: Queryable,
    principal: Principal,
    origin: RequestOrigin,
    action: string,
    provider: ProviderRow,
    details: unknown,
  ) {
    await authRepository(q).insertAudit({
      actorId: principal.accountId,
      actorUsername: principal.username,
      actorRole: principal.role,
      outcome: 'ok',
      action,
      targetType: 'service_provider',
      targetId: provider.code,
      scopeCode: provider.areaCode,
      ...origin,
      details,
    });
  }

  async function changed(
    principal: Principal,
    origin: RequestOrigin,
    code: string,
    change: (current: ProviderRow) => Partial<ProviderInput & { active: boolean }>,
  ) {
    return owner.transaction(async (tx) => {
      const repository = providersRepository(tx);
      const current = await repository.find(code, { lock: true });
      if (!current) throw providerNotFound(code);
      if (!isWithinScope(current.areaCode, principal.scopeCode)) throw outsideScope({ code });
      const wanted = change(current);
      const { active = current.active, ...rest } = wanted;
      const fields = await checkedFields(tx, principal, { ...current, ...rest });
      await repository.update(code, { ...fields, active });
      const updated = (await repository.find(code))!;
      await audit(tx, principal, origin, active ? 'providers.update' : 'providers.deactivate', updated, { changes: wanted });
      return updated;
    });
  }

  return {
    list: (scoped: Queryable) => providersRepository(scoped).list(),

    /** The active providers as GeoJSON points for the map, with what they offer and where they serve. */
    async features(scoped: Queryable): Promise<FeatureCollection<Point>> {
      const providers = (await providersRepository(scoped).list()).filter((provider) => provider.active);
      return {
        type: 'FeatureCollection',
        features: providers.map(
          ({ position, ...properties }): Feature<Point> => ({
            type: 'Feature',
            id: properties.code,
            geometry: { type: 'Point', coordinates: position },
            properties,
          }),
        ),
      };
    },

    /** A new provider, under the next free code (P001, ...), as a department of kind 'provider' too: one transaction. */
    async create(principal: Principal, origin: RequestOrigin, input: ProviderInput): Promise<ProviderRow> {
      return owner.transaction(async (tx) => {
        const repository = providersRepository(tx);
        const fields = await checkedFields(tx, principal, input);
        const code = nextProviderCode(await repository.takenCodes());
        await repository.insert(code, fields);
        const created = (await repository.find(code))!;
        await audit(tx, principal, origin, 'providers.create', created, { name: created.name, category: created.category });
        return created;
      });
    },

    update: (principal: Principal, origin: RequestOrigin, code: string, input: Partial<ProviderInput & { active: boolean }>) =>
      changed(principal, origin, code, () => input),

    /** No longer offered to dispatch; the cases it had keep its name. */
    deactivate: (principal: Principal, origin: RequestOrigin, code: string) =>
      changed(principal, origin, code, () => ({ active: false })),
  };
}

export type ProvidersService = ReturnType<typeof providersService>;
