import { parseCase } from './arrival-case';

describe('parseCase', () => {
  it('reads a steady load of one message a second per bed', () => {
    expect(parseCase('667')).toEqual({ label: '667', beds: 667, nodes: 1, ratePerBed: 1, burst: null });
  });

  it('reads a rate per bed and bursts of seconds on and off', () => {
    expect(parseCase('667x3:1/2')).toEqual({
      label: '667x3:1/2',
      beds: 667,
      nodes: 1,
      ratePerBed: 3,
      burst: { onS: 1, offS: 2 },
    });
    expect(parseCase(' 2000:0.5/1.5 ')).toMatchObject({ beds: 2000, ratePerBed: 1, burst: { onS: 0.5, offS: 1.5 } });
  });

  it('reads a cluster of hubs after the beds', () => {
    expect(parseCase('2000@3')).toEqual({ label: '2000@3', beds: 2000, nodes: 3, ratePerBed: 1, burst: null });
    expect(parseCase('667@3x3:1/2')).toMatchObject({ nodes: 3, ratePerBed: 3, burst: { onS: 1, offS: 2 } });
  });

  it('refuses anything else, naming the expected form', () => {
    expect(() => parseCase('667x')).toThrow('<beds>[@<nodes>][x<msg/s per bed>][:<on s>/<off s>]');
    expect(() => parseCase('2000@0')).toThrow('case "2000@0"');
    expect(() => parseCase('2000@')).toThrow('case "2000@"');
    expect(() => parseCase('beds')).toThrow('case "beds"');
  });
});
