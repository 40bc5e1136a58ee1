import { describe, expect, it } from 'vitest';
import { checkAnswers, type FormField, firstLocation, parseForm } from './task-forms.ts';
import { targetStateOf } from './tasks.ts';

const context = { countyBbox: [110, 30, 111, 31] } as const;

const FORM: FormField[] = [
  { key: 'note', label: '备注', type: 'text', required: false, maxLength: 10 },
  { key: 'people', label: '户籍人数', type: 'number', required: true, min: 0, max: 20, integer: true, unit: '人' },
  { key: 'water', label: '饮水来源', type: 'choice', required: true, options: ['自来水', '井水', '山泉'] },
  { key: 'risks', label: '隐患', type: 'choice', required: false, options: ['漏电', '燃气', '危房'], multiple: true },
  { key: 'checked_on', label: '核查日期', type: 'date', required: false },
  { key: 'door', label: '门牌照片', type: 'photo', required: false },
  { key: 'spot', label: '位置', type: 'location', required: false },
  {
    key: 'vehicles',
    label: '车辆',
    type: 'list',
    required: false,
    maxItems: 3,
    fields: [
      { key: 'plate', label: '车牌', type: 'text', required: true },
      { key: 'seats', label: '座位数', type: 'number', required: false, integer: true },
    ],
  },
];

const good = { people: 4, water: '井水' };

function problemOf(answers: unknown) {
  const result = checkAnswers(FORM, answers, context);
  if (result.ok) throw new Error('expected a problem');
  return result.problem;
}

describe('form answers', () => {
  it('accepts a full, well-typed answer and keeps only what was given', () => {
    const result = checkAnswers(
      FORM,
      {
        ...good,
        note: '无',
        risks: ['漏电', '危房'],
        checked_on: '2024-02-29',
        door: 'p1',
        spot: { lon: 110.5, lat: 30.5 },
        vehicles: [{ plate: '鄂A12345', seats: 5 }, { plate: '鄂B1' }],
      },
      context,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.photoIds).toEqual([{ path: 'door', label: '门牌照片', id: 'p1' }]);
    expect(result.value.answers.vehicles).toEqual([{ plate: '鄂A12345', seats: 5 }, { plate: '鄂B1' }]);
    expect(firstLocation(FORM, result.value.answers)).toEqual({ lon: 110.5, lat: 30.5 });
  });

  it('leaves out empty optional answers', () => {
    const result = checkAnswers(FORM, { ...good, note: '', risks: [], door: null }, context);
    expect(result.ok && result.value.answers).toEqual(good);
  });

  it.each([
    ['a missing required field', { water: '井水' }, 'people', '「户籍人数」为必填项'],
    ['a blank required choice', { people: 1, water: ' ' }, 'water', '「饮水来源」为必填项'],
    ['an unknown key', { ...good, pets: 2 }, 'pets', '表单中没有字段「pets」'],
    ['text for a number', { ...good, people: '4' }, 'people', '「户籍人数」应为数字'],
    ['a fraction for an integer', { ...good, people: 2.5 }, 'people', '「户籍人数」应为整数'],
    ['a number below its minimum', { ...good, people: -1 }, 'people', '「户籍人数」不能小于 0'],
    ['a number above its maximum', { ...good, people: 21 }, 'people', '「户籍人数」不能大于 20'],
    ['an infinite number', { ...good, people: Number.POSITIVE_INFINITY }, 'people', '「户籍人数」应为数字'],
    ['a number for text', { ...good, note: 5 }, 'note', '「备注」应为文字'],
    ['text over its length', { ...good, note: '一二三四五六七八九十十' }, 'note', '「备注」不能超过 10 个字'],
    ['an option not offered', { ...good, water: '河水' }, 'water', '「饮水来源」没有「河水」这个选项'],
    ['a list for a single choice', { ...good, water: ['井水'] }, 'water', '「饮水来源」应为一个选项'],
    ['one option for a multiple choice', { ...good, risks: '漏电' }, 'risks', '「隐患」应为选项列表'],
    ['a repeated option', { ...good, risks: ['漏电', '漏电'] }, 'risks', '「隐患」的选项重复'],
    ['an unknown option in a multiple choice', { ...good, risks: ['漏电', '水灾'] }, 'risks', '「隐患」没有「水灾」这个选项'],
    ['a day that does not exist', { ...good, checked_on: '2023-02-29' }, 'checked_on', '「核查日期」应为有效日期（YYYY-MM-DD）'],
    ['a date in another format', { ...good, checked_on: '2024/01/05' }, 'checked_on', '「核查日期」应为有效日期（YYYY-MM-DD）'],
    ['a month 13', { ...good, checked_on: '2024-13-01' }, 'checked_on', '「核查日期」应为有效日期（YYYY-MM-DD）'],
    ['a photo that is not an id', { ...good, door: 12 }, 'door', '「门牌照片」应为已上传照片的编号'],
    ['a location outside the county', { ...good, spot: { lon: 116.4, lat: 39.9 } }, 'spot', '「位置」不在本县范围内'],
    ['a location without lat', { ...good, spot: { lon: 110.5 } }, 'spot', '「位置」应为经纬度 { lon, lat }'],
    [
      'a location with more keys',
      { ...good, spot: { lon: 110.5, lat: 30.5, alt: 3 } },
      'spot',
      '「位置」应为经纬度 { lon, lat }',
    ],
    ['an object for a list', { ...good, vehicles: { plate: 'x' } }, 'vehicles', '「车辆」应为列表'],
    [
      'too many list items',
      { ...good, vehicles: [{ plate: 'a' }, { plate: 'b' }, { plate: 'c' }, { plate: 'd' }] },
      'vehicles',
      '「车辆」最多填写 3 条',
    ],
    [
      'an item missing a required sub-field',
      { ...good, vehicles: [{ plate: 'a' }, { seats: 4 }] },
      'vehicles.1.plate',
      '「车辆」第 2 条的「车牌」为必填项',
    ],
    [
      'an item with a wrong type',
      { ...good, vehicles: [{ plate: 'a', seats: 'five' }] },
      'vehicles.0.seats',
      '「车辆」第 1 条的「座位数」应为数字',
    ],
    [
      'an item with an unknown key',
      { ...good, vehicles: [{ plate: 'a', colour: 'red' }] },
      'vehicles.0.colour',
      '「车辆」第 1 条的表单中没有字段「colour」',
    ],
    ['an item that is not an object', { ...good, vehicles: ['鄂A1'] }, 'vehicles.0.', '「车辆」第 1 条的应为按字段填写的对象'],
  ])('refuses %s, naming the field', (_case, answers, path, zh) => {
    const problem = problemOf(answers);
    expect(problem.path).toBe(path);
    expect(problem.message.zh).toBe(zh);
  });

  it('refuses answers that are not an object', () => {
    expect(problemOf([good]).message.zh).toBe('答案应为按字段填写的对象');
    expect(problemOf(null).message.zh).toBe('答案应为按字段填写的对象');
  });

  it('asks at least one item of a required list, and minItems of any', () => {
    const form: FormField[] = [
      {
        key: 'kids',
        label: '儿童',
        type: 'list',
        required: true,
        fields: [{ key: 'name', label: '姓名', type: 'text', required: true }],
      },
      {
        key: 'rooms',
        label: '房间',
        type: 'list',
        required: false,
        minItems: 2,
        fields: [{ key: 'area', label: '面积', type: 'number', required: true }],
      },
    ];
    const check = (answers: unknown) => checkAnswers(form, answers, context);
    expect(check({ kids: [] })).toMatchObject({ ok: false, problem: { message: { zh: '「儿童」至少填写 1 条' } } });
    expect(check({})).toMatchObject({ ok: false, problem: { message: { zh: '「儿童」为必填项' } } });
    expect(check({ kids: [{ name: '甲' }], rooms: [{ area: 12 }] })).toMatchObject({
      ok: false,
      problem: { message: { zh: '「房间」至少填写 2 条' } },
    });
    expect(check({ kids: [{ name: '甲' }] }).ok).toBe(true);
  });
});

