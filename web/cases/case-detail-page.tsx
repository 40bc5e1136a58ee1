import type { Polygon } from 'geojson';
import { useEffect, useState } from 'react';
import { AREA_LEVEL_LABELS } from '../../api/vocabulary/area-levels.ts';
import { CASE_STATE_LABELS } from '../../api/vocabulary/case-states.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import { REPORT_TYPES } from '../../api/vocabulary/report-types.ts';
import { AppLink } from '../app-link.tsx';
import { formatDateTime } from '../i18n.ts';
import { casePath, navigate } from '../routes.ts';
import { lastListUrl } from './case-list-page.tsx';
import { CaseMiniMap } from './case-mini-map.tsx';
import { CaseChips, CaseFactRows, CaseWork } from './case-parts.tsx';
import { limitText, SATISFACTION_NAMES, SOURCE_NAMES, STAGE_NAMES, useCaseStrings } from './case-strings.ts';
import { CaseTimeline } from './case-timeline.tsx';
import { photoUrl } from './cases-api.ts';
import { useCaseDetail } from './use-case-detail.ts';

/**
 * One case on a desk page: a small map with its control zone, the facts, the photos, the next
 * actions this viewer may take, the people in the zone and whether they acknowledged, possible
 * duplicates, and the whole timeline. Kept current by the live feed.
 */
export function CaseDetailPage({ caseId }: { caseId: string }) {
  const { lang, c } = useCaseStrings();
  const { detail, failed } = useCaseDetail(caseId);
  const [zone, setZone] = useState<Polygon | null>(null);

  useEffect(() => {
    if (detail) document.title = `${detail.caseNumber} · ${labelOf(REPORT_TYPES, lang, detail.type)}`;
  }, [detail, lang]);

  if (!detail) {
    return (
      <main className="cases-main">
        <AppLink href={lastListUrl()} className="button small">
          {c.backToList}
        </AppLink>
        <p className="empty-note">{failed ? c.loadFailed : '…'}</p>
      </main>
    );
  }

  const assigned = [
    detail.assignedTownshipCode ? (detail.areas.township.name ?? detail.assignedTownshipCode) : null,
    detail.assignedDepartmentName ?? detail.assignedDepartmentCode,
  ].filter(Boolean);

  return (
    <main className="cases-main case-detail" data-testid="case-detail" data-case-id={detail.id} data-state={detail.state}>
      <div className="case-detail-top">
        <AppLink href={lastListUrl()} className="button small">
          {c.backToList}
        </AppLink>
        <CaseChips detail={detail}>
          {detail.supervised && <span className="tag">{c.supervised}</span>}
          {detail.parked && <span className="tag">{c.parked}</span>}
        </CaseChips>
      </div>
      <h1 className="case-title">
        {labelOf(REPORT_TYPES, lang, detail.type)}
        <span className="case-number">{detail.caseNumber}</span>
      </h1>
      <div className="case-detail-grid">
        <div className="case-detail-main">
          <CaseMiniMap position={detail.position} light={detail.light} zone={zone} />
          <p className="case-description">{detail.description}</p>
          <dl className="case-facts">
            <CaseFactRows detail={detail} withRole />
            <div>
              <dt>{c.source}</dt>
              <dd>{labelOf(SOURCE_NAMES, lang, detail.source)}</dd>
            </div>
            <div>
              <dt>{c.accuracy}</dt>
              <dd>{detail.accuracyM === null ? c.unknown : `±${Math.round(detail.accuracyM)} m`}</dd>
            </div>
            <div>
              <dt>{c.dueAt}</dt>
              <dd>
                {detail.dueAt ? formatDateTime(detail.dueAt) : c.unknown}
                {detail.clockStage && (
                  <small>
                    {' '}
                    · {labelOf(STAGE_NAMES, lang, detail.clockStage)}
                    {detail.limitAmount !== null && (
                      <span data-testid="case-limit" data-clock={detail.limitClock ?? undefined}>
                        {' '}
                        {limitText(lang, detail.limitAmount, detail.limitUnit, detail.limitClock)}
                      </span>
                    )}
                  </small>
                )}
              </dd>
            </div>
            <div>
              <dt>{c.responsibleLevel}</dt>
              <dd>
                {labelOf(AREA_LEVEL_LABELS, lang, detail.responsibleLevel)}
                {detail.escalationCount > 0 && <small> · {detail.escalationCount}×</small>}
              </dd>
            </div>
            <div>
              <dt>{c.assignedTo}</dt>
              <dd>{assigned.length > 0 ? assigned.join(' · ') : c.unknown}</dd>
            </div>
            {detail.coDepartments.length > 0 && (
              <div>
                <dt>{c.coHandling}</dt>
                <dd>{detail.coDepartments.map((department) => department.name ?? department.code).join('、')}</dd>
              </div>
            )}
            {detail.satisfaction !== null && (
              <div>
                <dt>{c.satisfaction}</dt>
                <dd>
                  {detail.satisfaction} · {SATISFACTION_NAMES[lang][detail.satisfaction - 1]}
                </dd>
              </div>
            )}
            {detail.closedAt && (
              <div>
                <dt>{labelOf(CASE_STATE_LABELS, lang, 'closed')}</dt>
                <dd>
                  {formatDateTime(detail.closedAt)}
                  {detail.closedOnTime !== null && <small> · {detail.closedOnTime ? c.onTime : c.late}</small>}
                </dd>
              </div>
            )}
          </dl>
          {detail.photos.length > 0 && (
            <section aria-label={c.photos}>
              <h3>{c.photos}</h3>
              <div className="photo-strip">
                {detail.photos.map((photo) => (
                  <a key={photo.id} href={photoUrl(detail.id, photo.id)} target="_blank" rel="noreferrer">
                    <img src={photoUrl(detail.id, photo.id)} alt={c.photos} loading="lazy" className="photo-thumb large" />
                  </a>
                ))}
              </div>
            </section>
          )}
          <section className="case-timeline-section" aria-label={c.timeline}>
            <h3>{c.timeline}</h3>
            <CaseTimeline detail={detail} />
          </section>
        </div>
        <div className="case-detail-side">
          <CaseWork detail={detail} onZone={setZone} onOpenCase={(id) => navigate(casePath(id))} />
        </div>
      </div>
    </main>
  );
}
