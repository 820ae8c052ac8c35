import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { connect, createServer, type Server, type Socket } from 'node:net';
import mqttPacket from 'mqtt-packet';
import { renderHaproxyConfig } from '@bedside/cluster';
import { freePort, startHaproxy, waitFor, type HaproxyServer } from '@bedside/testing';
import { readProxyV2Header } from '../libs/broker/src/proxy-protocol';

/**
 * How the generated HAProxy configuration spreads MQTT client ids over nodes, and how many move
 * when one node leaves or joins: real HAProxy, nodes that stand in for hubs (they read the PROXY
 * v2 header and the CONNECT, answer CONNACK, and report ready on an HTTP check port).
 */
jest.setTimeout(120_000);

const CLIENTS = 3000;

interface StandInNode {
  name: string;
  mqttPort: number;
  httpPort: number;
  ready: boolean;
  /** client id -> the address PROXY v2 reported */
  seen: Map<string, string>;
  close(): Promise<void>;
}

async function standIn(name: string): Promise<StandInNode> {
  const node: StandInNode = {
    name,
    mqttPort: await freePort(),
    httpPort: await freePort(),
    ready: true,
    seen: new Map(),
    close: () => Promise.resolve(),
  };
  const mqtt: Server = createServer((socket: Socket) => {
    socket.on('error', () => undefined);
    readProxyV2Header(socket, 5000).then(
      (header) => {
        const parser = mqttPacket.parser({ protocolVersion: 4 });
        parser.on('packet', (p) => {
          if (p.cmd !== 'connect') return;
          node.seen.set(p.clientId, header.command === 'proxy' ? header.address : 'local');
          socket.end(mqttPacket.generate({ cmd: 'connack', returnCode: 0, sessionPresent: false }));
        });
        socket.on('data', (d: Buffer) => parser.parse(d));
        const pending = socket.read() as Buffer | null;
        if (pending) parser.parse(pending);
      },
      () => socket.destroy(),
    );
  });
  const http: HttpServer = createHttpServer((req, res) => res.writeHead(node.ready ? 200 : 503).end());
  await new Promise<void>((r) => mqtt.listen(node.mqttPort, '127.0.0.1', r));
  await new Promise<void>((r) => http.listen(node.httpPort, '127.0.0.1', r));
  node.close = async () => {
    await new Promise<void>((r) => mqtt.close(() => r()));
    http.closeAllConnections();
    await new Promise<void>((r) => http.close(() => r()));
  };
  return node;
}

/** One MQTT CONNECT through the proxy; resolves on CONNACK. */
function connectOnce(port: number, clientId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () =>
      s.write(
        mqttPacket.generate({
          cmd: 'connect',
          protocolId: 'MQTT',
          protocolVersion: 4,
          clean: true,
          keepalive: 30,
          clientId,
        }),
      ),
    );
    s.once('data', () => {
      s.destroy();
      resolve();
    });
    s.once('error', reject);
    s.once('close', () => reject(new Error('closed before CONNACK')));
  });
}

describe('HAProxy spread of MQTT client ids', () => {
  let nodes: StandInNode[] = [];
  let proxy: HaproxyServer;
  let port: number;
  const ids = Array.from({ length: CLIENTS }, () => `mattress-${randomBytes(5).toString('hex')}`);

  beforeAll(async () => {
    nodes = await Promise.all(['hub-1', 'hub-2', 'hub-3'].map(standIn));
    port = await freePort();
    proxy = await startHaproxy(
      renderHaproxyConfig({
        nodes: nodes.map((n) => ({ name: n.name, host: '127.0.0.1', mqttPort: n.mqttPort, httpPort: n.httpPort })),
        bindHost: '127.0.0.1',
        mqttPort: port,
        httpPort: await freePort(),
        // Not faster: a stand-in busy with thousands of connects must not be marked down by mistake.
        checkIntervalMs: 500,
        maxConnections: 2000,
      }),
      [port],
    );
  });
  afterAll(async () => {
    await proxy?.stop();
    for (const n of nodes) await n.close();
  });

  /** Connects every id once (20 at a time) and answers id -> node name. */
  const placement = async (): Promise<Map<string, string>> => {
    for (const n of nodes) n.seen.clear();
    for (let i = 0; i < ids.length; i += 20) await Promise.all(ids.slice(i, i + 20).map((id) => connectOnce(port, id)));
    const where = new Map<string, string>();
    for (const n of nodes) for (const id of n.seen.keys()) where.set(id, n.name);
    return where;
  };
  const moved = (a: Map<string, string>, b: Map<string, string>) => ids.filter((id) => a.get(id) !== b.get(id)).length;
  const shares = (m: Map<string, string>) => nodes.map((n) => [...m.values()].filter((v) => v === n.name).length);

  it('spreads ids over every node, and a node leaving or joining moves only its own ids (≤ 1/N + 5 %)', async () => {
    const before = await placement();
    expect(before.size).toBe(CLIENTS);
    expect(moved(before, await placement())).toBe(0); // same id, same node
    const perNode = shares(before);
    for (const n of perNode) expect(n).toBeGreaterThan(0);

    // hub-3 leaves (its readiness fails); once HAProxy took it out, only its ids move.
    nodes[2].ready = false;
    await waitFor(async () => [...(await placement()).values()].every((v) => v !== 'hub-3'), {
      timeoutMs: 10_000,
      intervalMs: 200,
      what: 'hub-3 out of rotation',
    });
    const without = await placement();
    const leftMoved = moved(before, without);
    const notOnHub3Moved = ids.filter((id) => before.get(id) !== 'hub-3' && without.get(id) !== before.get(id)).length;
    expect(notOnHub3Moved).toBe(0);
    expect(leftMoved).toBe(perNode[2]);

    // hub-3 joins again: the same ids come back, nothing else moves.
    nodes[2].ready = true;
    await waitFor(async () => [...(await placement()).values()].some((v) => v === 'hub-3'), {
      timeoutMs: 10_000,
      intervalMs: 200,
      what: 'hub-3 back in rotation',
    });
    const again = await placement();
    expect(moved(before, again)).toBe(0);
    const joinMoved = moved(without, again);

    // The nodes see the client's address from the PROXY header.
    expect([...nodes[0].seen.values()].every((a) => a === '127.0.0.1')).toBe(true);

    const bound = CLIENTS * (1 / 3 + 0.05);
    process.stdout.write(
      `cluster-hash-spread: ${CLIENTS} ids over 3 nodes ${perNode.join('/')}; ` +
        `leave moved ${leftMoved} (${((100 * leftMoved) / CLIENTS).toFixed(1)} %), join moved ${joinMoved} ` +
        `(${((100 * joinMoved) / CLIENTS).toFixed(1)} %); bound 1/N + 5 % = ${Math.floor(bound)}\n`,
    );
    // Any node may be the one that leaves: the largest share bounds what a leave moves.
    expect(Math.max(...perNode)).toBeLessThanOrEqual(bound);
    expect(leftMoved).toBeLessThanOrEqual(bound);
    expect(joinMoved).toBeLessThanOrEqual(bound);
  });
});
