import { useSyncExternalStore } from 'react';

/**
 * The alarm of the duty room: a two-tone beep made with WebAudio (no sound file, nothing fetched),
 * repeated while an urgent or landslide report waits for someone to take it.
 *
 * Whether it sounds is the duty officer's choice, kept per browser across reloads. A browser may
 * still refuse to play until someone clicks the page (its autoplay policy): the audio context is
 * made as the page loads, so that the page knows at once which case it is in. A kiosk browser
 * started to allow sound (`--autoplay-policy=no-user-gesture-required`, or a site allowed to play)
 * sounds right away; any other shows `blocked` in the top bar, a button that one click turns into
 * sound. Any click or key on the page does it too. Pages without the sound control make no context.
 */

const MUTED_KEY = 'grid-command.alarm.muted';
/** Seconds between two beeps while something waits. */
const REPEAT_MS = 4000;

/**
 * `muted`: the duty officer turned it off; `blocked`: on, but the browser waits for a click;
 * `ready`: it will sound; `starting`: on, and the browser has not said yet whether it allows it.
 */
export type AlarmSound = 'muted' | 'starting' | 'blocked' | 'ready';

/**
 * A new audio context is `suspended` at first even where sound is allowed, and turns `running`
 * a moment later; where it is not, nothing tells the page. After this long (ms) still suspended
 * means the browser waits for a click.
 */
const SETTLE_MS = 1_000;

let context: AudioContext | null = null;
let settled = false;
let muted = readMuted();
let waiting = false;
let repeatTimer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

function readMuted(): boolean {
  try {
    return localStorage.getItem(MUTED_KEY) === 'true';
  } catch {
    return false;
  }
}

function publish(): void {
  for (const listener of listeners) listener();
}

function status(): AlarmSound {
  if (muted) return 'muted';
  if (context?.state === 'running') return 'ready';
  return settled || !context ? 'blocked' : 'starting';
}

/** The page's audio context, made once; it starts suspended where the browser wants a click first. */
function audioContext(): AudioContext | null {
  if (context) return context;
  try {
    context = new AudioContext();
    context.onstatechange = publish;
    setTimeout(() => {
      settled = true;
      publish();
    }, SETTLE_MS);
  } catch {
    // No WebAudio: the alarm stays visual, and the top bar keeps saying that sound is not on.
  }
  return context;
}

/** Resumes the audio context; inside a user gesture the browser allows it. */
function unlock(): void {
  if (!context && listeners.size === 0) return;
  const audio = audioContext();
  if (audio?.state === 'suspended') {
    audio
      .resume()
      .then(publish)
      .catch(() => {});
  }
  publish();
}

for (const type of ['pointerdown', 'keydown'] as const) window.addEventListener(type, unlock, { capture: true, passive: true });

/** One beep: two short tones, high then low, loud enough across a room and not shrill. */
function beep(): void {
  if (muted || !context || context.state !== 'running') return;
  const start = context.currentTime + 0.01;
  for (const [offset, frequency] of [
    [0, 988],
    [0.22, 740],
  ] as const) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'triangle';
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.35, start + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + offset + 0.2);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + 0.22);
  }
}

/** Beeps now and every few seconds while `active`; stops when nothing waits any more. */
export function setAlarmActive(active: boolean): void {
  if (active === waiting) return;
  waiting = active;
  clearInterval(repeatTimer);
  repeatTimer = undefined;
  if (!active) return;
  beep();
  repeatTimer = setInterval(beep, REPEAT_MS);
}

/** A new alarming report arrived: beep at once, even if another one was already waiting. */
export function soundAlarmNow(): void {
  beep();
}

/** The duty officer's choice, kept for the next load. Turning sound on is a click, so the context resumes too. */
export function setAlarmMuted(next: boolean): void {
  muted = next;
  try {
    localStorage.setItem(MUTED_KEY, String(next));
  } catch {
    // The choice lasts for this page only.
  }
  if (!next) unlock();
  publish();
}

/** The one click the browser asks for: sound on, the choice left as it is. */
export function enableAlarmSound(): void {
  unlock();
}

/** Muted, waiting for the click the browser requires, or ready to sound. */
export function useAlarmSound(): AlarmSound {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    // Made as the control appears, not at the first click: a browser that allows sound plays it from the start.
    if (!muted) audioContext();
    return () => listeners.delete(listener);
  }, status);
}
