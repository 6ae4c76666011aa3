// Statements entered by hand (/entry) and corrected or retracted from their
// card on the board, in Debian's chromium against the board server and a
// real rollcalld checking tokens.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Desk, TOKENS } from '../testing/board.js';

const EVENT = 'niger-coup-2023';
// Generous: the machines these run on may be shared and loaded.
const TIMEOUT = { timeout: 150_000 };

let desk;
let admin;
let pageErrors;

before(async () => {
  desk = await Desk.start();
  ({ admin, pageErrors } = desk);
});

after(() => desk?.close());

async function open(path, token) {
  const page = await desk.open(path, token);
  await page.waitForLoadState('load');
  return page;
}

test('a statement entered by hand: the server\'s validation error on the field it names, then recorded and on the board', TIMEOUT, async () => {
  const watcher = await open(`/?event=${EVENT}`, TOKENS.reader);
  await watcher.waitForSelector('#connection[data-state="live"]');
  const page = await open(`/entry?event=${EVENT}`, TOKENS.writer);
  await page.waitForSelector('[data-field="actor"]');
  assert.equal(await page.inputValue('[data-field="event"]'), EVENT);
  // The actor from the directory, searched as one types.
  await page.fill('[data-field="actor"]', 'Togo');
  await page.waitForSelector('.actor-options li[data-actor="actors/togo"]');
  await page.click('.actor-options li[data-actor="actors/togo"]');
  await page.selectOption('[data-field="stance"]', 'STANCE_CONCERNED');
  await page.fill('[data-field="issue_time"]', '2023-08-22T10:30');
  await page.click('#add-action');
  await page.selectOption('[data-field="actions[0].kind"]', 'ACTION_KIND_CALL_FOR_DIALOGUE');
  await page.fill('[data-field="actions[0].targets"]', 'niger-armed-forces, ecowas');
  await page.fill('[data-field="sources[0].publisher"]', 'Republic of Togo');
  await page.fill('[data-field="sources[0].url"]', 'https://republicoftogo.example/niger');
  await page.fill('[data-field="speaker.person_name"]', 'Robert Dussey');
  await page.fill('[data-field="speaker.office"]', 'Minister of Foreign Affairs');

  // Neither a quote nor a summary: the server says so, on the quote.
  await page.click('#entry-submit');
  await page.waitForSelector('[data-field="quote"][aria-invalid="true"]');
  assert.match(await page.textContent('[data-error-for="quote"]'), /is required unless a summary is given/);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.field), 'quote');

  await page.fill('[data-field="quote"]', 'Togo stands ready to facilitate dialogue between the parties');
  await page.click('#entry-submit');
  await page.waitForSelector('#recorded-link');
  const name = await page.textContent('#recorded-link');
  assert.equal(await page.locator('[aria-invalid="true"]').count(), 0, 'the error is cleared');
  const statement = await admin.getStatement(name);
  assert.equal(statement.actor, 'actors/togo');
  assert.equal(statement.stance, 'STANCE_CONCERNED');
  assert.equal(statement.quote, 'Togo stands ready to facilitate dialogue between the parties');
  assert.equal(statement.speaker.office, 'Minister of Foreign Affairs');
  assert.deepEqual(statement.actions.map((a) => [a.kind, a.targets]),
    [['ACTION_KIND_CALL_FOR_DIALOGUE', ['actors/niger-armed-forces', 'actors/ecowas']]]);
  assert.equal(statement.issueTime, '2023-08-22T10:30:00Z');
  assert.equal(statement.sources[0].url, 'https://republicoftogo.example/niger');
  await watcher.waitForSelector(`.feed-entry[data-statement="${name}"]`);

  // The same again is a duplicate, with its link.
  await page.click('#entry-submit');
  await page.waitForSelector('#duplicate:not([hidden])');
  assert.equal(await page.getAttribute('#duplicate a', 'href'), `/?event=${EVENT}#${name}`);
  assert.deepEqual(pageErrors, []);
  await Promise.all([watcher, page].map((p) => p.context().close()));
});

