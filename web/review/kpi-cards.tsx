import { CASE_KPI_KEYS } from '../../api/vocabulary/review.ts';
import { fill } from '../i18n.ts';
import type { AreaReview, Kpi } from './review-api.ts';
import { formatKpi, gradeColor } from './review-format.ts';
import { useReviewStrings } from './review-strings.ts';

/** A grade letter in its colour; a dash without one. */
export function GradeBadge({ grade }: { grade: string | null }) {
  return (
    <span className="review-grade" style={{ background: gradeColor(grade) }} data-grade={grade ?? ''}>
      {grade ?? '—'}
    </span>
  );
}

/**
 * The reviewed area's KPIs: each figure with its grade, the counts it is made of, its formula in
 * full beside it (as the API words it), and the cases behind it one click away. The overall score
 * comes first, with how it is made.
 */
export function KpiCards({
  area,
  overallFormula,
  onCases,
}: {
  area: AreaReview;
  overallFormula: { zh: string; en: string };
  onCases: (kpi: Kpi) => void;
}) {
  const { lang, s } = useReviewStrings();
  return (
    <section className="review-cards" aria-label={s.kpis} data-testid="review-kpis">
      <article className="review-card review-card-overall" data-kpi="score">
        <header>
          <h3>{s.score}</h3>
          <GradeBadge grade={area.grade} />
        </header>
        <p className="review-figure">{formatKpi(area.score, 'score', lang)}</p>
        <p className="review-formula" data-testid="review-formula">
          {overallFormula[lang]}
        </p>
      </article>
      {area.kpis.map((kpi) => (
        <article key={kpi.key} className="review-card" data-kpi={kpi.key} data-testid="review-kpi">
          <header>
            <h3>{kpi.label[lang]}</h3>
            <GradeBadge grade={kpi.grade} />
          </header>
          <p className="review-figure">
            {formatKpi(kpi.value, kpi.unit, lang)}
            <span className="review-fraction">
              {fill(s.fraction, { numerator: formatCount(kpi.numerator), denominator: formatCount(kpi.denominator) })}
            </span>
          </p>
          <p className="review-formula" data-testid="review-formula">
            {kpi.formula[lang]}
          </p>
          {CASE_KPI_KEYS.includes(kpi.key) && kpi.denominator > 0 && (
            <button type="button" className="button small review-cases-button" onClick={() => onCases(kpi)}>
              {s.cases}
            </button>
          )}
        </article>
      ))}
    </section>
  );
}

/** A count as printed: whole numbers plain, sums of minutes or scores to one decimal. */
function formatCount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
