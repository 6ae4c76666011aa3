// `npm pack` hooks: `copy` puts the repository's .proto files into proto/ so
// the tarball works outside the repository; `clean` removes them again, so
// inside the repository the client always loads ../../proto.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bundled = path.join(packageDir, 'proto');
const source = path.resolve(packageDir, '..', '..', 'proto');

const command = process.argv[2];
if (command === 'copy') {
  fs.rmSync(bundled, { recursive: true, force: true });
  for (const dir of ['rollcall', 'google']) {
    fs.cpSync(path.join(source, dir), path.join(bundled, dir), {
      recursive: true,
      filter: (file) => fs.statSync(file).isDirectory() || file.endsWith('.proto'),
    });
  }
  console.error(`bundle-protos: copied ${source} into ${bundled}`);
} else if (command === 'clean') {
  fs.rmSync(bundled, { recursive: true, force: true });
} else {
  console.error('usage: node scripts/bundle-protos.js copy|clean');
  process.exit(2);
}
