export * from './partition-of';
export * from './lease-plan';
export * from './lease.repository';
export * from './node-lock.repository';
export * from './lease-manager';
export * from './partition-fence';
export * from './haproxy-config';
export * from './cluster.module';
