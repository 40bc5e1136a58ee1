import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { labelOf } from '../../api/vocabulary/label.ts';
import {
  DUE_STATUS_CODES,
  DUE_STATUSES,
  RISK_COLOUR_CODES,
  RISK_COLOURS,
  SPECIAL_CATEGORIES,
  SPECIAL_CATEGORY_CODES,
  SUPERVISION_GRADES,
} from '../../api/vocabulary/special-populations.ts';
import { AppLink } from '../app-link.tsx';
import { useSession } from '../auth/session.ts';
import { AreaFilter } from '../cases/area-filter.tsx';
import { TopBar } from '../command/top-bar.tsx';
import { fill, formatDateTime } from '../i18n.ts';
import { mapUrl } from '../routes.ts';
import { EntryDrawer, RegisterDrawer } from './entry-drawer.tsx';
import { entriesQuery, exportUrl, type SpecialEntry, type SpecialFilter } from './register-api.ts';
import { useRegisterStrings } from './register-strings.ts';
import { RulesPanel } from './rules-panel.tsx';
import '../ui/desk.css';
import './register.css';

const PAGE_SIZE = 50;

/** The colour a due status is drawn in: overdue red, due soon yellow, on track blue. */
export const DUE_COLOURS = {
  overdue: RISK_COLOURS.red.hex,
  due_soon: RISK_COLOURS.yellow.hex,
  ok: RISK_COLOURS.blue.hex,
  none: 'var(--muted)',
} as const;

/** An entry's state as a rule reads it: the risk level, the grade, or nothing. */
export function stateText(entry: Pick<SpecialEntry, 'riskLevel' | 'supervisionGrade'>, lang: 'zh' | 'en', level: string): string {
  if (entry.riskLevel !== null) return fill(level, { n: entry.riskLevel });
  if (entry.supervisionGrade) return labelOf(SUPERVISION_GRADES, lang, entry.supervisionGrade);
  return '—';
}

/**
 * 重点人群登记: the register of the reader's area by due day, with filters (area, category, due
 * status, risk colour), due statuses in the risk colours, exports, a drawer with the entry's
 * history and visits and the forms that keep it (grid chiefs), and the follow-up rules (edited by
 * the county). Readers without personal access see the rules only.
 */
