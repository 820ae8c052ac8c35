import { en } from '../i18n/en';
import { supervisionEn } from '../i18n/supervision.en';
import { supervisionZhCN } from '../i18n/supervision.zh-CN';
import { zhCN } from '../i18n/zh-CN';
import { visitReason } from './visitReason';

const tnOf =
  (dict: Record<string, string>) =>
  (key: string, params: Record<string, string | number> = {}): string | null =>
    key in dict ? dict[key].replace(/\{(\w+)\}/g, (_, k: string) => String(params[k])) : null;

describe('visit reasons in the UI language', () => {
  const zh = tnOf(supervisionZhCN);
  it('translates the planner’s deviation and policy reasons', () => {
    expect(visitReason({ source: 'deviation', reason: 'night 2026-12-03: bed_exits_up, no_data' }, zh)).toBe(
      '2026-12-03 夜间：夜间离床增多、无数据',
    );
    expect(visitReason({ source: 'policy', reason: 'living_alone: at least every 7 days' }, zh)).toBe(
      '独居：至少每 7 天探访一次',
    );
    expect(visitReason({ source: 'policy', reason: 'living_alone: at least every 7 days' }, tnOf(supervisionEn))).toBe(
      'living alone: at least every 7 days',
    );
  });

  it('keeps unknown codes and categories, and an operator’s own words, as written', () => {
    expect(visitReason({ source: 'deviation', reason: 'night 2026-12-03: new_code' }, zh)).toBe(
      '2026-12-03 夜间：new_code',
    );
    expect(visitReason({ source: 'policy', reason: 'veteran: at least every 3 days' }, zh)).toBe(
      'veteran：至少每 3 天探访一次',
    );
    expect(visitReason({ source: 'alarm', reason: 'after sos alarm, 回访' }, zh)).toBe('after sos alarm, 回访');
    expect(visitReason({ source: 'manual', reason: '家属来电' }, zh)).toBe('家属来电');
  });

  it('words an alarm follow-up by the alarm kind, with the operator’s note as written', () => {
    const zhAll = tnOf(zhCN);
    expect(visitReason({ source: 'alarm', reason: 'after sos alarm: 回访老人情况' }, zhAll)).toBe(
      '紧急呼叫告警回访：回访老人情况',
    );
    expect(visitReason({ source: 'alarm', reason: 'after fall alarm' }, zhAll)).toBe('跌倒告警回访');
    expect(visitReason({ source: 'alarm', reason: 'after sos alarm: line one\nline two' }, tnOf(en))).toBe(
      'Follow-up of an alarm (SOS call): line one\nline two',
    );
    // A kind the console has no word for stays as the hub's code.
    expect(visitReason({ source: 'alarm', reason: 'after new_kind alarm' }, zhAll)).toBe('new_kind告警回访');
  });
});
