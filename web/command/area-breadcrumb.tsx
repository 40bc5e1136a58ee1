import { AREA_KIND_LABELS } from '../../api/vocabulary/area-levels.ts';
import { labelOf } from '../../api/vocabulary/label.ts';
import type { AreaDetail } from '../api-client.ts';
import { useI18n } from '../i18n.ts';

/** County › township › village › grid › cell; every ancestor is a button that flies to it and selects it. */
export function AreaBreadcrumb({ chain, onNavigate }: { chain: AreaDetail['chain']; onNavigate: (code: string) => void }) {
  const { lang, t } = useI18n();
  return (
    <nav className="breadcrumb" aria-label={t.breadcrumbLabel} data-testid="breadcrumb">
      <ol>
        {chain.map((item, index) => {
          const isSelf = index === chain.length - 1;
          return (
            <li key={item.code}>
              {isSelf ? (
                <span aria-current="location" title={labelOf(AREA_KIND_LABELS, lang, item.kind)}>
                  {item.name}
                </span>
              ) : (
                <button
                  type="button"
                  data-code={item.code}
                  title={labelOf(AREA_KIND_LABELS, lang, item.kind)}
                  onClick={() => onNavigate(item.code)}
                >
                  {item.name}
                </button>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
