import { PATTERNS, type Pattern } from './beep-patterns';

/** Web Audio beeps; no audio files. Browsers keep the context suspended until a user gesture. */
export class AlarmSound {
  private ctx: AudioContext | null = null;

  private context(): AudioContext | null {
    if (this.ctx) return this.ctx;
    const Ctor =
      window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctor) return null;
    this.ctx = new Ctor();
    return this.ctx;
  }

  /** Call from a user gesture (click, key) so later alarms can sound. */
  unlock(): void {
    const ctx = this.context();
    if (ctx && ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
  }

  get blocked(): boolean {
    return this.ctx === null || this.ctx.state !== 'running';
  }

  play(pattern: Pattern): void {
    const ctx = this.context();
    if (!ctx) return;
    if (ctx.state === 'suspended') void ctx.resume().catch(() => undefined);
    const { tones, gain, wave } = PATTERNS[pattern];
    const t0 = ctx.currentTime + 0.02;
    for (const tone of tones) {
      const osc = ctx.createOscillator();
      const amp = ctx.createGain();
      osc.type = wave;
      osc.frequency.value = tone.hz;
      // short attack and release: no clicks
      amp.gain.setValueAtTime(0, t0 + tone.at);
      amp.gain.linearRampToValueAtTime(gain, t0 + tone.at + 0.01);
      amp.gain.setValueAtTime(gain, t0 + tone.at + tone.dur - 0.02);
      amp.gain.linearRampToValueAtTime(0, t0 + tone.at + tone.dur);
      osc.connect(amp).connect(ctx.destination);
      osc.start(t0 + tone.at);
      osc.stop(t0 + tone.at + tone.dur + 0.01);
    }
  }
}
