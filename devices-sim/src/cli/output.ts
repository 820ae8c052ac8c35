import pc from 'picocolors';
import { MultiBar, Presets, SingleBar } from 'cli-progress';

export type Tone = 'ok' | 'fail' | 'skip' | 'info' | 'warn' | 'dim';

/**
 * All printing goes through here: colour and progress bars only on a terminal, plain lines
 * when piped, and one JSON object per line with --json (human text then goes to stderr, never
 * mixed into stdout).
 */
export class Output {
  readonly tty: boolean;
  private readonly colors: ReturnType<typeof pc.createColors>;

  constructor(
    readonly json: boolean,
    private readonly stdout: NodeJS.WriteStream = process.stdout,
  ) {
    this.tty = !json && stdout.isTTY === true;
    this.colors = pc.createColors(this.tty && !process.env.NO_COLOR);
  }

  /** A human line (suppressed with --json). */
  line(text = ''): void {
    if (!this.json) this.stdout.write(text + '\n');
  }

  /** A machine record (only with --json). */
  record(obj: Record<string, unknown>): void {
    if (this.json) this.stdout.write(JSON.stringify(obj) + '\n');
  }

  /** Problems always go to stderr, plain. */
  warn(text: string): void {
    process.stderr.write(text + '\n');
  }

  paint(tone: Tone, text: string): string {
    const c = this.colors;
    return { ok: c.green, fail: c.red, skip: c.yellow, warn: c.yellow, info: c.cyan, dim: c.dim }[tone](text);
  }

  bold(text: string): string {
    return this.colors.bold(text);
  }

  /** A progress bar on a TTY; null otherwise (callers then print periodic lines). */
  bar(format: string, total: number): SingleBar | null {
    if (!this.tty) return null;
    const bar = new SingleBar(
      { format, hideCursor: true, clearOnComplete: false, stopOnComplete: false },
      Presets.shades_classic,
    );
    bar.start(total, 0);
    return bar;
  }

  multibar(): MultiBar | null {
    return this.tty
      ? new MultiBar(
          { hideCursor: true, clearOnComplete: false, format: ' {bar} {percentage}% | {label}' },
          Presets.shades_classic,
        )
      : null;
  }
}

export const fmtMs = (ms: number): string =>
  ms < 1000 ? `${Math.round(ms)} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`;
