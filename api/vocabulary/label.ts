/** The languages the UI speaks; Chinese first, English as a switch. */
export type Language = 'zh' | 'en';

/** A domain word as each UI language says it. */
export interface Label {
  readonly zh: string;
  readonly en: string;
}

/**
 * The label of `code` in `lang` from one of the vocabulary's tables: a dash for no code, and the
 * code itself when the server knows a word this client does not (an older cached page, say).
 */
export function labelOf(labels: Readonly<Record<string, Label>>, lang: Language, code: string | null | undefined): string {
  if (!code) return '—';
  return Object.hasOwn(labels, code) ? labels[code]![lang] : code;
}
