// The review desk in a real browser (Debian's chromium through
// playwright-core) against the board server and a real rollcalld checking
// tokens: an article read from a local web server, its drafts accepted
// (one after editing), rejected and undone, live in other browser contexts;
// what a reader token may not do; a whole article reviewed with the
// keyboard alone.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Desk, TOKENS } from '../testing/board.js';

// Each test works on an event of its own, so that no test's drafts reach
// another's queue, and any test runs alone (--test-name-pattern).
let EVENT = 'niger-coup-2023';
let events = 0;
// Generous: the machines these run on may be shared and loaded.
const TIMEOUT = { timeout: 150_000 };

// Three reactions: ECOWAS condemns (in its president's words), Nigeria
// calls for the release of the president, the African Union is concerned.
const ARTICLE_1 = `<!doctype html><html><head><title>Talks stall in Niger crisis</title></head><body>
<h1>Talks stall in Niger crisis</h1>
<p>Abuja (AFP) - The Economic Community of West African States on Sunday condemned the junta's refusal to receive its envoys.</p>
<p>"The junta has chosen defiance over dialogue," ECOWAS Commission president Omar Touray told reporters in Abuja.</p>
<p>Nigeria on Sunday called for the immediate release of President Mohamed Bazoum.</p>
<p>The African Union said it was deeply concerned by the health of the detained president.</p>
</body></html>`;

// Four reactions, one by a spokesperson the directory cannot place (a name
// no office-holder line has).
const ARTICLE_2 = `Paris (Reuters) - France on Monday condemned the expulsion of its ambassador from Niamey.

"This decision has no legitimacy," foreign ministry spokesperson Jeanne Morel said.

Germany on Monday called for dialogue between the junta and ECOWAS.

The United Nations Secretary-General said he was alarmed by the deteriorating situation.`;

let desk;
let rollcalld;
let board;
let admin;
let pageErrors;
let articles;

