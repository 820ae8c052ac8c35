import { formatMonth, setFormatLocale } from './format';

describe('months in the UI language', () => {
  afterEach(() => setFormatLocale('zh-CN'));

  it('names a month in zh-CN and in en, whatever the workstation zone', () => {
    setFormatLocale('zh-CN');
    expect(formatMonth('2026-12')).toBe('2026年12月');
    expect(formatMonth('2027-01')).toBe('2027年1月');
    setFormatLocale('en');
    expect(formatMonth('2026-12')).toBe('December 2026');
  });

  it('leaves what is not a month as it is', () => {
    expect(formatMonth('')).toBe('');
    expect(formatMonth('soon')).toBe('soon');
  });
});
