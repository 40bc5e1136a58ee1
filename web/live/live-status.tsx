import { CASE_STRINGS } from '../cases/case-strings.ts';
import { useI18n } from '../i18n.ts';
import { setAlarmMuted, useAlarmSound } from './alarm-sound.ts';
import { useLiveConnection } from './live-stream.ts';

/**
 * In the top bar: whether the live feed is connected (a steady green dot) or reconnecting (amber,
 * blinking), and the alarm sound: on, muted, or waiting for the first click the browser requires.
 * Words, not only colours, so it reads from across the room.
 */
export function LiveStatus({ sound }: { sound: boolean }) {
  const { lang } = useI18n();
  const c = CASE_STRINGS[lang];
  const connection = useLiveConnection();
  const alarm = useAlarmSound();
  const connectionLabel =
    connection === 'live' ? c.liveConnected : connection === 'reconnecting' ? c.liveReconnecting : c.liveConnecting;
  const soundLabel = alarm === 'muted' ? c.soundMuted : alarm === 'ready' ? c.soundOn : c.soundBlocked;
  const soundTitle = alarm === 'muted' ? c.soundMutedTitle : alarm === 'ready' ? c.soundOnTitle : c.soundBlockedTitle;
  return (
    <div className="live-status">
      <span
        className="live-connection"
        data-state={connection}
        data-testid="live-connection"
        title={connection === 'live' ? c.liveConnectedTitle : c.liveReconnectingTitle}
        role="status"
      >
        <span className="live-dot" aria-hidden="true" />
        <span className="live-connection-label">{connectionLabel}</span>
      </span>
      {sound && (
        <button
          type="button"
          className="button live-sound"
          data-state={alarm}
          aria-pressed={alarm !== 'muted'}
          title={soundTitle}
          onClick={() => setAlarmMuted(alarm !== 'muted')}
        >
          <SpeakerIcon muted={alarm === 'muted'} />
          <span className="live-sound-label">{soundLabel}</span>
        </button>
      )}
    </div>
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
