import { useEffect, useMemo, useState } from 'react';
import type { Language } from '../i18n.ts';
import { useDutyStrings } from './duty-strings.ts';

/** The county keeps Beijing time, whatever the time zone of the machine showing the wall. */
const COUNTY_TIME_ZONE = 'Asia/Shanghai';

function formatters(lang: Language) {
  const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
  return {
    date: new Intl.DateTimeFormat(locale, { timeZone: COUNTY_TIME_ZONE, year: 'numeric', month: 'long', day: 'numeric' }),
    weekday: new Intl.DateTimeFormat(locale, { timeZone: COUNTY_TIME_ZONE, weekday: 'long' }),
    time: new Intl.DateTimeFormat(locale, {
      timeZone: COUNTY_TIME_ZONE,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    }),
  };
}

/** The current time, re-rendered on each whole second (a timer aimed at the next one, so it does not drift). */
function useSecond(): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      const current = new Date();
      setNow(current);
      timer = setTimeout(tick, 1000 - (current.getTime() % 1000) + 5);
    };
    timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
    return () => clearTimeout(timer);
  }, []);
  return now;
}

/** Date, weekday and HH:mm:ss in Beijing time, large enough to read across the duty room. */
export function DutyClock() {
  const { lang, d } = useDutyStrings();
  const now = useSecond();
  const format = useMemo(() => formatters(lang), [lang]);
  return (
    <div className="duty-clock" data-testid="duty-clock" role="timer" aria-label={d.clockLabel}>
      <time className="duty-time" dateTime={now.toISOString()}>
        {format.time.format(now)}
      </time>
      <span className="duty-date">
        <span>{format.date.format(now)}</span>
        <span className="duty-weekday">{format.weekday.format(now)}</span>
      </span>
    </div>
  );
}
