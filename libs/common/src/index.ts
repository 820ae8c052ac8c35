export * from './domain-error';
export * from './clock';
export * from './ids';
export * from './group-commit';
export * from './clock.module';
export * from './login-throttle';
export * from './in-slices';
export * from './uuid-param';
