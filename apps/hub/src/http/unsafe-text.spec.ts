import { findUnsafeText, unsafeTextProblem } from './unsafe-text';

describe('unsafeTextProblem', () => {
  it('accepts ordinary text, including paired surrogates (emoji) and CJK', () => {
    expect(unsafeTextProblem('李秀英 😀 ok')).toBeUndefined();
  });

  it('refuses U+0000 and unpaired surrogates', () => {
    expect(unsafeTextProblem('a\u0000b')).toMatch(/U\+0000/);
    expect(unsafeTextProblem('\ud800')).toMatch(/surrogate/);
    expect(unsafeTextProblem('x\udc00')).toMatch(/surrogate/);
    expect(unsafeTextProblem('\ud800x')).toMatch(/surrogate/);
    expect(unsafeTextProblem('\udc00\ud800')).toMatch(/surrogate/);
  });
});

describe('findUnsafeText', () => {
  it('names the field by its path', () => {
    const body = JSON.parse('{"name":"ok","contacts":[{"name":"ok"},{"name":"bad\\u0000"}]}');
    expect(findUnsafeText(body, 'body')).toEqual({
      field: 'body.contacts[1].name',
      problem: expect.stringMatching(/U\+0000/),
    });
    expect(findUnsafeText(JSON.parse('{"a b":"\\ud800"}'), 'body')?.field).toBe('body["a b"]');
  });

  it('checks property names too', () => {
    expect(findUnsafeText(JSON.parse('{"x":{"k\\u0000":1}}'), 'body')).toEqual({
      field: 'body.x',
      problem: expect.stringMatching(/property name/),
    });
  });

  it('passes numbers, booleans and nulls', () => {
    expect(findUnsafeText({ a: 1, b: [true, null, { c: 'fine' }] }, 'body')).toBeUndefined();
  });
});
