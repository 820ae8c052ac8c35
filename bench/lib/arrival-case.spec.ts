import { parseCase } from './arrival-case';

describe('parseCase', () => {
  it('reads a steady load of one message a second per bed', () => {
    expect(parseCase('667')).toEqual({ label: '667', beds: 667, ratePerBed: 1, burst: null });
  });

  it('reads a rate per bed and bursts of seconds on and off', () => {
    expect(parseCase('667x3:1/2')).toEqual({
      label: '667x3:1/2',
      beds: 667,
      ratePerBed: 3,
      burst: { onS: 1, offS: 2 },
    });
    expect(parseCase(' 2000:0.5/1.5 ')).toMatchObject({ beds: 2000, ratePerBed: 1, burst: { onS: 0.5, offS: 1.5 } });
  });

  it('refuses anything else, naming the expected form', () => {
    expect(() => parseCase('667x')).toThrow('<beds>[x<msg/s per bed>][:<on s>/<off s>]');
    expect(() => parseCase('beds')).toThrow('case "beds"');
  });
});
