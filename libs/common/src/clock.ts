/** Time as a dependency, so domain code and tests never read the wall clock directly. */
export abstract class Clock {
  abstract now(): number;
}

export class SystemClock extends Clock {
  now(): number {
    return Date.now();
  }
}
