import type { PatrolFreshness } from '../../api/vocabulary/patrols.ts';

/**
 * Workers on patrol by the age of their fix: fresh is bright green, within five minutes amber,
 * older grey, so a duty officer sees at once whose position to trust. Apart from the deck.gl layer
 * so that the legend shows them without loading deck.gl.
 */
export const PATROL_FRESHNESS_COLORS: Record<PatrolFreshness, [number, number, number]> = {
  live: [46, 204, 113],
  recent: [245, 176, 65],
  stale: [140, 150, 165],
};

export const patrolFreshnessCss = (freshness: PatrolFreshness) => `rgb(${PATROL_FRESHNESS_COLORS[freshness].join(' ')})`;
