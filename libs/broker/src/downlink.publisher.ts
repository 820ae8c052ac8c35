import { Injectable } from '@nestjs/common';
import type { Aedes } from 'aedes';
import { Clock } from '@bedside/common';
import { acksTopic, commandsTopic, errorsTopic, type AckMessageDto, type CommandMessageDto, type ErrorMessageDto } from '@bedside/contracts';

/**
 * Hub -> device messages. The only place the hub publishes into the broker, so tests and the
 * rules engine share one path. Resolves once aedes has handed the packet to every subscriber.
 */
@Injectable()
export class DownlinkPublisher {
  private broker: Aedes | null = null;

  constructor(private readonly clock: Clock) {}

  attach(broker: Aedes): void {
    this.broker = broker;
  }

  sendError(deviceId: string, error: Omit<ErrorMessageDto, 'ts'>): Promise<void> {
    return this.publish(errorsTopic(deviceId), { ...error, ts: this.clock.now() }, 0);
  }

  sendAck(deviceId: string, ack: Omit<AckMessageDto, 'ts'>): Promise<void> {
    return this.publish(acksTopic(deviceId), { ...ack, ts: this.clock.now() }, 1);
  }

  sendCommand(deviceId: string, command: Omit<CommandMessageDto, 'ts'>): Promise<void> {
    return this.publish(commandsTopic(deviceId), { ...command, ts: this.clock.now() }, 1);
  }

  private publish(topic: string, body: object, qos: 0 | 1): Promise<void> {
    const broker = this.broker;
    if (!broker || broker.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      broker.publish({ cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(body)), qos, retain: false, dup: false }, (err) => (err ? reject(err) : resolve()));
    });
  }
}
