import type { Generated, JSONColumnType } from 'kysely';
import type { CreatedAt, Timestamp } from './schema';

export interface UsersTable {
  id: string;
  /** null: a platform administrator, who sees every organisation. */
  organisation_id: string | null;
  username: string;
  display_name: string;
  role: 'admin' | 'supervisor' | 'operator' | 'installer';
  password_hash: string;
  disabled_at: Timestamp | null;
  /** Set when the user was deleted: the row is anonymised and kept for the audit trail. */
  deleted_at: Timestamp | null;
  password_changed_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface SessionsTable {
  /** SHA-256 of the bearer token: a stolen database does not yield live tokens. */
  token_hash: string;
  user_id: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor: string;
  organisation_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  status: number;
  ip: string | null;
  details: JSONColumnType<Record<string, unknown>>;
}

declare module './schema' {
  interface DB {
    users: UsersTable;
    sessions: SessionsTable;
    audit_log: AuditLogTable;
  }
}
