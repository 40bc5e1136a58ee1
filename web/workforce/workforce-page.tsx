import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { labelOf } from '../../api/vocabulary/label.ts';
import { CERTIFICATES, EXAM_STATUSES } from '../../api/vocabulary/workforce.ts';
import { AppLink } from '../app-link.tsx';
import { useSession } from '../auth/session.ts';
import { TopBar } from '../command/top-bar.tsx';
import { handleError, showNotice } from '../handle-error.ts';
import { fill } from '../i18n.ts';
import { mapUrl } from '../routes.ts';
import { WorkerDrawer } from './worker-drawer.tsx';
import { type CertificationRate, commend, commendationsQuery, exportUrl, workforceQuery } from './workforce-api.ts';
import { useWorkforceStrings } from './workforce-strings.ts';
import '../ui/desk.css';
import './workforce.css';

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
const thisYear = () => new Date(Date.now() + 8 * 3_600_000).getUTCFullYear();

/**
 * 网格员队伍: the grid workers of the reader's scope with their social-work certificate, exam,
 * the year's training hours and residents' satisfaction, the certification rate per township
 * (best first), an edit drawer (review.people) and the year's commendations.
 */
export function WorkforcePage() {
  const { lang, s } = useWorkforceStrings();
  const { can } = useSession();
  const [year, setYear] = useState(thisYear);
  const [openId, setOpenId] = useState<string | null>(null);
  const list = useQuery(workforceQuery(year));
  const workers = list.data?.workers ?? [];
  const open = workers.find((worker) => worker.personId === openId) ?? null;
  const certified = workers.filter((worker) => worker.certificate !== 'none').length;
  const years = Array.from({ length: 5 }, (_, index) => thisYear() - index);

  return (
    <div className="workforce-view desk-view" data-testid="workforce-page">
      <TopBar synthetic>
        <nav className="workforce-nav desk-nav">
          <AppLink href={mapUrl()} className="button">
            {s.backToMap}
          </AppLink>
          <h2>{s.title}</h2>
          <label className="field workforce-year">
            <span>{s.year}</span>
            <select value={year} onChange={(event) => setYear(Number(event.target.value))} data-testid="workforce-year">
              {years.map((each) => (
                <option key={each} value={each}>
                  {each}
                </option>
              ))}
            </select>
          </label>
          {can('review.export') && (
            <a className="button" href={exportUrl(year)} download data-testid="workforce-export">
              {s.exportXlsx}
            </a>
          )}
        </nav>
      </TopBar>
      <main className="workforce-main">
        <section className="workforce-list" aria-label={s.title}>
          <p className="workforce-note">
            {list.data ? `${fill(s.total, { n: workers.length, c: certified })} · ` : ''}
            {s.audited}
          </p>
          {list.isPending ? (
            <p className="workforce-note">{s.loading}</p>
          ) : workers.length === 0 ? (
            <p className="workforce-note">{s.empty}</p>
          ) : (
            <table className="workforce-table" data-testid="workforce-table">
              <thead>
                <tr>
                  <th>{s.township}</th>
                  <th>{s.village}</th>
                  <th>{s.grid}</th>
                  <th>{s.name}</th>
                  <th>{s.phone}</th>
                  <th>{s.certificate}</th>
                  <th>{s.exam}</th>
                  <th className="number">{s.hours}</th>
                  <th className="number">{s.survey}</th>
                  {can('review.people') && <th />}
                </tr>
              </thead>
              <tbody>
                {workers.map((worker) => (
                  <tr key={worker.personId} className={openId === worker.personId ? 'open' : ''} data-testid="workforce-row">
                    <td>{worker.townshipName}</td>
                    <td>{worker.villageName}</td>
                    <td>{worker.gridName ?? worker.gridCode}</td>
                    <td>{worker.name}</td>
                    <td className="mono">{worker.phone}</td>
                    <td>
                      <span className={`workforce-badge ${worker.certificate === 'none' ? 'none' : 'held'}`}>
                        {labelOf(CERTIFICATES, lang, worker.certificate)}
                      </span>
                    </td>
                    <td>
                      {labelOf(EXAM_STATUSES, lang, worker.examStatus)}
                      {worker.examYear ? <small> {worker.examYear}</small> : null}
                    </td>
                    <td className="number">{worker.trainingHours}</td>
                    <td className="number" title={fill(s.surveys, { n: worker.surveys })}>
                      {worker.surveyMean === null ? '—' : worker.surveyMean.toFixed(2)}
                      <small> ({worker.surveys})</small>
                    </td>
                    {can('review.people') && (
                      <td>
                        <button
                          type="button"
                          className="button"
                          onClick={() => setOpenId(worker.personId)}
                          data-testid="workforce-edit"
                        >
                          {s.edit}
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
        <aside className="workforce-side">
          <RatesTable rates={list.data?.townships ?? []} />
          <Commendations year={year} />
        </aside>
      </main>
      {open && <WorkerDrawer key={open.personId} worker={open} onClose={() => setOpenId(null)} />}
    </div>
  );
}

function RatesTable({ rates }: { rates: readonly CertificationRate[] }) {
  const { s } = useWorkforceStrings();
  return (
    <section className="workforce-panel" aria-label={s.rates}>
      <h3>{s.rates}</h3>
      <p className="workforce-note">{s.ratesNote}</p>
      <table className="workforce-table" data-testid="workforce-rates">
        <thead>
          <tr>
            <th>{s.township}</th>
            <th className="number">{s.workers}</th>
            <th className="number">{s.certified}</th>
            <th className="number">{s.rate}</th>
          </tr>
        </thead>
        <tbody>
          {rates.map((rate) => (
            <tr key={rate.code} data-testid="workforce-rate">
              <td>{rate.name ?? rate.code}</td>
              <td className="number">{rate.workers}</td>
              <td className="number">{rate.certified}</td>
              <td className="number">
                <span className="workforce-bar" style={{ width: `${(rate.rate ?? 0) * 100}%` }} />
                {percent(rate.rate)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function Commendations({ year }: { year: number }) {
  const { s } = useWorkforceStrings();
  const { can, me } = useSession();
  const queryClient = useQueryClient();
  const list = useQuery(commendationsQuery(year));
  const [top, setTop] = useState('10');
  const [busy, setBusy] = useState(false);
  const commander = can('review.people') && (me.role === 'county_commander' || me.role === 'township_commander');
  const record = async () => {
    setBusy(true);
    try {
      const answer = await commend(year, Number(top));
      showNotice(s.commendations, fill(s.commended, { n: answer.recorded }));
      await queryClient.invalidateQueries({ queryKey: ['workforce', 'commendations', year] });
    } catch (error) {
      handleError(error);
    } finally {
      setBusy(false);
    }
  };
  const rows = list.data?.commendations ?? [];
  return (
    <section className="workforce-panel" aria-label={s.commendations} data-testid="workforce-commendations">
      <h3>
        {year} {s.commendations}
      </h3>
      <p className="workforce-note">{s.commendNote}</p>
      {commander && (
        <div className="workforce-commend">
          <label className="field">
            <span>{s.top}</span>
            <input type="number" min={1} max={100} value={top} onChange={(event) => setTop(event.target.value)} />
          </label>
          <button type="button" className="button primary" disabled={busy || !Number(top)} onClick={() => void record()}>
            {s.commend}
          </button>
        </div>
      )}
      {rows.length === 0 ? (
        <p className="workforce-note">{s.noCommendations}</p>
      ) : (
        <table className="workforce-table">
          <thead>
            <tr>
              <th className="number">{s.rank}</th>
              <th>{s.name}</th>
              <th className="number">{s.score}</th>
              <th>{s.awardedBy}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id} data-testid="workforce-commendation">
                <td className="number">{row.rank}</td>
                <td>
                  {row.name} <small>{row.title}</small>
                </td>
                <td className="number">{row.score.toFixed(1)}</td>
                <td>{row.awardedByName}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
