import { AREA_LEVEL_LABELS } from '../../api/vocabulary/area-levels.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { useI18n } from '../i18n.ts';
import { HOUSEHOLD_MIN_ZOOM, LEVEL_BANDS, levelAtZoom } from '../map/area-levels.ts';

/** The levels as steps of a ladder, each with the zoom that shows it; households overlay the cell step. */
const STEPS = [
  ...LEVEL_BANDS.map((band) => ({ level: band.level as string, zoom: Math.min(band.from + 0.6, band.to - 0.1) })),
  { level: 'household', zoom: HOUSEHOLD_MIN_ZOOM + 0.6 },
];

interface LevelIndicatorProps {
  zoom: number;
  onZoomTo: (zoom: number) => void;
  /** Whether the role may see households, which then have a step of their own. */
  households: boolean;
}

/** The zoom and the level it shows, as a ladder; each step zooms the map to that level. */
export function LevelIndicator({ zoom, onZoomTo, households }: LevelIndicatorProps) {
  const { lang, t } = useI18n();
  const level = levelAtZoom(zoom);
  return (
    <div className="level-indicator" data-testid="level-indicator" data-level={level}>
      <div className="zoom-readout">
        <span>{t.zoom}</span>
        <strong>{zoom.toFixed(1)}</strong>
      </div>
      <ol className="level-ladder" aria-label={t.showing}>
        {STEPS.filter((step) => households || step.level !== 'household').map((step) => {
          const shown = step.level === 'household' ? zoom >= HOUSEHOLD_MIN_ZOOM : step.level === level;
          return (
            <li key={step.level}>
              <button type="button" aria-current={shown ? 'step' : undefined} onClick={() => onZoomTo(step.zoom)}>
                {step.level === 'household' ? t.household : labelOf(AREA_LEVEL_LABELS, lang, step.level)}
              </button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
