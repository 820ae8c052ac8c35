import { checkJsonText } from './json-text-guard';
import { MAX_JSON_DEPTH } from './limits';

const check = (text: string | Buffer) => checkJsonText(typeof text === 'string' ? Buffer.from(text, 'utf8') : text);

describe('checkJsonText', () => {
  it('passes ordinary JSON, escapes and paired surrogates', () => {
    expect(check('{"firmware":"2.4.1","a":[{"b":[1,2]}]}')).toBeNull();
    expect(check('{"s":"a\\"{{{{{{{{{{\\\\\\u00e9\\ud83d\\ude00"}')).toBeNull();
    expect(check('{"s":"é😀"}')).toBeNull();
  });

  it('refuses invalid UTF-8 as MALFORMED_JSON, even inside a string', () => {
    const bad = Buffer.concat([Buffer.from('{"firmware":"2.'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]);
    expect(check(bad)).toEqual({ code: 'MALFORMED_JSON', kind: 'encoding', reason: 'payload is not valid UTF-8' });
    expect(check(Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]))?.code).toBe('MALFORMED_JSON'); // an encoded surrogate
  });

  it('refuses U+0000 escapes in values and keys', () => {
    expect(check('{"state":"online","firmware":"2.4\\u00001"}')?.reason).toMatch(/U\+0000/);
    expect(check('{"a\\u0000b":1}')?.code).toBe('INVALID_PAYLOAD');
  });

  it('refuses unpaired surrogate escapes', () => {
    expect(check('{"s":"\\ud800"}')?.reason).toMatch(/surrogate/);
    expect(check('{"s":"\\ud800\\u0041"}')?.reason).toMatch(/surrogate/);
    expect(check('{"s":"\\udc00x"}')?.reason).toMatch(/surrogate/);
  });

  it(`bounds nesting at ${MAX_JSON_DEPTH} levels without parsing`, () => {
    const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);
    expect(check(nest(MAX_JSON_DEPTH))).toBeNull();
    expect(check(nest(MAX_JSON_DEPTH + 1))?.reason).toMatch(/nested deeper/);
    expect(check(`{"x":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}}`)?.code).toBe('INVALID_PAYLOAD');
    expect(check(`{"s":"${'['.repeat(50)}"}`)).toBeNull(); // brackets inside strings do not count
  });

  it('takes a depth limit of the caller, counting past escaped quotes and backslashes', () => {
    const depth = (text: string, limit: number) => checkJsonText(Buffer.from(text, 'utf8'), limit)?.kind;
    expect(depth('{"a":[{"b":1}]}', 3)).toBeUndefined();
    expect(depth('{"a":[{"b":[]}]}', 3)).toBe('depth');
    expect(depth('{"a":"\\"[[[[","b":"\\\\"}', 1)).toBeUndefined();
    expect(depth('{"a":"\\\\","b":[[]]}', 2)).toBe('depth');
    expect(depth('['.repeat(100_000) + ']'.repeat(100_000), 32)).toBe('depth');
    expect(depth('{"a":'.repeat(32) + '1' + '}'.repeat(32), 32)).toBeUndefined();
  });

  it('reports too deep before unsafe text found earlier, so a caller may walk whatever passes', () => {
    expect(check(`{"9":"\\u0000","1":${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}}`)?.kind).toBe(
      'depth',
    );
    expect(check('{"9":"\\u0000","1":[[1]]}')?.kind).toBe('text');
  });
});
