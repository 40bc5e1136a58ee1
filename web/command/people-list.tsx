import { labelOf } from '../../api/vocabulary/label.ts';
import { ROLE_LABELS } from '../../api/vocabulary/roles.ts';
import type { AreaPerson } from '../api-client.ts';
import { useI18n } from '../i18n.ts';

/** Top of the chain of command first. */
const ROLE_ORDER = ['township_commander', 'grid_chief', 'grid_worker', 'cell_informant', 'department_cadre'];

function roleRank(role: string): number {
  const rank = ROLE_ORDER.indexOf(role);
  return rank === -1 ? ROLE_ORDER.length : rank;
}

/** The people responsible for the area, with a phone link each (one tap to call from a phone). */
export function PeopleList({ people, allowed }: { people: AreaPerson[]; allowed: boolean }) {
  const { lang, t } = useI18n();
  const sorted = [...people].sort((a, b) => roleRank(a.role) - roleRank(b.role) || a.name.localeCompare(b.name, 'zh-CN'));
  return (
    <section className="people" aria-labelledby="people-heading">
      <h3 id="people-heading">{t.peopleResponsible}</h3>
      {!allowed ? (
        <p className="muted" data-testid="people-not-allowed">
          {t.noPermissionForPeople}
        </p>
      ) : sorted.length === 0 ? (
        <p className="muted">{t.noPeople}</p>
      ) : (
        <ul>
          {sorted.map((person) => (
            <li key={person.id} className="person" data-role={person.role}>
              <div className="person-who">
                <span className="person-role">{labelOf(ROLE_LABELS, lang, person.role)}</span>
                <span className="person-name">{person.name}</span>
                {person.department && <span className="person-department">{person.department.name}</span>}
              </div>
              <a className="person-phone" href={`tel:${person.phone}`} aria-label={`${t.call} ${person.name} ${person.phone}`}>
                {person.phone}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
