import './visits.css';
import { useEffect, useState } from 'react';
import { labelOf } from '../../api/vocabulary/label.ts';
import { VISIT_OUTCOMES } from '../../api/vocabulary/special-populations.ts';
import { showNotice } from '../handle-error.ts';
import { fill } from '../i18n.ts';
import type { DuePeopleState } from './use-due-people.ts';
import { VisitForm } from './visit-form.tsx';
import { addVisit, useVisitOutbox, visitOutbox } from './visit-outbox.ts';
import { VisitPeople } from './visit-people.tsx';
import { useVisitStrings } from './visit-strings.ts';
import type { DuePerson } from './visits-api.ts';

/** The person whose form is open: `#visit/<person id>` in the URL, so a reload keeps it. */
function personInHash(): string | null {
  const match = /^#visit\/(.+)$/.exec(window.location.hash);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/** Opens a person's visit form from anywhere on the page (the home's card, the list). */
function openVisit(person: Pick<DuePerson, 'id'>): void {
  window.location.hash = `visit/${encodeURIComponent(person.id)}`;
}

/** On the page's home: how many are overdue or due soon, and the first few, each a tap from its form. */
export function VisitHome({ due, onAll }: { due: DuePeopleState; onAll: () => void }) {
  const { v } = useVisitStrings();
  const people = due.list?.people ?? [];
  const overdue = people.filter((person) => person.dueStatus === 'overdue').length;
  const soon = people.filter((person) => person.dueStatus === 'due_soon').length;
  return (
    <section className="fv-home" data-testid="visit-home">
      <header>
        <h2>{v.homeTitle}</h2>
        <span data-overdue={overdue > 0}>{fill(v.homeCounts, { overdue, soon })}</span>
      </header>
      <VisitPeople state={due} limit={3} onOpen={openVisit} />
      <button type="button" className="button fv-all" onClick={onAll} data-testid="visit-all">
        {v.homeAll}
      </button>
    </section>
  );
}

/** The visits waiting on the phone and those sent lately, with where each stands. */
function VisitOutboxList({ account }: { account: string }) {
  const { v, lang } = useVisitStrings();
  const items = useVisitOutbox().filter((item) => item.account === account);
  if (items.length === 0) return null;
  const waiting = items.filter((item) => item.state === 'waiting' || item.state === 'sending').length;
  const states = { waiting: v.stateWaiting, sending: v.stateSending, sent: v.stateSent, refused: v.stateRefused };
  return (
    <section className="fv-sent" data-testid="visit-outbox">
      <h3>
        {v.recent}
        {waiting > 0 && (
          <button type="button" className="button" onClick={() => visitOutbox.retryNow()}>
            {fill(v.pending, { n: waiting })} · {v.sendNow}
          </button>
        )}
      </h3>
      <ul>
        {items.slice(0, 10).map((item) => (
          <li key={item.clientId} data-state={item.state} data-testid="visit-outbox-item">
            <strong>{item.personName}</strong> · {labelOf(VISIT_OUTCOMES, lang, item.visit.outcome)}
            <span className="fp-state" data-state={item.state}>
              {states[item.state]}
            </span>
            {item.result?.distanceM != null && (
              <small> · {fill(v.distanceSent, { distance: Math.round(item.result.distanceM) })}</small>
            )}
            {item.error && item.state !== 'sent' && <small className="fv-error"> · {item.error}</small>}
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The visit tab: the people to visit, overdue first, or the form of the one tapped. */
export function VisitTab({ account, due }: { account: string; due: DuePeopleState }) {
  const { v } = useVisitStrings();
  const [personId, setPersonId] = useState(personInHash);
  useEffect(() => {
    const onHash = () => setPersonId(personInHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  const person = personId ? due.list?.people.find((candidate) => candidate.id === personId) : undefined;
  const backToList = () => {
    window.location.hash = 'visit';
  };
  if (person) {
    return (
      <VisitForm
        key={person.id}
        person={person}
        onCancel={backToList}
        onSubmit={async (visit, photo) => {
          await addVisit(account, person.name, visit, photo);
          showNotice(v.saved);
          due.refresh();
          backToList();
        }}
      />
    );
  }
  return (
    <div className="fv-tab">
      <h2 className="fv-title">{v.listTitle}</h2>
      <p className="fv-hint">{v.listHint}</p>
      <VisitOutboxList account={account} />
      <VisitPeople state={due} onOpen={openVisit} />
    </div>
  );
}
