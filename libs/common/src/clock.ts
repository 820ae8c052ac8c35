/**
 * Time as a dependency (ms epoch), so domain code and tests never read the wall clock directly.
 * The one clock type: an abstract class so Nest can inject it; the pure rules library and tests
 * implement it (ManualClock in libs/rules).
 */
export abstract class Clock {
  abstract now(): number;
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}
