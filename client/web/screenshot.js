// Takes the board's screenshots for the documentation: a rollcalld seeded
// with the actor directory and the Niger data set, the board, and chromium.
// Usage: node screenshot.js DIR   (writes DIR/board.png, DIR/board-wall.png,
// DIR/review.png and DIR/entry.png)

import path from 'node:path';
import { Client } from '@rollcall/client';
import { BoardProcess, launchBrowser, startSeededRollcalld } from './testing/board.js';

const SHOTS = [
  { file: 'board.png', query: '', viewport: { width: 1440, height: 900 } },
  { file: 'board-wall.png', query: '&wall=1', viewport: { width: 1920, height: 1080 } },
];

// An article for the review desk's screenshot.
const ARTICLE = {
  title: 'Talks stall in Niger crisis',
  publisher: 'AFP',
  url: 'https://afp.example/niger-talks-stall',
  language: 'en',
  publishTime: '2023-08-20T12:00:00Z',
  text: `Abuja (AFP) - The Economic Community of West African States on Sunday condemned the junta's refusal to receive its envoys.

"The junta has chosen defiance over dialogue," ECOWAS Commission president Omar Touray told reporters in Abuja.

Nigeria on Sunday called for the immediate release of President Mohamed Bazoum.

The African Union said it was deeply concerned by the health of the detained president.

"This decision has no legitimacy," a spokesperson for the Sahel States Alliance said.`,
};

const dir = process.argv[2] ?? '.';
const rollcalld = await startSeededRollcalld();
const board = await BoardProcess.start(rollcalld.address);
const browser = await launchBrowser();
const client = new Client(rollcalld.address);
const write = async (page, file) => {
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: path.join(dir, file) });
  console.log(`screenshot: wrote ${path.join(dir, file)}`);
  await page.close();
};
try {
  for (const shot of SHOTS) {
    const page = await browser.newPage({ viewport: shot.viewport });
    await page.goto(`${board.url}/?event=niger-coup-2023${shot.query}`);
    await page.waitForSelector('#connection[data-state="live"]');
    await page.waitForSelector('.timeline-row');
    await write(page, shot.file);
  }

  await client.extractDrafts('niger-coup-2023', ARTICLE);
  const review = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await review.goto(`${board.url}/review?event=niger-coup-2023`);
  await review.waitForSelector('#connection[data-state="live"]');
  await review.waitForSelector('#article-text mark');
  await review.locator('.draft-card').nth(1).click();
  await review.keyboard.press('e');
  await review.waitForSelector('.edit-form');
  await write(review, 'review.png');

  const entry = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await entry.goto(`${board.url}/entry?event=niger-coup-2023`);
  await entry.waitForSelector('[data-field="actor"]');
  await entry.fill('[data-field="actor"]', 'Togo');
  await entry.click('.actor-options li[data-actor="actors/togo"]');
  await entry.selectOption('[data-field="stance"]', 'STANCE_CONCERNED');
  await entry.fill('[data-field="sources[0].publisher"]', 'Republic of Togo');
  await entry.click('#entry-submit');
  await entry.waitForSelector('[aria-invalid="true"]');
  await write(entry, 'entry.png');
} finally {
  client.close();
  await browser.close();
  await board.stop();
  await rollcalld.close();
}
