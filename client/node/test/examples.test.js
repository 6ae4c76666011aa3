// Runs each example in examples/ against a real rollcalld loaded with the
// Niger data set (imported with the real rollcall CLI).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  NIGER_DATASET, PACKAGE_DIR, RollcalldProcess, run, runCli, waitFor,
} from '../testing/rollcalld.js';

const TIMEOUT = { timeout: 20_000 };
const example = (name) => path.join(PACKAGE_DIR, 'examples', name);

let server;

before(async () => {
  server = await RollcalldProcess.start();
  const imported = await runCli(server.address, ['import', NIGER_DATASET]);
  assert.equal(imported.code, 0, imported.stderr);
  assert.match(imported.stdout, /21 statements/);
});

after(async () => {
  await server?.close();
});

test('niger-roll-call lists all 21 statements and the stance totals', TIMEOUT, async () => {
  const { code, stdout, stderr } = await run(process.execPath, [example('niger-roll-call.js'), '--server', server.address]);
  assert.equal(code, 0, stderr);
  const rows = stdout.split('\n').filter((line) => /^\d{4}-\d{2}-\d{2} /.test(line));
  assert.equal(rows.length, 21);
  assert.match(rows[0], /^2023-07-26 /);
  assert.match(rows.at(-1), /^2023-08-22\s+african-union\s+condemns /);
  assert.ok(rows.some((row) => /russia\s+concerned/.test(row)));
  assert.match(stdout, /21 statements by 12 actors/);

  const condemning = await run(process.execPath,
    [example('niger-roll-call.js'), '--server', server.address, '--stance', 'condemns']);
  assert.ok(condemning.stdout.split('\n').filter((l) => /^\d{4}-/.test(l)).every((l) => /\scondemns\s/.test(l)));
});

test('watch --from-start replays the log in sequence order', TIMEOUT, async () => {
  const { code, stdout, stderr } = await run(process.execPath,
    [example('watch.js'), '--server', server.address, '--event', 'niger-coup-2023', '--from-start', '--count', '21']);
  assert.equal(code, 0, stderr);
  const sequences = stdout.trim().split('\n').map((line) => Number(/^#(\d+) /.exec(line)[1]));
  assert.deepEqual(sequences, Array.from({ length: 21 }, (_, i) => i + 1));
  assert.match(stderr, /resume with --after 21/);
});

test('add-statement records a statement that a running watch prints live', TIMEOUT, async () => {
  const watcher = spawn(process.execPath,
    [example('watch.js'), '--server', server.address, '--event', 'niger-coup-2023', '--count', '1']);
  let out = '';
  let err = '';
  watcher.stdout.setEncoding('utf8').on('data', (c) => { out += c; });
  watcher.stderr.setEncoding('utf8').on('data', (c) => { err += c; });
  const exited = new Promise((resolve) => watcher.once('exit', resolve));
  try {
    await waitFor(() => /caught up at sequence \d+/.test(err), 'watch to catch up');

    const added = await run(process.execPath, [example('add-statement.js'), '--server', server.address,
      '--actor', 'ecowas', '--stance', 'condemns', '--quote', 'Example: ECOWAS condemns the coup',
      '--issue-time', '2023-07-31']);
    assert.equal(added.code, 0, added.stderr);
    const [name] = added.stdout.split(/\s+/);
    assert.match(name, /^statements\//);

    assert.equal(await exited, 0, err);
    assert.match(out, new RegExp(`^#22\\s+created\\s+${name}\\s+ecowas\\s+condemns\\s+Example: ECOWAS`));
  } finally {
    watcher.kill();
  }
});

test('add-statement reports the field the server rejected', TIMEOUT, async () => {
  const { code, stderr } = await run(process.execPath, [example('add-statement.js'), '--server', server.address,
    '--actor', 'ecowas', '--stance', 'condemns', '--quote', 'x', '--request-id', 'not a valid id!']);
  assert.equal(code, 1);
  assert.match(stderr, /INVALID_ARGUMENT\n\s+request_id: /);
});
