export * from './free-port';
export * from './wait-for';
export * from './postgres-server';
export * from './influx-server';
