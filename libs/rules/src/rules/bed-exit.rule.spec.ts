import { BedHarness, HOUR, localTime, MINUTE, SECOND } from '../testing/bed-harness';

/** Resident in bed a minute before `exit`, leaves at `exit`, optionally back after `backAfterMin`; mattress reports every minute. */
function scenario(timeZone: string, exit: string, backAfterMin: number | null = null) {
  const exitAt = localTime(timeZone, exit);
  const bed = new BedHarness({ start: exitAt - MINUTE, overrides: { timeZone } });
  bed.mattress({ inBed: true });
  bed.advanceTo(exitAt);
  if (backAfterMin === null) {
    bed.holdMattress({ inBed: false }, 12 * HOUR, MINUTE);
  } else {
    bed.holdMattress({ inBed: false }, backAfterMin * MINUTE, MINUTE);
    bed.holdMattress({ inBed: true }, 2 * HOUR, MINUTE);
  }
  return { bed, exitAt };
}

describe('bed-exit (night absence) rule', () => {
  it.each`
    timeZone              | exit                  | backAfterMin | raisedAt
    ${'Asia/Shanghai'}    | ${'2025-01-15T23:00'} | ${null}      | ${'2025-01-15T23:20'}
    ${'Asia/Shanghai'}    | ${'2025-01-15T22:00'} | ${null}      | ${'2025-01-15T22:20'}
    ${'Asia/Shanghai'}    | ${'2025-01-15T21:50'} | ${null}      | ${'2025-01-15T22:20'}
    ${'Asia/Shanghai'}    | ${'2025-01-15T12:00'} | ${null}      | ${'2025-01-15T22:20'}
    ${'Asia/Shanghai'}    | ${'2025-01-15T23:50'} | ${null}      | ${'2025-01-16T00:10'}
    ${'Asia/Shanghai'}    | ${'2025-01-16T05:39'} | ${null}      | ${'2025-01-16T05:59'}
    ${'Asia/Shanghai'}    | ${'2025-01-16T05:40'} | ${null}      | ${null}
    ${'Asia/Shanghai'}    | ${'2025-01-16T06:00'} | ${null}      | ${null}
    ${'Asia/Shanghai'}    | ${'2025-01-15T23:00'} | ${19}        | ${null}
    ${'Asia/Shanghai'}    | ${'2025-01-15T23:00'} | ${21}        | ${'2025-01-15T23:20'}
    ${'Asia/Shanghai'}    | ${'2025-01-15T21:30'} | ${29}        | ${null}
    ${'Europe/London'}    | ${'2025-01-15T23:00'} | ${null}      | ${'2025-01-15T23:20'}
    ${'Europe/London'}    | ${'2025-07-15T21:50'} | ${null}      | ${'2025-07-15T22:20'}
    ${'Europe/London'}    | ${'2025-07-16T05:41'} | ${null}      | ${null}
    ${'America/New_York'} | ${'2025-01-15T23:55'} | ${null}      | ${'2025-01-16T00:15'}
    ${'America/New_York'} | ${'2025-07-16T05:39'} | ${null}      | ${'2025-07-16T05:59'}
    ${'America/New_York'} | ${'2025-07-15T21:59'} | ${null}      | ${'2025-07-15T22:20'}
  `(
    '$timeZone: out at $exit, back after $backAfterMin min -> raised at $raisedAt',
    ({ timeZone, exit, backAfterMin, raisedAt }) => {
      const { bed } = scenario(timeZone, exit, backAfterMin);
      const raises = bed.raises('bed_exit');
      if (raisedAt === null) expect(raises).toHaveLength(0);
      else expect(raises).toEqual([expect.objectContaining({ severity: 'major', at: localTime(timeZone, raisedAt) })]);
    },
  );

  it('holds for exactly 20 real minutes across the London spring-forward gap', () => {
    const { bed, exitAt } = scenario('Europe/London', '2025-03-30T00:50');
    expect(bed.raises('bed_exit')).toEqual([expect.objectContaining({ at: exitAt + 20 * MINUTE })]);
  });

  it('the default window is 22:00-06:00 Asia/Shanghai', () => {
    const { bed } = scenario('Asia/Shanghai', '2025-01-15T23:00');
    expect(bed.ruleSet.timeZone).toBe('Asia/Shanghai');
    expect(bed.raises('bed_exit')[0].at).toBe(Date.UTC(2025, 0, 15, 15, 20));
  });

  it('supports a custom window and hold', () => {
    const exitAt = localTime('Asia/Shanghai', '2025-01-15T20:00');
    const bed = new BedHarness({
      start: exitAt,
      overrides: { bedExit: { nightWindow: { start: '19:30', end: '07:00' }, returnWithinMs: 5 * MINUTE } },
    });
    bed.holdMattress({ inBed: false }, HOUR, MINUTE);
    expect(bed.raises('bed_exit')).toEqual([expect.objectContaining({ at: exitAt + 5 * MINUTE })]);
  });

  it('a return shorter than the debounce does not restart the count', () => {
    const exitAt = localTime('Asia/Shanghai', '2025-01-15T23:00');
    const bed = new BedHarness({ start: exitAt });
    bed.holdMattress({ inBed: false }, 10 * MINUTE, MINUTE);
    bed.holdMattress({ inBed: true }, 10 * SECOND, 5 * SECOND);
    bed.holdMattress({ inBed: false }, 30 * MINUTE, MINUTE);
    expect(bed.raises('bed_exit')).toEqual([expect.objectContaining({ at: exitAt + 20 * MINUTE, startedAt: exitAt })]);
  });

  it('clears once back in bed for the debounce, and stays open after the window ends while still out', () => {
    const { bed } = scenario('Asia/Shanghai', '2025-01-16T05:30');
    expect(bed.raises('bed_exit')).toHaveLength(1);
    expect(bed.ofType('clear', 'bed_exit')).toHaveLength(0); // still out at 15:30
    bed.mattress({ inBed: true });
    expect(bed.advance(30 * SECOND)).toEqual([
      expect.objectContaining({ type: 'clear', kind: 'bed_exit', reason: 'returned_to_bed' }),
      expect.objectContaining({ type: 'clear', kind: 'prolonged_absence' }),
    ]);
  });

  it('bed.exit / bed.return events drive presence too', () => {
    const exitAt = localTime('Asia/Shanghai', '2025-01-15T23:00');
    const bed = new BedHarness({ start: exitAt });
    bed.event('bed.exit', 'm1');
    for (let i = 0; i < 25; i++) {
      bed.advance(MINUTE);
      bed.event('bed.exit', 'm1', { eventId: `x${i}` });
    }
    expect(bed.raises('bed_exit')).toHaveLength(1);
  });

  it('is inhibited while the mattress is offline, and counts again from its return', () => {
    const exitAt = localTime('Asia/Shanghai', '2025-01-15T23:00');
    const bed = new BedHarness({ start: exitAt });
    bed.mattress({ inBed: false });
    bed.send({ type: 'status', deviceId: 'm1', online: false, lastWill: true });
    bed.advance(HOUR);
    expect(bed.raises('bed_exit')).toHaveLength(0);
    const backAt = bed.now;
    bed.holdMattress({ inBed: false }, 30 * MINUTE, MINUTE);
    expect(bed.raises('bed_exit')).toEqual([expect.objectContaining({ startedAt: backAt, at: backAt + 20 * MINUTE })]);
  });

  it('after an operator resolves it while the resident is still out, it is not raised again for that absence', () => {
    const exitAt = localTime('Asia/Shanghai', '2025-01-15T23:00');
    const bed = new BedHarness({ start: exitAt });
    bed.holdMattress({ inBed: false }, 25 * MINUTE, MINUTE);
    bed.send({ type: 'alarm.resolved', kind: 'bed_exit' });
    bed.holdMattress({ inBed: false }, 2 * HOUR, MINUTE);
    bed.holdMattress({ inBed: true }, MINUTE, 10 * SECOND);
    expect(bed.log.filter((a) => a.kind === 'bed_exit').map((a) => a.type)).toEqual(['raise']);
  });
});
