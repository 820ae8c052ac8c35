import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * The bootstrap administrator's password: ADMIN_PASSWORD when set, otherwise one generated at
 * first start and kept in DATA_DIR/admin-password (mode 0600) so the quick start needs no setup.
 */
export function resolveAdminPassword(
  configured: string | undefined,
  dataDir: string,
): { password: string; generatedFile?: string } {
  if (configured) return { password: configured };
  const file = join(dataDir, 'admin-password');
  if (existsSync(file)) return { password: readFileSync(file, 'utf8').trim(), generatedFile: file };
  mkdirSync(dataDir, { recursive: true });
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, password + '\n', { mode: 0o600 });
  return { password, generatedFile: file };
}
