import { type Language, useI18n } from '../i18n.ts';

const ZH = {
  title: '三方评价',
  resident: '居民满意度',
  department: '部门评价',
  gridWorker: '网格员评价部门',
  none: '暂无',
  waiting: '结案后由上报人评价或回访登记',
  viaField: '上报人评价',
  viaCall: '电话回访：{name}（{phone}）',
  by: '{name} 登记',
  returnCall: '回访登记',
  calledName: '被回访人',
  calledPhone: '联系电话',
  score: '满意度',
  note: '回访记录',
  scoreRequired: '请选择分数',
  calledRequired: '请填写被回访人姓名和电话',
  rateDepartment: '评价承办部门',
  giveView: '填写部门评价',
  whichDepartment: '承办部门',
  submit: '提交',
  cancel: '取消',
  saved: '评价已登记',
  failed: '评价未能登记',
} as const;

type EvaluationStrings = { readonly [Key in keyof typeof ZH]: string };

const EN: EvaluationStrings = {
  title: 'Three-party evaluation',
  resident: 'Resident satisfaction',
  department: 'Department’s view',
  gridWorker: 'Grid worker on the department',
  none: 'None yet',
  waiting: 'Given by the reporter, or on a return call, once closed',
  viaField: 'By the reporter',
  viaCall: 'Return call: {name} ({phone})',
  by: 'Recorded by {name}',
  returnCall: 'Return call',
  calledName: 'Person called',
  calledPhone: 'Number',
  score: 'Score',
  note: 'Notes of the call',
  scoreRequired: 'Choose a score',
  calledRequired: 'Name the person called and the number',
  rateDepartment: 'Rate the department',
  giveView: 'Give the department’s view',
  whichDepartment: 'Department',
  submit: 'Send',
  cancel: 'Cancel',
  saved: 'Evaluation recorded',
  failed: 'The evaluation was not recorded',
};

const EVALUATION_STRINGS: Record<Language, EvaluationStrings> = { zh: ZH, en: EN };

export function useEvaluationStrings(): { lang: Language; e: EvaluationStrings } {
  const { lang } = useI18n();
  return { lang, e: EVALUATION_STRINGS[lang] };
}