before(async () => {
  desk = await Desk.start();
  ({ rollcalld, board, admin, pageErrors } = desk);
  articles = http.createServer((request, response) => {
    response.writeHead(request.url === '/talks-stall.html' ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    response.end(request.url === '/talks-stall.html' ? ARTICLE_1 : 'not found');
  });
  await new Promise((resolve) => articles.listen(0, '127.0.0.1', resolve));
});

after(async () => {
  await desk?.close();
  articles?.close();
});

async function useNewEvent() {
  EVENT = `niger-desk-${++events}`;
  await admin.addEvent(EVENT, { title: `Niger crisis, review desk ${events}`, countryCode: 'NER', startTime: '2023-07-26T00:00:00Z' });
}

// A page of a new browser context, signed in with `token`.
function open(path, token, viewport) {
  return desk.open(path, token, viewport);
}

async function openDesk(token) {
  const page = await open(`/review?event=${EVENT}`, token);
  await page.waitForSelector('#connection[data-state="live"]');
  return page;
}

const cardFor = (page, actor) => page.locator('.draft-card', { has: page.locator('.draft-actor', { hasText: actor }) });

async function pendingDrafts() {
  const drafts = [];
  for await (const draft of admin.listDrafts({ filter: `event = "events/${EVENT}" AND state = PENDING` })) drafts.push(draft);
  return drafts;
}

// Waits until the element's text matches: what a call's answer writes may
// come after what the drafts stream already drew.
async function waitForText(page, selector, pattern) {
  await page.waitForFunction(({ selector, source, flags }) =>
    new RegExp(source, flags).test(document.querySelector(selector)?.textContent ?? ''),
  { selector, source: pattern.source, flags: pattern.flags }, { timeout: 60_000 });
}

// Holds back the answers to the page's calls matching `pattern` until
// release() is called: a test makes an order of answers and stream events
// certain with it.
async function holdAnswers(page, pattern) {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(pattern, async (route) => {
    const response = await route.fetch();
    await held;
    await route.fulfill({ response });
  });
  return release;
}

const focusedDraft = (page) => page.evaluate(() => document.activeElement.closest('.draft-card')?.dataset.draft);

async function waitForState(name, state) {
  for (let i = 0; i < 400; i++) {
    const draft = await admin.getDraft(name);
    if (draft.state === state) return draft;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`${name} never became ${state}`);
}

test('an article read by URL: drafts accepted (one after editing), one rejected; the board and every queue follow', TIMEOUT, async () => {
  await useNewEvent();
  const desk = await openDesk(TOKENS.writer);
  const board2 = await open(`/?event=${EVENT}`, TOKENS.reader);
  await board2.waitForSelector('#connection[data-state="live"]');
  const queue3 = await openDesk(TOKENS.reader);
  assert.equal(await queue3.locator('.draft-card').count(), 0);

  // The extract call's answer comes late, after the drafts stream has
  // already drawn the cards (as on a loaded machine): the page must come to
  // the same state either way.
  await desk.route('**/api/events/*/extract', async (route) => {
    const response = await route.fetch();
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.fulfill({ response });
  });
  await desk.fill('#extract-url', `http://127.0.0.1:${articles.address().port}/talks-stall.html`);
  await desk.fill('#extract-date', '2023-08-20');
  await desk.click('#extract-button');
  await desk.waitForSelector('.draft-card >> nth=2');
  // The drafts stream may show the cards before the extract call answers.
  await waitForText(desk, '#extract-status', /drafts proposed/);
  assert.match(await desk.textContent('#extract-status'), /3 drafts proposed/);
  const drafts = await pendingDrafts();
  assert.deepEqual(drafts.map((d) => d.statement.actor).sort(),
    ['actors/african-union', 'actors/ecowas', 'actors/nigeria']);

  // The article, with the evidence marked where it is in the text.
  await waitForText(desk, '#article-heading', /^Talks stall in Niger crisis$/);
  const marks = await desk.$$eval('#article-text mark', (nodes) => nodes.map((n) => ({ kinds: n.dataset.kinds, text: n.textContent })));
  assert.ok(marks.some((m) => m.kinds === 'quote' && m.text === 'The junta has chosen defiance over dialogue'), JSON.stringify(marks));
  assert.ok(marks.some((m) => m.kinds === 'mention' && m.text === 'Nigeria'), JSON.stringify(marks));
  assert.ok(marks.some((m) => m.kinds === 'cue' && m.text === 'said'), JSON.stringify(marks));
  // The cards: actor, stance, speaker, quote, confidence.
  const ecowas = cardFor(desk, 'Economic Community of West African States');
  assert.match(await ecowas.innerText(), /Condemns[\s\S]*Touray, President of the ECOWAS Commission[\s\S]*The junta has chosen defiance over dialogue[\s\S]*Confidence: actor \d+%/);

  // The third context's queue filled live.
  await queue3.waitForFunction(() => document.querySelectorAll('.draft-card').length === 3);

  // Accept ECOWAS's as proposed.
  await ecowas.locator('button[data-action="accept"]').click();
  await ecowas.waitFor({ state: 'detached' });
  // Edit Nigeria's stance, then accept; the answer is held until the
  // African Union's draft is rejected (the stream takes the card away).
  const releaseAccept = await holdAnswers(desk, '**/api/drafts/*/accept');
  const nigeria = cardFor(desk, 'Nigeria');
  await nigeria.locator('button[data-action="edit"]').click();
  await nigeria.locator('select[data-field="stance"]').selectOption('STANCE_CONDEMNS');
  await nigeria.locator('button[type="submit"]').click();
  await nigeria.waitFor({ state: 'detached' });
  // Reject the African Union's, with a reason.
  const au = cardFor(desk, 'African Union');
  await au.locator('button[data-action="reject"]').click();
  await au.locator('input[data-field="reason"]').fill('not about the coup');
  await au.locator('button[type="submit"]').click();
  await au.waitFor({ state: 'detached' });
  assert.match(await desk.textContent('#toast'), /Rejected the draft of African Union/);
  // The accept's late answer says so, and leaves the undo offered.
  releaseAccept();
  await waitForText(desk, '#toast', /Accepted: Nigeria/);
  assert.match(await desk.textContent('#toast'), /Rejected the draft of African Union/);
  assert.ok(await desk.isVisible('#undo-button'), 'the undo is still offered');

  // What was recorded.
  const byActor = Object.fromEntries(drafts.map((d) => [d.statement.actor, d]));
  const accepted = await waitForState(byActor['actors/ecowas'].name, 'DRAFT_STATE_ACCEPTED');
  const edited = await waitForState(byActor['actors/nigeria'].name, 'DRAFT_STATE_ACCEPTED');
  const rejected = await waitForState(byActor['actors/african-union'].name, 'DRAFT_STATE_REJECTED');
  assert.equal(rejected.rejectReason, 'not about the coup');
  assert.equal(rejected.reviewer, 'writer-user');
  const ecowasStatement = await admin.getStatement(accepted.statementName);
  assert.equal(ecowasStatement.stance, 'STANCE_CONDEMNS');
  assert.equal(ecowasStatement.quote, 'The junta has chosen defiance over dialogue');
  assert.equal(ecowasStatement.sources[0].url, `http://127.0.0.1:${articles.address().port}/talks-stall.html`);
  const nigeriaStatement = await admin.getStatement(edited.statementName);
  assert.equal(nigeriaStatement.stance, 'STANCE_CONDEMNS', 'the edited stance was recorded');
  assert.equal(byActor['actors/nigeria'].statement.stance === 'STANCE_CONDEMNS', false, 'the proposal was another stance');

  // The board in the second context shows both statements; the third
  // context's queue is empty.
  for (const name of [accepted.statementName, edited.statementName]) {
    await board2.waitForSelector(`.feed-entry[data-statement="${name}"]`);
  }
  await queue3.waitForFunction(() => document.querySelectorAll('.draft-card').length === 0);
  assert.ok(await queue3.isVisible('#queue-empty'));
  assert.equal(await desk.locator('.draft-card').count(), 0);
  assert.deepEqual(pageErrors, []);
  await Promise.all([desk, board2, queue3].map((p) => p.context().close()));
});

test('a late answer to reading an article brings back no draft reviewed meanwhile and leaves the reviewer where they are', TIMEOUT, async () => {
  await useNewEvent();
  const page = await openDesk(TOKENS.writer);
  // The stream draws the cards; the extract call's answer is held until one
  // of them is accepted and the reviewer has moved to another.
  const releaseExtract = await holdAnswers(page, '**/api/events/*/extract');
  await page.fill('#extract-text', ARTICLE_2);
  await page.fill('#extract-date', '2023-08-25');
  await page.fill('#extract-publisher', 'Reuters');
  await page.click('#extract-button');
  await page.waitForFunction(() => document.querySelectorAll('.draft-card').length === 4);
  const drafts = Object.fromEntries((await pendingDrafts()).map((d) => [d.statement.actor || 'unresolved', d]));
  const france = page.locator(`[data-draft="${drafts['actors/france'].name}"]`);
  await france.locator('button[data-action="accept"]').click();
  await france.waitFor({ state: 'detached' });
  await waitForState(drafts['actors/france'].name, 'DRAFT_STATE_ACCEPTED');
  const germany = drafts['actors/germany'].name;
  await page.locator(`[data-draft="${germany}"]`).click({ position: { x: 4, y: 4 } });
  await page.waitForFunction((name) => document.activeElement.closest('.draft-card')?.dataset.draft === name, germany);

  releaseExtract();
  await waitForText(page, '#extract-status', /4 drafts proposed/);
  assert.equal(await france.count(), 0, 'the accepted draft stays out of the queue');
  assert.equal(await page.locator('.draft-card').count(), 3);
  assert.equal(await focusedDraft(page), germany, 'the reviewer is still on Germany\'s draft');
  for (const draft of Object.values(drafts).filter((d) => d.statement.actor !== 'actors/france')) {
    await admin.rejectDraft(draft.name, 'not a reaction');
  }
  await page.waitForFunction(() => document.querySelectorAll('.draft-card').length === 0);
  assert.deepEqual(pageErrors, []);
  await page.context().close();
});

test('the answers to a sign-in stand, whatever the answers to the calls made before it', TIMEOUT, async () => {
  await useNewEvent();
  const context = await desk.browser.newContext({ viewport: { width: 1440, height: 900 } });
  context.setDefaultTimeout(60_000);
  const page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(error));
  // The page asks what a visitor without a token may do; that answer is
  // held until the signed-in one has come.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  let asked;
  const askedWithout = new Promise((resolve) => { asked = resolve; });
  let answered;
  const answeredWith = new Promise((resolve) => { answered = resolve; });
  await page.route('**/api/session', async (route) => {
    const signedIn = Boolean(route.request().headers()['x-rollcall-token']);
    const response = await route.fetch();
    if (!signedIn) {
      asked();
      await held;
    }
    await route.fulfill({ response });
    if (signedIn) answered();
  });
  // The page asks for the directory after each answer about the session:
  // the second time once the held answer has come.
  let directoryAsks = 0;
  let askedTwice;
  const directoryAskedTwice = new Promise((resolve) => { askedTwice = resolve; });
  page.on('request', (request) => {
    if (/\/api\/actors\?q=%2F/.test(request.url()) && ++directoryAsks === 2) askedTwice();
  });
  await page.goto(`${board.url}/review?event=${EVENT}`);
  await askedWithout;
  await page.fill('#token-input', TOKENS.writer);
  await page.click('#signin-button');
  await answeredWith;
  await page.waitForFunction(() => !document.getElementById('extract-button').disabled);
  release();
  await directoryAskedTwice;
  assert.ok(!(await page.isDisabled('#extract-button')), 'the writer may read an article');
  assert.ok(await page.isHidden('#write-note'));
  await page.waitForSelector('#connection[data-state="live"]');
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('an accept refused because another reviewer rejected the draft first says so, though its card is gone', TIMEOUT, async () => {
  await useNewEvent();
  const { drafts } = await admin.extractDrafts(EVENT, {
    text: ARTICLE_2, language: 'en', publishTime: '2023-08-26T12:00:00Z', publisher: 'Reuters', url: 'https://reuters.example/niger-france-3',
  });
  const germany = drafts.find((d) => d.statement.actor === 'actors/germany');
  const page = await openDesk(TOKENS.writer);
  const card = page.locator(`[data-draft="${germany.name}"]`);
  // The accept reaches the board server only once the other reviewer's
  // rejection has taken the card away.
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route('**/api/drafts/*/accept', async (route) => {
    await held;
    await route.continue();
  });
  await card.locator('button[data-action="accept"]').click();
  await admin.rejectDraft(germany.name, 'not a reaction');
  await card.waitFor({ state: 'detached' });
  release();
  await waitForText(page, '#toast', /The draft of Germany was not accepted: [A-Z_]+: ./);
  for (const draft of drafts.filter((d) => d !== germany)) await admin.rejectDraft(draft.name, 'not a reaction');
  await page.waitForFunction(() => document.querySelectorAll('.draft-card').length === 0);
  assert.deepEqual(pageErrors, []);
  await page.context().close();
});

test('a reader sees the queue but cannot accept, reject or read an article: the buttons say why', TIMEOUT, async () => {
  await useNewEvent();
  const response = await admin.extractDrafts(EVENT, {
    text: ARTICLE_2, language: 'en', publishTime: '2023-08-21T12:00:00Z', publisher: 'Reuters', url: 'https://reuters.example/niger-france',
  });
  assert.equal(response.drafts.length, 4);
  const page = await openDesk(TOKENS.reader);
  await page.waitForFunction(() => document.querySelectorAll('.draft-card').length === 4);
  // The stream may draw the cards before the page knows what the token may do.
  await waitForText(page, '#write-note', /may read but not write/);
  assert.ok(await page.isVisible('#write-note'));
  assert.match(await page.textContent('#write-note'), /may read but not write/);
  assert.ok(await page.isDisabled('#extract-button'));
  for (const action of ['accept', 'edit', 'reject']) {
    const buttons = page.locator(`button[data-action="${action}"]`);
    assert.equal(await buttons.count(), 4);
    for (const button of await buttons.all()) {
      assert.ok(await button.isDisabled(), `${action} is disabled`);
      assert.match(await button.getAttribute('title'), /reader cannot accept, reject or record statements/);
      assert.equal(await button.getAttribute('aria-describedby'), 'write-note');
    }
  }
  // The keys do nothing but say why.
  await page.locator('.draft-card').first().focus();
  await page.keyboard.press('a');
  assert.match(await page.textContent('#toast'), /may read but not write/);
  // And the board server refuses a forged call with the reader's token.
  const forged = await fetch(`${board.url}/api/${response.drafts[0].name}/accept`, {
    method: 'POST', headers: { 'x-rollcall-token': TOKENS.reader, 'content-type': 'application/json' }, body: '{}',
  });
  assert.equal(forged.status, 403);
  assert.equal((await forged.json()).error.code, 'PERMISSION_DENIED');
  // Nor have the board server fetch a page for it.
  let fetched = 0;
  articles.once('request', () => { fetched++; });
  const byUrl = await fetch(`${board.url}/api/events/${EVENT}/extract`, {
    method: 'POST', headers: { 'x-rollcall-token': TOKENS.reader, 'content-type': 'application/json' },
    body: JSON.stringify({ document: { url: `http://127.0.0.1:${articles.address().port}/talks-stall.html` } }),
  });
  assert.equal(byUrl.status, 403);
  assert.equal(fetched, 0, 'the page was not fetched');
  // Without a token, nothing at all.
  const anonymous = await fetch(`${board.url}/api/events/${EVENT}/drafts`);
  assert.equal(anonymous.status, 401);
  assert.equal((await pendingDrafts()).length, 4, 'nothing was reviewed');
  assert.deepEqual(pageErrors, []);
  await page.context().close();
});

test('a whole article reviewed with the keyboard alone: accept, name an unresolved actor, edit, reject, undo', TIMEOUT, async () => {
  await useNewEvent();
  await admin.extractDrafts(EVENT, {
    text: ARTICLE_2, language: 'en', publishTime: '2023-08-22T12:00:00Z', publisher: 'Reuters', url: 'https://reuters.example/niger-france-keys',
  });
  const page = await openDesk(TOKENS.writer);
  // Each accept's answer comes late, after the stream has already taken the
  // card away: the reviewer is at work on the next card by then, and the
  // answer must not take the focus from it.
  await page.route('**/api/drafts/*/accept', async (route) => {
    const response = await route.fetch();
    await new Promise((resolve) => setTimeout(resolve, 400));
    await route.fulfill({ response });
  });
  await page.waitForFunction(() => document.querySelectorAll('.draft-card').length === 4);
  const drafts = Object.fromEntries((await pendingDrafts()).map((d) => [d.statement.actor || 'unresolved', d]));
  const focusedDraft = () => page.evaluate(() => document.activeElement.closest('.draft-card')?.dataset.draft);
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  assert.equal(await focusedDraft(), drafts['actors/france'].name, 'the first draft has the focus');

  // a: France's draft accepted as proposed.
  await page.keyboard.press('a');
  await page.waitForSelector(`[data-draft="${drafts['actors/france'].name}"]`, { state: 'detached' });
  // The spokesperson's: a opens the actor search; type, pick, save.
  await page.waitForFunction((name) => document.activeElement.closest('.draft-card')?.dataset.draft === name, drafts.unresolved.name);
  await page.keyboard.press('a');
  await page.waitForFunction(() => document.activeElement.matches('input[data-field="actor"]'));
  await page.keyboard.type('Fran');
  await page.waitForSelector('.actor-options li[data-actor="actors/france"]');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.actor), 'actors/france');
  for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');  // stance, speaker, office, quote, save
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Save and accept');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`[data-draft="${drafts.unresolved.name}"]`, { state: 'detached' });

  // e: Germany's stance changed to supports, with the keys of a select.
  await page.waitForFunction((name) => document.activeElement.closest('.draft-card')?.dataset.draft === name, drafts['actors/germany'].name);
  await page.keyboard.press('e');
  await page.waitForFunction(() => document.activeElement.matches('select[data-field="stance"]'));
  await page.keyboard.type('Supports');
  for (let i = 0; i < 4; i++) await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForSelector(`[data-draft="${drafts['actors/germany'].name}"]`, { state: 'detached' });

  // r, then u: the UN's rejection undone within the grace period; r again.
  const un = drafts['actors/united-nations'].name;
  await page.waitForFunction((name) => document.activeElement.closest('.draft-card')?.dataset.draft === name, un);
  await page.keyboard.press('r');
  await page.waitForFunction(() => document.activeElement.matches('input[data-field="reason"]'));
  await page.keyboard.press('Enter');
  await page.waitForSelector(`[data-draft="${un}"]`, { state: 'detached' });
  await page.keyboard.press('u');
  await page.waitForSelector(`[data-draft="${un}"]`);
  assert.equal(await focusedDraft(), un);
  await page.keyboard.press('r');
  await page.waitForFunction(() => document.activeElement.matches('input[data-field="reason"]'));
  await page.keyboard.press('Enter');

  const rejected = await waitForState(un, 'DRAFT_STATE_REJECTED');
  assert.equal(rejected.rejectReason, 'not a reaction');
  const spokesperson = await waitForState(drafts.unresolved.name, 'DRAFT_STATE_ACCEPTED');
  assert.equal((await admin.getStatement(spokesperson.statementName)).actor, 'actors/france');
  const germany = await waitForState(drafts['actors/germany'].name, 'DRAFT_STATE_ACCEPTED');
  assert.equal((await admin.getStatement(germany.statementName)).stance, 'STANCE_SUPPORTS');
  await waitForState(drafts['actors/france'].name, 'DRAFT_STATE_ACCEPTED');
  await page.waitForFunction(() => document.querySelectorAll('.draft-card').length === 0);
  assert.deepEqual(pageErrors, []);
  await page.context().close();
});

