// Headless-browser test of the dashboard pages (/rankings, /activity): Debian's chromium driven by
// playwright-core, against the real gateway binary with real gateway-sim processes behind it.
// Every number the pages show is checked against the JSON API the pages read, fetched here from
// Node. Binaries come from $GATEWAY_BUILD_DIR (default ../../build); screenshots go to output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const buildDir = resolve(process.env.GATEWAY_BUILD_DIR ?? join(import.meta.dirname, '../../build'));
const gatewayBinary = join(buildDir, 'gateway/gateway');
const simulatorBinary = join(buildDir, 'gateway/simulator/gateway-sim');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const outputDir = join(import.meta.dirname, 'output');
const AUTH_ENV = 'GW_BROWSER_TEST_KEY';
const AUTH_KEY = 'browser-test-key-0123456789';

// 12 models, so the top-10 chart has an "other" series; several authors and three providers.
// The fourth element is the display name of the config (`name`), where one is set.
const MODELS = [
  ['openai/gpt-4o-mini', 0.15, 0.6, 'GPT-4o mini'], ['anthropic/claude-3.5-haiku', 0.8, 4, 'Claude 3.5 Haiku'],
  ['meta-llama/llama-3.1-8b-instruct', 0.02, 0.05], ['meta-llama/llama-3.1-70b-instruct', 0.12, 0.3],
  ['mistralai/mistral-small', 0.2, 0.6], ['deepseek/deepseek-chat', 0.14, 0.28],
  ['qwen/qwen-2.5-72b-instruct', 0.35, 0.4], ['google/gemma-2-9b-it', 0.03, 0.06],
  ['openai/gpt-4o', 2.5, 10], ['anthropic/claude-3.5-sonnet', 3, 15],
  ['mistralai/mistral-large', 2, 6], ['deepseek/deepseek-r1', 0.55, 2.19],
];
const PROVIDERS = ['sim-swift', 'sim-budget', 'sim-steady'];
const APPS = ['Acme Chat', 'Docs Assistant', '', 'Code Review Bot'];

// The demo history's fixed last day, and the day every rankings assertion asks about (the pages'
// `?at=` and the API's `at`): 40 days ago. The day, week and month that contain it are then
// complete (a month ends at most 30 days after any of its days), full of traffic, and cut by no
// "today", so nothing the tests compare depends on the wall clock: not on when the run starts
// (shortly after UTC midnight, a Monday or the 1st, "today" has hardly any traffic) nor on a
// midnight passing between the page's request and the test's own.
const DAY_MS = 86400000;
const utcDay = (ms) => new Date(ms).toISOString().slice(0, 10);
const HISTORY_END = utcDay(Date.now() - 40 * DAY_MS);
// The activity page's range: the 30 days that end with the history.
const ACTIVITY_RANGE = { from: utcDay(Date.parse(HISTORY_END) - 29 * DAY_MS), to: HISTORY_END };

const children = [];
const tempDirs = [];
let browser;
let demo;  // the unauthenticated gateway with traffic: {base, dataDir, at, range}

// ------------------------------------------------------------------ processes

