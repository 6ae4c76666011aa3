// The board in a real browser: Debian's chromium (driven by playwright-core)
// against the board server (server.js) and a real rollcalld seeded with the
// Niger data set; statements entered and retracted with the real CLI.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Client } from '@rollcall/client';
import {
  BoardProcess, STREAM_DELAY_MS, cli, delayApiAnswers, launchBrowser, startSeededRollcalld,
} from '../testing/board.js';

const EVENT = 'events/niger-coup-2023';
const TIMEOUT = { timeout: 60_000 };
// A statement committed through the CLI must be on the page this soon after
// the CLI returns (and the stream's events late by up to STREAM_DELAY_MS
// when the tests run with delays).
const APPEARS_WITHIN_MS = 1000 + STREAM_DELAY_MS;
// The bridge's subscription resubscribes this soon after rollcalld serves
// again (the Node client's reconnect backoff is capped at 750 ms, +-20%).
const RESUME_BOUND_MS = 1000;

let rollcalld;
let board;
let browser;
let page;
let reader;

before(async () => {
  rollcalld = await startSeededRollcalld();
  board = await BoardProcess.start(rollcalld.address);
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await delayApiAnswers(page);
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  page.pageErrors = pageErrors;
  reader = new Client(rollcalld.address);
});

after(async () => {
  reader?.close();
  await browser?.close();
  await board?.close();
  await rollcalld?.close();
});

const stanceKey = (stance) => stance.replace(/^STANCE_/, '').toLowerCase();
const card = (name) => `.card[data-statement="${name}"]`;

// Adds a statement with the CLI; returns its name.
async function addWithCli(flags) {
  const out = await cli(rollcalld.address, ['statements', 'add', '--event', 'niger-coup-2023', ...flags, '--output', 'json']);
  return JSON.parse(out).name;
}

// Every change to the event's statements in the log, by sequence.
async function logSequences() {
  const sequences = [];
  const sub = reader.subscribe({ filter: `event = "${EVENT}"`, fromStart: true, onCaughtUp: () => sub.cancel() });
  for await (const change of sub) sequences.push(change.sequence);
  return sequences;
}

const feedSequences = () => page.$$eval('.feed-entry', (nodes) => nodes.map((n) => n.dataset.sequence));

test('the board shows the Niger roll call: one card per actor with its latest stance, grouped by bloc', TIMEOUT, async () => {
  await page.goto(`${board.url}/?event=niger-coup-2023`);
  await page.waitForSelector('#connection[data-state="live"]');
  // The summary (bloc roll-ups, legend counts, timeline) follows the changes.
  await page.waitForSelector('.timeline-row');
  const summary = await reader.summarizeReactions(EVENT);
  assert.ok(summary.reactions.length >= 10, 'the data set has a dozen reacting actors');
  await page.waitForFunction((n) => document.querySelectorAll('.card').length === n, summary.reactions.length);

  const cards = await page.$$eval('.card', (nodes) => nodes.map((n) => ({
    actor: n.dataset.actor, statement: n.dataset.statement, stance: n.dataset.stance,
    badge: n.querySelector('.badge').textContent, words: n.querySelector('.card-quote').textContent,
    isQuote: n.querySelector('.card-quote').tagName === 'BLOCKQUOTE',
  })));
  for (const reaction of summary.reactions) {
    const shown = cards.find((c) => c.actor === reaction.actor);
    assert.ok(shown, `a card for ${reaction.actor}`);
    assert.equal(shown.statement, reaction.latestStatement.statement, `${reaction.actor} shows its latest statement`);
    assert.equal(shown.stance, stanceKey(reaction.latestStance));
    assert.match(shown.badge, new RegExp(stanceKey(reaction.latestStance), 'i'), 'the stance is written, not only coloured');
    const statement = await reader.getStatement(reaction.latestStatement.statement);
    if (statement.quote) {
      assert.ok(shown.isQuote, `${reaction.actor}: a quote is a quotation`);
      assert.equal(shown.words, statement.quote);
    } else {
      assert.ok(!shown.isQuote, `${reaction.actor}: a summary is not a quotation`);
      assert.equal(shown.words, `Summary (not a quote): ${statement.summary}`);
    }
  }

  // The US card names its speaker and links nothing it should not.
  const us = summary.reactions.find((r) => r.actor === 'actors/united-states').latestStatement;
  assert.match(await page.textContent(`${card(us.statement)} .card-speaker`), new RegExp(us.speaker.personName));

  // ECOWAS's group leads with ECOWAS's own card and holds its reacting members.
  const ecowas = await page.$$eval('.bloc[data-bloc="actors/ecowas"] .card', (n) => n.map((c) => c.dataset.actor));
  assert.equal(ecowas[0], 'actors/ecowas');
  assert.ok(ecowas.includes('actors/benin'), `ECOWAS's group holds Benin: ${ecowas}`);
  const rollup = summary.blocs.find((b) => b.bloc === 'actors/ecowas');
  assert.match(await page.textContent('.bloc[data-bloc="actors/ecowas"] .bloc-tally'),
    new RegExp(`${rollup.memberCount - rollup.silentMembers.length} of ${rollup.memberCount} members`));

  // The legend counts actors by latest stance; the timeline ends at the total.
  for (const total of summary.stanceTotals) {
    const count = page.locator(`.legend-item[data-stance="${stanceKey(total.stance)}"] .legend-count`);
    assert.equal(await count.textContent(), String(total.actorCount));
  }
  assert.equal(await page.locator('.timeline-row .timeline-count').last().innerText(), String(summary.reactions.length));
  assert.deepEqual(page.pageErrors, []);
});

