import { Injectable, Logger } from '@nestjs/common';
import type { Aedes } from 'aedes';
import { Clock } from '@bedside/common';
import {
  acksTopic,
  commandsTopic,
  errorsTopic,
  type AckMessageDto,
  type CommandMessageDto,
  type ErrorMessageDto,
} from '@bedside/contracts';
import { AcknowledgedDelivery, type DeliveryOutcome } from './acknowledged-delivery';

/**
 * Hub -> device messages. The only place the hub publishes into the broker, so tests and the
 * rules engine share one path. A downlink is handed to aedes and never waited for: delivery to
 * a device that does not read would hold its caller (an ingest or rules path shared by every
 * device) until that device's socket drained. The returned promise is settled at once.
 */
@Injectable()
export class DownlinkPublisher {
  private readonly log = new Logger('Downlink');
  private broker: Aedes | null = null;
  private confirmed: AcknowledgedDelivery | null = null;

  constructor(private readonly clock: Clock) {}

  attach(broker: Aedes): void {
    this.broker = broker;
    this.confirmed = new AcknowledgedDelivery(broker);
  }

  sendError(deviceId: string, error: Omit<ErrorMessageDto, 'ts'>): Promise<void> {
    return this.publish(errorsTopic(deviceId), { ...error, ts: this.clock.now() }, 0);
  }

  /**
   * An error the connection is closed after: resolves once it is written to the socket, or
   * after `maxWaitMs` if that socket is not being read (only this device is kept waiting).
   */
  sendFinalError(deviceId: string, error: Omit<ErrorMessageDto, 'ts'>, maxWaitMs = 1000): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, maxWaitMs);
      this.deliver(errorsTopic(deviceId), { ...error, ts: this.clock.now() }, 0, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  sendAck(deviceId: string, ack: Omit<AckMessageDto, 'ts'>): Promise<void> {
    return this.publish(acksTopic(deviceId), { ...ack, ts: this.clock.now() }, 1);
  }

  /**
   * An ack the caller must know was received: sent to the device's current connection only if it
   * subscribed to its acks, resolved on its PUBACK (see AcknowledgedDelivery). Never awaited on a
   * path other devices share.
   */
  sendAckConfirmed(deviceId: string, ack: Omit<AckMessageDto, 'ts'>): Promise<DeliveryOutcome> {
    if (!this.confirmed || this.broker?.closed) return Promise.resolve('not-delivered');
    return this.confirmed.send(
      deviceId,
      acksTopic(deviceId),
      Buffer.from(JSON.stringify({ ...ack, ts: this.clock.now() })),
    );
  }

  sendCommand(deviceId: string, command: Omit<CommandMessageDto, 'ts'>): Promise<void> {
    return this.publish(commandsTopic(deviceId), { ...command, ts: this.clock.now() }, 1);
  }

  private publish(topic: string, body: object, qos: 0 | 1): Promise<void> {
    this.deliver(topic, body, qos, () => undefined);
    return Promise.resolve();
  }

  private deliver(topic: string, body: object, qos: 0 | 1, done: () => void): void {
    const broker = this.broker;
    if (!broker || broker.closed) return done();
    broker.publish(
      { cmd: 'publish', topic, payload: Buffer.from(JSON.stringify(body)), qos, retain: false, dup: false },
      (err) => {
        if (err) this.log.debug({ msg: 'downlink not delivered', topic, err: err.message });
        done();
      },
    );
  }
}
