import { classifyAlarms, type ObservedAlarm } from './alarm-classifier';
import { planCorpus } from './corpus';
import type { CorpusOptions } from './corpus.types';

const START = Date.UTC(2026, 0, 10, 13, 0, 0);
const OPTIONS: CorpusOptions = { seed: 3, beds: 12, start: START, hours: 10, utcOffsetMinutes: 480, eventShare: 0.5 };

describe('alarm classifier', () => {
  const nights = planCorpus(OPTIONS);
  const events = nights.flatMap((n) => n.events);
  let n = 0;
  const alarm = (bedIndex: number, kind: string, seenAt: number): ObservedAlarm => ({
    id: `a${n++}`,
    bedIndex,
    kind,
    severity: 'critical',
    raisedAt: seenAt,
    seenAt,
  });

  it('every event raised in its window: sensitivity 1, no false alarm, delays from onset', () => {
    const alarms = events.map((e) => alarm(e.bedIndex, e.alarmKind, e.onset + 5_000));
    const { figures, missed } = classifyAlarms(nights, alarms, 10);
    expect(missed).toEqual([]);
    expect(figures.minSensitivity).toBe(1);
    expect(figures.falseAlarms.total).toBe(0);
    expect(figures.ok).toBe(true);
    for (const s of Object.values(figures.sensitivity))
      expect(s.delayMs).toEqual({ min: 5_000, median: 5_000, max: 5_000 });
  });

  it('wrong kind, wrong bed, late, repeats and nothing at all', () => {
    const [a, b] = events;
    const quietBed = nights.find((x) => x.events.length === 0)!.bedIndex;
    const alarms = [
      alarm(a.bedIndex, a.alarmKind, a.deadline + 60_000), // late
      alarm(a.bedIndex, a.alarmKind, a.deadline + 120_000), // repeat of the same event
      alarm(b.bedIndex, 'device_offline', b.onset + 1000), // wrong kind
      alarm(quietBed, b.alarmKind, b.onset + 1000), // wrong bed
    ];
    const { figures, missed, alarms: sorted } = classifyAlarms(nights, alarms, 10);
    expect(sorted.filter((x) => x.verdict === 'late')).toHaveLength(1);
    expect(sorted.filter((x) => x.verdict === 'repeat')).toHaveLength(1);
    expect(sorted.filter((x) => x.verdict === 'false')).toHaveLength(2);
    expect(missed).toHaveLength(events.length);
    expect(figures.falseAlarms.total).toBe(3);
    expect(figures.falseAlarms.perBedNight).toBe(0.25);
    expect(figures.sensitivity[a.type]!.late).toBe(1);
    expect(figures.ok).toBe(false);
  });

  it('normalises per bed-night (10 observed hours)', () => {
    const quiet = planCorpus({ ...OPTIONS, eventShare: 0, beds: 20, hours: 5 });
    const { figures } = classifyAlarms(quiet, [alarm(0, 'apnea', START + 3600_000)], 5);
    expect(figures.bedNights).toBe(10);
    expect(figures.falseAlarms.perBedNight).toBe(0.1);
    expect(figures.falseAlarms.byKind).toEqual({ apnea: { count: 1, perBedNight: 0.1 } });
    expect(figures.minSensitivity).toBeNull();
    expect(figures.targets.falseAlarmsMet).toBe(false);
  });
});
