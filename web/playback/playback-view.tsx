import type { PickingInfo } from '@deck.gl/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { PATROL_GAP_CAUSES, type PatrolGapCause } from '../../api/vocabulary/patrols.ts';
import { AppLink } from '../app-link.tsx';
import { useSession } from '../auth/session.ts';
import { AreaFilter } from '../cases/area-filter.tsx';
import { TopBar } from '../command/top-bar.tsx';
import { loadFailedTitle } from '../query-client.ts';
import { mapUrl } from '../routes.ts';
import { fetchPlayback, type PlaybackWorker } from './playback-api.ts';
import { colorOf, playbackLayers, playbackScene, type StopMark } from './playback-layers.ts';
import { PlaybackMap } from './playback-map.tsx';
import { clockOf, durationOf, fill, usePlaybackStrings } from './playback-strings.ts';
import './playback.css';

/** Playback speeds: a working day of eight hours takes 8 min, 96 s or 24 s. */
const SPEEDS = [60, 300, 1200] as const;
const NO_WORKERS: readonly PlaybackWorker[] = [];

/** Today in Asia/Shanghai, YYYY-MM-DD: the county's day, whatever the screen's time zone. */
function shanghaiToday(): string {
  return new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
}

/**
 * 巡查轨迹回放: a day (Beijing time), an area of the reader's scope and some or all of its
 * workers. It opens on the latest day with a track the reader may see (today once anyone has
 * walked today: at night and in the early morning today is still empty); the tracks animate on a time slider (play, pause, 60×/300×/1200×), the stops show as
 * circles sized by how long they lasted, and the gaps the phones explained sit on the slider so
 * that a gap is not read as "no patrol". The list gives each worker's distance, time out and stops.
 */