export function RegisterPage() {
  const { lang, s } = useRegisterStrings();
  const { me, can } = useSession();
  const personal = can('special.personal');
  const [area, setArea] = useState('');
  const [category, setCategory] = useState('');
  const [due, setDue] = useState('');
  const [risk, setRisk] = useState('');
  const [closed, setClosed] = useState(false);
  const [page, setPage] = useState(1);
  const [openId, setOpenId] = useState<string | null>(null);
  const [registering, setRegistering] = useState(false);

  const filter: SpecialFilter = {
    area: area || me.scopeCode,
    ...(category ? { category: category as SpecialFilter['category'] } : {}),
    ...(due ? { due: due as SpecialFilter['due'] } : {}),
    ...(risk ? { risk: risk as SpecialFilter['risk'] } : {}),
    ...(closed ? { closed: 'true' as const } : {}),
  };
  const list = useQuery(entriesQuery({ ...filter, page: String(page), pageSize: String(PAGE_SIZE) }, personal));
  const pages = Math.max(1, Math.ceil((list.data?.total ?? 0) / PAGE_SIZE));
  const refilter = (set: (value: string) => void) => (value: string) => {
    set(value);
    setPage(1);
  };

  return (
    <div className="special-view desk-view" data-testid="special-register">
      <TopBar synthetic>
        <nav className="special-nav desk-nav">
          <AppLink href={mapUrl()} className="button">
            {s.backToMap}
          </AppLink>
          <h2>{s.title}</h2>
        </nav>
      </TopBar>
      <main className="special-main">
        {personal && (
          <section className="special-list" aria-label={s.title}>
            <div className="special-filters">
              <AreaFilter value={area} onChange={refilter(setArea)} />
              <Choice
                label={s.category}
                value={category}
                onChange={refilter(setCategory)}
                codes={SPECIAL_CATEGORY_CODES}
                labels={SPECIAL_CATEGORIES}
              />
              <Choice label={s.due} value={due} onChange={refilter(setDue)} codes={DUE_STATUS_CODES} labels={DUE_STATUSES} />
              <Choice label={s.risk} value={risk} onChange={refilter(setRisk)} codes={RISK_COLOUR_CODES} labels={RISK_COLOURS} />
              <label className="special-closed">
                <input
                  type="checkbox"
                  checked={closed}
                  onChange={(event) => refilter((v) => setClosed(v === 'true'))(String(event.target.checked))}
                />
                {s.showClosed}
              </label>
              <div className="special-actions">
                <a className="button" href={exportUrl('csv', filter)} download data-testid="special-export-csv">
                  {s.exportCsv}
                </a>
                <a className="button" href={exportUrl('xlsx', filter)} download>
                  {s.exportXlsx}
                </a>
                {can('special.manage') && (
                  <button
                    type="button"
                    className="button primary"
                    onClick={() => setRegistering(true)}
                    data-testid="special-register-button"
                  >
                    {s.register}
                  </button>
                )}
              </div>
            </div>
            <p className="register-note">{s.audited}</p>
            {list.isPending ? (
              <p className="register-note">{s.loading}</p>
            ) : list.data && list.data.entries.length === 0 ? (
              <p className="register-note">{s.empty}</p>
            ) : (
              <table className="special-table" data-testid="special-table">
                <thead>
                  <tr>
                    <th>{s.due}</th>
                    <th>{s.name}</th>
                    <th>{s.category}</th>
                    <th>{s.state}</th>
                    <th>{s.idNumber}</th>
                    <th>{s.phone}</th>
                    <th>{s.address}</th>
                    <th>{s.lastVisit}</th>
                    <th>{s.nextDue}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data?.entries.map((entry) => (
                    <tr
                      key={entry.id}
                      onClick={() => setOpenId(entry.id)}
                      data-testid="special-row"
                      className={openId === entry.id ? 'open' : ''}
                    >
                      <td>
                        <span className="special-due" style={{ background: DUE_COLOURS[entry.dueStatus] }}>
                          {labelOf(DUE_STATUSES, lang, entry.dueStatus)}
                        </span>
                      </td>
                      <td>
                        <button type="button" className="special-name" onClick={() => setOpenId(entry.id)}>
                          <span
                            className="special-risk"
                            style={{ background: RISK_COLOURS[entry.riskColour].hex }}
                            title={labelOf(RISK_COLOURS, lang, entry.riskColour)}
                          />
                          {entry.name}
                        </button>
                      </td>
                      <td>{labelOf(SPECIAL_CATEGORIES, lang, entry.category)}</td>
                      <td>{stateText(entry, lang, s.level)}</td>
                      <td className="special-mono">{entry.idNumber ?? s.none}</td>
                      <td className="special-mono">{entry.phone ?? s.none}</td>
                      <td>
                        {entry.address ?? s.none}
                        <small className="special-grid">{entry.gridName}</small>
                      </td>
                      <td>{entry.lastVisitAt ? formatDateTime(entry.lastVisitAt) : s.none}</td>
                      <td>{entry.nextDueOn ?? s.none}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {list.data && (
              <div className="special-pager">
                <span>{fill(s.total, { n: list.data.total })}</span>
                <button type="button" className="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                  {s.previous}
                </button>
                <span>{fill(s.page, { page, pages })}</span>
                <button type="button" className="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                  {s.next}
                </button>
              </div>
            )}
          </section>
        )}
        <RulesPanel />
      </main>
      {openId && <EntryDrawer id={openId} onClose={() => setOpenId(null)} />}
      {registering && (
        <RegisterDrawer
          onClose={(id) => {
            setRegistering(false);
            if (id) setOpenId(id);
          }}
        />
      )}
    </div>
  );
}

function Choice<Code extends string>(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  codes: readonly Code[];
  labels: Record<Code, { zh: string; en: string }>;
}) {
  const { lang, s } = useRegisterStrings();
  return (
    <label className="field">
      <span>{props.label}</span>
      <select className="input" value={props.value} onChange={(event) => props.onChange(event.target.value)}>
        <option value="">{s.all}</option>
        {props.codes.map((code) => (
          <option key={code} value={code}>
            {props.labels[code][lang]}
          </option>
        ))}
      </select>
    </label>
  );
}
