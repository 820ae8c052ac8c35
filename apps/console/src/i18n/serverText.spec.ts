import { anAlarm } from '../api/alarm.fixture';
import type { Alarm } from '../api/types';
import { en } from './en';
import { actorName, describeAlarm, localiseNote, timelineText } from './serverText';
import { zhCN } from './zh-CN';

/** A minimal I18n over the real dictionaries (no React). */
function i18n(locale: 'zh-CN' | 'en') {
  const dict = (locale === 'en' ? en : zhCN) as Record<string, string>;
  const fill = (s: string, p?: Record<string, string | number>) =>
    p ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in p ? String(p[k]) : m)) : s;
  const tn = (key: string, p?: Record<string, string | number>) =>
    dict[key] === undefined ? null : fill(dict[key], p);
  const tx = (prefix: string, v: string | null | undefined, p?: Record<string, string | number>) =>
    v ? (tn(`${prefix}.${v}`, p) ?? v) : '—';
  const t = (key: string, p?: Record<string, string | number>) => tn(key, p) ?? key;
  return { locale, t, tx, tn } as never;
}

const alarm = (over: Partial<Alarm>): Alarm => anAlarm('a', { severity: 'critical', ...over });

describe('server texts in the UI language', () => {
  it('words an alarm from its reason code and details', () => {
    expect(describeAlarm(alarm({ reason: 'sos_pressed', message: 'call button pressed' }), i18n('zh-CN'))).toBe(
      '呼叫按钮被按下',
    );
    expect(
      describeAlarm(
        alarm({ kind: 'low_battery', reason: 'battery_low', details: { deviceKind: 'button', battery: 12 } }),
        i18n('zh-CN'),
      ),
    ).toBe('呼叫按钮电量 12%');
    expect(
      describeAlarm(
        alarm({ kind: 'heart_rate', reason: 'heart_rate_high', details: { value: 140, high: 120, forMs: 30_000 } }),
        i18n('en'),
      ),
    ).toBe('Heart rate 140 bpm, above 120 for 30 s');
  });

  it('falls back to the kind (zh-CN) or the hub text (en) for an unknown code', () => {
    expect(describeAlarm(alarm({ reason: 'something_new', message: 'something new' }), i18n('zh-CN'))).toBe('紧急呼叫');
    expect(describeAlarm(alarm({ reason: 'something_new', message: 'something new' }), i18n('en'))).toBe(
      'something new',
    );
  });

  it('localises notes the hub wrote and leaves an operator note as typed', () => {
    const zh = i18n('zh-CN');
    expect(localiseNote('community worker 周丽 dispatched: 带钥匙', zh)).toBe('已派出社区工作人员 周丽 — 带钥匙');
    expect(localiseNote('周丽: on site', zh)).toBe('周丽：已到达');
    expect(localiseNote('unacknowledged, escalation level 2', zh)).toBe('未确认，升级至第 2 级');
    expect(localiseNote('button battery at 12%', zh)).toBe('呼叫按钮电量 12%');
    expect(localiseNote('已联系儿子', zh)).toBe('已联系儿子');
  });

  it('names actors as people read them', () => {
    const { t } = i18n('zh-CN') as unknown as { t: (k: string) => string };
    expect(actorName('system', {}, t as never)).toBe('系统');
    expect(actorName('device:abc', {}, t as never)).toBe('住户（设备）');
    expect(actorName('op1', { op1: '张敏' }, t as never)).toBe('张敏');
  });
});

describe('coded timeline notes', () => {
  it('words a coded note from its parameters in either language, not from the English text', () => {
    const call = {
      note: 'called 王伟 (+86 1): no answer',
      code: 'call',
      params: { name: '王伟', phone: '+86 1', outcome: 'no_answer', note: '' },
    };
    expect(timelineText(call, i18n('zh-CN'))).toBe('拨打 王伟（+86 1）：无人接听');
    expect(timelineText(call, i18n('en'))).toBe('called 王伟 (+86 1): No answer');
    const back = {
      note: 'hold ended at its return time (x); priority level 2',
      code: 'hold_returned',
      params: { reason: '等回电', level: 2 },
    };
    expect(timelineText(back, i18n('zh-CN'))).toBe('暂挂到期（等回电），优先级升至第 2 级');
    const dispatched = { note: 'x', code: 'dispatched', params: { type: 'community_worker', name: '周丽', note: '' } };
    expect(timelineText(dispatched, i18n('zh-CN'))).toBe('已派出社区工作人员 周丽');
  });

  it("words a rule's coded note like an alarm with that reason, else by its English text", () => {
    const sos = alarm({ kind: 'sos', reason: 'sos_pressed' });
    const cancel = { note: 'resident cancelled the call on the device', code: 'rule.sos_cancelled', params: {} };
    expect(timelineText(cancel, i18n('zh-CN'), sos)).toBe(zhCN['reason.sos_cancelled']);
    const battery = {
      note: 'button battery at 12%',
      code: 'rule.battery_low',
      params: { deviceKind: 'button', battery: 12 },
    };
    expect(timelineText(battery, i18n('en'), sos)).toBe('Call button battery at 12%');
    const repeat = { note: 'call button pressed again (2 presses)', code: 'rule.sos_repeat', params: {} };
    expect(timelineText(repeat, i18n('zh-CN'), sos)).toBe('呼叫按钮再次被按下（共 2 次）');
  });

  it('falls back to the pattern table for uncoded notes and leaves typed text alone', () => {
    expect(timelineText({ note: 'unacknowledged, escalation level 3' }, i18n('zh-CN'))).toBe('未确认，升级至第 3 级');
    expect(timelineText({ note: '家属说马上到' }, i18n('zh-CN'))).toBe('家属说马上到');
  });
});
