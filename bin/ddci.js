#!/usr/bin/env node
// The `ddci` command: runs the compiled CLI (built by `npm install`/`npm run build`).
import '../dist/server/cli/main.js';
