import { storableText } from './device-state.repository';

describe('storableText', () => {
  it('replaces what PostgreSQL text cannot hold and keeps the rest', () => {
    expect(storableText('a\u0000b')).toBe('a\uFFFDb');
    expect(storableText('x\uD800y\uDC00z')).toBe('x\uFFFDy\uFFFDz');
    expect(storableText('ok 😀 é')).toBe('ok 😀 é');
  });
});
