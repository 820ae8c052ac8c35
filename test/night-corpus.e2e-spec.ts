import { compressedClockEnv, startHub, type HubProcess } from '@bedside/testing';
import { DEFAULT_TARGETS } from '../devices-sim/src/corpus/alarm-classifier';
import { figureLines, runLines } from '../devices-sim/src/corpus-runner/corpus-report';
import { runCorpus, type CorpusRunResult } from '../devices-sim/src/corpus-runner/corpus-runner';
import { Output } from '../devices-sim/src/cli/output';

/**
 * Realistic nights through the real hub over MQTT, on a compressed clock: the built hub runs
 * under libfaketime at SPEED times real time from 20:30 in Asia/Shanghai; BEDS beds play the
 * first HOURS of a night (bedtimes, settling, first sleep cycles, toilet trips, dropouts,
 * batched uploads), half of them with one true event (one of each type). Targets: at most 0.05
 * false alarms per bed-night (over 3.6 bed-nights that means none) and every true event raised
 * within its clinical window. The hub's own timers run SPEED times as often, so SPEED x BEDS
 * is what two cores carry; a run where the hub or the generator fell behind is reported as
 * distorted rather than judged.
 */
const SPEED = 60;
const BEDS = 12;
const HOURS = 3;

let hub: HubProcess;
let result: CorpusRunResult;

beforeAll(async () => {
  hub = await startHub({
    ...compressedClockEnv({ start: new Date('2026-01-10T12:30:00Z'), speed: SPEED }),
    LOG_LEVEL: 'warn',
  });
  result = await runCorpus({
    hub: hub.httpUrl,
    mqtt: hub.mqttUrl,
    admin: hub.admin,
    seed: 1,
    beds: BEDS,
    hours: HOURS,
    speed: SPEED,
    eventShare: 0.5,
    startHour: 21,
    utcOffsetMinutes: 480,
    timeZone: 'Asia/Shanghai',
    targets: DEFAULT_TARGETS,
    maxLagMs: 10_000,
  });
  // The figures, whatever the verdict: they are what the engine's authors need.
  const out = new Output(false);
  process.stdout.write([...runLines(result, out), ...figureLines(result.figures, out)].join('\n') + '\n');
}, 8 * 60_000);

afterAll(async () => {
  await hub?.dispose();
});

describe(`realistic nights: ${BEDS} beds x ${HOURS} h at x${SPEED} through the hub over MQTT`, () => {
  it('plays the night on the hub clock without distorting it (generator and hub keep up)', () => {
    expect(result.distorted).toBeNull();
    expect(result.stream.messages).toBeGreaterThan(BEDS * 100);
  });

  it('true events of every type are declared in the night', () => {
    expect(Object.keys(result.figures.sensitivity).sort()).toEqual([
      'apnea',
      'bradycardia',
      'desaturation',
      'fall',
      'night_absence',
      'tachycardia',
    ]);
  });

  it(`at most ${DEFAULT_TARGETS.maxFalseAlarmsPerBedNight} false alarms per bed-night`, () => {
    const unneeded = result.alarms
      .filter((a) => a.verdict === 'false' || a.verdict === 'repeat')
      .map((a) => `bed ${a.bedIndex} ${a.kind} at ${new Date(a.raisedAt).toISOString()}: ${a.cause}`);
    // On failure the list says which alarms and what the night was doing.
    expect(result.figures.falseAlarms.perBedNight <= DEFAULT_TARGETS.maxFalseAlarmsPerBedNight ? [] : unneeded).toEqual(
      [],
    );
  });

  it('every true event is raised within its clinical window', () => {
    const missed = result.missed.map(
      (e) => `bed ${e.bedIndex} ${e.type} (${e.detail}) onset ${new Date(e.onset).toISOString()}`,
    );
    expect(missed).toEqual([]);
  });
});