test('a summary-only statement is labelled as a summary, never in quotation marks; positions are shown', TIMEOUT, async () => {
  const summary = await reader.summarizeReactions(EVENT);
  // France's latest statement (suspending aid, 29 July) has no quote.
  const france = summary.reactions.find((r) => r.actor === 'actors/france');
  const statement = await reader.getStatement(france.latestStatement.statement);
  assert.equal(statement.quote, '', 'the data set records no words of France');
  const shown = page.locator(card(france.latestStatement.statement));
  const text = shown.locator('.card-summary');
  assert.equal(await text.evaluate((n) => n.tagName), 'P');
  assert.match(await text.innerText(), /^SUMMARY \(NOT A QUOTE\):/i);
  const rendered = await text.innerText();
  assert.ok(!/[“”"]/.test(rendered.replace(statement.summary, '')), `no quotation marks around it: ${rendered}`);
  for (const pseudo of ['::before', '::after']) {
    assert.equal(await text.evaluate((n, p) => getComputedStyle(n, p).content, pseudo), 'none');
  }
  assert.equal(await shown.locator('blockquote, q').count(), 0);
  // A quote keeps its quotation marks.
  const un = summary.reactions.find((r) => r.actor === 'actors/united-nations');
  const quote = page.locator(`${card(un.latestStatement.statement)} blockquote.card-quote`);
  assert.equal(await quote.evaluate((n) => getComputedStyle(n, '::before').content), '"“"');
  // In the feed too: a summary is a labelled paragraph, a quote a <q>.
  const entry = page.locator(`.feed-entry[data-statement="${statement.name}"]`).first();
  assert.equal(await entry.locator('q').count(), 0);
  assert.match(await entry.locator('.feed-summary').innerText(), /^SUMMARY \(NOT A QUOTE\):/i);

  // France supports the deposed government, then condemns: against throughout.
  assert.equal(await shown.getAttribute('data-position'), 'against');
  assert.match(await shown.locator('.card-history').textContent(), /^2 statements$/);
  const army = summary.reactions.find((r) => r.actor === 'actors/niger-armed-forces');
  const armyCard = page.locator(card(army.latestStatement.statement));
  assert.equal(await armyCard.getAttribute('data-position'), 'for');
  assert.match(await armyCard.locator('.card-toward').textContent(), /coup/i, 'a stance is shown with its target');
  for (const total of summary.positionTotals) {
    const key = total.position.replace(/^POSITION_/, '').toLowerCase();
    assert.equal(await page.locator(`.positions [data-position="${key}"] .position-count`).textContent(),
      String(total.actorCount));
  }
  assert.match(await page.textContent('#sides'), /initiator/);
});

let added;

test('a statement entered with the CLI appears within a second, its text escaped', TIMEOUT, async (t) => {
  const quote = '<b>Ghana</b> urges the junta to restore constitutional order & release President Bazoum';
  added = await addWithCli(['--actor', 'ghana', '--stance', 'concerned', '--quote', quote,
    '--issue-time', new Date().toISOString().replace(/\.\d+Z$/, 'Z'), '--speaker', 'Nana Akufo-Addo',
    '--office', 'President', '--source-url', 'https://example.org/ghana', '--source-publisher', 'Ghana Presidency']);
  const committed = Date.now();
  await page.waitForSelector(card(added), { timeout: APPEARS_WITHIN_MS });
  const waited = Date.now() - committed;
  assert.ok(waited <= APPEARS_WITHIN_MS, `appeared after ${waited} ms`);
  t.diagnostic(`on the page ${waited} ms after the CLI returned`);

  const shown = page.locator(card(added));
  assert.equal(await shown.getAttribute('data-stance'), 'concerned');
  assert.equal(await shown.locator('.card-quote').textContent(), quote, 'markup in a quote is shown as text');
  assert.equal(await shown.locator('b').count(), 0);
  assert.equal(await shown.locator('.card-sources a').getAttribute('href'), 'https://example.org/ghana');
  assert.match(await shown.locator('.card-speaker').textContent(), /Nana Akufo-Addo, President/);
  // Ghana is an ECOWAS member, and the bloc's tally follows the summary.
  assert.equal(await page.locator(`.bloc[data-bloc="actors/ecowas"] ${card(added)}`).count(), 1);
  await page.waitForSelector(`.feed-entry.live[data-statement="${added}"][data-kind="created"]`);
  await page.waitForFunction(() => /2 of 15 members/.test(
    document.querySelector('.bloc[data-bloc="actors/ecowas"] .bloc-tally')?.textContent));
});

test('retracting it with the CLI strikes its feed entry and takes its card away', TIMEOUT, async () => {
  assert.ok(added, 'the previous test added a statement');
  await cli(rollcalld.address, ['statements', 'retract', added, '--reason', 'misattributed']);
  const struck = page.locator(`.feed-entry.struck[data-statement="${added}"][data-kind="created"]`);
  await struck.waitFor({ timeout: APPEARS_WITHIN_MS });
  const decoration = await struck.locator('.feed-quote').evaluate((n) => getComputedStyle(n).textDecorationLine);
  assert.match(decoration, /line-through/);
  assert.match(await struck.textContent(), /retracted/);
  const retraction = page.locator(`.feed-entry[data-statement="${added}"][data-kind="retracted"]`);
  assert.match(await retraction.textContent(), /Reason: misattributed/);
  await page.waitForSelector(card(added), { state: 'detached', timeout: APPEARS_WITHIN_MS });
});

test('after a rollcalld restart the page catches up, losing and repeating no change', TIMEOUT, async () => {
  await rollcalld.stop();
  await page.waitForSelector('#connection[data-state="reconnecting"]');
  await rollcalld.restart();
  // Committed while the board's subscription is still reconnecting.
  const whileAway = await addWithCli(['--actor', 'senegal', '--stance', 'condemns',
    '--quote', 'Senegal stands ready to join an ECOWAS intervention', '--issue-time', '2023-08-02']);
  await page.waitForSelector(card(whileAway));
  await page.waitForSelector('#connection[data-state="live"]');
  const live = await addWithCli(['--actor', 'mali', '--stance', 'supports',
    '--quote', 'Any intervention in Niger would be a declaration of war against Mali', '--issue-time', '2023-07-31']);
  await page.waitForSelector(card(live));

  const shown = await feedSequences();
  assert.equal(new Set(shown).size, shown.length, 'no change is shown twice');
  assert.deepEqual([...shown].sort((a, b) => Number(a) - Number(b)), await logSequences(),
    'the feed holds every change in the log');
  assert.deepEqual(page.pageErrors, []);
});

// rollcalld is down for `seconds`; the first statement committed once it
// serves again is on the page within about a second of its return (the
// bridge's resubscription) plus the page's own allowance, and the feed
// holds every change of the log once.
async function expectPromptResumeAfter(seconds, flags) {
  await rollcalld.stop();
  await page.waitForSelector('#connection[data-state="reconnecting"]');
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  await rollcalld.restart();
  const serving = performance.now();
  const added = await addWithCli(flags);
  const written = performance.now() - serving;
  await page.waitForSelector(card(added), { timeout: 15_000 });
  const delay = performance.now() - serving;
  assert.ok(delay <= Math.max(RESUME_BOUND_MS, written) + APPEARS_WITHIN_MS,
    `on the page ${delay.toFixed(0)} ms after SERVING (the CLI took ${written.toFixed(0)} ms)`);
  await page.waitForSelector('#connection[data-state="live"]');
  const shown = await feedSequences();
  assert.equal(new Set(shown).size, shown.length, 'no change is shown twice');
  assert.deepEqual([...shown].sort((a, b) => Number(a) - Number(b)), await logSequences(),
    'the feed holds every change in the log');
}

test('after rollcalld was down 2 s the first change is on the page within a second of its return', TIMEOUT, async () => {
  await expectPromptResumeAfter(2, ['--actor', 'france', '--stance', 'condemns',
    '--quote', 'France supports every ECOWAS effort to restore constitutional order', '--issue-time', '2023-08-05']);
});

test('after rollcalld was down 30 s the first change is on the page within a second of its return', { timeout: 90_000 }, async () => {
  await expectPromptResumeAfter(30, ['--actor', 'nigeria', '--stance', 'condemns',
    '--quote', 'Nigeria will keep its border with Niger closed until order is restored', '--issue-time', '2023-08-06']);
});

test('after a board server restart the page resumes from its last change', TIMEOUT, async () => {
  await board.restart();
  const added = await addWithCli(['--actor', 'burkina-faso', '--stance', 'supports',
    '--quote', 'Burkina Faso would consider an intervention in Niger a declaration of war', '--issue-time', '2023-07-31']);
  await page.waitForSelector(card(added));
  await page.waitForSelector('#connection[data-state="live"]');
  const shown = await feedSequences();
  assert.equal(new Set(shown).size, shown.length, 'no change is shown twice');
  assert.deepEqual([...shown].sort((a, b) => Number(a) - Number(b)), await logSequences());
});

test('a stream refused while rollcalld is down is opened again after the last change', TIMEOUT, async () => {
  await rollcalld.stop();
  await board.restart();
  await page.waitForFunction(() => /Cannot open/.test(document.getElementById('connection').textContent));
  await rollcalld.restart();
  const added = await addWithCli(['--actor', 'guinea', '--stance', 'supports',
    '--quote', 'Guinea will not apply the ECOWAS sanctions against Niger', '--issue-time', '2023-07-31']);
  await page.waitForSelector(card(added));
  await page.waitForSelector('#connection[data-state="live"]');
  const shown = await feedSequences();
  assert.equal(new Set(shown).size, shown.length, 'no change is shown twice');
  assert.deepEqual([...shown].sort((a, b) => Number(a) - Number(b)), await logSequences());
});

test('a page opened while rollcalld is down shows the roll call once it is back', TIMEOUT, async () => {
  await rollcalld.stop();
  const late = await browser.newPage();
  try {
    await delayApiAnswers(late);
    await late.goto(`${board.url}/?event=niger-coup-2023`);
    await late.waitForSelector('#connection[data-state="reconnecting"]');
    await rollcalld.restart();
    await late.waitForSelector('#connection[data-state="live"]');
    const summary = await reader.summarizeReactions(EVENT);
    await late.waitForFunction((n) => document.querySelectorAll('.card').length === n, summary.reactions.length);
  } finally {
    await late.close();
  }
});

test('wall-screen mode is a toggle kept in the URL', TIMEOUT, async () => {
  const toggle = page.locator('#wall-toggle');
  assert.equal(await toggle.getAttribute('aria-pressed'), 'false');
  await toggle.click();
  assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
  assert.equal(await page.evaluate(() => document.documentElement.classList.contains('wall')), true);
  assert.equal(new URL(page.url()).searchParams.get('wall'), '1');
  await page.reload();
  await page.waitForSelector('html.wall #connection[data-state="live"]');
  assert.deepEqual(page.pageErrors, []);
});
