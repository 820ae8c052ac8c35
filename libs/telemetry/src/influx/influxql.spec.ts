import { durationLiteral, quoteIdent, quoteString, timeLiteral } from './influxql';

describe('InfluxQL quoting', () => {
  it('escapes quotes and backslashes in identifiers and strings', () => {
    expect(quoteIdent('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteString("it's \\ 'x'")).toBe("'it\\'s \\\\ \\'x\\''");
    expect(quoteString('a"b')).toBe(`'a"b'`);
    expect(quoteString('line\nbreak')).toBe("'line\\nbreak'");
  });
  it('formats times and durations in ms and refuses non-integers', () => {
    expect(timeLiteral(1700000000123)).toBe('1700000000123ms');
    expect(durationLiteral(60000)).toBe('60000ms');
    expect(() => timeLiteral(1.5)).toThrow(RangeError);
    expect(() => durationLiteral(0)).toThrow(RangeError);
  });
});
