import { useI18n } from '../i18n/useI18n';
import { useSound } from '../sound/useSound';

/** Mute for this shift; shows when an alert is sounding or the browser still blocks audio. */
export function SoundToggle() {
  const { t } = useI18n();
  const { muted, toggleMute, alerting, blocked } = useSound();
  return (
    <span className="sound" data-testid="sound-indicator" data-alerting={alerting} data-muted={muted} data-blocked={blocked}>
      {alerting && !muted && <span className="sound-alert">● {t('sound.playing')}</span>}
      {blocked && !muted && <span className="sound-blocked">{t('sound.enable')}</span>}
      <button type="button" className={`btn btn-small ${muted ? 'btn-warn' : ''}`} data-testid="mute-toggle" aria-pressed={muted} onClick={toggleMute}>
        {muted ? t('header.unmute') : t('header.mute')}
      </button>
    </span>
  );
}
