#!/usr/bin/env node
'use strict';
const path = require('node:path');
const fs = require('node:fs');

const cli = path.join(__dirname, '..', 'dist', 'launcher', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error('yrd-hub is not built yet: run `npm run build` (npm start and npm test build it for you).');
  process.exit(1);
}
require(cli).main(process.argv.slice(2));