test('an unresolved mention offers the actor directory in its card, searched as one types', TIMEOUT, async () => {
  await useNewEvent();
  const { drafts } = await admin.extractDrafts(EVENT, {
    text: ARTICLE_2, language: 'en', publishTime: '2023-08-24T12:00:00Z', publisher: 'Reuters', url: 'https://reuters.example/niger-france-2',
  });
  const unresolved = drafts.find((d) => !d.statement.actor);
  assert.ok(unresolved, 'the spokesperson is not in the directory');
  const page = await openDesk(TOKENS.writer);
  const card = page.locator(`[data-draft="${unresolved.name}"]`);
  assert.match(await card.locator('.draft-actor').innerText(), /Unresolved: “foreign ministry spokesperson Jeanne Morel”/);
  // Accepting before naming anyone says what is missing, on the field.
  await card.locator('.name-actor-form button[type="submit"]').click();
  assert.match(await card.locator('[data-error-for="actor"]').innerText(), /Pick the actor/);
  const input = card.locator('input[data-field="actor"]');
  await input.pressSequentially('Franc');
  const france = card.locator('.actor-options li[data-actor="actors/france"]');
  await france.waitFor();
  // Another reviewer's change redraws the queue: the field keeps the focus
  // (never blurred) and its matches stay open.
  await input.evaluate((node) => { node.blurs = 0; node.addEventListener('blur', () => { node.blurs++; }); });
  const germany = drafts.find((d) => d.statement.actor === 'actors/germany');
  await admin.rejectDraft(germany.name, 'not a reaction');
  await page.waitForFunction(() => document.querySelectorAll('.draft-card').length === 3);
  assert.equal(await input.evaluate((node) => node.blurs), 0);
  assert.ok(await france.isVisible());
  await france.click();
  await card.locator('.name-actor-form button[type="submit"]').click();
  await card.waitFor({ state: 'detached' });
  const accepted = await waitForState(unresolved.name, 'DRAFT_STATE_ACCEPTED');
  assert.equal((await admin.getStatement(accepted.statementName)).actor, 'actors/france');
  for (const draft of drafts.filter((d) => d !== unresolved && d !== germany)) await admin.rejectDraft(draft.name, 'not a reaction');
  await page.waitForFunction(() => document.querySelectorAll('.draft-card').length === 0);
  assert.deepEqual(pageErrors, []);
  await page.context().close();
});

