import type { Language } from '../i18n.ts';

/** The review page's name, for the account menu, which does not load the page. */
export const REVIEW_TITLE: Record<Language, string> = { zh: '考评', en: 'Review' };
