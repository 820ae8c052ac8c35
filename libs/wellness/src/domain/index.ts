// Pure wellness domain: no Nest, no I/O, no wall clock (time is passed in).
export * from './night-window';
export * from './statistics';
export * from './night-summary';
export * from './summarise-night';
export * from './baseline';
export * from './deviations';
export * from './assess-nights';
