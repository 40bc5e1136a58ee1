import type { Language } from '../i18n.ts';

/** The tasks pages' title, for the account menu (kept apart from the pages' strings, which load with them). */
export const TASKS_TITLE: Record<Language, string> = { zh: '条线任务', en: 'Line tasks' };