// Starts a binary and resolves with the port of its {"event":"listening"} stdout line.
function startAndWaitForPort(binary, args, env = {}) {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  children.push(child);
  return new Promise((resolvePort, reject) => {
    child.on('exit', (code) => reject(new Error(`${binary} exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('"event":"listening"')) resolvePort(JSON.parse(line).port);
    });
  });
}

function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

// Polls `probe` (an async predicate) every 50 ms until it holds; fails after `timeoutMs`.
async function until(description, probe, timeoutMs = 20000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (error) {
      last = error;
    }
    await new Promise((done) => setTimeout(done, 50));
  }
  throw new Error(`timed out waiting for ${description}${last ? `: ${last.message}` : ''}`);
}

// The YAML of a gateway on a free port with its ledger in `dataDir`, every model served by the
// simulators at `simPorts` (one provider each) at demo-like prices.
function gatewayConfig({ simPorts, dataDir, auth }) {
  const providers = PROVIDERS.map((name, i) => `  - { name: ${name}, base_url: "http://127.0.0.1:${simPorts[i % simPorts.length]}/v1" }`);
  const models = MODELS.map(([id, prompt, completion, name], i) => `  - id: ${id}
${name ? `    name: "${name}"\n` : ''}    context_length: 131072
    endpoints:
      - { provider: ${PROVIDERS[i % PROVIDERS.length]}, model: upstream-${i}, pricing: { prompt: ${prompt}, completion: ${completion} } }`);
  return `server:
  listen: "127.0.0.1:0"
  workers: 1
  access_log: false
${auth ? `  auth:\n    keys: ["\${${AUTH_ENV}}"]\n` : ''}accounting:
  data_dir: "${dataDir}"
providers:
${providers.join('\n')}
models:
${models.join('\n')}
`;
}

async function startSimulators(count) {
  const ports = [];
  for (let i = 0; i < count; i++) {
    ports.push(await startAndWaitForPort(simulatorBinary, ['--listen', '127.0.0.1:0', '--tokens', '400', '--seed', String(i + 1)]));
  }
  return ports;
}

// Writes the config, starts `gateway serve`, waits for GET /ready.
async function startGateway({ simPorts, auth = false, beforeServe = async () => {} }) {
  const dir = tempDir('gw-browser-');
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const configFile = join(dir, 'gateway.yaml');
  writeFileSync(configFile, gatewayConfig({ simPorts, dataDir, auth }));
  const env = auth ? { [AUTH_ENV]: AUTH_KEY } : {};
  await beforeServe(configFile, env);
  const port = await startAndWaitForPort(gatewayBinary, ['serve', '--config', configFile], env);
  const base = `http://127.0.0.1:${port}`;
  await until('GET /ready', async () => (await fetch(`${base}/ready`)).ok);
  return { base, dataDir, configFile, env };
}

// ------------------------------------------------------------------ filling the ledger

// The one switch between the two ways of filling the ledger: `gateway demo-traffic` (weeks of
// backdated traffic, written before the gateway serves) when the binary has it, else live chat
// requests through the running gateway (all of them land today).
function hasDemoTraffic() {
  try {
    return execFileSync(gatewayBinary, ['--help'], { encoding: 'utf8' }).includes('demo-traffic');
  } catch {
    return false;
  }
}
const USE_DEMO_TRAFFIC = process.env.GW_BROWSER_LIVE_TRAFFIC ? false : hasDemoTraffic();

async function demoTraffic(configFile, env) {
  execFileSync(gatewayBinary, ['demo-traffic', '--config', configFile, '--weeks', '12', '--requests-per-day', '20', '--seed', '1', '--end', HISTORY_END],
    { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ...env }, timeout: 120000 });
}

// Sends chat requests with a skewed mix of models (so ranks differ) and of X-Title apps; returns
// how many succeeded.
async function liveTraffic(base, { requests = 60, key = '' } = {}) {
  let ok = 0;
  const jobs = [];
  for (let i = 0; i < requests; i++) {
    const model = MODELS[Math.floor(MODELS.length * (i / requests) ** 2)][0];
    const app = APPS[i % APPS.length];
    const headers = { 'Content-Type': 'application/json' };
    if (app) headers['X-Title'] = app;
    if (key) headers.Authorization = `Bearer ${key}`;
    jobs.push(fetch(`${base}/v1/chat/completions`, {
      method: 'POST', headers,
      body: JSON.stringify({ model, seed: i, max_tokens: 20 + (i * 37) % 300, messages: [{ role: 'user', content: `Request ${i}: ${'words '.repeat(i % 50)}` }] }),
    }).then(async (response) => {
      await response.arrayBuffer();
      if (response.ok) ok++;
    }));
    if (jobs.length >= 8) await Promise.all(jobs.splice(0));
  }
  await Promise.all(jobs);
  return ok;
}

// GET a JSON API of `gateway` (with the key when given).
async function api(gateway, path, key = '') {
  const response = await fetch(`${gateway.base}${path}`, { headers: key ? { Authorization: `Bearer ${key}` } : {} });
  const body = await response.json();
  assert.equal(response.status, 200, `${path}: ${JSON.stringify(body)}`);
  return body;
}

function sumActivity(rows) {
  const total = { requests: 0, tokens: 0, nano: 0 };
  for (const row of rows) {
    total.requests += row.requests;
    total.tokens += row.prompt_tokens + row.completion_tokens;
    total.nano += Math.round(row.usage * 1e9);
  }
  return total;
}

// Waits until the ledger's rollups show `expected` requests (or, for demo traffic, any) in the
// gateway's activity range.
async function waitForLedger(gateway, expected, key = '') {
  await until(`${expected ?? 'some'} requests in /v1/activity`, async () => {
    const { requests } = sumActivity((await api(gateway, activityPath(gateway), key)).data);
    return expected === undefined ? requests > 0 : requests === expected;
  });
}

// "/v1/activity" over the gateway's explicit date range (`range`), when it has one.
function activityPath(gateway, extra = {}) {
  const query = new URLSearchParams({ ...(gateway.range ?? {}), ...extra }).toString();
  return query ? `/v1/activity?${query}` : '/v1/activity';
}

// A rankings API path for the gateway's day under test (`at`), when it has one.
function rankingsPath(gateway, path) {
  return gateway.at ? `${path}&at=${gateway.at}` : path;
}

// A page path for the gateway's day under test (/rankings) or range (/activity).
function pagePath(gateway, path) {
  const query = path === '/activity' ? new URLSearchParams(gateway.range ?? {}) : new URLSearchParams(gateway.at ? { at: gateway.at } : {});
  return query.toString() ? `${path}?${query}` : path;
}

// ------------------------------------------------------------------ what the pages must show

// Independent reference formatting (the page has its own): 1.2B / 45.3M / 12.1K / 999.
function tokensText(count) {
  if (count < 1000) return String(count);
  const units = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  for (let i = 0; i < units.length; i++) {
    const [size, suffix] = units[i];
    if (count >= size) {
      const scaled = Math.round((count / size) * 10) / 10;
      if (scaled >= 1000 && i > 0) return (Math.round((count / units[i - 1][0]) * 10) / 10).toFixed(1) + units[i - 1][1];
      return scaled.toFixed(1) + suffix;
    }
  }
  return String(count);
}

// Two significant digits under a cent, rounded as Intl rounds the decimal value (0.00845 ->
// $0.0085; Number.prototype.toPrecision rounds the binary double, 0.008449999..., down).
const smallMoney = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumSignificantDigits: 2 });
function moneyText(usd) {
  if (usd !== 0 && Math.abs(usd) < 0.01) return smallMoney.format(usd);
  return '$' + usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

function changeText(change) {
  if (change === null || change === undefined) return 'new';
  const rounded = Math.round(change * 10) / 10;
  if (rounded === 0) return '0.0%';
  return (rounded > 0 ? '+' : '\u2212') + Math.abs(rounded).toFixed(1) + '%';
}

// The rows of a ranked table (#model-leaderboard, #top-apps, #top-providers) as the page shows them.
function tableRows(page, selector) {
  return page.$$eval(`${selector} tbody tr`, (rows) => rows.map((row) => ({
    name: row.dataset.name,
    rank: row.dataset.rank,
    tokens: row.dataset.tokens,
    nameText: row.querySelector('.name-main')?.textContent ?? '',
    tokensText: row.querySelector('.tokens')?.textContent ?? '',
    changeText: row.querySelector('.change .change-text')?.textContent ?? '',
    costText: row.querySelector('.cost')?.textContent ?? '',
  })));
}

function expectedRow(row) {
  return { name: row.name, rank: row.other ? '' : String(row.rank), tokens: String(row.tokens) };
}

async function assertLeaderboardFollowsApi(page, gateway, period) {
  const answer = await api(gateway, rankingsPath(gateway, `/v1/rankings?by=model&period=${period}`));
  assert.ok(answer.data.length > 0, `no ${period} rankings`);
  const shown = await tableRows(page, '#model-leaderboard');
  assert.deepEqual(shown.map(({ name, rank, tokens }) => ({ name, rank, tokens })), answer.data.map(expectedRow));
  shown.forEach((row, i) => {
    const expected = answer.data[i];
    assert.equal(row.tokensText, tokensText(expected.tokens), `tokens text of ${expected.name}`);
    assert.equal(row.changeText, changeText(expected.change), `change text of ${expected.name}`);
    assert.equal(row.costText, moneyText(expected.cost), `cost text of ${expected.name}`);
  });
  const range = await page.$eval('#period-range', (el) => ({ from: el.dataset.from, to: el.dataset.to }));
  assert.deepEqual(range, { from: answer.from, to: answer.to });
}

async function assertRankedTable(page, gateway, by, selector, period) {
  const answer = await api(gateway, rankingsPath(gateway, `/v1/rankings?by=${by}&period=${period}`));
  const shown = await tableRows(page, selector);
  assert.deepEqual(shown.map(({ name, rank, tokens }) => ({ name, rank, tokens })), answer.data.map(expectedRow));
  shown.forEach((row, i) => {
    if (answer.data[i].name === '' && !answer.data[i].other) assert.equal(row.nameText, 'Unattributed');
    else if (!answer.data[i].other) assert.equal(row.nameText, answer.data[i].name);
  });
}

async function assertAuthorShare(page, gateway, period) {
  const answer = await api(gateway, rankingsPath(gateway, `/v1/rankings?by=author&period=${period}`));
  const shown = await page.$$eval('#author-share li', (items) => items.map((li) => ({ name: li.dataset.name, tokens: li.dataset.tokens, share: li.dataset.share })));
  assert.deepEqual(shown, answer.data.map((row) => ({ name: row.name, tokens: String(row.tokens), share: String(row.share) })));
  const slices = await page.$$eval('#author-share-body .slice', (circles) => circles.map((c) => c.dataset.name));
  assert.deepEqual(slices, answer.data.map((row) => row.name));
}

async function assertChartFollowsApi(page, gateway) {
  const answer = await api(gateway, rankingsPath(gateway, '/v1/rankings/timeseries?by=model&period=week&buckets=12&top=10'));
  assert.ok(answer.series.length > 0, 'the timeseries has no series');
  const shown = await page.$$eval('#tokens-chart g.series', (groups) => groups.map((group) => ({
    name: group.dataset.name,
    values: [...group.querySelectorAll('rect')]
      .sort((a, b) => Number(a.dataset.bucket) - Number(b.dataset.bucket))
      .map((rect) => Number(rect.dataset.value)),
  })));
  assert.deepEqual(shown, answer.series.map((series) => ({ name: series.name, values: series.values })));
  assert.equal(answer.buckets.length, 12);
  const legend = await page.$$eval('#tokens-chart .legend li', (items) => items.map((li) => li.dataset.name));
  assert.deepEqual(legend, answer.series.map((series) => series.name));
  const label = await page.$eval('#tokens-chart svg[role="img"]', (svg) =>
    svg.getAttribute('aria-labelledby').split(' ').map((id) => document.getElementById(id).textContent).join(' '));
  assert.match(label, /Tokens by model per week/);
}

async function waitReady(page, period) {
  const selector = period ? `body[data-state="ready"][data-period="${period}"]` : 'body[data-state="ready"]';
  await page.waitForSelector(selector, { timeout: 20000 });
}

// At a phone's width nothing may stick out sideways: a mobile browser would widen the layout
// viewport (innerWidth) to fit it, so innerWidth must stay the device width too. Tables scroll
// inside their own .table-wrap.
async function assertNoHorizontalOverflow(page, width) {
  const sizes = await page.evaluate((device) => {
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > device + 0.5 && !el.closest('.table-wrap'))
      .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.getAttribute('class') ?? ''}`);
    return { scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth, wide };
  }, width);
  assert.equal(sizes.inner, width, `the layout viewport grew to ${sizes.inner}px: ${sizes.wide.join(', ')}`);
  assert.ok(sizes.scroll <= sizes.inner, `page overflows horizontally: ${sizes.scroll} > ${sizes.inner}: ${sizes.wide.join(', ')}`);
}

// ------------------------------------------------------------------ set-up

before(async () => {
  mkdirSync(outputDir, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--headless=new'] });
  const simPorts = await startSimulators(2);
  if (USE_DEMO_TRAFFIC) {
    demo = await startGateway({ simPorts, beforeServe: demoTraffic });
    demo.at = HISTORY_END;
    demo.range = ACTIVITY_RANGE;
    await waitForLedger(demo);
  } else {
    // Live traffic lands today: the pages and the API then show the default periods.
    demo = await startGateway({ simPorts });
    const sent = await liveTraffic(demo.base, { requests: 72 });
    assert.ok(sent > 60, `only ${sent} requests succeeded`);
    await waitForLedger(demo, sent);
  }
  demo.simPorts = simPorts;
});

after(async () => {
  await browser?.close();
  for (const child of children) child.kill('SIGTERM');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

// ------------------------------------------------------------------ tests

test('/ redirects to /rankings; the assets are served with validators', async () => {
  const response = await fetch(`${demo.base}/`, { redirect: 'manual' });
  assert.ok([301, 302, 303, 307, 308].includes(response.status), `status ${response.status}`);
  assert.match(response.headers.get('location'), /\/rankings$/);
  for (const path of ['/rankings', '/activity', '/models/openai/gpt-4o-mini', '/dashboard/dashboard.js', '/dashboard/dashboard.css']) {
    const first = await fetch(`${demo.base}${path}`);
    assert.equal(first.status, 200, path);
    const etag = first.headers.get('etag');
    assert.ok(etag, `${path} has an ETag`);
    const again = await fetch(`${demo.base}${path}`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304, `${path} revalidates`);
  }
});

test('the page formats numbers as specified', async () => {
  const page = await browser.newPage();
  await page.goto(`${demo.base}/rankings`);
  const formatted = await page.evaluate(() => {
    const D = window.Dashboard;
    return {
      tokens: [1234567890, 45300000, 12100, 999, 0, 999950].map(D.formatTokens),
      money: [3412.18, 0.0042, 0, 0.01, 1234567.891].map(D.formatMoney),
      change: [12.5, -3.1, null, 0].map(D.formatChange),
    };
  });
  assert.deepEqual(formatted, {
    tokens: ['1.2B', '45.3M', '12.1K', '999', '0', '1.0M'],
    money: ['$3,412.18', '$0.0042', '$0.00', '$0.01', '$1,234,567.89'],
    change: ['+12.5%', '\u22123.1%', 'new', '0.0%'],
  });
  for (const [usd, text] of [[3412.18, '$3,412.18'], [0.0042, '$0.0042'], [0.000015, '$0.000015']]) assert.equal(moneyText(usd), text);
  await page.close();
});

test('rankings: leaderboard, chart, author share, apps and providers follow the API', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(`${demo.base}${pagePath(demo, '/rankings')}`);
  await waitReady(page, 'week');
  await assertLeaderboardFollowsApi(page, demo, 'week');
  await assertChartFollowsApi(page, demo);
  await assertAuthorShare(page, demo, 'week');
  await assertRankedTable(page, demo, 'app', '#top-apps', 'week');
  await assertRankedTable(page, demo, 'provider', '#top-providers', 'week');
  await page.screenshot({ path: join(outputDir, 'rankings-desktop-light.png'), fullPage: true });

  for (const period of ['day', 'month', 'week']) {
    await page.click(`button[data-period="${period}"]`);
    await waitReady(page, period);
    assert.equal(await page.getAttribute(`button[data-period="${period}"]`, 'aria-pressed'), 'true');
    await assertLeaderboardFollowsApi(page, demo, period);
    await assertAuthorShare(page, demo, period);
    await assertRankedTable(page, demo, 'app', '#top-apps', period);
    await assertRankedTable(page, demo, 'provider', '#top-providers', period);
  }
  assert.match(page.url(), /period=week/);
  if (demo.at) assert.equal(new URL(page.url()).searchParams.get('at'), demo.at, 'the period switch keeps ?at=');
  await context.close();
});

test('rankings in dark mode', async () => {
  const backgrounds = {};
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
    const page = await context.newPage();
    await page.goto(`${demo.base}${pagePath(demo, '/rankings')}`);
    await waitReady(page);
    backgrounds[colorScheme] = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    if (colorScheme === 'dark') await page.screenshot({ path: join(outputDir, 'rankings-desktop-dark.png'), fullPage: true });
    await context.close();
  }
  assert.notEqual(backgrounds.light, backgrounds.dark);
});

// The palette slot (data-color) of each name in the series of a chart.
function seriesColors(page, selector) {
  return page.$$eval(`${selector} g.series`, (groups) => Object.fromEntries(groups.map((g) => [g.dataset.name, g.dataset.color])));
}

// The palette slot of a share bar: its inline background is var(--cN).
function barColors(page, selector) {
  return page.$$eval(`${selector} tbody tr`, (rows) => Object.fromEntries(rows.map((row) => [row.dataset.name,
    (row.querySelector('.share-bar > span')?.style.background.match(/--c(\d+)/) ?? [])[1]])));
}

test('rankings: one colour per name across widgets, display names, market share, categories', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(`${demo.base}${pagePath(demo, '/rankings')}`);
  await waitReady(page, 'week');

  // A model's colour in the chart is its colour in the leaderboard; top-10 series never share one.
  const chart = await seriesColors(page, '#tokens-chart');
  const bars = await barColors(page, '#model-leaderboard');
  const named = Object.entries(chart).filter(([name]) => name !== 'other');
  assert.ok(named.length >= 2, 'the chart has too few series to compare colours');
  assert.equal(new Set(named.map(([, color]) => color)).size, named.length, `series share a colour: ${JSON.stringify(chart)}`);
  if (chart.other !== undefined) assert.equal(chart.other, '10', 'other is grey');
  for (const [name, color] of named) {
    if (bars[name] !== undefined) assert.equal(bars[name], color, `${name}: chart ${color}, leaderboard ${bars[name]}`);
  }
  // ... and an author's colour in the market-share chart is its colour in the donut's list.
  const market = await seriesColors(page, '#market-chart');
  const donut = await page.$$eval('#author-share li', (items) => Object.fromEntries(items.map((li) => [li.dataset.name, li.dataset.color])));
  for (const [name, color] of Object.entries(market)) {
    if (donut[name] !== undefined) assert.equal(donut[name], color, `author ${name}`);
  }
  // A reload paints the same colours (they follow the data, not which answer came first).
  await page.reload();
  await waitReady(page, 'week');
  assert.deepEqual(await seriesColors(page, '#tokens-chart'), chart);

  // Market share over time: each bar is the author's percent of the week's tokens.
  const authors = await api(demo, rankingsPath(demo, '/v1/rankings/timeseries?by=author&period=week&buckets=12&top=8'));
  const shown = await page.$$eval('#market-chart g.series', (groups) => groups.map((group) => ({
    name: group.dataset.name,
    values: [...group.querySelectorAll('rect')].sort((a, b) => a.dataset.bucket - b.dataset.bucket).map((r) => Number(r.dataset.value)),
  })));
  assert.deepEqual(shown.map((s) => s.name), authors.series.map((s) => s.name));
  shown.forEach((series, i) => series.values.forEach((value, b) => {
    const total = authors.buckets[b].total;
    const expected = total > 0 ? (authors.series[i].values[b] / total) * 100 : 0;
    assert.ok(Math.abs(value - expected) < 1e-9, `${series.name} week ${b}: ${value} vs ${expected}`);
  }));

  // Display names from the config, the id under them; each row opens the model's page.
  const rows = await page.$$eval('#model-leaderboard tbody tr:not(.other)', (trs) => trs.map((tr) => ({
    id: tr.dataset.name, text: tr.querySelector('.name-main').textContent, href: tr.querySelector('a.name-main')?.getAttribute('href'),
  })));
  for (const row of rows) {
    const model = MODELS.find(([id]) => id === row.id);
    assert.equal(row.text, model[3] ?? model[0], `display name of ${row.id}`);
    assert.equal(row.href, `/models/${row.id}?${new URLSearchParams({ period: 'week', ...(demo.at ? { at: demo.at } : {}) })}`);
  }
  assert.ok(rows.some((row) => row.text !== row.id), 'no display name was shown');
  const legend = await page.$$eval('#tokens-chart .legend li', (items) => items.map((li) => [li.dataset.name, li.children[1].textContent]));
  for (const [id, label] of legend) {
    const model = MODELS.find(([m]) => m === id);
    if (model) assert.equal(label, model[3] ?? id, `chart legend of ${id}`);
  }

  // Categories over the chart's weeks, as /v1/insights/categories answers.
  const categories = await api(demo, rankingsPath(demo, '/v1/insights/categories?weeks=12'));
  const expected = categories.data.filter((row) => row.tokens > 0).slice(0, 8).map((row) => ({ name: row.category ?? '', share: String(row.share) }));
  assert.ok(expected.length > 0, 'no categories recorded');
  const listed = await page.$$eval('#category-share li', (items) => items.map((li) => ({ name: li.dataset.name, share: li.dataset.share })));
  assert.deepEqual(listed.slice(0, expected.length), expected);
  await context.close();
});

test('rankings: the Trending tab and the chart range up to a year', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(`${demo.base}${pagePath(demo, '/rankings')}`);
  await waitReady(page, 'week');

  await page.click('button[data-order="trending"]');
  await page.waitForSelector('#model-leaderboard[data-order="trending"]');
  await waitReady(page);
  assert.equal(new URL(page.url()).searchParams.get('order'), 'trending');
  const trending = await api(demo, rankingsPath(demo, '/v1/rankings?by=model&period=week&order=trending'));
  const shown = await page.$$eval('#model-leaderboard tbody tr', (trs) => trs.map((tr) => ({ name: tr.dataset.name, trend: tr.dataset.trend })));
  assert.deepEqual(shown, trending.data.map((row) => ({ name: row.name, trend: row.trend === null || row.trend === undefined ? 'new' : String(row.trend) })));
  assert.match(await page.textContent('#model-leaderboard thead'), /Trend/);

  await page.click('button[data-range="52"]');
  await page.waitForSelector('body[data-range="52"][data-state="ready"]');
  assert.equal(new URL(page.url()).searchParams.get('weeks'), '52');
  const year = await api(demo, rankingsPath(demo, '/v1/rankings/timeseries?by=model&period=week&buckets=52&top=10'));
  const buckets = await page.$$eval('#tokens-chart g.series:first-of-type rect', (rects) => rects.length);
  assert.equal(buckets, 52);
  const values = await page.$$eval('#tokens-chart g.series', (groups) => groups.map((g) => g.dataset.name));
  assert.deepEqual(values, year.series.map((s) => s.name));
  assert.equal(await page.$$eval('#market-chart g.series:first-of-type rect', (rects) => rects.length), 52);
  // The leaderboard kept its tab through the range change.
  assert.equal(await page.getAttribute('#model-leaderboard', 'data-order'), 'trending');
  await page.screenshot({ path: join(outputDir, 'rankings-year-trending.png'), fullPage: true });
  await context.close();
});

test('rankings today: the running week is a marked partial bar and compares up to the same hour', async () => {
  const page = await browser.newPage();
  await page.goto(`${demo.base}/rankings?period=day`);
  await waitReady(page, 'day');
  const partial = await page.$$eval('#tokens-chart g.series:first-of-type rect', (rects) => rects.map((r) => r.dataset.partial ?? ''));
  assert.equal(partial.length, 12);
  assert.deepEqual(partial, [...Array(11).fill(''), 'true'], 'only the week in progress is partial');
  assert.match(await page.textContent('#tokens-chart .axis'), /\*$/);
  assert.match(await page.textContent('#tokens-chart .chart-note'), /In progress/);
  const answer = await api(demo, '/v1/rankings?by=model&period=day');
  assert.equal(answer.complete, false);
  assert.match(answer.previous.until, /^\d{4}-\d{2}-\d{2}T\d{2}:00:00\.000Z$/);
  const text = await page.textContent('#period-range');
  assert.ok(text.includes(`until ${answer.previous.until.slice(11, 16)} UTC`), `period text: ${text}`);
  // A past day is complete: no partial bar, no cut.
  await page.goto(`${demo.base}/rankings?at=${utcDay(Date.now() - 30 * DAY_MS)}`);
  await waitReady(page, 'week');
  assert.equal(await page.$$eval('#tokens-chart rect[data-partial]', (rects) => rects.length), 0);
  assert.doesNotMatch(await page.textContent('#period-range'), /until/);
  await page.close();
});

test('model page: endpoints with prices and live health, usage by provider, top apps', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  await page.goto(`${demo.base}${pagePath(demo, '/rankings')}`);
  await waitReady(page, 'week');
  const first = await page.$eval('#model-leaderboard tbody tr[data-rank="1"]', (tr) => tr.dataset.name);
  await Promise.all([page.waitForURL(/\/models\//), page.click('#model-leaderboard tbody tr[data-rank="1"] a.name-main')]);
  await waitReady(page);
  assert.equal(new URL(page.url()).pathname, `/models/${first}`);

  const listing = await api(demo, `/v1/models/${first}/endpoints`);
  const model = MODELS.find(([id]) => id === first);
  assert.equal(await page.textContent('#model-name'), model[3] ?? first);
  assert.match(await page.textContent('#model-facts'), new RegExp(first.replace(/[.]/g, '\\.')));
  const endpoints = await page.$$eval('#model-endpoints tbody tr', (trs) => trs.map((tr) => ({
    provider: tr.dataset.name, status: tr.dataset.status, prompt: tr.dataset.promptPrice, completion: tr.dataset.completionPrice,
    promptText: tr.querySelector('.prompt-price').textContent, requests: tr.dataset.requests,
  })));
  assert.deepEqual(endpoints.map(({ provider, status, prompt, completion }) => ({ provider, status, prompt, completion })),
    listing.data.endpoints.map((e) => ({ provider: e.provider_name, status: e.status_name, prompt: e.pricing.prompt, completion: e.pricing.completion })));
  assert.equal(endpoints[0].promptText, moneyText(model[1]), 'the prompt price per million tokens');

  // Its usage by provider over the weeks, and its apps in the period, filtered by the model.
  const usage = await api(demo, rankingsPath(demo, `/v1/rankings/timeseries?by=provider&period=week&buckets=12&top=10&model=${encodeURIComponent(first)}`));
  const series = await page.$$eval('#usage-chart g.series', (groups) => groups.map((g) => ({
    name: g.dataset.name, values: [...g.querySelectorAll('rect')].sort((a, b) => a.dataset.bucket - b.dataset.bucket).map((r) => Number(r.dataset.value)),
  })));
  assert.deepEqual(series, usage.series.map((s) => ({ name: s.name, values: s.values })));
  const apps = await api(demo, rankingsPath(demo, `/v1/rankings?by=app&period=week&model=${encodeURIComponent(first)}`));
  const shownApps = await tableRows(page, '#model-apps');
  assert.deepEqual(shownApps.map(({ name, rank, tokens }) => ({ name, rank, tokens })), apps.data.map(expectedRow));
  const totals = await page.$eval('#model-totals [data-metric="tokens"]', (tile) => Number(tile.dataset.value));
  assert.equal(totals, apps.totals.tokens);
  await page.screenshot({ path: join(outputDir, 'model-page.png'), fullPage: true });

  // An unknown model: the API's 404 message, not an empty page.
  await page.goto(`${demo.base}/models/nobody/nothing`);
  await page.waitForSelector('body[data-state="error"]');
  assert.match(await page.textContent('#endpoints'), /nobody\/nothing/);
  await context.close();
});

test('activity: totals equal the sum of /v1/activity; filters reach the CSV link', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light', acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${demo.base}${pagePath(demo, '/activity')}`);
  await waitReady(page);
  const expected = sumActivity((await api(demo, activityPath(demo))).data);
  assert.ok(expected.requests > 0, 'no activity in the range');
  const totals = await page.$$eval('#activity-totals [data-metric]', (tiles) =>
    Object.fromEntries(tiles.map((tile) => [tile.dataset.metric, Number(tile.dataset.value)])));
  assert.equal(totals.requests, expected.requests);
  assert.equal(totals.tokens, expected.tokens);
  assert.equal(Math.round(totals.cost * 1e9), expected.nano);
  const bars = await page.$$eval('#requests-chart rect[data-bucket]', (rects) => rects.map((r) => Number(r.dataset.value)));
  assert.equal(bars.length, 30);
  assert.equal(bars.reduce((a, v) => a + v, 0), expected.requests);
  await page.screenshot({ path: join(outputDir, 'activity-desktop-light.png'), fullPage: true });

  const model = (await api(demo, rankingsPath(demo, '/v1/rankings?by=model&period=month'))).data[0].name;
  await page.fill('#filter-model', model);
  await page.fill('#filter-user', '');
  await page.click('#activity-filters button[type="submit"]');
  await waitReady(page);
  const href = await page.getAttribute('#csv-download', 'href');
  const csvUrl = new URL(href, demo.base);
  assert.equal(csvUrl.pathname, '/v1/activity');
  assert.equal(csvUrl.searchParams.get('format'), 'csv');
  assert.equal(csvUrl.searchParams.get('model'), model);
  assert.match(csvUrl.searchParams.get('from'), /^\d{4}-\d{2}-\d{2}$/);
  assert.match(csvUrl.searchParams.get('to'), /^\d{4}-\d{2}-\d{2}$/);
  if (demo.range) assert.deepEqual({ from: csvUrl.searchParams.get('from'), to: csvUrl.searchParams.get('to') }, demo.range);
  const filtered = sumActivity((await api(demo, activityPath(demo, { model }))).data);
  assert.ok(filtered.requests > 0, `no activity of ${model} in the range`);
  const requests = await page.$eval('#activity-totals [data-metric="requests"]', (tile) => Number(tile.dataset.value));
  assert.equal(requests, filtered.requests);
  const csv = await (await fetch(csvUrl)).text();
  assert.match(csv, /^date,model,provider_name,/);
  const download = await Promise.all([page.waitForEvent('download'), page.click('#csv-download')]).then(([d]) => d);
  assert.equal(download.suggestedFilename(), 'activity.csv');
  await context.close();
});

test('phone width (375 px): no horizontal overflow', async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  for (const path of ['/rankings', '/activity']) {
    await page.goto(`${demo.base}${pagePath(demo, path)}`);
    await waitReady(page);
    await assertNoHorizontalOverflow(page, 375);
    await page.screenshot({ path: join(outputDir, `${path.slice(1)}-phone.png`), fullPage: true });
  }
  await context.close();
});

