import { type InfiniteData, useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { client, ok } from '../api-client.ts';
import { showNotice } from '../handle-error.ts';
import { fill, type Language, useI18n } from '../i18n.ts';
import { useDebounced } from '../ui/use-debounced.ts';
import { addSurvey, surveyOutbox, useSurveyOutbox } from './survey-outbox.ts';
import './survey.css';

type HouseholdPage = Awaited<ReturnType<typeof fetchHouseholds>>;
type Household = HouseholdPage['households'][number];

/** Households a page: a phone's list, with 更多 for the next. */
const PAGE_SIZE = 50;
/** Wait this long (ms) after the last key before searching. */
const SEARCH_DELAY_MS = 300;

const STRINGS = {
  zh: {
    tab: '满意度',
    title: '网格员满意度调查',
    note: '请住户为本网格的网格员打分（1 很不满意 — 5 很满意）。离线时先存在手机上，联网后自动发送。',
    household: '住户',
    choose: '请选择住户',
    search: '搜索门牌号、地址或住户编码',
    total: '共 {n} 户',
    found: '找到 {n} 户',
    more: '更多（还有 {n} 户）',
    chosen: '已选：{address}',
    noMatch: '没有符合的住户。',
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
    search: 'Search by house number, address or household code',
    total: '{n} households',
    found: '{n} found',
    more: 'More ({n} left)',
    chosen: 'Chosen: {address}',
    noMatch: 'No household matches.',
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

/**
 * A page of the households the surveyor may call (by code after `after`; a search by code or
 * address); the first page of the whole list is kept on the phone for a survey taken offline.
 */
async function fetchHouseholds(account: string, q: string, after: string | null) {
  const query = { limit: String(PAGE_SIZE), ...(q ? { q } : {}), ...(after ? { after } : {}) };
  const page = await ok(client.api.workforce.surveys.households.$get({ query }));
  if (!q && !after) localStorage.setItem(cacheKey(account), JSON.stringify(page));
  return page;
}

function cachedHouseholds(account: string): InfiniteData<HouseholdPage, string | null> | undefined {
  try {
    const text = localStorage.getItem(cacheKey(account));
    const page = text ? (JSON.parse(text) as HouseholdPage) : undefined;
    return page && Array.isArray(page.households) ? { pages: [page], pageParams: [null] } : undefined;
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
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), SEARCH_DELAY_MS);
  const households = useInfiniteQuery({
    queryKey: ['workforce', 'survey-households', account, q],
    queryFn: ({ pageParam }) => fetchHouseholds(account, q, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.next,
    placeholderData: () => (q ? undefined : cachedHouseholds(account)),
    staleTime: 10 * 60_000,
  });
  const items = useSurveyOutbox().filter((item) => item.account === account);
  const [chosen, setChosen] = useState<Household | undefined>();
  const [score, setScore] = useState(0);
  const [comment, setComment] = useState('');
  const pages = households.data?.pages ?? [];
  const list = pages.flatMap((page) => page.households);
  const total = pages[0]?.total ?? 0;

  const submit = async () => {
    if (!chosen || score === 0) return;
    await addSurvey(account, chosen.address, {
      householdCode: chosen.code,
      score,
      comment: comment.trim(),
      surveyedAt: new Date().toISOString(),
    });
    setChosen(undefined);
    setScore(0);
    setComment('');
    showNotice(s.saved);
  };
  const waiting = items.filter((item) => item.state === 'waiting' || item.state === 'sending').length;

  return (
    <section className="fs-survey" data-testid="survey-tab">
      <h2>{s.title}</h2>
      <p className="fs-note">{s.note}</p>
      {list.length === 0 && !q && !households.isFetching ? (
        <p className="fp-empty">{s.noHouseholds}</p>
      ) : (
        <>
          <div className="fs-field">
            <span>{s.household}</span>
            <input
              type="search"
              value={search}
              placeholder={s.search}
              onChange={(event) => setSearch(event.target.value)}
              data-testid="survey-search"
            />
            <small className="fs-count" data-testid="survey-total">
              {fill(q ? s.found : s.total, { n: total })}
            </small>
            <ul className="fs-households" data-testid="survey-household">
              {list.map((household) => (
                <li key={household.code}>
                  <button
                    type="button"
                    aria-pressed={chosen?.code === household.code}
                    className={chosen?.code === household.code ? 'chosen' : ''}
                    onClick={() => setChosen(household)}
                    data-code={household.code}
                    data-testid="survey-household-option"
                  >
                    <span>{household.address}</span>
                    <small>
                      {household.code}
                      {household.surveyedThisYear ? s.surveyed : ''}
                    </small>
                  </button>
                </li>
              ))}
              {list.length === 0 && !households.isFetching && <li className="fp-empty">{s.noMatch}</li>}
            </ul>
            {households.hasNextPage && (
              <button
                type="button"
                className="button fs-more"
                disabled={households.isFetchingNextPage}
                onClick={() => void households.fetchNextPage()}
                data-testid="survey-more"
              >
                {fill(s.more, { n: total - list.length })}
              </button>
            )}
          </div>
          {chosen && (
            <p className="fs-chosen" data-testid="survey-chosen">
              {fill(s.chosen, { address: chosen.address })}
            </p>
          )}
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
