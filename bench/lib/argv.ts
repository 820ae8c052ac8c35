/** The word after `name` on this process's command line, or `dflt` when the flag is absent. */
export function argText(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

/** The number after `name` on this process's command line, or `dflt` when the flag is absent. */
export function argNumber(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
