import { useEffect, useState } from 'react';
import { AppLink } from '../app-link.tsx';
import { useSession } from '../auth/session.ts';
import { TopBar } from '../command/top-bar.tsx';
import { fill, formatDateTime } from '../i18n.ts';
import { mapUrl } from '../routes.ts';
import { AreaReviewTab } from './area-review.tsx';
import { DepartmentsTab, WorkersTab } from './assessment-tabs.tsx';
import { ReviewBreadcrumb, useAreaName } from './review-breadcrumb.tsx';
import { isMonth, lastMonths, monthLabel } from './review-format.ts';
import { useReviewStrings } from './review-strings.ts';
import { useReviewTheme } from './review-theme.ts';
import { REVIEW_TABS, type ReviewTab, useReviewState } from './review-url.ts';
import '../ui/desk.css';
import './review.css';
import './review-print.css';

/**
 * 考评: the review of an area (the account's scope, or any area below it) over a period of whole
 * months: KPI cards with their formulas and grades, the children ranked and on a choropleth (both
 * drill down), trends, the urban core against the rural townships, and the grid workers' and
 * departments' assessment; every table exports to XLSX, and the page prints as the area's review.
 * A desk page, light or dark (remembered); its state lives in the URL (review-url.ts).
 */
export function ReviewPage() {
  const { s, lang } = useReviewStrings();
  const { me } = useSession();
  const [state, setState] = useReviewState();
  const [theme, toggleTheme] = useReviewTheme();
  const code = state.area?.startsWith(me.scopeCode) ? state.area : me.scopeCode;
  const areaName = useAreaName(code);
  // A period that runs backwards is read as its last month.
  const period = state.from <= state.to ? { from: state.from, to: state.to } : { from: state.to, to: state.to };
  const [printedAt, setPrintedAt] = useState(() => new Date().toISOString());

  useEffect(() => {
    const stamp = () => setPrintedAt(new Date().toISOString());
    window.addEventListener('beforeprint', stamp);
    return () => window.removeEventListener('beforeprint', stamp);
  }, []);

  const tabLabel: Record<ReviewTab, string> = { areas: s.tabAreas, workers: s.tabWorkers, departments: s.tabDepartments };
  const periodText = fill(s.periodText, { from: monthLabel(period.from, lang), to: monthLabel(period.to, lang) });

  return (
    <div className="review-view desk-view" data-theme={theme} data-testid="review-page">
      <TopBar synthetic>
        <nav className="review-nav desk-nav review-controls">
          <AppLink href={mapUrl()} className="button">
            {s.backToMap}
          </AppLink>
          <h2>{s.title}</h2>
        </nav>
      </TopBar>
      <main className="review-main desk-main">
        <header className="review-print-header">
          <h1>
            {areaName} · {s.title}
          </h1>
          <p>
            {periodText} · {fill(s.printedAt, { at: formatDateTime(printedAt) })}
          </p>
        </header>
        <div className="review-toolbar review-controls">
          <ReviewBreadcrumb scopeCode={me.scopeCode} code={code} onNavigate={(area) => setState({ area }, true)} />
          <div className="review-period">
            <label className="review-inline-field">
              <span>{s.from}</span>
              <input
                type="month"
                className="input"
                value={state.from}
                max={state.to}
                onChange={(event) => isMonth(event.target.value) && setState({ from: event.target.value })}
                data-testid="review-from"
              />
            </label>
            <label className="review-inline-field">
              <span>{s.to}</span>
              <input
                type="month"
                className="input"
                value={state.to}
                min={state.from}
                onChange={(event) => isMonth(event.target.value) && setState({ to: event.target.value })}
                data-testid="review-to"
              />
            </label>
            <button type="button" className="button small" onClick={() => setState(lastMonths(new Date()))}>
              {s.lastYear}
            </button>
          </div>
          <div className="review-actions">
            <button
              type="button"
              className="button small"
              onClick={toggleTheme}
              aria-label={s.themeSwitch}
              data-testid="review-theme"
            >
              {theme === 'light' ? s.themeDark : s.themeLight}
            </button>
            <button type="button" className="button small primary" onClick={() => window.print()} data-testid="review-print">
              {s.print}
            </button>
          </div>
        </div>
        <div className="review-tabs review-controls" role="tablist">
          {REVIEW_TABS.map((tab) => (
            <button
              key={tab}
              type="button"
              role="tab"
              aria-selected={state.tab === tab}
              className={state.tab === tab ? 'review-tab active' : 'review-tab'}
              onClick={() => setState({ tab })}
              data-testid={`review-tab-${tab}`}
            >
              {tabLabel[tab]}
            </button>
          ))}
        </div>
        {state.tab === 'areas' && <AreaReviewTab code={code} state={{ ...state, ...period }} theme={theme} onState={setState} />}
        {state.tab === 'workers' && <WorkersTab code={code} period={period} />}
        {state.tab === 'departments' && <DepartmentsTab code={code} period={period} />}
      </main>
    </div>
  );
}
