import type { Language } from '../i18n.ts';

/** The playback screen's name, for links to it from pages that do not load the screen. */
export const PLAYBACK_TITLE: Record<Language, string> = { zh: '巡查轨迹回放', en: 'Patrol playback' };
