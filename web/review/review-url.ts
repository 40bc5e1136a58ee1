import { useSyncExternalStore } from 'react';
import { isMonth, lastMonths, type Month } from './review-format.ts';

/**
 * The review's view lives in the URL hash, as the command view's does (web/url-state.ts), so that
 * a link can be shared and a reload restores it: `/review#area=511921108&from=2026-01&to=2026-12&kpi=closure&tab=areas`.
 * Drilling down is a history entry (the browser's back goes up again); the other choices replace it.
 */

export const REVIEW_TABS = ['areas', 'workers', 'departments'] as const;
export type ReviewTab = (typeof REVIEW_TABS)[number];

export interface ReviewState {
  /** The area reviewed; null for the account's scope. */
  area: string | null;
  from: Month;
  to: Month;
  /** The KPI the map colours the children by. */
  kpi: string;
  tab: ReviewTab;
}

const DEFAULT_KPI = 'on_time_closure';
const AREA_CODE = /^\d{6}(\d{3}){0,3}$/;

function readState(hash: string, now: Date): ReviewState {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const period = lastMonths(now);
  const from = params.get('from');
  const to = params.get('to');
  const area = params.get('area');
  const tab = params.get('tab');
  return {
    area: area && AREA_CODE.test(area) ? area : null,
    from: isMonth(from) ? from : period.from,
    to: isMonth(to) ? to : period.to,
    kpi: params.get('kpi') || DEFAULT_KPI,
    tab: REVIEW_TABS.find((name) => name === tab) ?? 'areas',
  };
}

/** The hash of a state; what equals the default is left out, so a plain `/review` stays plain. */
function reviewHash(state: ReviewState, now: Date): string {
  const period = lastMonths(now);
  const params = new URLSearchParams();
  if (state.area) params.set('area', state.area);
  if (state.from !== period.from || state.to !== period.to) {
    params.set('from', state.from);
    params.set('to', state.to);
  }
  if (state.kpi !== DEFAULT_KPI) params.set('kpi', state.kpi);
  if (state.tab !== 'areas') params.set('tab', state.tab);
  const text = params.toString();
  return text ? `#${text}` : '';
}

let cached: { hash: string; state: ReviewState } | null = null;

function snapshot(): ReviewState {
  const hash = window.location.hash;
  if (cached?.hash !== hash) cached = { hash, state: readState(hash, new Date()) };
  return cached.state;
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  window.addEventListener('popstate', listener);
  return () => {
    window.removeEventListener('hashchange', listener);
    window.removeEventListener('popstate', listener);
  };
}

/** The review's state from the URL, and a way to change it (`push` for a drill-down the back button undoes). */
export function useReviewState(): [ReviewState, (change: Partial<ReviewState>, push?: boolean) => void] {
  const state = useSyncExternalStore(subscribe, snapshot);
  const update = (change: Partial<ReviewState>, push = false) => {
    const next = { ...snapshot(), ...change };
    const url = `${window.location.pathname}${window.location.search}${reviewHash(next, new Date())}`;
    if (push) window.history.pushState(null, '', url);
    else window.history.replaceState(window.history.state, '', url);
    window.dispatchEvent(new PopStateEvent('popstate'));
  };
  return [state, update];
}
