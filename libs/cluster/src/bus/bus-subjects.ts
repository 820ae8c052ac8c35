/** Subject prefix when none is configured. */
export const DEFAULT_BUS_PREFIX = 'bedside';

/**
 * Where a message goes: a partition's owner, the node holding a device's connection, or every
 * node (cluster-wide notices that each node serves to its own consoles).
 */
export type BusTarget = { partition: number } | { node: string } | { all: true };

/** What travels on a subject: fire-and-forget messages or requests that expect a reply. */
export type BusChannel = 'msg' | 'req';

// NATS subjects are dot-separated tokens of printable characters other than "*" and ">"
// (NATS client protocol, "Protocol conventions"); the prefix may span several tokens.
const TOKEN = /^[^\s.*>]+$/;

/**
 * Every NATS subject of the cluster bus, built in one place:
 * `<prefix>.partition.<n>.<msg|req>`, `<prefix>.node.<id>.<msg|req>` and `<prefix>.all.msg`
 * (every node). A prefix per cluster
 * lets two clusters share one NATS server without hearing each other.
 */
export class BusSubjects {
  constructor(readonly prefix: string = DEFAULT_BUS_PREFIX) {
    if (!prefix.split('.').every((t) => TOKEN.test(t))) throw new RangeError(`bad NATS subject prefix "${prefix}"`);
  }

  partition(partition: number, channel: BusChannel): string {
    if (!Number.isInteger(partition) || partition < 0) throw new RangeError(`bad partition ${partition}`);
    return `${this.prefix}.partition.${partition}.${channel}`;
  }

  node(nodeId: string, channel: BusChannel): string {
    return `${this.prefix}.node.${nodeToken(nodeId)}.${channel}`;
  }

  /** Heard by every node: fire-and-forget only, since a request must be answered once. */
  all(): string {
    return `${this.prefix}.all.msg`;
  }

  of(target: BusTarget, channel: BusChannel): string {
    if ('all' in target) {
      if (channel !== 'msg') throw new RangeError('a request cannot go to every node');
      return this.all();
    }
    return 'partition' in target ? this.partition(target.partition, channel) : this.node(target.node, channel);
  }
}

/**
 * A node id as one subject token. CLUSTER_NODE_ID may contain ".", the token separator, so it
 * is written "%2E"; "%" cannot occur in a node id, so distinct ids stay distinct subjects.
 */
function nodeToken(nodeId: string): string {
  const token = nodeId.replaceAll('.', '%2E');
  if (!TOKEN.test(token)) throw new RangeError(`bad node id "${nodeId}"`);
  return token;
}
