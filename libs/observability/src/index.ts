export * from './metrics';
export * from './logger';
export * from './observability.module';
export * from './outage-log';
