import { labelOf } from '../../api/vocabulary/label.ts';
import { PATROL_FRESHNESS } from '../../api/vocabulary/patrols.ts';
import { CASE_STRINGS, LIGHT_NAMES } from '../cases/case-strings.ts';
import { useI18n } from '../i18n.ts';
import { AREA_PALETTE, MAP_COLORS } from '../map/area-levels.ts';
import { lightCss } from '../map/case-markers.ts';
import { patrolFreshnessCss } from '../map/patrol-colors.ts';
import { ProviderSwitch } from '../providers/provider-switch.tsx';

interface MapLegendProps {
  heatmapOn: boolean;
  /** False until the village figures the heatmap draws have loaded. */
  heatmapReady: boolean;
  onHeatmapChange: (on: boolean) => void;
  /** Whether households are drawn (roles with households.view). */
  households: boolean;
  /** The area whose outline glows: the county, or the account's scope inside it. */
  outlineLabel: string;
  /** Whether live cases are drawn (roles with cases.view): their lights, the alarm ring, the control zone. */
  cases?: boolean;
  /** Whether workers on patrol are drawn (roles with patrols.view), coloured by the age of their fix. */
  patrols?: boolean;
  /** The service providers' layer switch (roles that see the map), when the view offers it. */
  providers?: { on: boolean; onChange: (on: boolean) => void };
  /** Unfolded; the view folds it when an area is selected, so it does not cover the selection. */
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

/** What the lines, colours and points mean, and the household density switch. */
export function MapLegend({
  heatmapOn,
  heatmapReady,
  onHeatmapChange,
  households,
  outlineLabel,
  cases = false,
  patrols = false,
  providers,
  open,
  onOpenChange,
}: MapLegendProps) {
  const { lang, t } = useI18n();
  const lines = [
    { key: 'township', label: lang === 'zh' ? '乡镇界' : 'Township boundary', color: MAP_COLORS.townshipLine, width: 4 },
    { key: 'village', label: lang === 'zh' ? '村（社区）界' : 'Village boundary', color: MAP_COLORS.villageLine, width: 2.5 },
    { key: 'grid', label: lang === 'zh' ? '网格界' : 'Grid boundary', color: MAP_COLORS.gridLine, width: 1.6 },
    { key: 'cell', label: lang === 'zh' ? '单元格界' : 'Cell boundary', color: MAP_COLORS.cellLine, width: 1 },
  ];
  return (
    <section className="map-legend" data-open={open} aria-label={t.legend}>
      <button type="button" className="legend-toggle" aria-expanded={open} onClick={() => onOpenChange(!open)}>
        {t.legend}
      </button>
      {open && (
        <div className="legend-body">
          <ul>
            <li>
              <span className="swatch swatch-county" style={{ borderColor: MAP_COLORS.countyEdge }} />
              {outlineLabel}
            </li>
            {lines.map((line) => (
              <li key={line.key}>
                <span className="swatch swatch-line" style={{ background: line.color, height: line.width }} />
                {line.label}
              </li>
            ))}
            <li>
              <span className="swatch swatch-fills">
                {AREA_PALETTE.slice(0, 4).map((color) => (
                  <span key={color} style={{ background: color }} />
                ))}
              </span>
              {lang === 'zh' ? '区域（颜色仅作区分）' : 'Areas (colours only tell them apart)'}
            </li>
            <li>
              <span className="swatch swatch-selected" style={{ borderColor: MAP_COLORS.selection }} />
              {t.selectedArea}
            </li>
            {households && (
              <li>
                <span className="swatch swatch-dot" style={{ background: MAP_COLORS.household }} />
                {t.household}
              </li>
            )}
          </ul>
          {cases && (
            <ul className="legend-cases">
              <li>
                <span className="swatch legend-lights">
                  {(['green', 'yellow', 'red'] as const).map((light) => (
                    <span key={light} style={{ background: lightCss(light) }} title={labelOf(LIGHT_NAMES, lang, light)} />
                  ))}
                </span>
                {CASE_STRINGS[lang].legendLights}
              </li>
              <li>
                <span className="swatch legend-alarm" />
                {CASE_STRINGS[lang].legendAlarm}
              </li>
              <li>
                <span className="swatch legend-zone" />
                {CASE_STRINGS[lang].controlZone}
              </li>
            </ul>
          )}
          {patrols && (
            <ul className="legend-cases">
              <li data-testid="legend-patrols">
                <span className="swatch legend-lights">
                  {(['live', 'recent', 'stale'] as const).map((freshness) => (
                    <span key={freshness} style={{ background: patrolFreshnessCss(freshness) }} />
                  ))}
                </span>
                {lang === 'zh' ? '巡查人员：' : 'On patrol: '}
                {(['live', 'recent', 'stale'] as const).map((freshness) => PATROL_FRESHNESS[freshness][lang]).join(' / ')}
              </li>
            </ul>
          )}
          <label className="switch">
            <input
              type="checkbox"
              role="switch"
              aria-checked={heatmapOn}
              checked={heatmapOn}
              disabled={!heatmapReady}
              onChange={(event) => onHeatmapChange(event.target.checked)}
              data-testid="heatmap-switch"
            />
            <span className="switch-track" aria-hidden="true" />
            <span>
              {t.heatmap}
              <small>{t.heatmapNote}</small>
            </span>
          </label>
          {heatmapOn && <div className="heatmap-scale" aria-hidden="true" />}
          {providers && <ProviderSwitch on={providers.on} onChange={providers.onChange} />}
        </div>
      )}
    </section>
  );
}
