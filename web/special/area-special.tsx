import './special.css';
import { useQuery } from '@tanstack/react-query';
import { areaChildrenQuery } from '../areas/area-queries.ts';
import { fill, formatNumber } from '../i18n.ts';
import { specialSummaryQuery } from './special-api.ts';
import { useSpecialStrings } from './special-strings.ts';

/**
 * The area panel's special-population figures (issue 17): per child area, the entries registered,
 * overdue and due within 7 days, from /api/special/summary. Exact for a reader with personal
 * access (the read is audited); for the others a child of fewer than 5 people shows "<5" and the
 * sums hold only the children shown, as the server cut them.
 */
export function AreaSpecial({ code }: { code: string }) {
  const { lang, s } = useSpecialStrings();
  const summary = useQuery(specialSummaryQuery(code)).data;
  const children = useQuery(areaChildrenQuery(code)).data;
  const nameOf = new Map((children ?? []).map((child) => [child.code, child.name]));
  const figure = (value: number | null) => (value === null ? s.fewerThan : formatNumber(lang, value));
  return (
    <section className="area-special" data-testid="area-special" data-state={summary ? 'ready' : 'loading'}>
      <h3>{s.panelTitle}</h3>
      {!summary ? (
        <p className="area-special-note">{s.loading}</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">{s.panelArea}</th>
                <th scope="col">{s.registered}</th>
                <th scope="col">{s.panelOverdue}</th>
                <th scope="col">{s.dueSoon}</th>
              </tr>
            </thead>
            <tbody>
              <tr data-self="true">
                <td>{s.thisArea}</td>
                <td>{formatNumber(lang, summary.shownSums.registered)}</td>
                <td data-overdue={summary.shownSums.overdue > 0}>{formatNumber(lang, summary.shownSums.overdue)}</td>
                <td>{formatNumber(lang, summary.shownSums.dueSoon)}</td>
              </tr>
              {summary.children.map((child) => (
                <tr key={child.code} data-code={child.code}>
                  <td>{nameOf.get(child.code) ?? child.code}</td>
                  <td>{figure(child.registered)}</td>
                  <td data-overdue={(child.overdue ?? 0) > 0}>{figure(child.overdue)}</td>
                  <td>{figure(child.dueSoon)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="area-special-note">{fill(summary.exact ? s.panelExact : s.panelAggregate, { day: summary.asOf })}</p>
        </>
      )}
    </section>
  );
}
