import { MAX_SAMPLES_PER_MESSAGE } from '@bedside/contracts';
import type { SimDevice } from '../fleet/connect-devices';
import { addDays, nightSamples, planNights, type HistoryProfile } from './night-history';

/** Which residents of a demo fleet deteriorate or are often away: a few of each, the rest steady. */
export function profileOf(bedIndex: number): HistoryProfile {
  return bedIndex % 6 === 4 ? 'deteriorating' : bedIndex % 6 === 5 ? 'often_away' : 'steady';
}

/**
 * Uploads `nights` past nights of every bed as its devices would send a buffer after being
 * offline (past timestamps, full messages); the hub summarises them as late data.
 */
export async function sendHistory(
  devices: SimDevice[],
  o: { nights: number; lastNight: string; timeZone: string; seed: number },
): Promise<{ beds: number; samples: number }> {
  const beds = [...new Set(devices.map((d) => d.bedIndex))];
  let samples = 0;
  const first = addDays(o.lastNight, -(o.nights - 1));
  await Promise.all(
    beds.map(async (bedIndex) => {
      const plans = planNights({
        seed: o.seed * 1000 + bedIndex,
        profile: profileOf(bedIndex),
        first,
        count: o.nights,
        timeZone: o.timeZone,
      });
      const mattress = devices.find((d) => d.bedIndex === bedIndex && d.kind === 'mattress');
      const wearable = devices.find((d) => d.bedIndex === bedIndex && d.kind === 'wearable');
      for (const [i, plan] of plans.entries()) {
        const night = nightSamples(plan, o.timeZone, 5 * 60_000, o.seed * 7919 + bedIndex * 101 + i);
        for (const [device, list] of [
          [mattress, night.mattress],
          [wearable, night.wearable],
        ] as const) {
          if (!device) continue;
          for (let k = 0; k < list.length; k += MAX_SAMPLES_PER_MESSAGE) {
            await device.client.publishTelemetry(list.slice(k, k + MAX_SAMPLES_PER_MESSAGE));
            samples += Math.min(MAX_SAMPLES_PER_MESSAGE, list.length - k);
          }
        }
      }
    }),
  );
  return { beds: beds.length, samples };
}
