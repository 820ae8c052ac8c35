export * from './free-port';
export * from './wait-for';
export * from './postgres-server';
