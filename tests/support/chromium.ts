import type { Browser, BrowserContextOptions } from 'playwright-core';
import { chromium } from 'playwright-core';

/** The project's Chromium flags: headless, no sandbox (containers), nothing that reaches beyond the machine. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

/** The system's Chromium (never a downloaded one) with the project's flags, and `extraArgs`. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** The phone the field page is made for (the issues name it): 390 × 844 CSS pixels at 2×, touch, Chinese. */
export const FIELD_PHONE: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
};
