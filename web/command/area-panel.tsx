import { useState } from 'react';
import { AREA_LEVEL_LABELS } from '../../api/vocabulary/area-levels.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import type { AreaDetail } from '../api-client.ts';
import { formatNumber, levelLabel, useI18n } from '../i18n.ts';
import { AreaCoverage } from '../patrols/area-coverage.tsx';
import { AreaSpecial } from '../special/area-special.tsx';
import { AreaBreadcrumb } from './area-breadcrumb.tsx';
import { PeopleList } from './people-list.tsx';

interface AreaPanelProps {
  code: string;
  /** Null while the details load. */
  area: AreaDetail | null;
  /** False for roles without people.view: the API then sends no people, and the panel says why. */
  peopleAllowed: boolean;
  /** Roles with patrols.view see the area's patrol coverage. */
  patrolCoverage?: boolean;
  /** Roles with special.view see the area's special-population figures (suppressed below 5 without personal access). */
  specialFigures?: boolean;
  onClose: () => void;
  /** Select another area of the chain and fly to it. */
  onNavigate: (code: string) => void;
}

/**
 * The selected area: name, level, parent chain, figures and the people responsible. A bottom sheet
 * at phone width. Keyed by the area code, so a newly selected area opens the sheet again.
 */
export function AreaPanel({
  code,
  area,
  peopleAllowed,
  patrolCoverage = false,
  specialFigures = false,
  onClose,
  onNavigate,
}: AreaPanelProps) {
  const { lang, t } = useI18n();
  const [collapsed, setCollapsed] = useState(false);

  return (
    <aside
      className="area-panel"
      data-testid="area-panel"
      data-code={code}
      data-state={area ? 'ready' : 'loading'}
      data-collapsed={collapsed}
      aria-label={area?.name ?? code}
    >
      <button
        type="button"
        className="sheet-handle"
        aria-label={collapsed ? t.expand : t.collapse}
        aria-expanded={!collapsed}
        onClick={() => setCollapsed((value) => !value)}
      >
        <span aria-hidden="true" />
      </button>
      <header className="panel-header">
        <div className="panel-title">
          <span className="level-chip" data-level={area?.level}>
            {area ? levelLabel(lang, area.level, area.kind) : t.loading}
          </span>
          <h2>{area?.name ?? code}</h2>
        </div>
        <button type="button" className="icon-button close-button" aria-label={t.close} onClick={onClose}>
          ×
        </button>
      </header>
      {area && (
        <div className="panel-body">
          <AreaBreadcrumb chain={area.chain} onNavigate={onNavigate} />
          {area.synthetic && (
            <p className="synthetic-note">
              <span className="synthetic-badge">{t.synthetic}</span>
              {t.syntheticNote}
            </p>
          )}
          <dl className="area-facts">
            <div>
              <dt>{t.population}</dt>
              <dd>{formatNumber(lang, area.population)}</dd>
            </div>
            <div>
              <dt>{t.households}</dt>
              <dd>{formatNumber(lang, area.households)}</dd>
            </div>
            <div>
              <dt>
                {t.area} ({t.km2})
              </dt>
              <dd>{formatNumber(lang, area.areaKm2, area.areaKm2 < 10 ? 2 : 1)}</dd>
            </div>
            {area.childLevel && (
              <div>
                <dt>{t.children}</dt>
                <dd>
                  {formatNumber(lang, area.childCount)}
                  <small> {labelOf(AREA_LEVEL_LABELS, lang, area.childLevel)}</small>
                </dd>
              </div>
            )}
            <div className="fact-wide">
              <dt>{t.code}</dt>
              <dd className="area-code">{area.code}</dd>
            </div>
          </dl>
          {patrolCoverage && area.level !== 'cell' && <AreaCoverage code={area.code} />}
          {specialFigures && area.level !== 'cell' && <AreaSpecial code={area.code} />}
          <PeopleList people={area.people} allowed={peopleAllowed} />
        </div>
      )}
    </aside>
  );
}
