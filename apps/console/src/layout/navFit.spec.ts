import { navFit } from './navFit';

describe('header menu fit', () => {
  const widths = [80, 80, 60, 100];

  it('shows every entry when they fit, with their gaps', () => {
    expect(navFit(widths, 4, 70, 320 + 12)).toBe(4);
  });

  it('moves the entries that do not fit, last first, behind the more button', () => {
    expect(navFit(widths, 4, 70, 331)).toBe(3); // 80+80+60 + 2 gaps + gap + 70 = 302
    expect(navFit(widths, 4, 70, 301)).toBe(2); // 80+80 + 1 gap + gap + 70 = 238
    expect(navFit(widths, 4, 70, 237)).toBe(1);
    expect(navFit(widths, 4, 70, 100)).toBe(0);
  });
});
