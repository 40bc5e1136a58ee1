import { useSyncExternalStore } from 'react';

/**
 * Pages by path: `/` is the command view (its state in the hash, see url-state.ts), the admin
 * pages live under `/admin/`. The server answers every such path with the app shell. Paths,
 * not the hash, keep the admin pages apart from the map's `#map=…&area=…`.
 */

const ADMIN_SECTIONS = ['accounts', 'permissions', 'audit', 'time-limits', 'task-lines'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export type Route =
  | { page: 'map' }
  | { page: 'admin'; section: AdminSection | null }
  /** The phone page of grid workers and informants: report, outbox, my reports, alerts. */
  | { page: 'field' }
  /** Case list, or one case when `caseId` is set. */
  | { page: 'cases'; caseId: string | null }
  /** A day's patrol tracks played back (web/playback/). */
  | { page: 'playback' }
  /** The special-population registers and their follow-up rules (web/special/). */
  | { page: 'special' }
  /** Grid workers' certificates, trainings, surveys and commendations (web/workforce/). */
  | { page: 'workforce' }
  /** 考评: KPIs, rankings, map, trends and assessments of an area (web/review/). */
  | { page: 'review' }
  /** 条线任务: the tasks of the reader's scope, or the monitor of one when `taskId` is set (web/tasks/). */
  | { page: 'tasks'; taskId: string | null };

/** The admin pages in menu order, each with the action that shows it and the key of its title in the UI strings. */
export const ADMIN_PAGES: {
  section: AdminSection;
  action: string;
  label: 'accountsPage' | 'permissionsPage' | 'auditPage' | 'timeLimitsPage' | 'taskLinesPage';
}[] = [
  { section: 'accounts', action: 'accounts.view', label: 'accountsPage' },
  { section: 'permissions', action: 'permissions.view', label: 'permissionsPage' },
  { section: 'audit', action: 'audit.view', label: 'auditPage' },
  { section: 'time-limits', action: 'time-limits.manage', label: 'timeLimitsPage' },
  { section: 'task-lines', action: 'tasks.lines', label: 'taskLinesPage' },
];

export function adminPath(section: AdminSection): string {
  return `/admin/${section}`;
}

export function casePath(caseId?: string): string {
  return caseId ? `/cases/${encodeURIComponent(caseId)}` : '/cases';
}

export function taskPath(taskId?: string): string {
  return taskId ? `/tasks/${encodeURIComponent(taskId)}` : '/tasks';
}

export const FIELD_PATH = '/field';
export const PLAYBACK_PATH = '/playback';
export const SPECIAL_PATH = '/special';
export const WORKFORCE_PATH = '/workforce';
export const REVIEW_PATH = '/review';

function routeOf(pathname: string): Route {
  if (/^\/field\/?$/.test(pathname)) return { page: 'field' };
  if (/^\/playback\/?$/.test(pathname)) return { page: 'playback' };
  if (/^\/special\/?$/.test(pathname)) return { page: 'special' };
  if (/^\/workforce\/?$/.test(pathname)) return { page: 'workforce' };
  if (/^\/review\/?$/.test(pathname)) return { page: 'review' };
  const taskMatch = /^\/tasks(?:\/([^/]+))?\/?$/.exec(pathname);
  if (taskMatch) return { page: 'tasks', taskId: taskMatch[1] ? decodeURIComponent(taskMatch[1]) : null };
  const caseMatch = /^\/cases(?:\/([^/]+))?\/?$/.exec(pathname);
  if (caseMatch) return { page: 'cases', caseId: caseMatch[1] ? decodeURIComponent(caseMatch[1]) : null };
  const match = /^\/admin(?:\/([^/]*))?\/?$/.exec(pathname);
  if (!match) return { page: 'map' };
  const section = ADMIN_SECTIONS.find((name) => name === match[1]) ?? null;
  return { page: 'admin', section };
}

const NAVIGATE_EVENT = 'app:navigate';

let current: { path: string; route: Route } = { path: window.location.pathname, route: routeOf(window.location.pathname) };

function snapshot(): Route {
  if (current.path !== window.location.pathname) {
    current = { path: window.location.pathname, route: routeOf(window.location.pathname) };
  }
  return current.route;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATE_EVENT, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATE_EVENT, listener);
  };
}

/** The page the URL names; re-renders on navigation and on the browser's back and forward. */
export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot);
}

/** The map's hash when the user last left it, so "back to the map" returns to the same view and area. */
let lastMapHash = '';

/** Goes to `url` (a path, with a hash for the map) as a new history entry. */
export function navigate(url: string): void {
  if (routeOf(window.location.pathname).page === 'map') lastMapHash = window.location.hash;
  window.history.pushState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** The command view, as the user left it. */
export function mapUrl(): string {
  return `/${lastMapHash}`;
}

/** Replaces the whole URL without a history entry (back to where a user was after signing in again). */
export function replaceUrl(url: string): void {
  window.history.replaceState(null, '', url);
  window.dispatchEvent(new Event(NAVIGATE_EVENT));
}

/** The current location as a path with query and hash, to come back to later. */
export function currentUrl(): string {
  const { pathname, search, hash } = window.location;
  return `${pathname}${search}${hash}`;
}
