export type AlarmErrorCode =
  'ALARM_INVALID_TRANSITION' | 'ALARM_INVALID_OUTCOME' | 'ALARM_INVALID_HOLD' | 'ALARM_TIME_REVERSED';

/** A lifecycle rule was broken. `code` is stable for APIs (e.g. map ALARM_INVALID_TRANSITION to HTTP 409). */
export class AlarmDomainError extends Error {
  constructor(
    readonly code: AlarmErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AlarmDomainError';
  }
}
