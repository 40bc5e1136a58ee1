import { useEffect, useState } from 'react';
import { flushSync } from 'react-dom';

/** The review page's theme: a desk page, light by default (or as the system prefers), dark on request. */
export type ReviewTheme = 'light' | 'dark';

const STORAGE_KEY = 'grid-command.review-theme';

function storedTheme(): ReviewTheme {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'light' || stored === 'dark') return stored;
  } catch {
    // Private browsing: fall back to the system's preference.
  }
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** The theme and a switch that remembers the choice on this device. */
export function useReviewTheme(): [ReviewTheme, () => void] {
  const [theme, setTheme] = useState<ReviewTheme>(storedTheme);
  const toggle = () => {
    const next = theme === 'light' ? 'dark' : 'light';
    setTheme(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // The choice lasts for this page only.
    }
  };
  return [theme, toggle];
}

/**
 * The theme the charts are drawn in: the page's, but light while the page prints (paper is
 * white). The switch is rendered at once (`flushSync`), before the browser lays out the print.
 */
export function useChartTheme(theme: ReviewTheme): ReviewTheme {
  const [printing, setPrinting] = useState(() => window.matchMedia('print').matches);
  useEffect(() => {
    const media = window.matchMedia('print');
    const set = (value: boolean) => flushSync(() => setPrinting(value));
    const before = () => set(true);
    const after = () => set(media.matches);
    const change = (event: MediaQueryListEvent) => set(event.matches);
    window.addEventListener('beforeprint', before);
    window.addEventListener('afterprint', after);
    media.addEventListener('change', change);
    return () => {
      window.removeEventListener('beforeprint', before);
      window.removeEventListener('afterprint', after);
      media.removeEventListener('change', change);
    };
  }, []);
  return printing ? 'light' : theme;
}
