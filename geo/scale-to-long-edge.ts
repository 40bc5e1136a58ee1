/**
 * The size of a picture scaled down, proportions kept, so that its long edge is at most
 * `maxLongEdge` pixels; a picture already small enough keeps its size (never scaled up). Each
 * edge is a whole number of pixels, at least one.
 */
export function scaleToLongEdge(width: number, height: number, maxLongEdge: number): { width: number; height: number } {
  if (!(width > 0 && height > 0 && maxLongEdge > 0)) throw new RangeError(`bad size ${width}×${height} → ${maxLongEdge}`);
  const longEdge = Math.max(width, height);
  if (longEdge <= maxLongEdge) return { width: Math.round(width), height: Math.round(height) };
  const scale = maxLongEdge / longEdge;
  return {
    width: width >= height ? maxLongEdge : Math.max(1, Math.round(width * scale)),
    height: height > width ? maxLongEdge : Math.max(1, Math.round(height * scale)),
  };
}
