export * from './schema';
export * from './schema-identity';
export * from './database';
export * from './create-kysely';
export * from './database.module';
