import 'reflect-metadata';
export * from './topics';
export * from './device-kind';
export * from './limits';
export * from './telemetry.dto';
export * from './event.dto';
export * from './status.dto';
export * from './downlink.dto';
export * from './validate';
