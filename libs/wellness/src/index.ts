export * from './domain';
export * from './wellness.module';
export * from './services/wellness.config';
export * from './services/wellness.service';
export * from './persistence/night-summary.repository';