test('the queue misses nothing when the board server or rollcalld restarts', TIMEOUT, async () => {
  await useNewEvent();
  const page = await openDesk(TOKENS.writer);
  const shown = () => page.$$eval('.draft-card', (nodes) => nodes.map((n) => n.dataset.draft).sort());
  const { drafts } = await admin.extractDrafts(EVENT, {
    html: ARTICLE_1, url: 'https://afp.example/talks-stall-again', publisher: 'AFP', language: 'en', publishTime: '2023-08-23T12:00:00Z',
  });
  assert.equal(drafts.length, 3);
  await page.waitForFunction(() => document.querySelectorAll('.draft-card').length === 3);

  // An edit under way survives another reviewer's change to the queue,
  // the focus on its save button included.
  const editing = `[data-draft="${drafts[2].name}"]`;
  await page.click(`${editing} button[data-action="edit"]`);
  await page.selectOption(`${editing} select[data-field="stance"]`, 'STANCE_SUPPORTS');
  await page.focus(`${editing} button[type="submit"]`);
  await admin.acceptDraft(drafts[0].name, { allowDuplicate: true });
  await page.waitForFunction(() => document.querySelectorAll('.draft-card').length === 2);
  assert.equal(await page.inputValue(`${editing} select[data-field="stance"]`), 'STANCE_SUPPORTS');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Save and accept');
  await page.keyboard.press('Escape');
  await page.waitForSelector(`${editing} form`, { state: 'detached' });

  // While the board server is down, a draft is rejected.
  await board.stop();
  await admin.rejectDraft(drafts[1].name, 'not a reaction');
  await board.restart();
  await page.waitForFunction(() => document.querySelectorAll('.draft-card').length === 1);
  assert.deepEqual(await shown(), [drafts[2].name]);
  await page.waitForSelector('#connection[data-state="live"]');

  // rollcalld restarts; the bridge watches again and the queue goes on.
  await rollcalld.stop();
  await page.waitForSelector('#connection[data-state="reconnecting"]');
  await rollcalld.restart();
  await page.waitForSelector('#connection[data-state="live"]');
  await admin.rejectDraft(drafts[2].name, 'not a reaction');
  await page.waitForFunction(() => document.querySelectorAll('.draft-card').length === 0);
  assert.deepEqual(pageErrors, []);
  await page.context().close();
});
