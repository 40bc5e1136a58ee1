import { useRef } from 'react';
import { useI18n } from '../i18n.ts';
import type { AlarmSound } from './alarm-sound.ts';
import { enableAlarmSound, setAlarmMuted, useAlarmSound } from './alarm-sound.ts';
import type { LiveConnection } from './live-stream.ts';
import { useLiveConnection } from './live-stream.ts';
import { LIVE_STRINGS } from './live-strings.ts';

/**
 * In the top bar: the live feed's state (a steady green dot for 实时 only once everything missed
 * is on screen; amber while connecting, reconnecting or catching up) and, for those who take
 * reports, the alarm sound. Words, not only colours, so it reads from across the room.
 */
export function LiveStatus({ sound }: { sound: boolean }) {
  const { lang } = useI18n();
  const s = LIVE_STRINGS[lang];
  const connection = useLiveConnection();
  const words: Record<LiveConnection, [label: string, title: string]> = {
    live: [s.liveConnected, s.liveConnectedTitle],
    'catching-up': [s.liveCatchingUp, s.liveCatchingUpTitle],
    reconnecting: [s.liveReconnecting, s.liveReconnectingTitle],
    connecting: [s.liveConnecting, s.liveConnectingTitle],
  };
  const [label, title] = words[connection];
  return (
    <div className="live-status">
      <span className="live-connection" data-state={connection} data-testid="live-connection" title={title} role="status">
        <span className="live-dot" aria-hidden="true" />
        <span className="live-connection-label">{label}</span>
      </span>
      {sound && <AlarmSoundButton />}
    </div>
  );
}

/**
 * Sound on (a click mutes), muted (a click turns it on), or the browser's one click still needed:
 * then the button says so plainly, and clicking it turns sound on without touching the choice.
 */
function AlarmSoundButton() {
  const { lang } = useI18n();
  const s = LIVE_STRINGS[lang];
  const alarm = useAlarmSound();
  /**
   * What the button said when it was pressed: the press itself resumes the audio (a listener on
   * the whole page), so by the click the button may already say 声音已开, and must not mute.
   */
  const pressedAs = useRef<AlarmSound | null>(null);
  const [label, title] =
    alarm === 'muted'
      ? [s.soundMuted, s.soundMutedTitle]
      : alarm === 'blocked'
        ? [s.soundBlocked, s.soundBlockedTitle]
        : [s.soundOn, s.soundOnTitle];
  return (
    <button
      type="button"
      className="button live-sound"
      data-state={alarm}
      data-testid="alarm-sound"
      aria-pressed={alarm !== 'muted' && alarm !== 'blocked'}
      title={title}
      onPointerDown={() => {
        pressedAs.current = alarm;
      }}
      onKeyDown={() => {
        pressedAs.current = alarm;
      }}
      onClick={() => {
        const shown = pressedAs.current ?? alarm;
        pressedAs.current = null;
        if (shown === 'blocked') enableAlarmSound();
        else setAlarmMuted(shown !== 'muted');
      }}
    >
      <SpeakerIcon muted={alarm === 'muted'} />
      <span className="live-sound-label">{label}</span>
    </button>
  );
}

function SpeakerIcon({ muted }: { muted: boolean }) {
  return (
    <svg className="speaker-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
      <path d="M4 9h4l5-4v14l-5-4H4z" fill="currentColor" />
      {muted ? (
        <path d="M16 9l5 6M21 9l-5 6" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
      ) : (
        <path
          d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12"
          stroke="currentColor"
          strokeWidth="2"
          fill="none"
          strokeLinecap="round"
        />
      )}
    </svg>
  );
}
