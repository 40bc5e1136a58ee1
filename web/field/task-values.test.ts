import { describe, expect, it } from 'vitest';
import { checkAnswers, type FormField } from '../../api/vocabulary/task-forms.ts';
import { toAnswers, toValues } from './task-values.ts';

const VEHICLES: FormField[] = [
  { key: 'households', label: '户数', type: 'number', required: true, integer: true, min: 0 },
  {
    key: 'vehicles',
    label: '农村机动车',
    type: 'list',
    required: true,
    fields: [
      { key: 'plate', label: '号牌', type: 'text', required: true },
      { key: 'seats', label: '核载人数', type: 'number', required: false, integer: true, min: 1 },
    ],
  },
  { key: 'note', label: '备注', type: 'text', required: false },
];
const COUNTY = { countyBbox: [106.5, 31.5, 107.7, 32.6] as const };

describe('a form as typed on the phone, and as sent', () => {
  it('turns typed numbers into numbers, inside list items too, and leaves empty entries out', () => {
    const answers = toAnswers(VEHICLES, {
      households: '23',
      vehicles: [
        { plate: '川Y·A1234', seats: '3' },
        { plate: '川Y·B5678', seats: '' },
      ],
      note: '',
    });
    expect(answers).toEqual({ households: 23, vehicles: [{ plate: '川Y·A1234', seats: 3 }, { plate: '川Y·B5678' }] });
    expect(checkAnswers(VEHICLES, answers, COUNTY).ok).toBe(true);
  });

  it('keeps what is not a number as typed, so the shared check names the field', () => {
    const checked = checkAnswers(VEHICLES, toAnswers(VEHICLES, { households: '二十', vehicles: [] }), COUNTY);
    expect(checked).toMatchObject({ ok: false, problem: { path: 'households', message: { zh: '「户数」应为数字' } } });
    const second = checkAnswers(
      VEHICLES,
      toAnswers(VEHICLES, { households: '3', vehicles: [{ plate: 'A' }, { seats: '2' }] }),
      COUNTY,
    );
    expect(second).toMatchObject({ ok: false, problem: { path: 'vehicles.1.plate' } });
    expect(second.ok ? '' : second.problem.message.zh).toContain('第 2 条的「号牌」为必填项');
  });

  it('opens an earlier answer for correction as it was typed', () => {
    const earlier = { households: 23, vehicles: [{ plate: '川Y·A1234', seats: 3 }] };
    const values = toValues(VEHICLES, earlier);
    expect(values).toEqual({ households: '23', vehicles: [{ plate: '川Y·A1234', seats: '3' }] });
    expect(toAnswers(VEHICLES, values)).toEqual(earlier);
  });
});
