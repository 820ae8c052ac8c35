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
    const offline = alarm({ kind: 'device_offline', reason: 'offline_last_will' });
    const again = {
      note: 'mattress offline again (3 times while this alarm was open)',
      code: 'rule.offline_repeat',
      params: { deviceId: 'm1', deviceKind: 'mattress', offlineReason: 'offline_last_will', repeat: 3 },
    };
    expect(timelineText(again, i18n('zh-CN'), offline)).toBe('床垫传感器再次离线（告警期间第 3 次）');
    expect(timelineText(again, i18n('en'), offline)).toBe(
      'Mattress sensor offline again (3× while this alarm was open)',
    );
    expect(timelineText({ note: again.note }, i18n('en'))).toBe(
      'Mattress sensor offline again (3× while this alarm was open)',
    );
  });

  it('words repeats, recoveries and the maintenance silence from their codes, whatever the English says', () => {
    const zh = i18n('zh-CN');
    const en = i18n('en');
    const sos = alarm({ kind: 'sos', reason: 'sos_pressed' });
    const offline = alarm({ kind: 'device_offline', reason: 'offline_silent', details: { deviceKind: 'wearable' } });
    const hr = alarm({ kind: 'heart_rate', reason: 'heart_rate_high' });
    const coded = (code: string, params: Record<string, string | number | boolean> = {}) => ({
      note: 'english text the console must not need',
      code,
      params,
    });
    expect(timelineText(coded('rule.sos_repeat', { deviceId: 'b1', presses: 3 }), zh, sos)).toBe(
      '呼叫按钮再次被按下（共 3 次）',
    );
    expect(timelineText(coded('rule.sos_repeat', { presses: 3 }), en, sos)).toBe(
      'Call button pressed again (3 presses)',
    );
    expect(timelineText(coded('rule.back_online', { deviceKind: 'mattress' }), zh, offline)).toBe(
      '床垫传感器已恢复在线',
    );
    // Stored before the note carried the device kind: the alarm's own details name it.
    expect(timelineText(coded('rule.back_online', { deviceId: 'w1' }), en, offline)).toBe('Wearable back online');
    expect(timelineText(coded('rule.heart_rate_normal', { value: 80 }), zh, hr)).toBe('心率已恢复正常');
    expect(timelineText(coded('rule.respiration_normal'), en, hr)).toBe('Respiration rate back to normal');
    expect(
      timelineText(coded('rule.heart_rate_escalated', { value: 35, low: 40, high: 150, forMs: 60_000 }), en, hr),
    ).toBe('Heart rate 35 bpm, below 40 for 60 s');
    expect(timelineText(coded('rule.battery_ok', { deviceKind: 'button', battery: 40 }), zh, sos)).toBe(
      '呼叫按钮电量已恢复至 40%',
    );
    expect(timelineText(coded('rule.fall_repeat', { motionless: false }), zh, sos)).toBe('再次检测到跌倒');
    expect(timelineText(coded('rule.tamper_repeat'), zh, sos)).toBe('再次报告被拆卸');
    expect(timelineText(coded('rule.worn_again'), zh, sos)).toBe('手环已重新佩戴');
    expect(timelineText(coded('rule.returned_to_bed'), zh, sos)).toBe('已回到床上');
    expect(timelineText(coded('rule.device_removed'), zh, sos)).toBe('设备已从此床位移除');
    expect(timelineText(coded('maintenance_silence'), zh)).toBe('维护静默期间发生，已记录，不告警');
    expect(timelineText(coded('hold_escalation_stopped', { reason: '家属已在路上' }), zh)).toBe(
      '暂挂期间停止升级：家属已在路上',
    );
  });

  it('keeps older English notes of these readable in Chinese', () => {
    const zh = i18n('zh-CN');
    expect(timelineText({ note: 'maintenance silence' }, zh)).toBe('维护静默期间发生，已记录，不告警');
    expect(timelineText({ note: 'mattress back online' }, zh)).toBe('床垫传感器已恢复在线');
    expect(timelineText({ note: 'heart rate back to normal' }, zh)).toBe('心率已恢复正常');
    expect(timelineText({ note: 'call button pressed again (4 presses)' }, zh)).toBe('呼叫按钮再次被按下（共 4 次）');
  });

  it('falls back to the pattern table for uncoded notes and leaves typed text alone', () => {
    expect(timelineText({ note: 'unacknowledged, escalation level 3' }, i18n('zh-CN'))).toBe('未确认，升级至第 3 级');
    expect(timelineText({ note: '家属说马上到' }, i18n('zh-CN'))).toBe('家属说马上到');
  });
});
