// The field page's stylesheets, in cascade order (a later one overrides an earlier one of equal specificity).
import './field-page.css';
import './place-picker.css';
import './report-form.css';
import './field-lists.css';
import './field-desk.css';
import type { ReactNode } from 'react';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { AppLink } from '../app-link.tsx';
import { useSession } from '../auth/session.ts';
import { UserMenu } from '../auth/user-menu.tsx';
import { handleError, showNotice } from '../handle-error.ts';
import { fill } from '../i18n.ts';
import { useLiveInvalidation } from '../live/live-invalidation.ts';
import { useLiveConnection } from '../live/live-stream.ts';
import { registerServiceWorker } from '../offline/app-updates.ts';
import { patrolRunning } from '../patrols/patrol-running.ts';
import { PATROL_TAB_LABEL } from '../patrols/patrol-strings.ts';
import { mapUrl } from '../routes.ts';
import { drafts } from './drafts.ts';
import { sendReport } from './field-api.ts';
import { fieldLiveInvalidations } from './field-queries.ts';
import { useFieldStrings } from './field-strings.ts';
import { alertPlace, MyAlerts, useMyAlerts } from './my-alerts.tsx';
import { MyReports, useMyReports } from './my-reports.tsx';
import { MyWorkTab } from './my-work.tsx';
import { useMyWorkStrings } from './my-work-strings.ts';
import { OutboxList, typeLabel } from './outbox-list.tsx';
import { ratingOutbox } from './rating-outbox.ts';
import { EMPTY_DRAFT, isEmptyDraft } from './report-draft.ts';
import { ReportForm } from './report-form.tsx';
import { SurveyTab, surveyTabLabel, useSurveySending } from './survey-tab.tsx';
import { TASK_STRINGS } from './task-strings.ts';
import { TasksTab } from './tasks-tab.tsx';
import { useDraft } from './use-draft.ts';
import { useDuePeople } from './use-due-people.ts';
import { useMyWork } from './use-my-work.ts';
import { useOnline } from './use-online.ts';
import { outbox, useOutbox } from './use-outbox.ts';
import { useTaskInbox } from './use-task-inbox.ts';
import { visitOutbox } from './visit-outbox.ts';
import { useVisitStrings } from './visit-strings.ts';
import { VisitHome, VisitTab } from './visit-tab.tsx';

const TABS = ['report', 'tasks', 'visit', 'patrol', 'work', 'survey', 'outbox', 'mine', 'alerts'] as const;
/** The patrol tab and its recorder load only when a patrol runs or the tab opens (web/patrols/). */
const PatrolTab = lazy(() => import('../patrols/patrol-tab.tsx'));
const loadRecorder = () => import('../patrols/patrol-recorder.ts').then((module) => module.patrolRecorder);
type Tab = (typeof TABS)[number];

/** The tab in the URL's hash (`/field#outbox`, `/field#work/<case id>`), so a reload or a shared link keeps it. */
function tabInHash(): Tab {
  const hash = window.location.hash;
  return TABS.find((tab) => hash === `#${tab}` || hash.startsWith(`#${tab}/`)) ?? 'report';
}