describe('forms as dispatched', () => {
  it('accepts the form above', () => {
    expect(parseForm(FORM)).toEqual({ ok: true, value: FORM });
  });

  it.each([
    ['no field', [], '表单应有 1–30 个字段'],
    [
      '31 fields',
      Array.from({ length: 31 }, (_, i) => ({ key: `f${i}`, label: `字段${i}`, type: 'date', required: false })),
      '表单应有 1–30 个字段',
    ],
    ['a repeated key', [FORM[0], { ...FORM[0], label: '备注二' }], '字段标识「note」重复'],
    ['a key with capitals', [{ ...FORM[0], key: 'Note' }], '「备注」的设置不正确（key）'],
    ['an unknown type', [{ key: 'x', label: '某项', type: 'audio', required: false }], '「某项」的设置不正确（type）'],
    [
      'one option',
      [{ key: 'x', label: '是否', type: 'choice', required: true, options: ['是'] }],
      '「是否」的设置不正确（options）',
    ],
    [
      'repeated options',
      [{ key: 'x', label: '是否', type: 'choice', required: true, options: ['是', '是'] }],
      '「是否」的选项有重复',
    ],
    [
      'min above max',
      [{ key: 'x', label: '人数', type: 'number', required: true, min: 5, max: 1 }],
      '「人数」的最小值大于最大值',
    ],
    [
      'text longer than 2000',
      [{ key: 'x', label: '说明', type: 'text', required: true, maxLength: 5000 }],
      '「说明」的设置不正确（maxLength）',
    ],
    [
      'a list inside a list',
      [
        {
          key: 'x',
          label: '外层',
          type: 'list',
          required: false,
          fields: [{ key: 'y', label: '内层', type: 'list', required: false, fields: [] }],
        },
      ],
      '「外层」的设置不正确（fields.0.type）',
    ],
    [
      'a repeated key inside a list',
      [{ key: 'x', label: '车辆', type: 'list', required: false, fields: [FORM[0], FORM[0]] }],
      '字段标识「note」重复',
    ],
  ])('refuses %s', (_case, form, zh) => {
    const result = parseForm(form);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problem.message.zh).toBe(zh);
  });
});

describe('target states', () => {
  const none = { deliveredAt: null, readAt: null, acknowledgedAt: null, doneAt: null };
  it.each([
    [none, 'pending'],
    [{ ...none, deliveredAt: '2024-01-01T00:00:00Z' }, 'delivered'],
    [{ ...none, deliveredAt: '2024-01-01T00:00:00Z', readAt: '2024-01-01T00:01:00Z' }, 'read'],
    [{ ...none, acknowledgedAt: new Date() }, 'acknowledged'],
    [{ ...none, readAt: new Date(), doneAt: new Date() }, 'done'],
  ] as const)('%o is %s', (stamps, state) => {
    expect(targetStateOf(stamps)).toBe(state);
  });
});
