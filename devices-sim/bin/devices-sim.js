#!/usr/bin/env node
'use strict';
// Runs the compiled CLI: `npm run build` first (tsc + tsc-alias -> dist/).
const { join } = require('node:path');
const { existsSync } = require('node:fs');

const main = join(__dirname, '../../dist/devices-sim/src/main.js');
if (!existsSync(main)) {
  process.stderr.write(`devices-sim is not built: ${main} is missing. Run "npm run build" in the repository root.\n`);
  process.exit(2);
}
require(main)
  .main(process.argv)
  .then(() => {
    // Some commands leave sockets to close on their own; do not wait for them.
    process.exit(process.exitCode ?? 0);
  });
