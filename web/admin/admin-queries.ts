import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { AccountFilter, AuditFilter } from '../api-client.ts';
import { fetchAccounts, fetchAudit, fetchPermissions } from '../api-client.ts';
import { loadFailedTitle } from '../query-client.ts';

/**
 * The admin pages' reads (see web/query-client.ts for the pattern). No live event changes them:
 * an admin's own change invalidates `adminKeys.accounts()`.
 */
export const adminKeys = {
  permissions: () => ['admin', 'permissions'] as const,
  accounts: () => ['admin', 'accounts'] as const,
  accountList: (filter: AccountFilter) => ['admin', 'accounts', filter] as const,
  audit: (filter: AuditFilter, page: number, pageSize: number) => ['admin', 'audit', filter, page, pageSize] as const,
};

/** The permission table: the roles an admin may grant, and the permissions page. */
export const permissionsQuery = () =>
  queryOptions({
    queryKey: adminKeys.permissions(),
    queryFn: ({ signal }) => fetchPermissions(signal),
    staleTime: Number.POSITIVE_INFINITY,
    meta: { errorTitle: loadFailedTitle },
  });

export const accountsQuery = (filter: AccountFilter) =>
  queryOptions({
    queryKey: adminKeys.accountList(filter),
    queryFn: ({ signal }) => fetchAccounts(filter, signal),
    // A new filter keeps the rows shown until its own arrive, as a list does.
    placeholderData: keepPreviousData,
    meta: { errorTitle: loadFailedTitle },
  });

export const auditQuery = (filter: AuditFilter, page: number, pageSize: number) =>
  queryOptions({
    queryKey: adminKeys.audit(filter, page, pageSize),
    queryFn: ({ signal }) => fetchAudit(filter, page, pageSize, signal),
    placeholderData: keepPreviousData,
    meta: { errorTitle: loadFailedTitle },
  });
