export * from './minute-rollup';
