import { useQuery } from '@tanstack/react-query';
import { useSession } from '../auth/session.ts';
import { RankingTable } from './ranking-table.tsx';
import type { PeriodQuery } from './review-api.ts';
import { departmentsQuery, exportUrl, workersQuery } from './review-api.ts';
import { useReviewStrings } from './review-strings.ts';

/** Each grid worker of the reviewed area, with the same formulas as the areas (read when the tab opens: names are audited). */
export function WorkersTab({ code, period }: { code: string; period: PeriodQuery }) {
  const { s, lang } = useReviewStrings();
  const { can } = useSession();
  const data = useQuery(workersQuery(code, period, true)).data;
  if (!data) return <p className="muted review-loading">{s.loading}</p>;
  if (data.workers.length === 0) return <p className="muted">{s.noData}</p>;
  return (
    <>
      <p className="review-formula review-overall-formula">{data.overallFormula[lang]}</p>
      <RankingTable
        title={s.tabWorkers}
        rows={data.workers.map((worker) => ({ ...worker, id: worker.personId }))}
        kpis={data.workers[0]?.kpis ?? []}
        extraColumns={[{ key: 'grid', label: s.grid, value: (row) => row.gridName ?? row.gridCode }]}
        exportHref={can('review.export') ? exportUrl('workers', code, period) : null}
        testId="review-workers"
      />
    </>
  );
}

/** Each department and service provider, on the cases of the reviewed (drilled-down) area dispatched to it. */
export function DepartmentsTab({ code, period }: { code: string; period: PeriodQuery }) {
  const { s, lang } = useReviewStrings();
  const { can } = useSession();
  const data = useQuery(departmentsQuery(code, period, true)).data;
  if (!data) return <p className="muted review-loading">{s.loading}</p>;
  if (data.departments.length === 0) return <p className="muted">{s.noData}</p>;
  return (
    <>
      <p className="review-formula review-overall-formula">{data.overallFormula[lang]}</p>
      <RankingTable
        title={s.tabDepartments}
        rows={data.departments.map((department) => ({ ...department, id: department.code }))}
        kpis={data.departments[0]?.kpis ?? []}
        extraColumns={[
          { key: 'kind', label: s.kind, value: (row) => (row.kind === 'provider' ? s.provider : s.governmentDepartment) },
        ]}
        exportHref={can('review.export') ? exportUrl('departments', code, period) : null}
        testId="review-departments"
      />
    </>
  );
}
