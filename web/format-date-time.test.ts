import { describe, expect, it } from 'vitest';
import { formatDateTime, formatTimeOfDay } from './i18n.ts';

describe('times on the county clock', () => {
  it('shows an instant as Asia/Shanghai wall time, whatever the zone it is written in', () => {
    expect(formatDateTime('2026-12-03T16:30:05Z')).toBe('2026-12-04 00:30:05');
    expect(formatDateTime('2026-12-04T00:30:05+08:00')).toBe('2026-12-04 00:30:05');
    expect(formatDateTime(Date.UTC(2026, 5, 30, 23, 59, 59))).toBe('2026-07-01 07:59:59');
    expect(formatTimeOfDay('2026-12-03T01:02:59Z')).toBe('09:02');
  });

  it('gives back what is not a time unchanged', () => {
    expect(formatDateTime('not a time')).toBe('not a time');
  });
});
