import { describe, expect, it } from 'vitest';
import { labelOf } from './label.ts';
import { ROLE_LABELS } from './roles.ts';

describe('labelOf', () => {
  it('gives the word in the language asked', () => {
    expect(labelOf(ROLE_LABELS, 'zh', 'department_cadre')).toBe('部门干部');
    expect(labelOf(ROLE_LABELS, 'en', 'department_cadre')).toBe('Department cadre');
  });

  it('shows a code the client has no word for as it is, and no code as a dash', () => {
    expect(labelOf(ROLE_LABELS, 'zh', 'night_watch')).toBe('night_watch');
    expect(labelOf(ROLE_LABELS, 'zh', 'toString')).toBe('toString');
    expect(labelOf(ROLE_LABELS, 'en', null)).toBe('—');
    expect(labelOf(ROLE_LABELS, 'en', '')).toBe('—');
  });
});
