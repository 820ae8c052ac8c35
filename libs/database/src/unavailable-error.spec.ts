import { isDatabaseUnavailable } from './unavailable-error';

describe('isDatabaseUnavailable', () => {
  it.each([
    ['connection exception class 08', { code: '08006', message: 'connection failure' }],
    ['administrator shutdown', { code: '57P01', message: 'terminating connection due to administrator command' }],
    ['cannot connect now', { code: '57P03', message: 'the database system is starting up' }],
    ['refused socket', { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:5432' }],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect')],
    ['terminated connection', new Error('Connection terminated unexpectedly')],
  ])('%s is an outage', (_name, err) => expect(isDatabaseUnavailable(err)).toBe(true));

  it.each([
    ['unique violation', { code: '23505', message: 'duplicate key value violates unique constraint' }],
    ['invalid text', { code: '22P05', message: 'unsupported Unicode escape sequence' }],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
    ['not an error', 'boom'],
    ['nothing', undefined],
  ])('%s is not', (_name, err) => expect(isDatabaseUnavailable(err)).toBe(false));
});
