// Takes the board's screenshots for the documentation: a rollcalld seeded
// with the actor directory and the Niger data set, the board, and chromium.
// Usage: node screenshot.js DIR   (writes DIR/board.png and DIR/board-wall.png)

import path from 'node:path';
import { BoardProcess, launchBrowser, startSeededRollcalld } from './testing/board.js';

const SHOTS = [
  { file: 'board.png', query: '', viewport: { width: 1440, height: 900 } },
  { file: 'board-wall.png', query: '&wall=1', viewport: { width: 1920, height: 1080 } },
];

const dir = process.argv[2] ?? '.';
const rollcalld = await startSeededRollcalld();
const board = await BoardProcess.start(rollcalld.address);
const browser = await launchBrowser();
try {
  for (const shot of SHOTS) {
    const page = await browser.newPage({ viewport: shot.viewport });
    await page.goto(`${board.url}/?event=niger-coup-2023${shot.query}`);
    await page.waitForSelector('#connection[data-state="live"]');
    await page.waitForSelector('.timeline-row');
    await page.evaluate(() => document.fonts.ready);
    const file = path.join(dir, shot.file);
    await page.screenshot({ path: file });
    console.log(`screenshot: wrote ${file}`);
    await page.close();
  }
} finally {
  await browser.close();
  await board.stop();
  await rollcalld.close();
}
