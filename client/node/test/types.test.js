// The hand-written declarations (index.d.ts) against the implementation:
// they declare exactly what src/index.js exports, and a TypeScript program
// using the API as documented type-checks (misuses marked @ts-expect-error
// must be rejected).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as rollcall from '@rollcall/client';
import { PACKAGE_DIR, run } from '../testing/rollcalld.js';

test('index.d.ts declares every runtime export and nothing else', () => {
  const declarations = fs.readFileSync(path.join(PACKAGE_DIR, 'index.d.ts'), 'utf8');
  const declared = [...declarations.matchAll(/^export declare (?:class|function|const) (\w+)/gm)].map((m) => m[1]);
  assert.deepEqual([...declared].sort(), Object.keys(rollcall).sort());
});

test('a program using the API as documented type-checks against index.d.ts', { timeout: 45_000 }, async () => {
  const tsc = path.join(PACKAGE_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
  assert.ok(fs.existsSync(tsc), 'typescript is a devDependency: run npm install (or npm ci) first');
  const { code, stdout, stderr } = await run(process.execPath,
    [tsc, '-p', path.join(PACKAGE_DIR, 'testing', 'types', 'tsconfig.json')], { timeoutMs: 45_000 });
  assert.equal(code, 0, `tsc failed:\n${stdout}${stderr}`);
});