test('Enter picks an actor from the matches for the text typed, never from those of an earlier text', TIMEOUT, async () => {
  const page = await open(`/entry?event=${EVENT}`, TOKENS.writer);
  const actor = '[data-field="actor"]';
  const sent = [];
  page.on('request', (request) => { if (request.url().endsWith('/api/statements')) sent.push(request); });
  await page.locator(actor).pressSequentially('Nige');
  await page.waitForSelector('.actor-options li[data-actor="actors/niger"]');
  // The search for the rest of the name is answered only once released;
  // Enter meanwhile picks nothing (the matches shown were for "Nige").
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/api/actors?q=*', async (route) => {
    const response = await route.fetch();
    await held;
    await route.fulfill({ response });
  });
  await page.locator(actor).pressSequentially('ria');
  await page.keyboard.press('Enter');
  assert.equal(await page.inputValue(actor), 'Nigeria', 'nothing was picked');
  assert.equal(await page.getAttribute(actor, 'data-actor'), '');
  release();
  await page.waitForSelector('.actor-options li[data-actor="actors/nigeria"]');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute(actor, 'data-actor'), 'actors/nigeria');
  assert.equal(sent.length, 0, 'Enter sent no form');
  assert.deepEqual(pageErrors, []);
  await page.context().close();
});

test('a statement corrected, then retracted, from its card on the board; a reader\'s buttons are disabled', TIMEOUT, async () => {
  const summary = await admin.summarizeReactions(EVENT);
  const benin = summary.reactions.find((r) => r.actor === 'actors/benin').latestStatement.statement;
  const before = await admin.getStatement(benin);
  const reader = await open(`/?event=${EVENT}`, TOKENS.reader);
  const page = await open(`/?event=${EVENT}`, TOKENS.writer);
  for (const p of [reader, page]) await p.waitForSelector(`.card[data-statement="${benin}"] .card-button[data-action="correct"]`);
  // Disabled at first, until the board knows what the token may do; then
  // saying why.
  await reader.waitForFunction((name) => /reader cannot/.test(
    document.querySelector(`.card[data-statement="${name}"] .card-button[data-action="retract"]`).title), benin);
  assert.ok(await reader.isDisabled(`.card[data-statement="${benin}"] .card-button[data-action="retract"]`));
  assert.match(await reader.getAttribute(`.card[data-statement="${benin}"] .card-button[data-action="retract"]`, 'title'),
    /reader cannot accept, reject or record statements/);

  // Correct: the stance, with a quote the server refuses first.
  const card = `.card[data-statement="${benin}"]`;
  await page.waitForFunction((selector) => !document.querySelector(`${selector} .card-button`).disabled, card);
  await page.click(`${card} .card-button[data-action="correct"]`);
  await page.waitForSelector('#statement-dialog[open]');
  const stance = before.stance === 'STANCE_CRITICISES' ? 'STANCE_CONDEMNS' : 'STANCE_CRITICISES';
  await page.selectOption('#statement-dialog [data-field="stance"]', stance);
  await page.fill('#statement-dialog [data-field="quote"]', '');
  await page.fill('#statement-dialog [data-field="summary"]', '');
  await page.click('#statement-dialog button[type="submit"]');
  await page.waitForSelector('#statement-dialog [data-field="quote"][aria-invalid="true"]');
  await page.fill('#statement-dialog [data-field="summary"]', 'Benin condemned the coup.');
  await page.click('#statement-dialog button[type="submit"]');
  await page.waitForSelector('#statement-dialog[open]', { state: 'detached' });
  const corrected = await admin.getStatement(benin);
  assert.equal(corrected.stance, stance);
  assert.equal(corrected.revision, String(Number(before.revision) + 1));
  // Both boards show the correction.
  for (const p of [reader, page]) {
    await p.waitForSelector(`${card}[data-stance="${stance.replace('STANCE_', '').toLowerCase()}"]`);
  }

  // Retract, with a reason: the card leaves both boards.
  await page.click(`${card} .card-button[data-action="retract"]`);
  await page.fill('#statement-dialog [data-field="reason"]', 'misattributed');
  await page.click('#statement-dialog button[type="submit"]');
  await page.waitForSelector('#statement-dialog[open]', { state: 'detached' });
  const retracted = await admin.getStatement(benin);
  assert.equal(retracted.state, 'STATEMENT_STATE_RETRACTED');
  assert.equal(retracted.retraction.reason, 'misattributed');
  for (const p of [reader, page]) await p.waitForSelector(card, { state: 'detached' });
  assert.deepEqual(pageErrors, []);
  await Promise.all([reader, page].map((p) => p.context().close()));
});
