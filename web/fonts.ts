import subsetRanges from '@fontsource/noto-sans-sc/unicode.json';
import type { FontFacesSpecification } from 'maplibre-gl';

/**
 * Noto Sans SC, self-hosted: the woff2 subsets of @fontsource/noto-sans-sc are emitted as app
 * assets, and each is declared with its unicode-range so that both the browser (for the UI) and
 * MapLibre (for map labels, through the style's `font-faces`) download only the subsets the text
 * on screen needs. Cyrillic, Vietnamese and the 1 MB all-in-one Chinese file are left out.
 */

const regularFiles: Record<string, string> = import.meta.glob(
  '../node_modules/@fontsource/noto-sans-sc/files/noto-sans-sc-{[0-9]*,latin,latin-ext}-400-normal.woff2',
  { query: '?url', import: 'default', eager: true },
);

const boldFiles: Record<string, string> = import.meta.glob(
  '../node_modules/@fontsource/noto-sans-sc/files/noto-sans-sc-{[0-9]*,latin,latin-ext}-700-normal.woff2',
  { query: '?url', import: 'default', eager: true },
);

/** Font names used in `text-font` by the map style. */
export const MAP_FONT_REGULAR = 'Noto Sans SC Regular';
export const MAP_FONT_BOLD = 'Noto Sans SC Bold';

/** CSS family of the UI text. */
export const UI_FONT_FAMILY = 'Noto Sans SC';

interface FontSubset {
  url: string;
  /** CSS unicode-range entries, e.g. `U+4e00-4e0f`. */
  ranges: string[];
}

const RANGES: Record<string, string> = subsetRanges;

/** `noto-sans-sc-117-400-normal.woff2` → `[117]`, `noto-sans-sc-latin-ext-400-normal.woff2` → `latin-ext`. */
function subsetKey(path: string): string | null {
  const match = /noto-sans-sc-(.+)-\d00-normal\.woff2$/.exec(path);
  if (!match?.[1]) return null;
  return /^\d+$/.test(match[1]) ? `[${match[1]}]` : match[1];
}

function subsets(files: Record<string, string>): FontSubset[] {
  const result: FontSubset[] = [];
  for (const [path, url] of Object.entries(files)) {
    const key = subsetKey(path);
    const ranges = key ? RANGES[key] : undefined;
    if (!ranges) continue;
    result.push({ url: new URL(url, document.baseURI).href, ranges: ranges.split(',').map((range) => range.trim()) });
  }
  return result;
}

const regularSubsets = subsets(regularFiles);
const boldSubsets = subsets(boldFiles);

/** The style's `font-faces`: MapLibre picks the file whose unicode-range covers each character. */
export function mapFontFaces(): FontFacesSpecification {
  return {
    [MAP_FONT_REGULAR]: regularSubsets.map(({ url, ranges }) => ({ url, 'unicode-range': ranges })),
    [MAP_FONT_BOLD]: boldSubsets.map(({ url, ranges }) => ({ url, 'unicode-range': ranges })),
  };
}

/** Declares the same files as @font-face rules for the UI; the browser fetches a subset only when text needs it. */
export function installUiFonts(): void {
  const rules = [
    ...regularSubsets.map((subset) => fontFaceRule(subset, 400)),
    ...boldSubsets.map((subset) => fontFaceRule(subset, 700)),
  ];
  const style = document.createElement('style');
  style.dataset.fonts = UI_FONT_FAMILY;
  style.textContent = rules.join('\n');
  document.head.append(style);
}

function fontFaceRule({ url, ranges }: FontSubset, weight: number): string {
  return `@font-face{font-family:'${UI_FONT_FAMILY}';font-style:normal;font-weight:${weight};font-display:swap;src:url(${url}) format('woff2');unicode-range:${ranges.join(',')};}`;
}
