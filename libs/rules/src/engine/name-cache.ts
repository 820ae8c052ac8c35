/** More distinct ids than one hub has devices: past it the cache starts over instead of growing. */
const MAX_IDS = 100_000;

/**
 * Memoises a name derived from an id (timer names, episode ids, track ids), which the engine
 * needs for every device on every evaluation: building and hashing a fresh string each time
 * showed in the hub's profile, a lookup by the already-hashed id does not allocate.
 */
export function nameCache(build: (id: string) => string): (id: string) => string {
  const names = new Map<string, string>();
  return (id) => {
    let name = names.get(id);
    if (name === undefined) {
      if (names.size >= MAX_IDS) names.clear();
      name = build(id);
      names.set(id, name);
    }
    return name;
  };
}
