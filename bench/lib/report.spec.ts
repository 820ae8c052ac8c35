import type { DeviceFairnessResult } from '../device-fairness.bench';
import { DEVICE_FAIRNESS_HEADING, renderDeviceFairness, spliceSection } from './report';

// The corpus case loads its command line (an ES module) when imported; these figures do not need it.
jest.mock('../corpus.bench', () => ({ renderCorpus: () => [] }));

const figures = (storedP99Ms: number, alarmP99Ms: number) => ({
  presses: 160,
  storedAcks: 160,
  alarmAcks: 159,
  storedP50Ms: 100,
  storedP99Ms,
  alarmP50Ms: 110,
  alarmP99Ms,
});

const result: DeviceFairnessResult = {
  options: { buttons: 8, windowS: 5, everyMs: 250 },
  quiet: figures(150, 160),
  loaded: figures(300, 480),
  ratio: { stored: 2, alarm: 3 },
  withinTarget: false,
  flood: { sent: 885_100, refusedForQuota: 16_552, stuckDropped: false },
};

describe('device fairness in docs/benchmarks.md', () => {
  it('renders quiet and loaded side by side with the loaded ÷ quiet ratio, acks received and the verdict', () => {
    const md = renderDeviceFairness(result, 'From a lone run.').join('\n');
    expect(md.startsWith(`${DEVICE_FAIRNESS_HEADING}\n`)).toBe(true);
    expect(md).toContain('| `stored` ack p99 | 150 | 300 | 2.00× |');
    expect(md).toContain('| SOS -> `alarm` ack p99 | 160 | 480 | 3.00× |');
    expect(md).toContain('| acks received (stored / alarm of presses) | 160 / 159 of 160 | 160 / 159 of 160 | |');
    expect(md).toContain('885,100 telemetry messages sent, 16,552 refused for quota');
    expect(md).toContain('**Within 2× of quiet: no**');
    expect(md).toContain('From a lone run.');
  });

  it('shows the first presses after the hub started apart from the windows, when the run measured them', () => {
    expect(renderDeviceFairness(result).join('\n')).not.toContain('First presses');
    const md = renderDeviceFairness({
      ...result,
      firstPresses: { presses: 8, storedMaxMs: 14, alarmMaxMs: 22 },
    }).join('\n');
    expect(md).toContain(
      'First presses after the hub started (before the windows, 8 at once, one per button): slowest `stored` ack 14.0 ms, slowest `alarm` ack 22.0 ms.',
    );
  });

  it('gives each round its own p99 ratio when the windows were taken in turn several times', () => {
    const md = renderDeviceFairness({
      ...result,
      roundRatios: [
        { stored: 1.5, alarm: 1.6 },
        { stored: 3.1, alarm: null },
      ],
    }).join('\n');
    expect(md).toContain("2 rounds, quiet and loaded windows in turn; the table pools every round's presses.");
    expect(md).toContain('(stored / alarm): 1.5 / 1.6, 3.1 / –.');
    expect(renderDeviceFairness({ ...result, roundRatios: [{ stored: 2, alarm: 3 }] }).join('\n')).not.toContain(
      'rounds',
    );
  });

  it('names the database, shows the hub-side SOS figures as bucket bounds and the load average of each round', () => {
    const md = renderDeviceFairness({
      ...result,
      options: { ...result.options, database: 'postgres' },
      quiet: { ...figures(150, 160), streamP99BoundMs: 25, priorityWaitP99BoundMs: 1, hubCpuWaitPct: 12.5 },
      loaded: { ...figures(300, 480), streamP99BoundMs: Infinity, priorityWaitP99BoundMs: null },
      roundRatios: [
        { stored: 1.5, alarm: 1.6, load: [3.1, 2, 1] },
        { stored: 3.1, alarm: 2, load: [4, 3, 2] },
      ],
    }).join('\n');
    expect(md).toContain('on PostgreSQL (`--postgres`');
    expect(md).toContain(
      '| SOS -> alarm on the console stream p99 (hub histogram, bucket bound) | ≤ 25.0 | beyond the last bucket | |',
    );
    expect(md).toContain('| SOS wait in the rules runner p99 (hub histogram, bucket bound) | ≤ 1.0 | – | |');
    expect(md).toMatch(/\| hub main thread runnable but waiting for a CPU [^|]*\| 12.5 % \| – \| \|/);
    expect(md).toContain(
      '(stored / alarm, load average at its start): 1.5 / 1.6 (load 3.1, 2, 1); 3.1 / 2 (load 4, 3, 2).',
    );
    expect(renderDeviceFairness(result).join('\n')).toContain('on hub-embedded defaults (PGlite)');
  });

  it('says how the hub and the load were pinned to CPUs, when the run recorded it', () => {
    expect(renderDeviceFairness({ ...result, pinning: { hub: [0], load: [1] } }).join('\n')).toContain(
      "CPUs, for both windows: hub's main thread pinned to CPU 0 (its helper threads on any CPU); load generators, measuring clients and PostgreSQL to CPU 1 (taskset).",
    );
    expect(renderDeviceFairness({ ...result, pinning: null }).join('\n')).toContain(
      'CPUs, for both windows: not pinned',
    );
    expect(renderDeviceFairness(result).join('\n')).not.toContain('CPUs, for both windows');
  });

  it('says when the case was not run', () => {
    expect(renderDeviceFairness(null).join('\n')).toContain('Not run in this benchmark');
  });

  it('replaces its own section only, or inserts it before the given heading', () => {
    const page = '# B\n\n## One\n\na\n\n## Device fairness: old\n\n## Realistic nights\n\nr\n';
    const section = '## Fair\n\nnew\n\n';
    expect(spliceSection(page, '## Realistic nights', section, '## None')).toBe(
      '# B\n\n## One\n\na\n\n## Device fairness: old\n\n## Fair\n\nnew\n\n',
    );
    const inserted = spliceSection(page, '## Fair', section, '## Realistic nights');
    expect(inserted).toBe(
      '# B\n\n## One\n\na\n\n## Device fairness: old\n\n## Fair\n\nnew\n\n## Realistic nights\n\nr\n',
    );
    // Run again: the section is replaced, not added twice.
    expect(spliceSection(inserted, '## Fair', '## Fair\n\nnewer\n\n', '## Realistic nights')).toBe(
      '# B\n\n## One\n\na\n\n## Device fairness: old\n\n## Fair\n\nnewer\n\n## Realistic nights\n\nr\n',
    );
    expect(spliceSection('# B\n', '## Fair', section, '## Realistic nights')).toBe('# B\n\n## Fair\n\nnew\n\n');
  });
});
