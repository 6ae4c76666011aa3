// node fresh_node_project.mjs CLIENT_LOCK TARBALL
// Writes, in the current directory, the package.json and package-lock.json
// of a fresh project that depends on TARBALL (the packed Node client), its
// dependencies pinned as client/node/package-lock.json pins them (version,
// resolved, integrity). The tests run offline: npm then installs them from
// its cache (filled by scripts/setup's npm ci), without asking the registry
// which versions exist, as `npm install TARBALL` would.
import fs from 'node:fs';
import path from 'node:path';

const [clientLock, tarball] = process.argv.slice(2);
const lock = JSON.parse(fs.readFileSync(clientLock, 'utf8'));
const client = lock.packages[''];
const spec = `file:${path.basename(tarball)}`;
const project = { name: 'fresh-project', version: '1.0.0', private: true,
  dependencies: { '@rollcall/client': spec } };
const packages = {
  '': { name: project.name, version: project.version, dependencies: project.dependencies },
  'node_modules/@rollcall/client': { version: client.version, resolved: spec,
    dependencies: client.dependencies, engines: client.engines },
};
for (const [key, entry] of Object.entries(lock.packages)) {
  if (key.startsWith('node_modules/') && !entry.dev && !entry.devOptional) packages[key] = entry;
}
fs.writeFileSync('package.json', `${JSON.stringify(project, null, 2)}\n`);
fs.writeFileSync('package-lock.json', `${JSON.stringify(
  { name: project.name, version: project.version, lockfileVersion: 3, requires: true, packages },
  null, 2)}\n`);
