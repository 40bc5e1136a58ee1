import { describe, expect, it } from 'vitest';
import { checkAnswers } from '../../api/vocabulary/task-forms.ts';
import { checkDraft, moved, newField, toForm, vehiclesExample } from './form-draft.ts';

const COUNTY_BBOX = [107.0, 31.6, 107.8, 32.6] as const;

describe('the form builder’s drafts', () => {
  it('makes the vehicles example a form the server’s schema takes, and its answers check', () => {
    const checked = checkDraft([vehiclesExample([])]);
    expect(checked.ok).toBe(true);
    expect(toForm([vehiclesExample([])])).toEqual([
      {
        key: 'vehicles',
        label: '车辆',
        required: true,
        type: 'list',
        fields: [
          { key: 'plate', label: '车牌号', required: true, type: 'text', maxLength: 20 },
          { key: 'kind', label: '车型', required: true, type: 'choice', options: ['摩托车', '三轮车', '小型客车', '货车'] },
          { key: 'seats', label: '座位数', required: false, type: 'number', min: 1, max: 60, integer: true, unit: '座' },
        ],
      },
    ]);
    const form = checked.ok ? checked.value : [];
    const answers = { vehicles: [{ plate: '川Y·A1234', kind: '三轮车', seats: 3 }] };
    expect(checkAnswers(form, answers, { countyBbox: COUNTY_BBOX }).ok).toBe(true);
  });

  it('sends only the settings of the chosen type, numbers as numbers', () => {
    const field = { ...newField([], 'number', '人数'), unit: ' 人 ', min: '0', max: '', options: 'a\nb', maxLength: '9' };
    expect(toForm([field])).toEqual([{ key: 'field_1', label: '人数', required: false, type: 'number', min: 0, unit: '人' }]);
  });

  it.each([
    ['an empty form', [], '表单应有 1–30 个字段'],
    ['a field without a label', [newField([], 'text', '')], '第 1 个字段的设置不正确'],
    ['a key that is no identifier', [{ ...newField([], 'text', '姓名'), key: '姓名' }], '「姓名」的设置不正确'],
    ['a choice with one option', [{ ...newField([], 'choice', '车型'), options: '货车' }], '「车型」的设置不正确'],
    ['a min above the max', [{ ...newField([], 'number', '座位'), min: '9', max: '1' }], '「座位」的最小值大于最大值'],
    ['a number that is no number', [{ ...newField([], 'number', '座位'), min: 'abc' }], '「座位」的设置不正确'],
    ['a list without sub-fields', [newField([], 'list', '车辆')], '「车辆」的设置不正确'],
  ])('refuses %s with the server’s message', (_, drafts, message) => {
    const checked = checkDraft(drafts);
    expect(checked.ok).toBe(false);
    if (!checked.ok) expect(checked.problem.message.zh).toContain(message);
  });

  it('refuses a key used twice at one level', () => {
    const first = newField([], 'text', '甲');
    const second = { ...newField([first], 'text', '乙'), key: first.key };
    const checked = checkDraft([first, second]);
    expect(checked.ok ? '' : checked.problem.message.zh).toBe(`字段标识「${first.key}」重复`);
  });

  it('keys a new field with the first free field_n, and moves fields within bounds', () => {
    const a = newField([]);
    const b = newField([a]);
    const c = { ...newField([a, b]), key: 'field_4' };
    expect([a.key, b.key, newField([a, c]).key]).toEqual(['field_1', 'field_2', 'field_3']);
    expect(moved([1, 2, 3], 0, 1)).toEqual([2, 1, 3]);
    expect(moved([1, 2, 3], 0, -1)).toEqual([1, 2, 3]);
    expect(moved([1, 2, 3], 2, 1)).toEqual([1, 2, 3]);
  });
});