export function PlaybackView() {
  const { s, lang } = usePlaybackStrings();
  const { scope } = useSession();
  const dayId = useId();
  const queryClient = useQueryClient();
  /** The day shown; null until the server has said which day to open on. */
  const [day, setDay] = useState<string | null>(null);
  const [area, setArea] = useState('');
  /** Worker ids picked from the list; empty means every worker of the area. */
  const [picked, setPicked] = useState<ReadonlySet<string>>(new Set());
  const [time, setTime] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState<(typeof SPEEDS)[number]>(300);

  const read = useQuery({
    queryKey: ['patrols', 'playback', day, area],
    queryFn: ({ signal }) => fetchPlayback(day, area, signal),
    // Each read of others' tracks is an audit row: read again only when asked for another day or area.
    staleTime: Number.POSITIVE_INFINITY,
    meta: { errorTitle: loadFailedTitle },
  });
  // The first answer names the day it opened on: hold that day (its answer kept under its own key,
  // so nothing is read twice), so that picking another area stays on it.
  useEffect(() => {
    if (day !== null || !read.data) return;
    queryClient.setQueryData(['patrols', 'playback', read.data.day, area], read.data);
    setDay(read.data.day);
  }, [day, read.data, area, queryClient]);
  const workers = read.data?.workers ?? NO_WORKERS;
  const shown = useMemo(
    () => (picked.size === 0 ? workers : workers.filter((worker) => picked.has(worker.workerId))),
    [workers, picked],
  );
  const colorIndex = useMemo(() => new Map(workers.map((worker, index) => [worker.workerId, index])), [workers]);
  const scene = useMemo(() => playbackScene(shown, (worker) => colorIndex.get(worker.workerId) ?? 0), [shown, colorIndex]);
  const { drawn } = scene;

  /** The slider's range: the first and last fix of the workers shown. */
  const [start, end] = useMemo(() => {
    let first = Number.POSITIVE_INFINITY;
    let last = 0;
    for (const { tracks } of drawn) {
      for (const track of tracks) {
        first = Math.min(first, track.seconds[0] ?? first);
        last = Math.max(last, track.seconds.at(-1) ?? last);
      }
    }
    return Number.isFinite(first) ? [first, Math.max(last, first + 1)] : [8 * 3600, 18 * 3600];
  }, [drawn]);

  useEffect(() => {
    setTime(start);
  }, [start]);

  const bounds = useMemo(() => {
    let west = 180;
    let south = 90;
    let east = -180;
    let north = -90;
    for (const { tracks } of drawn) {
      for (const { path } of tracks) {
        for (const [lng, lat] of path) {
          west = Math.min(west, lng);
          east = Math.max(east, lng);
          south = Math.min(south, lat);
          north = Math.max(north, lat);
        }
      }
    }
    if (west <= east) return [west, south, east, north] as [number, number, number, number];
    return scope?.bbox ? ([...scope.bbox] as [number, number, number, number]) : null;
  }, [drawn, scope]);

  // Play: the clock moves `speed` seconds of the day per second of the wall, and stops at the end.
  const frame = useRef(0);
  useEffect(() => {
    if (!playing) return;
    let last = performance.now();
    const tick = (now: number) => {
      const elapsed = (now - last) / 1000;
      last = now;
      setTime((current) => {
        const next = current + elapsed * speed;
        if (next >= end) {
          setPlaying(false);
          return end;
        }
        return next;
      });
      frame.current = requestAnimationFrame(tick);
    };
    frame.current = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame.current);
  }, [playing, speed, end]);

  const layers = useMemo(() => playbackLayers(scene, time), [scene, time]);
  const tooltip = (info: PickingInfo) => {
    if (info.layer?.id !== 'playback-stops' || !info.object) return null;
    const stop = info.object as StopMark;
    return fill(s.stopTip, {
      name: stop.name,
      minutes: Math.round((stop.toS - stop.fromS) / 60),
      from: clockOf(stop.fromS),
      to: clockOf(stop.toS),
    });
  };
  const gaps = shown.flatMap((worker) => worker.gaps.map((gap) => ({ ...gap, name: worker.workerName })));
  const share = (seconds: number) => `${(Math.max(0, Math.min(1, (seconds - start) / (end - start))) * 100).toFixed(2)}%`;

  const toggle = (workerId: string) => {
    const next = new Set(picked);
    if (next.has(workerId)) next.delete(workerId);
    else next.add(workerId);
    setPicked(next);
  };

  return (
    <div className="playback-view">
      <TopBar synthetic>
        <nav className="playback-nav">
          <AppLink href={mapUrl()} className="button">
            {s.backToMap}
          </AppLink>
          <h2>{s.title}</h2>
        </nav>
      </TopBar>
      <aside className="playback-side">
        <div className="field">
          <label htmlFor={dayId}>
            {s.day} <small>{s.dayNote}</small>
          </label>
          <input
            id={dayId}
            className="input"
            type="date"
            value={day ?? ''}
            max={shanghaiToday()}
            onChange={(event) => {
              if (!event.target.value) return;
              setDay(event.target.value);
              setPicked(new Set());
              setPlaying(false);
            }}
            data-testid="playback-day"
          />
        </div>
        <AreaFilter
          value={area}
          onChange={(code) => {
            setArea(code);
            setPicked(new Set());
            setPlaying(false);
          }}
        />
        <div className="playback-workers-head">
          <h3>{s.workers}</h3>
          <button type="button" className="button" disabled={picked.size === 0} onClick={() => setPicked(new Set())}>
            {picked.size === 0 ? fill(s.allWorkers, { n: workers.length }) : `${s.all} · ${fill(s.picked, { n: picked.size })}`}
          </button>
        </div>
        {read.isPending && <p className="playback-note">{s.loading}</p>}
        {read.isSuccess && workers.length === 0 && <p className="playback-note">{s.noPatrols}</p>}
        <ul className="playback-workers" data-testid="playback-workers">
          {workers.map((worker) => {
            const index = colorIndex.get(worker.workerId) ?? 0;
            const on = picked.size === 0 || picked.has(worker.workerId);
            return (
              <li key={worker.workerId} className={on ? 'on' : 'off'}>
                <label>
                  <input type="checkbox" checked={picked.has(worker.workerId)} onChange={() => toggle(worker.workerId)} />
                  <span className="playback-swatch" style={{ background: `rgb(${colorOf(index).join(',')})` }} />
                  <span className="playback-name">{worker.workerName}</span>
                </label>
                <span className="playback-figures">
                  <span title={s.distance}>{fill(s.km, { n: (worker.distanceM / 1000).toFixed(2) })}</span>
                  <span title={s.duration}>{durationOf(worker.durationS, lang)}</span>
                  <span title={s.stops}>
                    {s.stops} {worker.stops.length}
                  </span>
                </span>
              </li>
            );
          })}
        </ul>
        <p className="playback-note">{s.audited}</p>
      </aside>
      <main className="playback-main">
        <PlaybackMap bounds={bounds} layers={layers} tooltip={tooltip} />
        <div className="playback-timeline">
          <button
            type="button"
            className="button playback-play"
            onClick={() => {
              if (!playing && time >= end) setTime(start);
              setPlaying(!playing);
            }}
            disabled={drawn.length === 0}
          >
            {playing ? s.pause : s.play}
          </button>
          <output className="playback-clock" data-testid="playback-clock">
            {clockOf(time, true)}
          </output>
          <div className="playback-slider">
            <div className="playback-gaps" title={s.gapsLegend}>
              {gaps.map((gap) => (
                <span
                  key={`${gap.patrolId}-${gap.fromS}`}
                  className="playback-gap"
                  style={{ left: share(gap.fromS), width: `calc(${share(gap.toS)} - ${share(gap.fromS)})` }}
                  title={fill(s.gapTip, {
                    from: clockOf(gap.fromS),
                    to: clockOf(gap.toS),
                    cause: PATROL_GAP_CAUSES[gap.cause as PatrolGapCause]?.[lang] ?? gap.cause,
                  })}
                />
              ))}
            </div>
            <input
              type="range"
              aria-label={s.time}
              min={start}
              max={end}
              step={1}
              value={Math.round(time)}
              onChange={(event) => {
                setPlaying(false);
                setTime(Number(event.target.value));
              }}
              data-testid="playback-slider"
            />
            <div className="playback-ticks">
              <span>{clockOf(start)}</span>
              {gaps.length > 0 && <span className="playback-gap-legend">{s.gapsLegend}</span>}
              <span>{clockOf(end)}</span>
            </div>
          </div>
          <fieldset className="playback-speeds">
            <legend className="playback-hidden">{s.speed}</legend>
            {SPEEDS.map((value) => (
              <button
                key={value}
                type="button"
                className={`button${value === speed ? ' active' : ''}`}
                aria-pressed={value === speed}
                onClick={() => setSpeed(value)}
              >
                {value}×
              </button>
            ))}
          </fieldset>
        </div>
      </main>
    </div>
  );
}
