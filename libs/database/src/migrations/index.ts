import type { Migration } from 'kysely';
import { foundation } from './0001-foundation';

/** Every schema change, in order. Names are permanent: never rename or edit an applied one. */
export const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': foundation,
};
