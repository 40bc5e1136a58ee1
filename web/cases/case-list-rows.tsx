import { AREA_LEVEL_LABELS } from '../../api/vocabulary/area-levels.ts';
import { CASE_STATE_LABELS } from '../../api/vocabulary/case-states.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { REPORT_TYPES, URGENCY_LABELS } from '../../api/vocabulary/report-types.ts';
import { formatDateTime } from '../i18n.ts';
import { lightCss } from '../map/case-markers.ts';
import { casePath, navigate } from '../routes.ts';
import { LIGHT_NAMES, useCaseStrings } from './case-strings.ts';
import type { CasePage } from './cases-api.ts';
import { isFlashing } from './open-cases.ts';

/** A page of the case list on a phone: one card a case, a tap opens it. `results` is null while the first page loads. */
export function CaseCards({ results, onOpen }: { results: CasePage | null; onOpen: (id: string) => void }) {
  const { lang, c } = useCaseStrings();
  return (
    <div className="case-cards-wrap">
      <ul className="case-cards" data-testid="case-cards">
        {results?.items.map((item) => (
          <li key={item.id}>
            <button
              type="button"
              className="case-card"
              data-case-id={item.id}
              data-flashing={isFlashing(item)}
              data-light={item.light}
              onClick={() => onOpen(item.id)}
            >
              <span className="case-card-head">
                <strong>{labelOf(REPORT_TYPES, lang, item.type)}</strong>
                {item.urgency === 'urgent' && <span className="urgent-tag">{URGENCY_LABELS.urgent[lang]}</span>}
                <span className="state-tag" data-state={item.state}>
                  {labelOf(CASE_STATE_LABELS, lang, item.state)}
                </span>
              </span>
              <span className="case-card-line mono">{item.caseNumber}</span>
              <span className="case-card-line">{[item.townshipName, item.villageName].filter(Boolean).join(' ')}</span>
              <span className="case-card-line">
                <span className="light-chip" style={{ background: lightCss(item.light) }}>
                  {labelOf(LIGHT_NAMES, lang, item.light)}
                </span>
                <span className="mono">
                  {c.dueAt} {item.dueAt ? formatDateTime(item.dueAt).slice(5, 16) : c.unknown}
                </span>
              </span>
            </button>
          </li>
        ))}
      </ul>
      {results?.items.length === 0 && <p className="empty-note">{c.noCases}</p>}
      {results === null && <p className="empty-note">…</p>}
    </div>
  );
}

/** A page of the case list on a desk: one row a case, a click (or Enter) opens it. `results` is null while the first page loads. */
export function CaseTable({ results }: { results: CasePage | null }) {
  const { lang, c } = useCaseStrings();
  return (
    <div className="table-scroll">
      <table className="data-table case-table" data-testid="case-table">
        <thead>
          <tr>
            <th scope="col">{c.light}</th>
            <th scope="col">{c.caseNumber}</th>
            <th scope="col">{c.type}</th>
            <th scope="col">{c.state}</th>
            <th scope="col">{c.place}</th>
            <th scope="col">{c.reportedAt}</th>
            <th scope="col">{c.dueAt}</th>
            <th scope="col">{c.assignedTo}</th>
            <th scope="col">{c.responsibleLevel}</th>
          </tr>
        </thead>
        <tbody>
          {results?.items.map((item) => (
            <tr
              key={item.id}
              className="case-row"
              data-case-id={item.id}
              data-flashing={isFlashing(item)}
              tabIndex={0}
              onClick={() => navigate(casePath(item.id))}
              onKeyDown={(event) => {
                if (event.key === 'Enter') navigate(casePath(item.id));
              }}
            >
              <td>
                <span className="light-chip" style={{ background: lightCss(item.light) }}>
                  {labelOf(LIGHT_NAMES, lang, item.light)}
                </span>
              </td>
              <td className="mono nowrap">
                <a
                  href={casePath(item.id)}
                  onClick={(event) => {
                    event.preventDefault();
                  }}
                >
                  {item.caseNumber}
                </a>
              </td>
              <td>
                {labelOf(REPORT_TYPES, lang, item.type)}
                {item.urgency === 'urgent' && <span className="urgent-tag">{URGENCY_LABELS.urgent[lang]}</span>}
                <small className="cell-code case-description-cell">{item.description}</small>
              </td>
              <td>
                <span className="state-tag" data-state={item.state}>
                  {labelOf(CASE_STATE_LABELS, lang, item.state)}
                </span>
              </td>
              <td>{[item.townshipName, item.villageName].filter(Boolean).join(' ')}</td>
              <td className="nowrap mono">{formatDateTime(item.reportedAt).slice(0, 16)}</td>
              <td className="nowrap mono">{item.dueAt ? formatDateTime(item.dueAt).slice(0, 16) : c.unknown}</td>
              <td>{item.assignedDepartmentName ?? (item.assignedTownshipCode ? item.townshipName : null) ?? c.unknown}</td>
              <td>{labelOf(AREA_LEVEL_LABELS, lang, item.responsibleLevel)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {results?.items.length === 0 && <p className="empty-note">{c.noCases}</p>}
      {results === null && <p className="empty-note">…</p>}
    </div>
  );
}