function useTab(): [Tab, (tab: Tab) => void] {
  const [tab, setTab] = useState<Tab>(tabInHash);
  useEffect(() => {
    const onHash = () => setTab(tabInHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const choose = useCallback((next: Tab) => {
    window.history.replaceState(null, '', next === 'report' ? window.location.pathname : `#${next}`);
    // replaceState fires no hashchange: a tab that keeps a view in the hash (a case open on the
    // work tab) hears it this way, and a tap on its tab brings back its list.
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    setTab(next);
    document.querySelector('.field-page')?.scrollTo({ top: 0 });
  }, []);
  return [tab, choose];
}

/**
 * The phone page of grid workers and informants: report a hazard (to the on-device outbox first,
 * then to the server), follow the outbox, one's own reports and their progress, and acknowledge
 * the alerts addressed to one. Light, large targets, usable in sunlight; works offline once loaded.
 */
export function FieldView() {
  const { me, can } = useSession();
  const { f, t, lang } = useFieldStrings();
  const canReport = can('reports.create');
  const canAlerts = can('alerts.acknowledge');
  // Those a case can be dispatched to (grid people, township commanders, department cadres) have work.
  const canWork = can('cases.handle') && me.workStates.length > 0;
  const canPatrol = can('patrols.record');
  // Grid workers and chiefs visit the people of the registers in their scope (issue 17).
  const canVisit = can('special.visit') && can('special.personal');
  const canSurvey = can('surveys.record');
  // Informants, grid workers and grid chiefs receive tasks and the escalations of silent cells (issue 19).
  const canTasks = can('tasks.respond');
  const { w } = useMyWorkStrings();
  const { v } = useVisitStrings();
  const online = useOnline();
  const live = useLiveConnection();
  const [tab, setTab] = useTab();
  const { items } = useOutbox();
  const [draft, changeDraft, replaceDraft] = useDraft(me.username);
  const [lastSubmitted, setLastSubmitted] = useState<string | null>(null);

  useEffect(() => {
    document.title = `${f.pageTitle} · ${t.appTitleShort}`;
    return () => {
      document.title = t.appTitle;
    };
  }, [f.pageTitle, t]);

  useEffect(() => {
    if (!canReport) return;
    return outbox.start(me.username, sendReport);
  }, [canReport, me.username]);
  useEffect(() => (canVisit ? visitOutbox.start(me.username) : undefined), [canVisit, me.username]);
  useSurveySending(me.username, canSurvey);
  useEffect(() => (canReport ? ratingOutbox.start(me.username) : undefined), [canReport, me.username]);
  const inbox = useTaskInbox(me.username, canTasks);
  const due = useDuePeople(me.username, canVisit);
  const overdueCount = due.list?.people.filter((person) => person.dueStatus === 'overdue').length ?? 0;

  // A patrol recording when the page was closed or reloaded goes on at once, whichever tab opens.
  const patrolWanted = canPatrol && (tab === 'patrol' || patrolRunning(me.username));
  useEffect(() => {
    if (!patrolWanted) return;
    let recorder: Awaited<ReturnType<typeof loadRecorder>> | null = null;
    let cancelled = false;
    loadRecorder()
      .then(async (loaded) => {
        if (cancelled) return;
        recorder = loaded;
        await loaded.open(me.username);
      })
      .catch(handleError);
    return () => {
      cancelled = true;
      recorder?.close();
    };
  }, [patrolWanted, me.username]);

  // This page works offline: it installs the service worker that keeps it (web/offline/).
  useEffect(() => registerServiceWorker(), []);

  const mine = items.filter((item) => item.account === me.username);
  const sentCount = mine.filter((item) => item.state === 'sent').length;
  const pendingCount = mine.filter((item) => item.state !== 'sent').length;
  const reports = useMyReports(canReport, sentCount);
  const alerts = useMyAlerts(canAlerts);
  const work = useMyWork(canWork);
  const liveTable = useMemo(() => fieldLiveInvalidations(me.workStates), [me.workStates]);
  useLiveInvalidation(liveTable, canReport || canAlerts || canWork);
  const workCount = work.items?.length ?? 0;
  const freshWork = work.items?.filter((item) => work.fresh.has(item.id)) ?? [];
  const openAlerts = alerts.alerts?.filter((alert) => !alert.acknowledged) ?? [];
  const latest = lastSubmitted ? mine.find((item) => item.clientId === lastSubmitted) : undefined;

  const submit = async () => {
    if (!draft?.place || !draft.type) return;
    const item = await outbox.add(me.username, {
      type: draft.type,
      urgency: draft.urgency,
      description: draft.description.trim(),
      place: draft.place,
      photos: draft.photos,
    });
    replaceDraft(EMPTY_DRAFT);
    setLastSubmitted(item.clientId);
    // A hazard reported on patrol is linked to it once both have reached the server.
    if (canPatrol && patrolRunning(me.username)) {
      loadRecorder()
        .then((recorder) => recorder.noteReport(item.clientId))
        .catch(handleError);
    }
    showNotice(f.savedToOutbox);
    document.querySelector('.field-page')?.scrollTo({ top: 0 });
  };

  let content: ReactNode;
  if (!canReport) {
    content = <p className="fp-empty">{f.notAllowed}</p>;
  } else if (tab === 'outbox') {
    content = (
      <OutboxList
        items={items}
        account={me.username}
        online={online}
        onTakeBack={(restored) => {
          replaceDraft(restored);
          // Stored as a draft again at once: it is no longer in the outbox.
          drafts.save(me.username, restored, Date.now()).catch(handleError);
          setTab('report');
        }}
      />
    );
  } else if (tab === 'tasks' && canTasks) {
    content = <TasksTab state={inbox} />;
  } else if (tab === 'visit' && canVisit) {
    content = <VisitTab account={me.username} due={due} />;
  } else if (tab === 'patrol' && canPatrol) {
    content = (
      <Suspense fallback={<p className="fp-empty">{t.loading}</p>}>
        <PatrolTab />
      </Suspense>
    );
  } else if (tab === 'work' && canWork) {
    content = <MyWorkTab state={work} />;
  } else if (tab === 'survey' && canSurvey) {
    content = <SurveyTab account={me.username} />;
  } else if (tab === 'mine') {
    content = <MyReports state={reports} />;
  } else if (tab === 'alerts' && canAlerts) {
    content = <MyAlerts state={alerts} />;
  } else if (draft === null) {
    content = <p className="fp-empty">{t.loading}</p>;
  } else {
    content = (
      <>
        {latest && (
          <button
            type="button"
            className="fp-latest"
            data-state={latest.state}
            onClick={() => setTab('outbox')}
            data-testid="latest-submitted"
          >
            <span>{typeLabel(latest.report.type, lang)}</span>
            <strong className="fp-latest-state" data-testid="latest-state">
              {latest.state === 'sent' && latest.result
                ? `${f.stateSent} · ${latest.result.caseNumber}`
                : { waiting: f.stateWaiting, sending: f.stateSending, sent: f.stateSent, refused: f.stateRefused }[latest.state]}
            </strong>
          </button>
        )}
        {canVisit && <VisitHome due={due} onAll={() => setTab('visit')} />}
        <ReportForm draft={draft} onDraft={changeDraft} onSubmit={submit} online={online} />
        <div className="fp-form-footer">
          <button type="button" className="button" onClick={() => replaceDraft(EMPTY_DRAFT)} disabled={isEmptyDraft(draft)}>
            {f.clearForm}
          </button>
        </div>
      </>
    );
  }

  const tabs: { tab: Tab; label: string; badge: number; hidden?: boolean }[] = [
    { tab: 'report', label: f.tabReport, badge: 0 },
    { tab: 'tasks', label: TASK_STRINGS[lang].tab, badge: inbox.openCount, hidden: !canTasks },
    { tab: 'visit', label: v.tabVisit, badge: overdueCount, hidden: !canVisit },
    { tab: 'patrol', label: PATROL_TAB_LABEL[lang], badge: 0, hidden: !canPatrol },
    { tab: 'work', label: w.tabWork, badge: workCount, hidden: !canWork },
    { tab: 'survey', label: surveyTabLabel(lang), badge: 0, hidden: !canSurvey },
    { tab: 'outbox', label: f.tabOutbox, badge: pendingCount },
    { tab: 'mine', label: f.tabMine, badge: 0 },
    { tab: 'alerts', label: f.tabAlerts, badge: openAlerts.length, hidden: !canAlerts },
  ];

  return (
    <main className="field-page" data-online={online}>
      <header className="fp-header">
        <AppLink href={mapUrl()} className="fp-back" data-testid="back-to-map">
          <span aria-hidden="true">‹ </span>
          {f.backToMap}
        </AppLink>
        <h1>{f.pageTitle}</h1>
        <span
          className="fp-network"
          data-online={online}
          data-live={live}
          data-testid="network-state"
          title={online && live === 'reconnecting' ? f.liveReconnecting : undefined}
        >
          {online ? f.online : f.offline}
        </span>
        <UserMenu showMapLink />
      </header>
      {openAlerts.length > 0 && tab !== 'alerts' && (
        <button type="button" className="fp-alert-banner" onClick={() => setTab('alerts')} data-testid="alert-banner">
          <strong>⚠ {f.alertNew}</strong>
          <span>
            {fill(f.alertBanner, {
              type: openAlerts[0]?.case ? typeLabel(openAlerts[0].case.type, lang) : '',
              place: openAlerts[0] ? alertPlace(openAlerts[0]) : '',
            })}
            {openAlerts.length > 1 && ` +${openAlerts.length - 1}`}
          </span>
        </button>
      )}
      {freshWork.length > 0 && tab !== 'work' && (
        <button type="button" className="fp-work-banner" onClick={() => setTab('work')} data-testid="work-banner">
          <strong>{fill(w.newWorkMore, { n: freshWork.length })}</strong>
          <span>
            {freshWork[0]?.caseNumber} · {typeLabel(freshWork[0]?.type ?? '', lang)}
          </span>
        </button>
      )}
      <div className="fp-content">{content}</div>
      {canReport && (
        <nav className="fp-tabs" aria-label={f.pageTitle}>
          {tabs
            .filter((entry) => !entry.hidden)
            .map((entry) => (
              <button
                key={entry.tab}
                type="button"
                aria-current={tab === entry.tab ? 'page' : undefined}
                onClick={() => setTab(entry.tab)}
                data-testid={`tab-${entry.tab}`}
              >
                {entry.label}
                {entry.badge > 0 && (
                  <span className="fp-badge" data-tab={entry.tab}>
                    {entry.badge}
                  </span>
                )}
              </button>
            ))}
        </nav>
      )}
    </main>
  );
}
