import { eventsTopic, statusTopic, telemetryTopic } from '@bedside/contracts';
import type { ErrorMessageDto } from '@bedside/contracts';
import type { ScenarioDefinition } from './scenario-definition';

interface BadPayload {
  label: string;
  topic: (id: string) => string;
  payload: (ts: number, seq: number) => string | Buffer;
  expectCode: string;
}

/** Payloads a careless device maker might send, each with the error code the contract promises. */
export const BAD_PAYLOADS: BadPayload[] = [
  { label: 'not JSON', topic: telemetryTopic, payload: () => '{"ts": 17', expectCode: 'MALFORMED_JSON' },
  {
    label: 'not UTF-8 JSON (binary)',
    topic: telemetryTopic,
    payload: () => Buffer.from([0xff, 0xfe, 0x00, 0x01]),
    expectCode: 'MALFORMED_JSON',
  },
  {
    label: 'JSON array instead of object',
    topic: telemetryTopic,
    payload: () => '[1,2,3]',
    expectCode: 'INVALID_PAYLOAD',
  },
  {
    label: 'missing seq',
    topic: telemetryTopic,
    payload: (ts) => JSON.stringify({ ts, samples: [{ inBed: true }] }),
    expectCode: 'INVALID_PAYLOAD',
  },
  {
    label: 'heart rate out of range (300)',
    topic: telemetryTopic,
    payload: (ts, seq) => JSON.stringify({ ts, seq, samples: [{ inBed: true, heartRate: 300 }] }),
    expectCode: 'INVALID_PAYLOAD',
  },
  {
    label: 'unknown field (spo2 on a mattress)',
    topic: telemetryTopic,
    payload: (ts, seq) => JSON.stringify({ ts, seq, samples: [{ inBed: true, spo2: 97 }] }),
    expectCode: 'INVALID_PAYLOAD',
  },
  {
    label: 'empty samples',
    topic: telemetryTopic,
    payload: (ts, seq) => JSON.stringify({ ts, seq, samples: [] }),
    expectCode: 'INVALID_PAYLOAD',
  },
  {
    label: 'device clock never set (ts 1970)',
    topic: telemetryTopic,
    payload: (_ts, seq) => JSON.stringify({ ts: 1000, seq, samples: [{ inBed: false }] }),
    expectCode: 'INVALID_PAYLOAD',
  },
  {
    label: 'bad eventId',
    topic: eventsTopic,
    payload: (ts, seq) => JSON.stringify({ eventId: '-bad id!', type: 'bed.exit', ts, seq }),
    expectCode: 'INVALID_PAYLOAD',
  },
  {
    label: 'event a mattress cannot send (fall.detected)',
    topic: eventsTopic,
    payload: (ts, seq) => JSON.stringify({ eventId: `mal-${ts}`, type: 'fall.detected', ts, seq }),
    expectCode: 'EVENT_NOT_ALLOWED',
  },
  {
    label: 'unknown status state',
    topic: statusTopic,
    payload: (ts) => JSON.stringify({ state: 'sleeping', ts }),
    expectCode: 'INVALID_PAYLOAD',
  },
  {
    label: "publish to another device's topic (the hub closes the connection)",
    topic: () => telemetryTopic('mattress-someone-else'),
    payload: (ts, seq) => JSON.stringify({ ts, seq, samples: [{ inBed: true }] }),
    expectCode: 'TOPIC_NOT_ALLOWED',
  },
];

export const malformedScenario: ScenarioDefinition = {
  name: 'malformed',
  summary: 'sends bad payloads and prints the error the hub returns on `errors` for each',
  devices: ['mattress'],
  expect: () => ({
    type: 'errors',
    note: `${BAD_PAYLOADS.length} bad payloads, each answered with the matching error code`,
  }),
  estimateMs: () => BAD_PAYLOADS.length * 500,
  fastRules: () => null,
  run: async (ctx) => {
    const d = ctx.device('mattress');
    let mismatches = 0;
    for (const [i, bad] of BAD_PAYLOADS.entries()) {
      const topic = bad.topic(d.deviceId);
      const seq = d.nextSeq();
      const payload = bad.payload(Date.now(), seq);
      const waiting = d.waitFor('hub-error', (e: ErrorMessageDto) => e.topic === topic, 5_000);
      await d.publishRaw(topic, payload, 0).catch(() => undefined);
      const e = await waiting;
      const shown = Buffer.isBuffer(payload) ? `<${payload.length} binary bytes>` : payload.slice(0, 90);
      ctx.log(
        `[${i + 1}/${BAD_PAYLOADS.length}] sent ${bad.label} to ${topic.replace(/^.*\/devices\//, '…/')}: ${shown}`,
        { bad: bad.label, topic },
      );
      if (!e) {
        mismatches++;
        ctx.log(`      no error received within 5 s (expected ${bad.expectCode})`, {
          bad: bad.label,
          expected: bad.expectCode,
          received: null,
        });
        continue;
      }
      const ok = e.code === bad.expectCode;
      if (!ok) mismatches++;
      ctx.log(
        `      hub error ${e.code}${ok ? '' : ` (expected ${bad.expectCode})`}: ${e.errors.map((f) => `${f.field || '(payload)'}: ${f.reason}`).join('; ') || e.message}`,
        { bad: bad.label, expected: bad.expectCode, received: e.code, error: e },
      );
    }
    if (mismatches > 0)
      throw new Error(`${mismatches} of ${BAD_PAYLOADS.length} bad payloads did not get the expected error`);
  },
};
