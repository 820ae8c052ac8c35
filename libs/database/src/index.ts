export * from './schema';
export * from './schema-identity';
export * from './schema-callcentre';
export * from './schema-wellness';
export * from './schema-ingest';
export * from './database';
export * from './create-kysely';
export * from './database.module';
