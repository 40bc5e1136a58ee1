type Rgba = [number, number, number, number];

/** Few to many: pale yellow to deep red, legible on the dark wall screen. Shared by the layer and its legend. */
export const VALUE_COLORS: readonly Rgba[] = [
  [255, 237, 160, 170],
  [254, 178, 76, 190],
  [253, 141, 60, 200],
  [240, 59, 32, 210],
  [189, 0, 38, 220],
];

/** A suppressed unit: grey, hatched. */
export const SUPPRESSED_COLOR: Rgba = [128, 134, 145, 110];
