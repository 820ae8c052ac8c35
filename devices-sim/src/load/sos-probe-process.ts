import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { BedCredentials } from '../hub/credentials';
import type { SosResult } from './sos-probe';

export type ProbeRequest =
  | {
      type: 'start';
      hubUrl: string;
      authHeader: string;
      mqttUrl: string;
      beds: BedCredentials[];
      perSecond: number;
      timeoutMs: number;
    }
  | { type: 'run'; presses: number; windowMs: number; timeoutMs: number }
  | { type: 'stop' };

export type ProbeReply =
  | { type: 'ready'; buttons: number; failures: { deviceId: string; error: string }[] }
  | { type: 'unavailable'; reason: string }
  | { type: 'result'; result: SosResult }
  | { type: 'failed'; error: string };

/**
 * The SOS probe (call buttons + alarm stream, see sos-probe.main) in a child process of its own,
 * started before the generator lowers its priority (--nice), so it keeps the normal one.
 */
export class SosProbeProcess {
  private constructor(private readonly child: ChildProcess) {}

  /** Opens the stream and connects the buttons; `unavailable` when the hub has no alarm stream. */
  static async start(
    o: Omit<Extract<ProbeRequest, { type: 'start' }>, 'type'>,
  ): Promise<
    | { probe: SosProbeProcess; buttons: number; failures: { deviceId: string; error: string }[] }
    | { unavailable: string }
  > {
    const child = fork(join(__dirname, 'sos-probe.main.js'), [], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    });
    const probe = new SosProbeProcess(child);
    const r = await probe.ask({ type: 'start', ...o });
    if (r.type === 'ready') return { probe, buttons: r.buttons, failures: r.failures };
    await probe.stop();
    if (r.type === 'unavailable') return { unavailable: r.reason };
    throw new Error(`SOS probe: ${r.type === 'failed' ? r.error : r.type}`);
  }

  async run(presses: number, windowMs: number, timeoutMs: number): Promise<SosResult> {
    const r = await this.ask({ type: 'run', presses, windowMs, timeoutMs });
    if (r.type !== 'result') throw new Error(`SOS probe: ${r.type === 'failed' ? r.error : r.type}`);
    return r.result;
  }

  /** Closes the stream and the buttons; resolves when the process has exited. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    const kill = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    if (this.child.connected) this.child.send({ type: 'stop' } satisfies ProbeRequest);
    else this.child.kill();
    await exited;
    clearTimeout(kill);
  }

  private ask(m: ProbeRequest): Promise<ProbeReply> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`SOS probe process exited (${code})`));
      this.child.once('exit', onExit);
      this.child.once('message', (r: ProbeReply) => {
        this.child.off('exit', onExit);
        resolve(r);
      });
      this.child.send(m);
    });
  }
}
