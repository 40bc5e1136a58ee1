import { labelOf } from '../../api/vocabulary/label.ts';
import { SPECIAL_CATEGORIES } from '../../api/vocabulary/special-populations.ts';
import { fill, formatDateTime } from '../i18n.ts';
import type { DuePeopleState } from './use-due-people.ts';
import { useVisitStrings } from './visit-strings.ts';
import type { DuePerson } from './visits-api.ts';

const DAY_MS = 86_400_000;

/** Whole days from `today` to `day` (both YYYY-MM-DD). */
const daysBetween = (today: string, day: string) => Math.round((Date.parse(day) - Date.parse(today)) / DAY_MS);

/** One person to visit: risk colour, name, category, where they stand against the due day. */
function PersonRow({ person, today, onOpen }: { person: DuePerson; today: string; onOpen: (person: DuePerson) => void }) {
  const { v, lang } = useVisitStrings();
  const days = person.nextDueOn ? daysBetween(today, person.nextDueOn) : null;
  const due =
    days === null
      ? v.nothingDue
      : days < 0
        ? fill(v.overdueBy, { n: -days })
        : days === 0
          ? v.dueToday
          : fill(v.dueIn, { n: days });
  return (
    <li>
      <button
        type="button"
        className="fv-person"
        data-risk={person.riskColour}
        data-due={person.dueStatus}
        onClick={() => onOpen(person)}
        data-testid="visit-person"
      >
        <span className="fv-risk" aria-hidden="true" />
        <span className="fv-person-main">
          <strong>{person.name}</strong>
          <small>
            {labelOf(SPECIAL_CATEGORIES, lang, person.category)}
            {person.address ? ` · ${person.address}` : ''}
          </small>
        </span>
        <span className="fv-due" data-due={person.dueStatus}>
          {due}
        </span>
      </button>
    </li>
  );
}

/** The people to visit, overdue first (the server's order), each a tap away from its form. */
export function VisitPeople({
  state,
  limit,
  onOpen,
}: {
  state: DuePeopleState;
  limit?: number;
  onOpen: (person: DuePerson) => void;
}) {
  const { v } = useVisitStrings();
  if (!state.list) return <p className="fp-empty">{state.failed ? v.loadFailed : '…'}</p>;
  const people = limit ? state.list.people.filter((person) => person.dueStatus !== 'none').slice(0, limit) : state.list.people;
  if (people.length === 0) return <p className="fp-empty">{v.homeNone}</p>;
  return (
    <>
      {state.copyOf !== null && (
        <p className="fv-offline-list" data-testid="visit-list-copy">
          {fill(v.offlineList, { time: formatDateTime(state.copyOf) })}
        </p>
      )}
      <ul className="fv-people" data-testid="visit-people">
        {people.map((person) => (
          <PersonRow key={person.id} person={person} today={state.list!.today} onOpen={onOpen} />
        ))}
      </ul>
    </>
  );
}
