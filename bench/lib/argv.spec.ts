import { argNumber, argText } from './argv';

describe('argText and argNumber', () => {
  const saved = process.argv;
  afterEach(() => {
    process.argv = saved;
  });

  it('read the word after a flag, and the default when the flag is absent', () => {
    process.argv = ['node', 'bench.js', '--cases', '2000@3,667', '--slices', '4'];
    expect(argText('--cases', '2000')).toBe('2000@3,667');
    expect(argNumber('--slices', 6)).toBe(4);
    expect(argText('--out', '')).toBe('');
    expect(argNumber('--slice-s', 10)).toBe(10);
  });
});
