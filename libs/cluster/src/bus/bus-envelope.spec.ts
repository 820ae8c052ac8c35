import { DomainError } from '@bedside/common';
import { decodeMessage, decodeReply, encodeErrorReply, encodeMessage, encodeReply } from './bus-envelope';

describe('bus envelope', () => {
  it('round-trips a message with its sender and time', () => {
    const text = encodeMessage({ kind: 'event', bedId: 'b-1', seq: 7 }, { from: 'hub-1', sentAt: 1234 });
    expect(JSON.parse(text)).toEqual({
      v: 1,
      from: 'hub-1',
      sentAt: 1234,
      msg: { kind: 'event', bedId: 'b-1', seq: 7 },
    });
    expect(decodeMessage(text)).toEqual({
      ok: true,
      value: { msg: { kind: 'event', bedId: 'b-1', seq: 7 }, meta: { from: 'hub-1', sentAt: 1234 } },
    });
  });

  it('refuses what is not a version-1 envelope with a message kind, saying why', () => {
    const cases: [string, RegExp][] = [
      ['nope', /not JSON/],
      ['42', /not an object/],
      ['[1]', /not an object/],
      ['{"v":2,"from":"a","sentAt":1,"msg":{"kind":"x"}}', /version 2/],
      ['{"v":1,"sentAt":1,"msg":{"kind":"x"}}', /sender/],
      ['{"v":1,"from":"a","sentAt":1,"msg":{}}', /kind/],
      ['{"v":1,"from":"a","sentAt":1,"msg":{"kind":""}}', /kind/],
    ];
    for (const [text, reason] of cases) {
      const d = decodeMessage(text);
      expect(d.ok).toBe(false);
      if (!d.ok) expect(d.reason).toMatch(reason);
    }
  });

  it('round-trips a reply', () => {
    expect(decodeReply(encodeReply({ kind: 'ack' }))).toEqual({ ok: true, value: { msg: { kind: 'ack' } } });
  });

  it('turns a DomainError into a reply the requester re-throws with the same code, message and details', () => {
    const d = decodeReply(encodeErrorReply(new DomainError('CONFLICT', 'already closed', { alarmId: 'a-1' })));
    if (!d.ok || !('error' in d.value)) throw new Error('expected an error reply');
    expect(d.value.error).toBeInstanceOf(DomainError);
    expect(d.value.error).toMatchObject({ code: 'CONFLICT', message: 'already closed', details: { alarmId: 'a-1' } });
  });

  it('sends any other error without its message, and re-throws it as a plain Error', () => {
    const text = encodeErrorReply(new Error('secret internal state'));
    expect(text).not.toMatch(/secret/);
    const d = decodeReply(text);
    if (!d.ok || !('error' in d.value)) throw new Error('expected an error reply');
    expect(d.value.error).not.toBeInstanceOf(DomainError);
    expect(d.value.error.message).toMatch(/failed/);
  });

  it('does not invent a DomainError from a code this version does not know', () => {
    const d = decodeReply('{"v":1,"ok":false,"error":{"code":"FROM_THE_FUTURE","message":"m"}}');
    if (!d.ok || !('error' in d.value)) throw new Error('expected an error reply');
    expect(d.value.error).not.toBeInstanceOf(DomainError);
    expect(d.value.error.message).toBe('m');
  });

  it('refuses a reply that is neither a message nor an error', () => {
    expect(decodeReply('{"v":1,"ok":true}').ok).toBe(false);
    expect(decodeReply('{"v":1,"ok":false}').ok).toBe(false);
    expect(decodeReply('{"v":1}').ok).toBe(false);
  });
});
