// Times the dashboard pages' first render against a running gateway: for each page, a fresh
// browser context (no cache) navigates and waits until the page marks itself ready
// (body[data-state="ready"], set when every fetch of the view has been drawn). Prints a Markdown
// table. Usage: node page_load.mjs BASE_URL [ROUNDS] [PAGE,...] (default /rankings,/activity,
// /insights; a page the gateway does not serve gets a row saying so). Needs playwright-core
// (tests/browser).
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../../tests/browser/package.json'));
const { chromium } = require('playwright-core');

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const rounds = Number(process.argv[3] ?? 10);
const pages = (process.argv[4] ?? '/rankings,/activity,/insights').split(',');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless=new'],
});
console.log('| page | first render median ms | max ms | API calls |');
console.log('| --- | ---: | ---: | ---: |');
for (const path of pages) {
  const times = [];
  let calls = 0;
  let missing = 0;
  for (let i = 0; i < rounds; ++i) {
    const context = await browser.newContext();
    const page = await context.newPage();
    // Notes the page's clock when <body data-state> first turns "ready".
    await page.addInitScript(() => {
      new MutationObserver((_, observer) => {
        if (document.body?.dataset.state === 'ready') {
          window.__readyAt = performance.now();
          observer.disconnect();
        }
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-state'] });
    });
    let apiCalls = 0;
    page.on('request', (request) => { if (request.url().includes('/v1/')) apiCalls += 1; });
    const response = await page.goto(base + path);
    if (!response.ok()) {
      missing = response.status();
      await context.close();
      break;
    }
    await page.waitForSelector('body[data-state="ready"]', { timeout: 30000 });
    // Milliseconds from the start of the navigation to the ready mark, by the page's own clock
    // (the first render the user waits for; browser start-up is not part of it).
    times.push(Math.round(await page.evaluate(() => window.__readyAt ?? performance.now())));
    calls = apiCalls;
    await context.close();
  }
  if (missing) {
    console.log(`| ${path} | not served (HTTP ${missing}) | | |`);
    continue;
  }
  times.sort((a, b) => a - b);
  console.log(`| ${path} | ${times[Math.floor(times.length / 2)]} | ${times[times.length - 1]} | ${calls} |`);
}
await browser.close();
