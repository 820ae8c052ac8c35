import type { ActionPlanResponder, Contact } from '@bedside/database';
import { buildCallList } from './call-list';

const contacts: Contact[] = [
  { name: '王芳', phone: '+86 2', role: 'emergency', callOrder: 2, relation: 'daughter' },
  { name: '王伟', phone: '+86 1', role: 'keyholder', callOrder: 1 },
];
const responders: ActionPlanResponder[] = [{ name: '周丽', phone: '+86 9', type: 'community_worker' }];

describe('call list', () => {
  it('lists contacts in call order, then responders, and starts with the first contact', () => {
    const list = buildCallList(contacts, responders, []);
    expect(list.entries.map((e) => [e.name, e.calleeType, e.responderType])).toEqual([
      ['王伟', 'contact', 'keyholder'],
      ['王芳', 'contact', 'keyholder'],
      ['周丽', 'responder', 'community_worker'],
    ]);
    expect(list.next).toBe(0);
  });

  it('moves on after an unanswered call, retries busy or unanswered ones once everyone was tried, stops at an answer', () => {
    const attempt = (
      calleeName: string,
      phone: string,
      outcome: 'answered' | 'no_answer' | 'busy' | 'wrong_number',
    ) => ({
      calleeName,
      phone,
      outcome,
    });
    expect(buildCallList(contacts, responders, [attempt('王伟', '+86 1', 'no_answer')]).next).toBe(1);
    const allTried = [
      attempt('王伟', '+86 1', 'wrong_number'),
      attempt('王芳', '+86 2', 'busy'),
      attempt('周丽', '+86 9', 'no_answer'),
    ];
    const list = buildCallList(contacts, responders, allTried);
    expect(list.next).toBe(1);
    expect(list.entries[0]).toMatchObject({ attempts: 1, lastOutcome: 'wrong_number' });
    expect(buildCallList(contacts, responders, [...allTried, attempt('王芳', '+86 2', 'answered')]).next).toBeNull();
    expect(
      buildCallList(contacts, [], [attempt('王伟', '+86 1', 'wrong_number'), attempt('王芳', '+86 2', 'wrong_number')])
        .next,
    ).toBeNull();
  });
});
