export * from './schema';
export * from './database';
export * from './create-kysely';
export * from './database.module';
