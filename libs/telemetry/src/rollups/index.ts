export * from './minute-rollup';
export * from './minute-rollup.repository';
export * from './minute-rollup.writer';
export * from './rolled-up-telemetry.store';
