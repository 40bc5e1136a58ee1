/**
 * The view lives in the URL hash so that a link can be shared and a reload restores it:
 * `#map=11.2/31.9123/107.2451&area=511921108209`. MapLibre's own `hash: 'map'` option keeps
 * `map=zoom/lat/lng`; this module keeps `area=` beside it.
 */

export const MAP_HASH_PARAM = 'map';
const AREA_PARAM = 'area';

function hashParams(): URLSearchParams {
  return new URLSearchParams(window.location.hash.replace(/^#/, ''));
}

/** The selected area's code from the hash, as written; the API judges whether it is a valid code. */
export function readAreaFromHash(): string | null {
  return hashParams().get(AREA_PARAM)?.trim() || null;
}

/** Whether the hash already holds a map view, which then wins over the county's default bounds. */
export function hashHasMapView(): boolean {
  return (hashParams().get(MAP_HASH_PARAM) ?? '').split('/').length >= 3;
}

/** Writes (or removes) `area=` without adding a history entry, keeping `map=` first. */
export function writeAreaToHash(code: string | null): void {
  const params = hashParams();
  if (code) params.set(AREA_PARAM, code);
  else params.delete(AREA_PARAM);
  const ordered = new URLSearchParams();
  const mapView = params.get(MAP_HASH_PARAM);
  if (mapView) ordered.set(MAP_HASH_PARAM, mapView);
  for (const [key, value] of params) if (key !== MAP_HASH_PARAM) ordered.set(key, value);
  // Slashes stay readable in the hash, as MapLibre writes them.
  const hash = decodeURIComponent(ordered.toString());
  const url = window.location.href.replace(/(#.*)?$/, hash ? `#${hash}` : '');
  window.history.replaceState(window.history.state, '', url);
}
