import { useEffect, useState } from 'react';
import { client, ok } from '../api-client.ts';
import { handleError } from '../handle-error.ts';

type Department = Awaited<ReturnType<typeof fetchDepartments>>[number];

async function fetchDepartments() {
  return (await ok(client.api.departments.$get())).departments;
}

/** Read once per page: the county's departments do not change while it is open. */
let loading: Promise<Department[]> | null = null;
let loaded: Department[] | null = null;

/**
 * The county's departments (GET /api/departments), for the dispatch form and for naming the
 * departments a case was sent to; empty until they arrive. The list is the database's, so web
 * bundles none of the server's modules for it.
 */
export function useDepartments(): readonly Department[] {
  const [departments, setDepartments] = useState<readonly Department[]>(loaded ?? []);
  useEffect(() => {
    if (loaded) return;
    let current = true;
    loading ??= fetchDepartments().then((list) => {
      loaded = list;
      return list;
    });
    loading.then(
      (list) => {
        if (current) setDepartments(list);
      },
      (error: unknown) => {
        loading = null;
        if (current) handleError(error);
      },
    );
    return () => {
      current = false;
    };
  }, []);
  return departments;
}

/** Department names by code, for a timeline or a case's header; a code not (yet) known shows as itself. */
export function useDepartmentNames(): (code: string) => string {
  const departments = useDepartments();
  const names = new Map(departments.map((department) => [department.code, department.name]));
  return (code) => names.get(code) ?? code;
}
