import type { FeatureCollection, Point } from 'geojson';
import type { GeoJSONSource, MapLayerMouseEvent, Map as MapLibreMap } from 'maplibre-gl';
import type { ProviderCategory } from '../../api/vocabulary/providers.ts';

const SOURCE = 'service-providers';
const PROVIDER_LAYER = 'service-providers';

/** One hue per kind of provider, apart from the case lights and the geohazard greens and reds. */
export const PROVIDER_COLORS: Record<ProviderCategory, string> = {
  clinic: '#4fc3f7',
  volunteer: '#ffb74d',
  arts: '#ce93d8',
  company: '#90a4ae',
  ngo: '#81c784',
};

/**
 * The service providers on the command map, a MapLibre circle layer (a few tens of static points)
 * coloured by kind, drawn with a white ring so they read as places, not as cases. `onProvider`
 * hears the provider tapped or hovered (its code), null when none. Returns `update` (the
 * providers' GeoJSON, or null to hide) and `remove`.
 */
export function attachProviderLayer(
  map: MapLibreMap,
  onProvider: (code: string | null, screen: { x: number; y: number } | null) => void,
) {
  let shown: FeatureCollection<Point> | null = null;
  let dirty = true;

  const addLayer = () => {
    if (!map.getSource(SOURCE)) map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    if (map.getLayer(PROVIDER_LAYER)) return;
    map.addLayer({
      id: PROVIDER_LAYER,
      type: 'circle',
      source: SOURCE,
      paint: {
        'circle-color': [
          'match',
          ['get', 'category'],
          'clinic',
          PROVIDER_COLORS.clinic,
          'volunteer',
          PROVIDER_COLORS.volunteer,
          'arts',
          PROVIDER_COLORS.arts,
          'ngo',
          PROVIDER_COLORS.ngo,
          PROVIDER_COLORS.company,
        ],
        'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, 5, 14, 10],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': 2,
      },
    });
  };

  const flush = () => {
    if (!dirty) return;
    try {
      addLayer();
    } catch {
      return; // the style is not there yet
    }
    map.getSource<GeoJSONSource>(SOURCE)?.setData(shown ?? { type: 'FeatureCollection', features: [] });
    map.setLayoutProperty(PROVIDER_LAYER, 'visibility', shown ? 'visible' : 'none');
    dirty = false;
  };
  const restyled = () => {
    if (!map.getSource(SOURCE)) dirty = true;
    flush();
  };
  const providerAt = (event: MapLayerMouseEvent) => {
    const code = event.features?.[0]?.properties?.code;
    onProvider(typeof code === 'string' ? code : null, typeof code === 'string' ? event.point : null);
  };
  const enter = () => {
    map.getCanvas().style.cursor = 'pointer';
  };
  const leave = () => {
    map.getCanvas().style.cursor = '';
  };
  map.on('styledata', restyled);
  map.on('idle', flush);
  map.on('click', PROVIDER_LAYER, providerAt);
  map.on('mouseenter', PROVIDER_LAYER, enter);
  map.on('mouseleave', PROVIDER_LAYER, leave);

  return {
    update(collection: FeatureCollection<Point> | null) {
      shown = collection;
      dirty = true;
      flush();
    },
    remove() {
      map.off('styledata', restyled);
      map.off('idle', flush);
      map.off('click', PROVIDER_LAYER, providerAt);
      map.off('mouseenter', PROVIDER_LAYER, enter);
      map.off('mouseleave', PROVIDER_LAYER, leave);
      if (map.getLayer(PROVIDER_LAYER)) map.removeLayer(PROVIDER_LAYER);
      if (map.getSource(SOURCE)) map.removeSource(SOURCE);
    },
  };
}