test('with auth on: the page asks for a key on 401, then shows the data; empty ledger message', async () => {
  const gateway = await startGateway({ simPorts: demo.simPorts, auth: true });
  const unauthorized = await fetch(`${gateway.base}/v1/rankings`);
  assert.equal(unauthorized.status, 401);

  // The traffic below lands today: page and API are both asked about this day, so a midnight
  // passing between the two requests cannot make them differ.
  const day = utcDay(Date.now());
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${gateway.base}/rankings?at=${day}`);
  await page.waitForSelector('body[data-state="auth"]');
  assert.equal(await page.isVisible('#key-panel'), true);
  await page.screenshot({ path: join(outputDir, 'rankings-key-form.png') });
  await page.fill('#key-input', AUTH_KEY);
  await page.click('#key-form button[type="submit"]');
  await waitReady(page);
  assert.equal(await page.isVisible('#key-panel'), false);
  assert.equal(await page.isVisible('#key-status'), true);
  assert.match(await page.textContent('#leaderboard'), /No usage recorded for this period yet/);
  assert.match(await page.textContent('#tokens-chart'), /No usage recorded for this period yet/);

  const sent = await liveTraffic(gateway.base, { requests: 12, key: AUTH_KEY });
  await waitForLedger(gateway, sent, AUTH_KEY);
  await page.reload();
  await waitReady(page);
  const shown = await tableRows(page, '#model-leaderboard');
  const answer = await api(gateway, `/v1/rankings?by=model&period=week&at=${day}`, AUTH_KEY);
  assert.deepEqual(shown.map(({ name, rank, tokens }) => ({ name, rank, tokens })), answer.data.map(expectedRow));

  await page.goto(`${gateway.base}/activity`);
  await waitReady(page);
  const requests = await page.$eval('#activity-totals [data-metric="requests"]', (tile) => Number(tile.dataset.value));
  assert.equal(requests, sent);

  await page.click('#forget-key');
  await page.waitForSelector('body[data-state="auth"]');
  assert.equal(await page.evaluate(() => localStorage.length), 0);
  await context.close();
});

test('an API error shows the message of the error body', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${demo.base}/activity?from=2030-01-10&to=2030-01-01`);
  await page.waitForSelector('body[data-state="error"]');
  const text = await page.textContent('#activity-charts .message.error');
  const answer = await (await fetch(`${demo.base}/v1/activity?from=2030-01-10&to=2030-01-01`)).json();
  assert.equal(answer.error.message.length > 0, true);
  assert.ok(text.includes(answer.error.message), `${text} / ${answer.error.message}`);
  await context.close();
});

