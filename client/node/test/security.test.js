// The client against a rollcalld serving TLS with bearer tokens: the token
// and tls options, and the errors a missing or weak token gets.
// Certificates are made with openssl at test time.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  Client, PermissionDeniedError, UnauthenticatedError, UnavailableError,
} from '@rollcall/client';
import { makeTempDir, RollcalldProcess } from '../testing/rollcalld.js';
import { seedDirectory, statement } from '../testing/fixtures.js';

const TIMEOUT = { timeout: 30_000 };
const TOKENS = {
  reader: 'reader-token-0123456789',
  writer: 'writer-token-0123456789',
  admin: 'admin-token-0123456789',
};

// Writes ca.pem, server.pem/.key (localhost, 127.0.0.1) and client.pem/.key,
// signed by the CA.
function makeCertificates(dir) {
  const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const openssl = (...args) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  openssl('req', '-x509', ...newKey, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '1',
    '-subj', '/CN=Rollcall Test CA');
  for (const [name, subject, extensions] of [
    ['server', '/CN=localhost', 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'],
    ['client', '/CN=newsroom', 'extendedKeyUsage=clientAuth\n'],
  ]) {
    fs.writeFileSync(path.join(dir, `${name}.ext`), extensions);
    openssl('req', ...newKey, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.pem', '-CAkey', 'ca.key',
      '-CAcreateserial', '-days', '1', '-out', `${name}.pem`, '-extfile', `${name}.ext`);
  }
}

// A server with the three tokens over TLS (mutual TLS if `mutual`).
async function startSecureServer(dir, { mutual = false } = {}) {
  const tokens = path.join(dir, 'tokens');
  fs.writeFileSync(tokens, Object.entries(TOKENS).map(([role, token]) => `${role}-user ${role} ${token}\n`).join(''));
  const flags = [`--tokens_file=${tokens}`, `--tls_cert=${path.join(dir, 'server.pem')}`,
    `--tls_key=${path.join(dir, 'server.key')}`];
  if (mutual) flags.push(`--tls_client_ca=${path.join(dir, 'ca.pem')}`);
  return RollcalldProcess.start({ dataDir: path.join(dir, mutual ? 'mutual' : 'data'), flags });
}

const certificates = makeTempDir('rollcall-node-tls-');
const clients = [];

function connect(server, token, { clientCertificate = false, tls = true } = {}) {
  const read = (name) => fs.readFileSync(path.join(certificates, name));
  const options = { token, timeoutMs: 3000, retries: 0 };
  if (tls) {
    options.tls = clientCertificate
      ? { rootCerts: read('ca.pem'), certChain: read('client.pem'), privateKey: read('client.key') }
      : { rootCerts: read('ca.pem') };
  }
  const client = new Client(server.address, options);
  clients.push(client);
  return client;
}

before(() => makeCertificates(certificates));
after(() => {
  for (const client of clients) client.close();
  fs.rmSync(certificates, { recursive: true, force: true });
});

describe('bearer tokens over TLS', TIMEOUT, () => {
  let server;
  before(async () => { server = await startSecureServer(certificates); });
  after(() => server.stop());

  test('each role may do what it allows and no more', async () => {
    await seedDirectory(connect(server, TOKENS.admin));
    const writer = connect(server, TOKENS.writer);
    const created = await writer.addStatement(statement());
    const reader = connect(server, TOKENS.reader);
    assert.equal((await reader.getStatement(created.name)).quote, created.quote);
    await assert.rejects(reader.addStatement(statement()), PermissionDeniedError);
    await assert.rejects(writer.addActor('benin', { displayName: 'Benin', kind: 'state' }),
      (error) => error instanceof PermissionDeniedError && /admin/.test(error.message));
  });

  test('a missing or unknown token is UNAUTHENTICATED', async () => {
    await assert.rejects(connect(server, undefined).listActors().toArray(), UnauthenticatedError);
    await assert.rejects(connect(server, 'not-a-token-of-this-server').listActors().toArray(),
      (error) => error instanceof UnauthenticatedError && !error.message.includes('not-a-token'));
  });

  test('a subscription carries the token', async () => {
    const subscription = connect(server, TOKENS.reader).subscribe({ fromStart: true, maxReconnects: 0 });
    let first = null;
    for await (const change of subscription) {
      first = change;
      break;
    }
    assert.ok(first?.statement?.name?.startsWith('statements/'), JSON.stringify(first));
  });

  test('a plaintext client cannot reach a TLS server', async () => {
    await assert.rejects(connect(server, TOKENS.reader, { tls: false }).listActors().toArray(),
      UnavailableError);
  });
});

describe('mutual TLS', TIMEOUT, () => {
  let server;
  before(async () => { server = await startSecureServer(certificates, { mutual: true }); });
  after(() => server.stop());

  test('a client certificate signed by the CA is required', async () => {
    assert.deepEqual(
      await connect(server, TOKENS.reader, { clientCertificate: true }).listActors().toArray(), []);
    await assert.rejects(connect(server, TOKENS.reader).listActors().toArray(), UnavailableError);
  });
});
