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
const UI_FONT_FAMILY = 'Noto Sans SC';

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

/**
 * The same typeface where the device has it, by the names fontconfig, Android, macOS and iOS give
 * it (full name, then PostScript name): Noto Sans CJK SC and Source Han Sans SC are the design the
 * self-hosted subsets are cut from, and PingFang SC is what every iPhone draws Chinese with. Each
 * subset's rule tries them before its file, so a phone with a CJK font of its own (all of them,
 * in practice) downloads no UI font at all, and a device without one only the subsets its text uses.
 */
const LOCAL_FACES: Record<400 | 700, string[]> = {
  400: [
    'Noto Sans CJK SC',
    'NotoSansCJKsc-Regular',
    'Source Han Sans SC',
    'SourceHanSansSC-Regular',
    'PingFang SC Regular',
    'PingFangSC-Regular',
  ],
  700: [
    'Noto Sans CJK SC Bold',
    'NotoSansCJKsc-Bold',
    'Source Han Sans SC Bold',
    'SourceHanSansSC-Bold',
    'PingFang SC Semibold',
    'PingFangSC-Semibold',
  ],
};

/**
 * Declares the same files as @font-face rules for the UI, each behind the device's own copy of the
 * typeface (LOCAL_FACES); the browser fetches a subset only when text on screen needs it and the
 * device has no such font. The map does not use these rules: MapLibre loads its own faces.
 */
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

function fontFaceRule({ url, ranges }: FontSubset, weight: 400 | 700): string {
  const local = LOCAL_FACES[weight].map((name) => `local('${name}')`).join(',');
  return `@font-face{font-family:'${UI_FONT_FAMILY}';font-style:normal;font-weight:${weight};font-display:swap;src:${local},url(${url}) format('woff2');unicode-range:${ranges.join(',')};}`;
}
