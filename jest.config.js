// Nest 12, aedes 1.x and a few of their dependencies ship as ES modules only. Node 20 can
// require() them at run time, but Jest's own module loader cannot (before Node 24.9), so
// Jest compiles those packages to CommonJS with SWC, like our own TypeScript.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];
const esmOnly = [
  '@nestjs',
  'aedes',
  'file-type',
  'strtok3',
  'token-types',
  '@tokenizer',
  '@borewit',
  'uint8array-extras',
  '@standard-schema',
  'kysely',
  'kysely-pglite-dialect',
  '@electric-sql',
  'eventsource-parser',
];
const aliases = {};
for (const lib of [
  'common',
  'auth',
  'contracts',
  'config',
  'database',
  'registry',
  'broker',
  'ingest',
  'telemetry',
  'rules',
  'alarms',
  'callcentre',
  'wellness',
  'supervision',
  'observability',
  'testing',
  'cluster',
]) {
  aliases[`^@bedside/${lib}$`] = `<rootDir>/libs/${lib}/src`;
}
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': swc },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper: aliases,
};
// Four tiers, fastest first: unit (no servers, no database), integration (PGlite, PostgreSQL,
// InfluxDB), e2e (hub processes over TCP) and browser (the console in Chromium).
module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,devices-sim,bench}/**/*.spec.ts'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,devices-sim,bench}/**/*.integration-spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/**/*.browser-spec.ts'] },
  ],
};
