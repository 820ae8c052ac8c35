export * from './free-port';
export * from './wait-for';
export * from './postgres-server';
export * from './hub-process';
export * from './hub-api';
export * from './influx-server';
export * from './test-databases';
export * from './compressed-clock';
