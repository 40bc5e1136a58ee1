import { createRandomStream, type RandomStream } from '../../geo/seeded-random.ts';
import { createPeopleFactory } from '../../geo/synthetic-people.ts';
import type { Certificate, ExamStatus } from '../vocabulary/workforce.ts';
import type { DemoCase } from './history.ts';

/** A grid worker of the loaded county, with a few households of their grid and who informs for each. */
export interface DemoWorker {
  personId: string;
  gridCode: string;
  urban: boolean;
  households: { code: string; cellCode: string; informant: string | null }[];
}

export interface DemoCredential {
  personId: string;
  certificate: Certificate;
  certificateNumber: string | null;
  certifiedOn: string | null;
  examStatus: ExamStatus;
  examYear: number | null;
  areaCode: string;
}

export interface DemoTraining {
  personId: string;
  course: string;
  hours: number;
  completedOn: string;
  areaCode: string;
}

export interface DemoSurvey {
  personId: string;
  areaCode: string;
  householdCode: string;
  score: number;
  comment: string;
  collectedByName: string;
  clientId: string;
  surveyedAt: Date;
}

export interface DemoEvaluation {
  reportId: string;
  party: 'resident' | 'department' | 'grid_worker';
  subjectCode: string;
  score: number;
  source: 'return_call' | 'department' | 'grid_worker';
  calledName: string | null;
  calledPhone: string | null;
  evaluatorName: string;
  evaluatorRole: string;
  clientId: string;
  areaCode: string;
  createdAt: Date;
}

const DAY = 86_400_000;
const COURSES = [
  '网格化服务管理实务',
  '社会工作基础',
  '矛盾纠纷排查化解',
  '地质灾害群测群防',
  '应急处置与信息报送',
  '重点人群服务管理',
];
const COMMENTS: Record<number, string[]> = {
  1: ['很少见到网格员', '反映的问题没人管'],
  2: ['办事拖拉', '联系不上'],
  3: ['一般', ''],
  4: ['比较负责', '有事能找到人', ''],
  5: ['非常负责，随叫随到', '经常上门走访', '', ''],
};
const shanghaiDay = (instant: number) => new Date(instant + 8 * 3_600_000).toISOString().slice(0, 10);

/** A satisfaction score 1-5: residents of the urban core rate their workers higher (the source study's gap). */
const scoreOf = (random: RandomStream, urban: boolean) =>
  random.weightedIndex(urban ? [0.2, 0.4, 1.5, 4, 5] : [0.6, 1.2, 2.5, 4, 2.8]) + 1;

/**
 * The people side of the demo's year: each grid worker's certificate and exam (about 40% certified,
 * more in the urban core), their trainings and the residents' surveys of them over the `days`
 * before `now`. Deterministic per seed.
 */
