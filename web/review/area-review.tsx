import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { KPI_DEFINITIONS } from '../../api/vocabulary/review.ts';
import { AREA_LEVELS } from '../../geo/types.ts';
import type { AreaChild, Bbox, TileLayerName } from '../api-client.ts';
import { areaChildrenQuery } from '../areas/area-queries.ts';
import { useSession } from '../auth/session.ts';
import { type ChoroplethArea, ChoroplethMap } from './choropleth-map.tsx';
import { KpiCards } from './kpi-cards.tsx';
import { KpiCasesDialog } from './kpi-cases-dialog.tsx';
import { RankingTable } from './ranking-table.tsx';
import type { AreaReview, Kpi, PeriodQuery } from './review-api.ts';
import { areaReviewQuery, exportUrl } from './review-api.ts';
import { CLASS_COLORS, choroplethClasses, formatKpi, NO_DATA_COLOR } from './review-format.ts';
import { useReviewStrings } from './review-strings.ts';
import type { ReviewTheme } from './review-theme.ts';
import { TrendPanel, UrbanRuralPanel } from './review-trends.tsx';
import type { ReviewState } from './review-url.ts';

const NO_CHILDREN: readonly AreaChild[] = [];

/** The level drawn from tiles below an area of `code`'s length (a county's townships, a township's villages…). */
function childLevelOf(code: string): TileLayerName | null {
  const level = AREA_LEVELS[code.length / 3 - 1];
  return level === 'township' || level === 'village' || level === 'grid' || level === 'cell' ? level : null;
}

/** Drilling stops at the grids: a grid's cells are shown, not reviewed one by one. */
const DRILL_LEVELS = new Set(['township', 'village', 'grid']);

function unionBbox(areas: readonly AreaChild[]): Bbox | null {
  if (areas.length === 0) return null;
  const box: Bbox = [180, 90, -180, -90];
  for (const area of areas) {
    box[0] = Math.min(box[0], area.bbox[0]);
    box[1] = Math.min(box[1], area.bbox[1]);
    box[2] = Math.max(box[2], area.bbox[2]);
    box[3] = Math.max(box[3], area.bbox[3]);
  }
  return box;
}

/**
 * The areas tab: the reviewed area's KPI cards (formula, grade, cases), its children ranked and on
 * the choropleth side by side (either drills down), the trend by month, and the urban core
 * against the rural townships.
 */
export function AreaReviewTab({
  code,
  state,
  theme,
  onState,
}: {
  code: string;
  state: ReviewState;
  theme: ReviewTheme;
  onState: (change: Partial<ReviewState>, push?: boolean) => void;
}) {
  const { lang, s } = useReviewStrings();
  const { can } = useSession();
  const period: PeriodQuery = { from: state.from, to: state.to };
  const review = useQuery(areaReviewQuery(code, period));
  const geometry = useQuery(areaChildrenQuery(code)).data ?? NO_CHILDREN;
  const [casesOf, setCasesOf] = useState<Kpi | null>(null);
  const data = review.data?.area.code === code ? review.data : undefined;
  const canExport = can('review.export');
  const drill = (child: AreaReview) => {
    if (DRILL_LEVELS.has(child.level)) onState({ area: child.code }, true);
  };

  const children = data?.children ?? [];
  const mapKpi = data?.area.kpis.find((kpi) => kpi.key === state.kpi) ?? data?.area.kpis[0];
  const choropleth = useMemo<ChoroplethArea[]>(() => {
    if (!mapKpi) return [];
    const classes = choroplethClasses(
      children.map((child) => ({ code: child.code, kpi: child.kpis.find((kpi) => kpi.key === mapKpi.key) })),
    );
    return geometry.map((area) => {
      const figure = children.find((child) => child.code === area.code)?.kpis.find((kpi) => kpi.key === mapKpi.key);
      return {
        code: area.code,
        name: area.name,
        labelPoint: area.labelPoint,
        class: classes.get(area.code) ?? null,
        figure: figure ? formatKpi(figure.value, figure.unit, lang) : '—',
      };
    });
  }, [children, geometry, mapKpi, lang]);
  const childLevel = childLevelOf(code);
  const bbox = unionBbox(geometry);

  if (!data) return <p className="muted review-loading">{s.loading}</p>;

  return (
    <>
      <KpiCards area={data.area} overallFormula={data.overallFormula} onCases={setCasesOf} />
      {children.length > 0 && (
        <div className="review-split">
          <RankingTable
            title={`${s.ranking}（${s.level[children[0]?.level ?? 'township']}）`}
            rows={children.map((child) => ({ ...child, id: child.code }))}
            kpis={data.area.kpis}
            onRowClick={(row) => drill(row)}
            exportHref={canExport ? exportUrl('areas', code, period) : null}
            hint={DRILL_LEVELS.has(children[0]?.level ?? '') ? s.drillHint : undefined}
            testId="review-ranking"
          />
          <section className="review-panel review-map-panel" aria-label={s.map}>
            <header className="review-panel-header">
              <h3>
                {s.map}
                <span className="review-print-only"> · {mapKpi?.label[lang]}</span>
              </h3>
              <label className="review-inline-field review-controls">
                <span>{s.mapKpi}</span>
                <select
                  className="input"
                  value={mapKpi?.key ?? ''}
                  onChange={(event) => onState({ kpi: event.target.value })}
                  data-testid="review-map-kpi"
                >
                  {data.area.kpis.map((kpi) => (
                    <option key={kpi.key} value={kpi.key}>
                      {kpi.label[lang]}
                    </option>
                  ))}
                </select>
              </label>
            </header>
            {childLevel && bbox && (
              <ChoroplethMap
                key={`${theme}-${code}`}
                theme={theme}
                parentCode={code}
                childLevel={childLevel}
                bbox={bbox}
                areas={choropleth}
                onAreaClick={(child) => {
                  const row = children.find((candidate) => candidate.code === child);
                  if (row) drill(row);
                }}
                label={`${s.map}：${data.area.name} · ${mapKpi?.label[lang] ?? ''}`}
              />
            )}
            <MapLegend graded={mapKpi ? KPI_DEFINITIONS[mapKpi.key].graded : true} />
          </section>
        </div>
      )}
      <TrendPanel code={code} period={period} theme={theme} canExport={canExport} />
      {code.length <= 9 && <UrbanRuralPanel period={period} theme={theme} canExport={canExport} />}
      {casesOf && (
        <KpiCasesDialog
          areaCode={code}
          areaName={data.area.name}
          kpi={casesOf}
          period={period}
          onClose={() => setCasesOf(null)}
        />
      )}
    </>
  );
}

/** The five classes (A-E for a graded KPI, best to worst fifth for the others) and "no data". */
function MapLegend({ graded }: { graded: boolean }) {
  const { s } = useReviewStrings();
  const names = graded ? ['A', 'B', 'C', 'D', 'E'] : ['1', '2', '3', '4', '5'];
  return (
    <ul className="review-legend">
      {CLASS_COLORS.map((colour, index) => (
        <li key={colour}>
          <span className="review-swatch" style={{ background: colour }} />
          {names[index]}
        </li>
      ))}
      <li>
        <span className="review-swatch" style={{ background: NO_DATA_COLOR }} />
        {s.legendNoData}
      </li>
    </ul>
  );
}
