import { useQuery } from '@tanstack/react-query';
import type { InferResponseType } from 'hono/client';
import type { client } from '../api-client.ts';
import { departmentsQuery } from './case-queries.ts';

type Department = InferResponseType<typeof client.api.departments.$get, 200>['departments'][number];

const NO_DEPARTMENTS: readonly Department[] = [];

/**
 * The county's departments (GET /api/departments), for the dispatch form and for naming the
 * departments a case was sent to; empty until they arrive. Read once per page (departmentsQuery).
 */
export function useDepartments(): readonly Department[] {
  return useQuery(departmentsQuery()).data ?? NO_DEPARTMENTS;
}

/** Department names by code, for a timeline or a case's header; a code not (yet) known shows as itself. */
export function useDepartmentNames(): (code: string) => string {
  const departments = useDepartments();
  const names = new Map(departments.map((department) => [department.code, department.name]));
  return (code) => names.get(code) ?? code;
}