export function planDemoWorkforce(workers: readonly DemoWorker[], options: { seed: number; now: Date; days: number }) {
  const random = createRandomStream(options.seed, 'demo-workforce');
  const now = options.now.getTime();
  const year = new Date(now + 8 * 3_600_000).getUTCFullYear();
  const credentials: DemoCredential[] = [];
  const trainings: DemoTraining[] = [];
  const surveys: DemoSurvey[] = [];
  for (const worker of workers) {
    const certified = random.next() < (worker.urban ? 0.62 : 0.36);
    const certifiedYear = year - 1 - random.integer(0, 8);
    const failedBefore = random.next() < 0.3;
    const examStatus: ExamStatus = certified
      ? 'passed'
      : random.pick(['not_registered', 'not_registered', 'registered', 'failed'] as const);
    credentials.push({
      personId: worker.personId,
      certificate: certified ? (['assistant', 'intermediate', 'senior'] as const)[random.weightedIndex([75, 22, 3])]! : 'none',
      certificateNumber: certified ? `${certifiedYear}5119${String(random.integer(0, 1_000_000)).padStart(6, '0')}` : null,
      certifiedOn: certified
        ? `${certifiedYear}-${random.pick(['06', '07', '11'])}-${String(random.integer(1, 29)).padStart(2, '0')}`
        : null,
      examStatus,
      examYear: certified
        ? certifiedYear
        : examStatus === 'registered'
          ? year
          : examStatus === 'failed' || failedBefore
            ? year - 1
            : null,
      areaCode: worker.gridCode,
    });
    const trainingCount = random.integer(worker.urban ? 2 : 1, worker.urban ? 7 : 5);
    for (let index = 0; index < trainingCount; index++) {
      trainings.push({
        personId: worker.personId,
        course: random.pick(COURSES),
        hours: random.pick([4, 8, 8, 16, 24, 32]),
        completedOn: shanghaiDay(now - random.next() * options.days * DAY),
        areaCode: worker.gridCode,
      });
    }
    if (worker.households.length === 0) continue;
    const surveyCount = random.integer(4, 13);
    for (let index = 0; index < surveyCount; index++) {
      const household = random.pick(worker.households);
      const score = scoreOf(random, worker.urban);
      surveys.push({
        personId: worker.personId,
        areaCode: household.cellCode,
        householdCode: household.code,
        score,
        comment: random.pick(COMMENTS[score]!),
        collectedByName: household.informant ?? '单元格信息员',
        clientId: `demo-survey-${worker.personId}-${index}`,
        surveyedAt: new Date(now - random.next() * options.days * DAY),
      });
    }
  }
  return { credentials, trainings, surveys };
}

/**
 * The three-party evaluation of the demo's closed cases: the resident's score from the return call
 * that the case's `evaluate` step records (naming whom the duty officer called), and for cases a
 * department handled, the department's view and the grid worker's rating of the department.
 */
export function planDemoEvaluations(cases: readonly DemoCase[], options: { seed: number; now: Date }): DemoEvaluation[] {
  const random = createRandomStream(options.seed, 'demo-evaluations');
  const people = createPeopleFactory(random);
  const now = options.now.getTime();
  const evaluations: DemoEvaluation[] = [];
  for (const demoCase of cases) {
    if (!demoCase.closedAt) continue;
    const base = { reportId: demoCase.id, areaCode: demoCase.place.cellCode };
    const evaluate = demoCase.steps.find((step) => step.action === 'evaluate');
    if (evaluate && demoCase.satisfaction !== null) {
      evaluations.push({
        ...base,
        party: 'resident',
        subjectCode: '',
        score: demoCase.satisfaction,
        source: 'return_call',
        calledName: people.name(),
        calledPhone: people.phone(),
        evaluatorName: evaluate.actorName,
        evaluatorRole: evaluate.actorRole,
        clientId: `demo-eval-${demoCase.id}-resident`,
        createdAt: evaluate.at,
      });
    }
    const department = demoCase.assignedDepartmentCode;
    if (!department) continue;
    const at = (hours: number) => new Date(Math.min(now, demoCase.closedAt!.getTime() + hours * 3_600_000));
    const late = demoCase.closedOnTime === false;
    if (random.next() < 0.7) {
      evaluations.push({
        ...base,
        party: 'department',
        subjectCode: department,
        score: random.weightedIndex(late ? [0.3, 1, 3, 3, 1] : [0.1, 0.3, 1.5, 4, 3]) + 1,
        source: 'department',
        calledName: null,
        calledPhone: null,
        evaluatorName: '部门承办人',
        evaluatorRole: 'department_cadre',
        clientId: `demo-eval-${demoCase.id}-department`,
        createdAt: at(2 + random.next() * 20),
      });
    }
    if (random.next() < 0.6) {
      evaluations.push({
        ...base,
        party: 'grid_worker',
        subjectCode: department,
        score: random.weightedIndex(late ? [0.6, 1.5, 3, 2, 0.8] : [0.2, 0.5, 1.5, 4, 3]) + 1,
        source: 'grid_worker',
        calledName: null,
        calledPhone: null,
        evaluatorName: demoCase.place.gridWorker ?? '网格员',
        evaluatorRole: 'grid_worker',
        clientId: `demo-eval-${demoCase.id}-grid_worker`,
        createdAt: at(4 + random.next() * 30),
      });
    }
  }
  return evaluations;
}
