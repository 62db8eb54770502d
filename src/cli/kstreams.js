#!/usr/bin/env node
// The `kstreams` bin. In the published package it runs the compiled CLI (dist/); in a checkout of the repository,
// where dist/ need not exist, it runs the sources through tsx (a devDependency), so that `npx kstreams …` works in
// a fresh clone and never runs a stale build. The package ships this file but not main.ts.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const source = new URL('./main.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../../dist/src/cli/main.js', import.meta.url).href);
}
