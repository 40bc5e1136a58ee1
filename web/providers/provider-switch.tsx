import { labelOf } from '../../api/vocabulary/label.ts';
import { PROVIDER_CATEGORIES, PROVIDER_CATEGORY_CODES } from '../../api/vocabulary/providers.ts';
import { useI18n } from '../i18n.ts';
import { PROVIDER_COLORS } from '../map/provider-layer.ts';

/** The legend's switch for the service providers' layer, and the colour of each kind while it is on. */
export function ProviderSwitch({ on, onChange }: { on: boolean; onChange: (on: boolean) => void }) {
  const { lang } = useI18n();
  return (
    <>
      <label className="switch">
        <input
          type="checkbox"
          role="switch"
          aria-checked={on}
          checked={on}
          onChange={(event) => onChange(event.target.checked)}
          data-testid="providers-switch"
        />
        <span className="switch-track" aria-hidden="true" />
        <span>
          {lang === 'zh' ? '服务主体' : 'Service providers'}
          <small>
            {lang === 'zh' ? '企业、卫生院、社会组织、志愿和文艺队' : 'Companies, clinics, NGOs, volunteer and arts teams'}
          </small>
        </span>
      </label>
      {on && (
        <ul className="legend-cases" data-testid="legend-providers">
          {PROVIDER_CATEGORY_CODES.map((category) => (
            <li key={category}>
              <span className="swatch swatch-dot" style={{ background: PROVIDER_COLORS[category], border: '2px solid #fff' }} />
              {labelOf(PROVIDER_CATEGORIES, lang, category)}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
