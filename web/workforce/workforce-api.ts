import { queryOptions } from '@tanstack/react-query';
import type { InferRequestType, InferResponseType } from 'hono/client';
import { client, ok } from '../api-client.ts';
import { loadFailedTitle } from '../query-client.ts';

type WorkforceList = InferResponseType<typeof client.api.workforce.workers.$get, 200>;
export type GridWorker = WorkforceList['workers'][number];
export type CertificationRate = WorkforceList['townships'][number];
export type CredentialInput = InferRequestType<(typeof client.api.workforce.workers)[':id']['credential']['$put']>['json'];
export type TrainingInput = InferRequestType<(typeof client.api.workforce.workers)[':id']['trainings']['$post']>['json'];

/** The workforce of the reader's scope for a year. Each read is an audit row: read again only after a change, never on a timer. */
export const workforceQuery = (year: number) =>
  queryOptions({
    queryKey: ['workforce', 'workers', year] as const,
    queryFn: () => ok(client.api.workforce.workers.$get({ query: { year: String(year) } })),
    staleTime: Number.POSITIVE_INFINITY,
    meta: { errorTitle: loadFailedTitle },
  });

export const commendationsQuery = (year: number) =>
  queryOptions({
    queryKey: ['workforce', 'commendations', year] as const,
    queryFn: () => ok(client.api.workforce.commendations.$get({ query: { year: String(year) } })),
    meta: { errorTitle: loadFailedTitle },
  });

export const setCredential = (personId: string, input: CredentialInput) =>
  ok(client.api.workforce.workers[':id'].credential.$put({ param: { id: personId }, json: input }));

export const addTraining = (personId: string, input: TrainingInput) =>
  ok(client.api.workforce.workers[':id'].trainings.$post({ param: { id: personId }, json: input }));

export const commend = (year: number, top: number) =>
  ok(client.api.workforce.commendations[':year'].$post({ param: { year: String(year) }, json: { top } }));

/** The export's URL: a plain link, so the browser downloads it with the session cookie. */
export const exportUrl = (year: number) => `/api/workforce/export.xlsx?year=${year}`;
