export * from './broker.module';
export * from './broker.service';
export * from './downlink.publisher';
export * from './device-session';
export * from './topic-acl';
export * from './mqtt-frame-guard';
export type { DeliveryOutcome } from './acknowledged-delivery';
export * from './broker.metrics';
export * from './cluster/device-downlinks';
