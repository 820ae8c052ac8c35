import { connect as tcpConnect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import mqttPacket, { type Packet } from 'mqtt-packet';
import WebSocket, { createWebSocketStream } from 'ws';
import { waitFor } from '@bedside/testing';
import type { Creds } from './mqtt-helpers';

export type RawTransport = 'tcp' | 'ws';

/**
 * A device speaking MQTT 3.1.1 packet by packet over a real socket, to send what a well-behaved
 * client library never would (or to stop reading) and to see every packet the hub answers.
 */
export interface RawMqtt {
  stream: Duplex;
  packets: Packet[];
  send(packet: Record<string, unknown>): boolean;
  /**
   * Writes bytes as they are, in pieces of at most `piece` bytes: over WebSocket each write is a
   * frame, and the hub bounds frames like packets, so a long run of packets goes as many frames
   * (and one packet may span several).
   */
  sendBytes(bytes: Buffer, piece?: number): void;
  next(pred: (p: any) => boolean, what: string, timeoutMs?: number): Promise<any>;
  closed: Promise<void>;
  isClosed(): boolean;
  destroy(): void;
  /** Vanishes with a TCP reset, as a device losing power or coverage mid-flood would look to the hub. */
  reset(): void;
  /** Stops reading the socket for good, as a device that never reads would. */
  stopReading(): void;
}

export async function rawConnection(transport: RawTransport, port: number): Promise<RawMqtt> {
  let stream: Duplex;
  let isClosed = false;
  let closed: Promise<void>;
  let socketOf: { pause(): void } | undefined;
  let tcp: Socket;
  if (transport === 'tcp') {
    const socket = tcpConnect(port, '127.0.0.1');
    await new Promise((r, j) => socket.once('connect', r).once('error', j));
    stream = socket;
    tcp = socket;
    closed = new Promise<void>((r) =>
      socket.once('close', () => {
        isClosed = true;
        r();
      }),
    );
  } else {
    let under: Socket | undefined;
    const ws = new WebSocket(`ws://127.0.0.1:${port}/mqtt`, 'mqtt', {
      // The TCP socket under the WebSocket, so that the device can vanish with a reset.
      createConnection: () => (under = tcpConnect(port, '127.0.0.1')),
    });
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    stream = createWebSocketStream(ws);
    socketOf = ws;
    tcp = under!;
    // The stream only closes once both its sides have ended; the socket's close is what counts.
    closed = new Promise<void>((r) =>
      ws.once('close', () => {
        isClosed = true;
        r();
      }),
    );
  }
  const parser = mqttPacket.parser({ protocolVersion: 4 });
  const packets: Packet[] = [];
  parser.on('packet', (p) => packets.push(p));
  stream.on('data', (d: Buffer) => parser.parse(d));
  stream.on('error', () => undefined);
  return {
    stream,
    packets,
    closed,
    isClosed: () => isClosed,
    send: (packet) => stream.write(mqttPacket.generate(packet as unknown as Packet)),
    next: (pred, what, timeoutMs = 5000) => waitFor(() => packets.find(pred), { what, timeoutMs }),
    sendBytes: (bytes, piece = 8192) => {
      for (let at = 0; at < bytes.length; at += piece) stream.write(bytes.subarray(at, at + piece));
    },
    destroy: () => stream.destroy(),
    reset: () => tcp.resetAndDestroy(),
    // Over WebSocket the stream's pause alone lets ws keep reading frames into memory; pausing
    // the WebSocket stops the socket itself, so the hub's writes really back up.
    stopReading: () => {
      stream.pause();
      socketOf?.pause();
    },
  };
}

/** Connects and logs in as `creds`; resolves with the connection and its CONNACK. */
export async function rawDevice(
  transport: RawTransport,
  port: number,
  creds: Creds,
  connect: Record<string, unknown> = {},
) {
  const raw = await rawConnection(transport, port);
  raw.send({
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: 4,
    clean: true,
    clientId: creds.mqtt.clientId,
    username: creds.mqtt.username,
    password: Buffer.from(creds.mqtt.password),
    keepalive: 30,
    ...connect,
  });
  const connack = await raw.next((p) => p.cmd === 'connack', 'CONNACK');
  return { raw, connack };
}
