import { keepPreviousData, queryOptions } from '@tanstack/react-query';
import type { InferRequestType, InferResponseType } from 'hono/client';
import type { TaskStatus } from '../../api/vocabulary/tasks.ts';
import { client, errorOf, ok } from '../api-client.ts';
import { loadFailedTitle } from '../query-client.ts';

type TaskRoutes = (typeof client.api.tasks)[':id'];

export type TaskLine = InferResponseType<(typeof client.api)['task-lines']['$get'], 200>['lines'][number];
export type NewTask = InferRequestType<typeof client.api.tasks.$post>['json'];
export type TaskTarget = InferResponseType<TaskRoutes['targets']['$get'], 200>['targets'][number];
export type Reach = InferResponseType<TaskRoutes['reach']['$get'], 200>;
export type TaskResults = InferResponseType<TaskRoutes['results']['$get'], 200>;
type LineChanges = InferRequestType<(typeof client.api)['task-lines'][':code']['$patch']>['json'];
type NewLine = InferRequestType<(typeof client.api)['task-lines']['$post']>['json'];

/** The list's filter: a line, a status, both optional (the API cuts the list to the reader's scope). */
export interface TaskFilter {
  line: string;
  status: TaskStatus | '';
}

/** Every task read sits under `['tasks']`; one task's reads under `['tasks', id]`, so a live event of a task refreshes them all. */
export const taskKeys = {
  all: ['tasks'] as const,
  lists: () => ['tasks', 'list'] as const,
  list: (filter: TaskFilter) => ['tasks', 'list', filter] as const,
  lines: () => ['task-lines'] as const,
  task: (id: string) => ['tasks', id] as const,
  detail: (id: string) => ['tasks', id, 'detail'] as const,
  targets: (id: string) => ['tasks', id, 'targets'] as const,
  reach: (id: string) => ['tasks', id, 'reach'] as const,
  reminders: (id: string) => ['tasks', id, 'reminders'] as const,
  results: (id: string) => ['tasks', id, 'results'] as const,
};

const query = (filter: TaskFilter) => ({
  ...(filter.line ? { line: filter.line } : {}),
  ...(filter.status ? { status: filter.status } : {}),
});

export const tasksQuery = (filter: TaskFilter) =>
  queryOptions({
    queryKey: taskKeys.list(filter),
    queryFn: () => ok(client.api.tasks.$get({ query: query(filter) })),
    placeholderData: keepPreviousData,
    meta: { errorTitle: loadFailedTitle },
  });

/** The lines and their departments: they change only on the admin page, so they are kept a while. */
export const taskLinesQuery = () =>
  queryOptions({
    queryKey: taskKeys.lines(),
    queryFn: () => ok(client.api['task-lines'].$get()),
    staleTime: 5 * 60_000,
    meta: { errorTitle: loadFailedTitle },
  });

export const taskQuery = (id: string) =>
  queryOptions({
    queryKey: taskKeys.detail(id),
    queryFn: () => ok(client.api.tasks[':id'].$get({ param: { id } })),
    meta: { errorTitle: loadFailedTitle },
  });

export const targetsQuery = (id: string) =>
  queryOptions({
    queryKey: taskKeys.targets(id),
    queryFn: () => ok(client.api.tasks[':id'].targets.$get({ param: { id }, query: {} })),
    meta: { errorTitle: loadFailedTitle },
  });

export const reachQuery = (id: string) =>
  queryOptions({
    queryKey: taskKeys.reach(id),
    queryFn: () => ok(client.api.tasks[':id'].reach.$get({ param: { id }, query: {} })),
    placeholderData: keepPreviousData,
    meta: { errorTitle: loadFailedTitle },
  });

export const remindersQuery = (id: string) =>
  queryOptions({
    queryKey: taskKeys.reminders(id),
    queryFn: () => ok(client.api.tasks[':id'].reminders.$get({ param: { id }, query: {} })),
    meta: { errorTitle: loadFailedTitle },
  });

/** The answers: each read is an audit row (households' addresses, responders' names), so it is read when shown, not before. */
export const resultsQuery = (id: string, enabled: boolean) =>
  queryOptions({
    queryKey: taskKeys.results(id),
    queryFn: () => ok(client.api.tasks[':id'].results.$get({ param: { id }, query: {} })),
    enabled,
    placeholderData: keepPreviousData,
    meta: { errorTitle: loadFailedTitle },
  });

/** Dispatches a task; the same `clientId` again (a double click, a retry) returns the first task. */
export async function dispatchTask(task: NewTask) {
  const response = await client.api.tasks.$post({ json: task });
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

export const remindLaggards = (id: string, clientId: string) =>
  ok(client.api.tasks[':id'].remind.$post({ param: { id }, json: { clientId } }));

export const closeTask = (id: string) => ok(client.api.tasks[':id'].close.$post({ param: { id } }));
export const cancelTask = (id: string) => ok(client.api.tasks[':id'].cancel.$post({ param: { id } }));

/** A practice task to the drill's scope, answered by simulated informants (drill mode only). */
export async function dispatchDrillTask(areaCode: string) {
  const response = await client.api.drill.tasks.$post({ json: { areaCode } });
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

export async function addLine(line: NewLine) {
  const response = await client.api['task-lines'].$post({ json: line });
  if (!response.ok) throw await errorOf(response);
  return response.json();
}

export const changeLine = (code: string, changes: LineChanges) =>
  ok(client.api['task-lines'][':code'].$patch({ param: { code }, json: changes }));

/** The export's URL: a plain link, so the browser downloads it with the session cookie. */
export function resultsExportUrl(id: string, format: 'xlsx' | 'csv'): string {
  return `/api/tasks/${encodeURIComponent(id)}/results.${format}`;
}
