import { useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { client, ok } from '../api-client.ts';
import { showNotice } from '../handle-error.ts';
import { fill, type Language, useI18n } from '../i18n.ts';
import { addSurvey, surveyOutbox, useSurveyOutbox } from './survey-outbox.ts';
import './survey.css';

type Household = Awaited<ReturnType<typeof fetchHouseholds>>[number];

const STRINGS = {
  zh: {
    tab: '满意度',
    title: '网格员满意度调查',
    note: '请住户为本网格的网格员打分（1 很不满意 — 5 很满意）。离线时先存在手机上，联网后自动发送。',
    household: '住户',
    choose: '请选择住户',
    worker: '网格员：{name}',
    surveyed: '（今年已调查）',
    comment: '意见建议（可不填）',
    submit: '提交',
    saved: '已保存，联网后自动发送',
    recent: '最近的调查',
    waiting: '待发送',
    sending: '发送中',
    sent: '已发送',
    refused: '未被接受',
    sendNow: '立即重试',
    noHouseholds: '暂无可调查的住户（需联网读取一次）。',
    scores: ['很不满意', '不满意', '一般', '满意', '很满意'],
  },
  en: {
    tab: 'Survey',
    title: 'Satisfaction with the grid worker',
    note: 'Ask the household to rate its grid worker (1 very unsatisfied – 5 very satisfied). Offline, it waits on the phone and is sent when the network is back.',
    household: 'Household',
    choose: 'Choose a household',
    worker: 'Grid worker: {name}',
    surveyed: ' (surveyed this year)',
    comment: 'Comment (optional)',
    submit: 'Submit',
    saved: 'Saved; sent when the network allows',
    recent: 'Recent surveys',
    waiting: 'Waiting',
    sending: 'Sending',
    sent: 'Sent',
    refused: 'Refused',
    sendNow: 'Retry now',
    noHouseholds: 'No household to survey yet (the list is read once online).',
    scores: ['Very unsatisfied', 'Unsatisfied', 'Neutral', 'Satisfied', 'Very satisfied'],
  },
} as const;

/** The survey tab's label, for the field page's tab list. */
export const surveyTabLabel = (lang: Language) => STRINGS[lang].tab;

const cacheKey = (account: string) => `grid-command-survey-households:${account}`;

/** The households the informant may survey; the last list is kept on the phone for a survey taken offline. */
async function fetchHouseholds(account: string) {
  const { households } = await ok(client.api.workforce.surveys.households.$get());
  localStorage.setItem(cacheKey(account), JSON.stringify(households));
  return households;
}

function cachedHouseholds(account: string): Household[] | undefined {
  try {
    const text = localStorage.getItem(cacheKey(account));
    return text ? (JSON.parse(text) as Household[]) : undefined;
  } catch {
    return undefined;
  }
}

/** Sends the account's waiting surveys while the field page is open. */
export function useSurveySending(account: string, enabled: boolean): void {
  useEffect(() => (enabled ? surveyOutbox.start(account) : undefined), [account, enabled]);
}

/** 网格员满意度调查: a household of the informant's cell rates its grid worker, 1-5 with a comment; offline first. */
export function SurveyTab({ account }: { account: string }) {
  const { lang } = useI18n();
  const s = STRINGS[lang];
  const households = useQuery({
    queryKey: ['workforce', 'survey-households', account],
    queryFn: () => fetchHouseholds(account),
    placeholderData: () => cachedHouseholds(account),
    staleTime: 10 * 60_000,
  });
  const items = useSurveyOutbox().filter((item) => item.account === account);
  const [code, setCode] = useState('');
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const list = households.data ?? [];
  const chosen = list.find((household) => household.code === code);

  const submit = async () => {
    if (!chosen || score === 0) return;
    await addSurvey(account, chosen.address, {
      householdCode: chosen.code,
      score,
      comment: comment.trim(),
      surveyedAt: new Date().toISOString(),
    });
    setCode('');
    setScore(0);
    setComment('');
    showNotice(s.saved);
  };
  const waiting = items.filter((item) => item.state === 'waiting' || item.state === 'sending').length;

  return (
    <section className="fs-survey" data-testid="survey-tab">
      <h2>{s.title}</h2>
      <p className="fs-note">{s.note}</p>
      {list.length === 0 ? (
        <p className="fp-empty">{s.noHouseholds}</p>
      ) : (
        <>
          <label className="fs-field">
            <span>{s.household}</span>
            <select value={code} onChange={(event) => setCode(event.target.value)} data-testid="survey-household">
              <option value="">{s.choose}</option>
              {list.map((household) => (
                <option key={household.code} value={household.code}>
                  {household.address}
                  {household.surveyedThisYear ? s.surveyed : ''}
                </option>
              ))}
            </select>
          </label>
          {chosen?.workerName && <p className="fs-worker">{fill(s.worker, { name: chosen.workerName })}</p>}
          <fieldset className="fs-scores" aria-label={s.title}>
            {s.scores.map((label, index) => (
              <button
                key={label}
                type="button"
                aria-pressed={score === index + 1}
                className={score === index + 1 ? 'chosen' : ''}
                onClick={() => setScore(index + 1)}
                data-testid={`survey-score-${index + 1}`}
              >
                <strong>{index + 1}</strong>
                <small>{label}</small>
              </button>
            ))}
          </fieldset>
          <label className="fs-field">
            <span>{s.comment}</span>
            <textarea value={comment} maxLength={500} rows={2} onChange={(event) => setComment(event.target.value)} />
          </label>
          <button
            type="button"
            className="button primary fs-submit"
            disabled={!chosen || score === 0}
            onClick={() => void submit()}
            data-testid="survey-submit"
          >
            {s.submit}
          </button>
        </>
      )}
      {items.length > 0 && (
        <section className="fs-recent" data-testid="survey-outbox">
          <h3>
            {s.recent}
            {waiting > 0 && (
              <button type="button" className="button" onClick={surveyOutbox.retryNow}>
                {s.sendNow}
              </button>
            )}
          </h3>
          <ul>
            {items.slice(0, 10).map((item) => (
              <li key={item.clientId} data-state={item.state}>
                <span>{item.address}</span>
                <strong>{item.survey.score}</strong>
                <em>{s[item.state]}</em>
                {item.error && <small>{item.error}</small>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
