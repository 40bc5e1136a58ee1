import { formatDateTime, useI18n } from '../i18n.ts';

const WORDS = {
  zh: { badge: '紧急授权', area: '区域', reason: '理由', until: '到期' },
  en: { badge: 'Break the glass', area: 'Area', reason: 'Reason', until: 'Expires' },
} as const;

/**
 * A break-the-glass grant in the audit log: a badge with the stated reason, the area it opened and
 * when it ends, so that the holder's superiors read them at a glance (the entry's details hold them,
 * api/special-heatmap/access-service.ts).
 */
export function GrantBadge({ details }: { details: unknown }) {
  const { lang } = useI18n();
  const words = WORDS[lang];
  const grant = (details ?? {}) as { areaCode?: string; reason?: string; expiresAt?: string };
  return (
    <span className="grant-badge" data-testid="grant-badge">
      <strong className="status" data-status="denied">
        {words.badge}
      </strong>
      {grant.reason && (
        <small>
          {words.reason}：{grant.reason}
        </small>
      )}
      {grant.areaCode && (
        <small>
          {words.area}：{grant.areaCode}
        </small>
      )}
      {grant.expiresAt && (
        <small>
          {words.until}：{formatDateTime(grant.expiresAt)}
        </small>
      )}
    </span>
  );
}
