import type { AreaDetail } from '../api-client.ts';
import { KIND_NAMES, useI18n } from '../i18n.ts';

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
                <span aria-current="location" title={KIND_NAMES[lang][item.kind]}>
                  {item.name}
                </span>
              ) : (
                <button
                  type="button"
                  data-code={item.code}
                  title={KIND_NAMES[lang][item.kind]}
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
