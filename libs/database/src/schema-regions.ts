import type { CreatedAt } from './schema';

export interface RegionsTable {
  id: string;
  organisation_id: string;
  kind: 'district' | 'street';
  /** The district of a street; null for a district. */
  parent_id: string | null;
  name: string;
  code: string | null;
  created_at: CreatedAt;
}

declare module './schema' {
  interface DB {
    regions: RegionsTable;
  }
}
