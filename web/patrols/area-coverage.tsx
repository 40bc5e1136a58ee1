import './coverage.css';
import { useQuery } from '@tanstack/react-query';
import { fill, formatNumber } from '../i18n.ts';
import type { AreaCoverage as Coverage } from './coverage-api.ts';
import { areaCoverageQuery } from './coverage-queries.ts';
import { useCoverageStrings } from './coverage-strings.ts';

type CoverageRow = Coverage['area'];
const WINDOWS = ['day1', 'day7', 'day30'] as const;

/** Walked over all cells, with the share as a whole percentage under it: the numbers first, as leaders check them. */
function Share({ walked, cells }: { walked: number; cells: number }) {
  const { lang, c } = useCoverageStrings();
  return (
    <td className="coverage-share">
      <span className="coverage-fraction">{fill(c.share, { n: formatNumber(lang, walked), d: formatNumber(lang, cells) })}</span>
      <small>{cells > 0 ? `${Math.round((walked / cells) * 100)}%` : '—'}</small>
    </td>
  );
}

function Row({ row, self }: { row: CoverageRow; self: boolean }) {
  const { c } = useCoverageStrings();
  return (
    <tr data-self={self} data-code={row.code}>
      <td>{self ? c.thisArea : row.name}</td>
      {WINDOWS.map((window) => (
        <Share key={window} walked={row[window]} cells={row.cells} />
      ))}
    </tr>
  );
}

/** The area panel's patrol coverage: the selected area's and each child's cells patrolled in the last 1, 7 and 30 days. */
export function AreaCoverage({ code }: { code: string }) {
  const { c } = useCoverageStrings();
  const coverage = useQuery(areaCoverageQuery(code, true)).data;
  return (
    <section className="area-coverage" data-testid="area-coverage" data-state={coverage ? 'ready' : 'loading'}>
      <h3>{c.title}</h3>
      {!coverage ? (
        <p className="coverage-note">{c.loading}</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th scope="col">{c.area}</th>
                <th scope="col">{c.day1}</th>
                <th scope="col">{c.day7}</th>
                <th scope="col">{c.day30}</th>
              </tr>
            </thead>
            <tbody>
              <Row row={coverage.area} self={true} />
              {coverage.children.map((child) => (
                <Row key={child.code} row={child} self={false} />
              ))}
            </tbody>
          </table>
          <p className="coverage-note">
            {fill(c.cellsNote, { m: coverage.distanceM })} · {fill(c.asOf, { day: coverage.asOf })}
          </p>
        </>
      )}
    </section>
  );
}
