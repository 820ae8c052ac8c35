import { useI18n } from '../i18n/useI18n';
import { useNow } from '../queue/useNow';
import { MUTE_MS } from '../sound/SoundProvider';
import { useSound } from '../sound/useSound';

const mmss = (ms: number) => {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
};

/** A bounded mute with its countdown; shows when an alert is sounding or the browser still blocks audio. */
export function SoundToggle() {
  const { t } = useI18n();
  const now = useNow();
  const { mutedUntil, toggleMute, alerting, blocked } = useSound();
  const muted = mutedUntil !== null;
  return (
    <span
      className="sound"
      data-testid="sound-indicator"
      data-alerting={alerting}
      data-muted={muted}
      data-blocked={blocked}
    >
      {alerting && !muted && <span className="sound-alert">● {t('sound.playing')}</span>}
      {blocked && !muted && <span className="sound-blocked">{t('sound.enable')}</span>}
      {muted && (
        <span className="sound-muted" data-testid="mute-countdown">
          {t('sound.mutedFor', { time: mmss(mutedUntil - now) })}
        </span>
      )}
      <button
        type="button"
        className={`btn btn-small ${muted ? 'btn-warn' : ''}`}
        data-testid="mute-toggle"
        aria-pressed={muted}
        title={muted ? undefined : t('sound.muteLabel', { min: MUTE_MS / 60_000 })}
        onClick={toggleMute}
      >
        {muted ? t('header.unmute') : t('header.mute')}
      </button>
    </span>
  );
}
