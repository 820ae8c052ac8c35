export * from './ingest.module';
export * from './ingest.service';
export * from './ingest.events';
export * from './device-event.repository';
export * from './device-state.repository';
export * from './alarm-ack-outbox.service';