test('keys: spend against limit, reset and rate headroom follow GET /v1/keys; /activity filters by label', async () => {
  const gateway = await startGateway({ simPorts: demo.simPorts });
  const create = async (fields) => {
    const response = await fetch(`${gateway.base}/v1/keys`, {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(fields),
    });
    const body = await response.json();
    assert.equal(response.status, 201, JSON.stringify(body));
    return body;
  };
  const limited = await create({ name: 'team limited', limit: 5, limit_reset: 'daily', rate_limit: { requests_per_minute: 1000 } });
  await create({ name: 'team open' });
  const sent = await liveTraffic(gateway.base, { requests: 6, key: limited.key });
  assert.equal(sent, 6);
  const other = await liveTraffic(gateway.base, { requests: 3 });  // without a key
  assert.equal(other, 3);
  let listed;
  await until('the limited key\'s usage in /v1/keys', async () => {
    listed = await api(gateway, '/v1/keys');
    return listed.data.find((key) => key.hash === limited.data.hash).usage_daily > 0;
  });

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${gateway.base}/keys`);
  await waitReady(page);
  const rows = await page.$$eval('#keys tbody tr', (trs) => trs.map((tr) => ({
    hash: tr.dataset.hash, state: tr.dataset.state, name: tr.querySelector('.name').textContent,
    share: tr.querySelector('.limit').dataset.share ?? null, rate: tr.querySelector('.rate').textContent,
    reset: tr.querySelector('.reset').textContent,
  })));
  assert.deepEqual(rows.map((row) => row.hash), listed.data.map((key) => key.hash));
  const shownLimited = rows.find((row) => row.hash === limited.data.hash);
  const key = (await api(gateway, '/v1/keys')).data.find((entry) => entry.hash === limited.data.hash);
  assert.equal(shownLimited.state, 'active');
  assert.equal(shownLimited.share, ((100 * (key.limit - key.limit_remaining)) / key.limit).toFixed(1));
  assert.match(shownLimited.rate, /\/ 1,000 req\/min/);
  // (The bucket refills 1,000 a minute, so the headroom is somewhere up to the limit by now.)
  const left = key.rate_limit_remaining.requests_per_minute;
  assert.ok(Number.isInteger(left) && left <= 1000, JSON.stringify(key.rate_limit_remaining));
  assert.match(shownLimited.rate, /^[\d,]+ \/ 1,000 req\/min$/);
  assert.match(shownLimited.reset, /^daily, next /);
  const open = rows.find((row) => row.name === 'team open');
  assert.equal(open.share, null);
  assert.equal(open.reset, 'never');
  await page.screenshot({ path: join(outputDir, 'keys.png'), fullPage: true });

  // The activity page takes the key's label and asks the API for its id.
  await page.goto(`${gateway.base}/activity?key=${encodeURIComponent(limited.data.label)}`);
  await waitReady(page);
  const requests = await page.$eval('#activity-totals [data-metric="requests"]', (tile) => Number(tile.dataset.value));
  assert.equal(requests, sent);
  assert.match(await page.getAttribute('#csv-download', 'href'), new RegExp(`key=${limited.data.hash}`));
  await context.close();
});
