import type { Readable } from 'node:stream';
import type { Aedes } from 'aedes';

interface QueuedPacket {
  messageId?: number;
  dup?: boolean;
}

/**
 * MQTT 3.1.1 §3.3.1-1: a PUBLISH the server sends again MUST have DUP set. aedes resends a
 * persistent session's queue on reconnect (handlers/connect.js emptyQueue) as stored, DUP 0. A
 * queued packet that already has a packet id was sent before (aedes assigns it on the first
 * attempt), so it goes out again with DUP 1; one queued while the device was away keeps DUP 0.
 */
export function markRedeliveriesDup(broker: Aedes): void {
  const persistence = (broker as unknown as { persistence: unknown }).persistence as {
    outgoingStream(client: unknown): Readable;
  };
  const outgoingStream = persistence.outgoingStream.bind(persistence);
  persistence.outgoingStream = (client) =>
    outgoingStream(client).map((p: QueuedPacket) =>
      p.messageId
        ? Object.assign(Object.create(Object.getPrototypeOf(p) as object) as QueuedPacket, p, { dup: true })
        : p,
    );
}
