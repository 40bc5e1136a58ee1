import { useSyncExternalStore } from 'react';

/**
 * The alarm of the duty room: a two-tone beep made with WebAudio (no sound file, nothing fetched),
 * repeated while an urgent or landslide report waits for someone to take it. Browsers let a page
 * play sound only after the user has interacted with it, so the audio context starts on the first
 * click or key; until then the alarm is visual only, and the top bar says so. Muting is kept per browser.
 */

const MUTED_KEY = 'grid-command.alarm.muted';
/** Seconds between two beeps while something waits. */
const REPEAT_MS = 4000;

export type AlarmSound = 'muted' | 'blocked' | 'ready';

let context: AudioContext | null = null;
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
  return context?.state === 'running' ? 'ready' : 'blocked';
}

/** Starts (or resumes) the audio context inside a user gesture. */
function unlock(): void {
  try {
    context ??= new AudioContext();
    if (context.state === 'suspended') {
      context
        .resume()
        .then(publish)
        .catch(() => {});
    }
    context.onstatechange = publish;
  } catch {
    // No WebAudio: the alarm stays visual.
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

export function setAlarmMuted(next: boolean): void {
  muted = next;
  try {
    localStorage.setItem(MUTED_KEY, String(next));
  } catch {
    // The choice lasts for this page only.
  }
  publish();
}

/** Muted, waiting for a first click (the browser's rule), or ready to sound. */
export function useAlarmSound(): AlarmSound {
  return useSyncExternalStore((listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, status);
}
