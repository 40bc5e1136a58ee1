import { useQuery } from '@tanstack/react-query';
import type { FeatureCollection, Point } from 'geojson';
import type { InferResponseType } from 'hono/client';
import { useEffect, useMemo, useState } from 'react';
import { labelOf } from '../../api/vocabulary/label.ts';
import { PROVIDER_CATEGORIES } from '../../api/vocabulary/providers.ts';
import { client, ok } from '../api-client.ts';
import { useI18n } from '../i18n.ts';
import type { CommandMap } from '../map/command-map.ts';
import { attachProviderLayer, PROVIDER_COLORS } from '../map/provider-layer.ts';
import './provider-layer.css';

type ProviderFeatures = InferResponseType<typeof client.api.providers.features.$get, 200>;
type Provider = ProviderFeatures['features'][number]['properties'];

const STRINGS = {
  zh: { offers: '服务内容', serves: '服务区域', contact: '联系人', close: '关闭' },
  en: { offers: 'Offers', serves: 'Serves', contact: 'Contact', close: 'Close' },
} as const;

/**
 * The service providers (多元主体) on the command map while the legend's switch is on: a point per
 * provider coloured by kind; tapping one opens a card with what it offers, where it serves and
 * whom to call. Dispatching a case to one is done like a department's (the dispatch form).
 */
export function ProviderLayer({ commandMap, on }: { commandMap: CommandMap | null; on: boolean }) {
  const { lang } = useI18n();
  const s = STRINGS[lang];
  const { data } = useQuery({
    queryKey: ['providers', 'features'] as const,
    queryFn: () => ok(client.api.providers.features.$get()) as Promise<ProviderFeatures>,
    enabled: on,
    staleTime: 5 * 60_000,
  });
  const [layer, setLayer] = useState<ReturnType<typeof attachProviderLayer> | null>(null);
  const [picked, setPicked] = useState<{ code: string; x: number; y: number } | null>(null);

  useEffect(() => {
    if (!commandMap) return;
    const attached = attachProviderLayer(commandMap.map, (code, screen) =>
      setPicked(code && screen ? { code, x: screen.x, y: screen.y } : null),
    );
    setLayer(attached);
    return () => {
      attached.remove();
      setLayer(null);
    };
  }, [commandMap]);

  useEffect(() => {
    layer?.update(on && data ? (data as unknown as FeatureCollection<Point>) : null);
    if (!on) setPicked(null);
  }, [data, on, layer]);

  const byCode = useMemo(
    () => new Map<string, Provider>((data?.features ?? []).map((feature) => [feature.id, feature.properties])),
    [data],
  );
  const provider = picked && on ? byCode.get(picked.code) : undefined;
  if (!provider || !picked) return null;
  return (
    <aside
      className="provider-card"
      style={{ left: picked.x, top: picked.y }}
      data-testid="provider-card"
      aria-label={provider.name}
    >
      <header>
        <span className="provider-dot" style={{ background: PROVIDER_COLORS[provider.category] }} />
        <strong>{provider.name}</strong>
        <button type="button" className="provider-close" aria-label={s.close} onClick={() => setPicked(null)}>
          ×
        </button>
      </header>
      <span className="provider-kind">
        {labelOf(PROVIDER_CATEGORIES, lang, provider.category)} · {provider.code}
      </span>
      <span>
        {s.offers}：{provider.services.join('、')}
      </span>
      <span>
        {s.serves}：{provider.serviceAreaNames.join('、')}
      </span>
      <span>
        {s.contact}：{provider.contactName} {provider.contactPhone}
      </span>
    </aside>
  );
}
