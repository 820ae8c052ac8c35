export * from './telemetry-point';
export * from './telemetry.store';
export * from './sql-telemetry.store';
