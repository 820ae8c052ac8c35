import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PERMISSIONS } from './permission';
import { ROLE_PERMISSIONS, ROLES } from './role-permissions';

/** The README's role table is documentation people act on: it must say what the guard enforces. */
describe('README role table', () => {
  it('lists every permission with exactly the roles that hold it', () => {
    const readme = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('| permission | allows |')).split('\n\n')[0];
    const rows = table
      .split('\n')
      .slice(2)
      .map((l) => l.split('|').map((c) => c.trim()));
    const documented = Object.fromEntries(
      rows.map((cells) => [cells[1].replace(/`/g, ''), ROLES.filter((_, i) => cells[3 + i] === '✓')]),
    );
    const enforced = Object.fromEntries(
      PERMISSIONS.map((p) => [p, ROLES.filter((r) => ROLE_PERMISSIONS[r].includes(p))]),
    );
    expect(documented).toEqual(enforced);
  });
});
