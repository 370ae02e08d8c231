// Headless-browser test of the /insights page: Debian's chromium driven by playwright-core, against
// the real gateway binary with real gateway-sim processes behind it. The ledger gets ten weeks of
// `gateway demo-traffic` (models with their attributes, apps with their categories, a reasoning
// model) and then live requests of today in several languages, some offering tools to a
// simulator that answers them with a tool call. Every chart mark and table cell the page shows is
// checked against the JSON API it reads, fetched here from Node; the screenshots are decoded and
// each chart must have painted coloured pixels. Binaries come from $GATEWAY_BUILD_DIR (default
// ../../build); screenshots go to output/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const buildDir = resolve(process.env.GATEWAY_BUILD_DIR ?? join(import.meta.dirname, '../../build'));
const gatewayBinary = join(buildDir, 'gateway/gateway');
const simulatorBinary = join(buildDir, 'gateway/simulator/gateway-sim');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const outputDir = join(import.meta.dirname, 'output');
const KEY_ENV = 'GW_INSIGHTS_TEST_KEY';
const ADMIN_ENV = 'GW_INSIGHTS_TEST_ADMIN_KEY';
const PLAIN_KEY = 'insights-plain-key-0123456789';
const ADMIN_KEY = 'insights-admin-key-0123456789';

// [id, prompt price, completion price, attributes, upstream model name]. Prices spread the models
// over the four price/usage quadrants; deepseek-r1's simulator reports reasoning tokens.
const MODELS = [
  ['openai/gpt-4o-mini', 0.15, 0.6, { open_weights: false, origin_country: 'US' }, 'up-mini'],
  ['anthropic/claude-3.5-haiku', 0.8, 4, { open_weights: false, origin_country: 'US' }, 'up-haiku'],
  ['meta-llama/llama-3.1-8b-instruct', 0.02, 0.05, { open_weights: true, origin_country: 'US', parameters_b: 8 },
    'up-8b'],
  ['mistralai/mistral-small', 0.2, 0.6, { open_weights: true, origin_country: 'FR', parameters_b: 22 }, 'up-small'],
  ['deepseek/deepseek-chat', 0.14, 0.28, { open_weights: true, origin_country: 'CN', parameters_b: 671 }, 'up-v3'],
  ['qwen/qwen-2.5-72b-instruct', 0.35, 0.4, { open_weights: true, origin_country: 'CN', parameters_b: 72.7 },
    'up-qwen'],
  ['deepseek/deepseek-r1', 0.55, 2.19, { open_weights: true, origin_country: 'CN', parameters_b: 671, reasoning: true },
    'up-r1?reasoning_tokens=120'],
  ['google/gemma-2-9b-it', 0.03, 0.06, { open_weights: true, parameters_b: 9 }, 'up-gemma'],
];
// The demo's apps with their declared categories (docs/demo-traffic.md).
const APPS = [
  ['Acme Support Bot', 'general_qa'], ['CodePilot', 'programming'], ['Docs Search', 'technology'],
  ['Sales Email Writer', 'marketing'], ['Data Notebook', 'programming'], ['Translation Hub', 'translation'],
  ['StoryForge', 'creative_writing'],
];
// Live prompts of today, in the languages the detector knows (docs/insights.md).
const PROMPTS = [
  'Kannst du mir bitte erklären, wie ich die Datei auf dem Server speichern kann? '
    + 'Ich habe es schon versucht, aber es funktioniert nicht.',
  'Pourriez-vous m\'expliquer comment je peux enregistrer le fichier sur le serveur ? '
    + 'J\'ai déjà essayé mais cela ne marche pas.',
  '¿Puedes explicarme cómo puedo guardar el archivo en el servidor? Ya lo intenté, pero no funciona.',
  'サーバーにファイルを保存する方法を教えてください。何度も試しましたが、うまくいきません。',
  'Объясни, пожалуйста, как сохранить файл на сервере? Я уже пробовал, но ничего не работает.',
  'Could you please explain how I can save the file on the server? I have already tried, but it does not work.',
];
const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather', description: 'The weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
};

const DAY_MS = 86400000;
const utcDay = (ms) => new Date(ms).toISOString().slice(0, 10);
// The day every page and API call asks about (`at`): today when the run starts. Traffic is
// dated up to now; a midnight passing during the run changes neither side's weeks.
const AT = utcDay(Date.now());

const children = [];
const tempDirs = [];
let browser;
let demo; // the gateway without auth, with traffic: {base}
let simPorts;

// ------------------------------------------------------------------ processes

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

async function until(description, probe, timeoutMs = 30000) {
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

// Provider 0: a plain simulator; provider 1: one that answers requests offering tools with a tool
// call. gpt-4o-mini (the model the tool requests ask for) is served by provider 1.
function gatewayConfig({ dataDir, auth }) {
  const models = MODELS.map(([id, prompt, completion, attributes, upstream], i) => `  - id: ${id}
    context_length: 131072
${Object.entries(attributes).map(([name, value]) => `    ${name}: ${value}`).join('\n')}
    endpoints:
      - provider: sim-${i === 0 ? 1 : 0}
        model: "${upstream}"
        pricing: { prompt: ${prompt}, completion: ${completion} }`);
  const authBlock = auth ? `  auth:\n    keys: ["\${${KEY_ENV}}"]\n    admin_keys: ["\${${ADMIN_ENV}}"]\n` : '';
  return `server:
  listen: "127.0.0.1:0"
  workers: 1
  access_log: false
${authBlock}accounting:
  data_dir: "${dataDir}"
providers:
  - { name: sim-0, base_url: "http://127.0.0.1:${simPorts[0]}/v1" }
  - { name: sim-1, base_url: "http://127.0.0.1:${simPorts[1]}/v1" }
models:
${models.join('\n')}
apps:
${APPS.map(([name, category]) => `  - { name: "${name}", category: ${category} }`).join('\n')}
`;
}

async function startGateway({ auth = false, traffic = false } = {}) {
  const dir = tempDir('gw-insights-');
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir);
  const configFile = join(dir, 'gateway.yaml');
  writeFileSync(configFile, gatewayConfig({ dataDir, auth }));
  const env = auth ? { [KEY_ENV]: PLAIN_KEY, [ADMIN_ENV]: ADMIN_KEY } : {};
  let demoRequests = 0;
  if (traffic) {
    // Ten weeks up to now: every first use of an app lies within the page's default 12 weeks.
    const printed = execFileSync(gatewayBinary,
      ['demo-traffic', '--config', configFile, '--weeks', '10', '--requests-per-day', '24', '--seed', '3'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env }, timeout: 120000 });
    const sent = /sent (\d+) requests \((\d+) ok, 0 failed\)/.exec(printed);
    assert.ok(sent, `demo-traffic printed: ${printed}`);
    demoRequests = Number(sent[2]);
  }
  const port = await startAndWaitForPort(gatewayBinary, ['serve', '--config', configFile], env);
  const base = `http://127.0.0.1:${port}`;
  await until('GET /ready', async () => (await fetch(`${base}/ready`)).ok);
  return { base, demoRequests };
}

// Live requests of today: every language of PROMPTS, a third offering a tool (to gpt-4o-mini,
// whose simulator calls it), some from a new app, some with a user. Returns how many succeeded.
async function liveTraffic(base) {
  let ok = 0;
  const jobs = [];
  for (let i = 0; i < 36; i++) {
    const tools = i % 3 === 0;
    const model = tools ? MODELS[0][0] : MODELS[(i * 5) % MODELS.length][0];
    const headers = { 'Content-Type': 'application/json' };
    if (i % 4 === 1) headers['X-Title'] = 'Insights Test App';
    const content = PROMPTS[i % PROMPTS.length];
    const body = { model, seed: i, max_tokens: 40 + (i * 13) % 200, messages: [{ role: 'user', content }] };
    if (tools) body.tools = [WEATHER_TOOL];
    if (i % 2) body.user = `tester-${i % 5}`;
    const request = fetch(`${base}/v1/chat/completions`, { method: 'POST', headers, body: JSON.stringify(body) });
    jobs.push(request.then(async (response) => {
      await response.arrayBuffer();
      if (response.ok) ok++;
    }));
    if (jobs.length >= 6) await Promise.all(jobs.splice(0));
  }
  await Promise.all(jobs);
  return ok;
}

// ------------------------------------------------------------------ the API, as the page asks it

async function api(gateway, path, parameters = {}, key = '') {
  const query = new URLSearchParams({ weeks: '12', at: AT, ...parameters }).toString();
  const headers = key ? { Authorization: `Bearer ${key}` } : {};
  const response = await fetch(`${gateway.base}${path}?${query}`, { headers });
  const body = await response.json();
  assert.equal(response.status, 200, `${path}?${query}: ${JSON.stringify(body)}`);
  return body;
}

const raw = (value) => (value === null || value === undefined ? '' : String(value));
const categoryKey = (category) => (category === null ? '(not recorded)' : category);

// The page's category palette (insights.js categoryPalette): over ten categories, the first nine
// keep their own series and the rest are summed into "~other".
function categoryGroups(categories) {
  const keys = categories.data.map((row) => categoryKey(row.category));
  const own = keys.length > 10 ? keys.slice(0, 9) : keys;
  const names = [...own, ...(keys.length > own.length ? ['~other'] : [])];
  return { names, group: (key) => (own.includes(key) ? key : '~other') };
}

// ------------------------------------------------------------------ what the page shows

async function waitReady(page) {
  await page.waitForSelector('body[data-state="ready"]', { timeout: 30000 });
}

// Every mark of the chart in `container`: {series name: {bucket: data-value}}.
function chartMarks(page, container, mark = '[data-value]') {
  return page.$eval(container, (element, markSelector) => {
    const marks = {};
    for (const group of element.querySelectorAll('svg g.series')) {
      marks[group.dataset.name] = {};
      for (const node of group.querySelectorAll(markSelector)) {
        marks[group.dataset.name][node.dataset.bucket] = node.dataset.value;
      }
    }
    return marks;
  }, mark);
}

// The rows of a data table: [{name, values: [data-value of each cell]}].
function tableRows(page, id) {
  return page.$$eval(`#${id} tbody tr`, (rows) => rows.map((row) => ({
    name: row.dataset.name, values: [...row.querySelectorAll('td')].map((td) => td.dataset.value),
  })));
}

function expectTable(rows, name, fields) {
  const cell = (row, field) => raw(typeof field === 'function' ? field(row) : row[field]);
  return rows.map((row) => ({ name: name(row), values: fields.map((field) => cell(row, field)) }));
}

// {name: {week: value}} of weekly rows, one series per distinct `seriesOf(row)`.
function weeklySeries(rows, seriesOf, valueOf) {
  const series = {};
  for (const row of rows) {
    const name = seriesOf(row);
    series[name] ??= {};
    series[name][row.week] = raw(valueOf(row));
  }
  return series;
}

// Every week of an answer, from weeks.from in steps of seven days.
function weeksOf(answer) {
  return Array.from({ length: answer.weeks.count }, (_, i) => utcDay(Date.parse(answer.weeks.from) + 7 * i * DAY_MS));
}

// A series for every week (columns draw one rect per week, '' where the week has no row).
function fillWeeks(answer, series) {
  const filled = {};
  for (const [name, values] of Object.entries(series)) {
    filled[name] = Object.fromEntries(weeksOf(answer).map((week) => [week, values[week] ?? '']));
  }
  return filled;
}

async function assertOverview(page, gateway) {
  const answer = await api(gateway, '/v1/insights');
  const tiles = await page.$$eval('#insights-totals [data-metric]', (items) =>
    Object.fromEntries(items.map((item) => [item.dataset.metric, item.dataset.value])));
  for (const metric of ['tokens', 'requests', 'cost', 'reasoning_share', 'tool_call_share']) {
    assert.equal(tiles[metric], raw(answer.totals[metric]), `tile ${metric}`);
  }
  const range = await page.$eval('#insights-range', (el) => ({ from: el.dataset.from, to: el.dataset.to }));
  assert.deepEqual(range, { from: answer.weeks.from, to: answer.weeks.to });
  return answer;
}

async function assertTokens(page, gateway, weeks) {
  const answer = await api(gateway, '/v1/insights/tokens', { weeks });
  assert.equal(answer.data.length, Number(weeks));
  assert.deepEqual(await chartMarks(page, '#tokens-chart'), {
    prompt_tokens: weeklySeries(answer.data, () => 'x', (row) => row.prompt_tokens).x,
    completion_tokens: weeklySeries(answer.data, () => 'x', (row) => row.completion_tokens).x,
  });
  const partial = await page.$$eval('#tokens-chart g.series[data-name="prompt_tokens"] rect.partial',
    (rects) => rects.map((r) => r.dataset.bucket));
  assert.deepEqual(partial, answer.data.filter((row) => row.complete === false).map((row) => row.week));
  // Growth above every complete week that has one.
  const growth = await page.$$eval('#tokens-chart text.annotation',
    (texts) => texts.map((t) => [t.dataset.bucket, t.dataset.value]));
  assert.deepEqual(growth,
    answer.data.filter((row) => row.complete && row.growth !== null).map((row) => [row.week, String(row.growth)]));
  assert.deepEqual(await tableRows(page, 'tokens-table'), expectTable(answer.data, (row) => row.week,
    ['requests', 'prompt_tokens', 'completion_tokens', 'tokens', 'cost', 'growth']));
}

async function assertShareOverWeeks(page, gateway, path, container, tableId, field) {
  const answer = await api(gateway, path);
  assert.ok(answer.data.length > 0, `${path} has rows`);
  assert.deepEqual(await chartMarks(page, container),
    fillWeeks(answer, weeklySeries(answer.data, (row) => row[field], (row) => row.share)));
  assert.deepEqual(await tableRows(page, tableId),
    expectTable(answer.data, (row) => `${row.week}/${row[field]}`, [field, 'requests', 'tokens', 'share']));
  return answer;
}

async function assertCategories(page, gateway) {
  const answer = await api(gateway, '/v1/insights/categories');
  const groups = categoryGroups(answer);
  const sums = (rows) => {
    const totals = {};
    for (const row of rows) {
      const group = groups.group(categoryKey(row.category));
      totals[group] = (totals[group] ?? 0) + row.share;
    }
    return totals;
  };
  const authorTokens = new Map();
  for (const row of answer.by_author) authorTokens.set(row.author, (authorTokens.get(row.author) ?? 0) + row.tokens);
  const authors = [...authorTokens.keys()]
    .sort((a, b) => authorTokens.get(b) - authorTokens.get(a) || a.localeCompare(b));
  const bars = [['(all)', sums(answer.data)],
    ...authors.map((author) => [author, sums(answer.by_author.filter((row) => row.author === author))])];
  const expected = Object.fromEntries(groups.names.map((name) =>
    [name, Object.fromEntries(bars.map(([bar, totals]) => [bar, raw(totals[name])]))]));
  assert.deepEqual(await chartMarks(page, '#categories-chart'), expected);
  assert.deepEqual(await tableRows(page, 'categories-table'),
    expectTable(answer.data, (row) => categoryKey(row.category), ['requests', 'tokens', 'share']));
  assert.deepEqual(await tableRows(page, 'categories-by-author-table'),
    expectTable(answer.by_author, (row) => `${row.author}/${categoryKey(row.category)}`,
      [(row) => categoryKey(row.category), 'requests', 'tokens', 'share']));
  return answer;
}

async function assertCategoriesWeekly(page, gateway, categories) {
  const lengths = await api(gateway, '/v1/insights/lengths');
  const groups = categoryGroups(categories);
  const rows = lengths.data.filter((row) => row.category !== 'all');
  const series = {};
  for (const row of rows) {
    const name = groups.group(categoryKey(row.category));
    series[name] ??= {};
    series[name][row.week] = (series[name][row.week] ?? 0) + row.prompt_tokens + row.completion_tokens;
  }
  const expected = {};
  for (const name of groups.names) {
    if (!series[name]) continue;
    expected[name] = Object.fromEntries(weeksOf(lengths).map((week) => [week, raw(series[name][week])]));
  }
  assert.deepEqual(await chartMarks(page, '#categories-weekly-chart'), expected);
  assert.deepEqual(await tableRows(page, 'categories-weekly-table'),
    expectTable(rows, (row) => `${row.week}/${categoryKey(row.category)}`,
      [(row) => categoryKey(row.category), 'requests', (row) => row.prompt_tokens + row.completion_tokens]));
}

const LENGTH_FIELDS = [
  'mean_prompt_tokens', 'median_prompt_tokens', 'mean_completion_tokens', 'median_completion_tokens',
];

async function assertLengths(page, gateway, category = 'all') {
  const answer = await api(gateway, '/v1/insights/lengths');
  const rows = answer.data.filter((row) => (row.category === 'all' ? 'all' : categoryKey(row.category)) === category);
  assert.ok(rows.length > 0, `lengths of ${category}`);
  assert.equal(await page.getAttribute('#lengths-chart', 'data-category'), category);
  const expected = Object.fromEntries(LENGTH_FIELDS.map((field) =>
    [field, weeklySeries(rows, () => 'x', (row) => row[field]).x]));
  assert.deepEqual(await chartMarks(page, '#lengths-chart', 'circle.point'), expected);
  assert.deepEqual(await tableRows(page, 'lengths-table'),
    expectTable(rows, (row) => row.week, ['requests', ...LENGTH_FIELDS]));
}

async function assertReasoning(page, gateway) {
  const answer = await api(gateway, '/v1/insights/reasoning-and-tools');
  const fields = ['reasoning_share', 'tools_offered_share', 'tool_call_share'];
  const expected = Object.fromEntries(fields.map((field) => [field,
    weeklySeries(answer.data.filter((row) => row[field] !== null), () => 'x', (row) => row[field]).x ?? {}]));
  assert.deepEqual(await chartMarks(page, '#reasoning-chart', 'circle.point'), expected);
  assert.deepEqual(await tableRows(page, 'reasoning-table'), expectTable(answer.data, (row) => row.week,
    ['requests', 'completion_tokens', 'reasoning_tokens', 'reasoning_share', 'tools_offered', 'tools_offered_share',
      'tool_calls', 'tool_call_share']));
  return answer;
}

async function assertLanguages(page, gateway) {
  const answer = await api(gateway, '/v1/insights/languages');
  const name = (row) => row.language ?? '(undetermined)';
  const shown = answer.data.length > 12 ? answer.data.slice(0, 11) : answer.data;
  const bars = Object.fromEntries(shown.map((row) => [name(row), raw(row.share)]));
  if (shown.length < answer.data.length) {
    const rest = answer.data.slice(shown.length).reduce((sum, row) => sum + row.share, 0);
    bars['~other'] = String(Math.round(rest * 100) / 100);
  }
  assert.deepEqual(await chartMarks(page, '#languages-chart'), { share: bars });
  assert.deepEqual(await tableRows(page, 'languages-table'),
    expectTable(answer.data, name, ['requests', 'tokens', 'share']));
  return answer;
}

async function assertPrice(page, gateway) {
  const answer = await api(gateway, '/v1/insights/price-usage');
  const points = await page.$$eval('#price-chart g.series circle.point', (circles) => circles.map((c) => ({
    model: c.dataset.name, quadrant: c.closest('g.series').dataset.name, tokens: c.dataset.value, price: c.dataset.x,
  })));
  const sortByModel = (list) => [...list].sort((a, b) => a.model.localeCompare(b.model));
  assert.deepEqual(sortByModel(points), sortByModel(answer.data.map((row) => ({
    model: row.model, quadrant: row.quadrant, tokens: String(row.tokens),
    price: String(row.usd_per_million_tokens ?? 0),
  }))));
  const medians = await page.$$eval('#price-chart line.median',
    (lines) => Object.fromEntries(lines.map((l) => [l.dataset.name, l.dataset.value])));
  assert.deepEqual(medians,
    { 'median-price': String(answer.median_usd_per_million_tokens), 'median-tokens': String(answer.median_tokens) });
  const labels = await page.$$eval('#price-chart .point-labels text', (texts) => texts.map((t) => t.dataset.name));
  assert.ok(labels.length >= Math.min(3, answer.data.length), `points are labelled: ${labels}`);
  assert.deepEqual(await tableRows(page, 'price-table'), expectTable(answer.data, (row) => row.model,
    ['author', 'requests', 'tokens', 'cost', 'usd_per_million_tokens', 'quadrant']));
  return answer;
}

async function assertRetention(page, gateway, model, by, key = '') {
  const answer = await api(gateway, '/v1/insights/retention', { model, by }, key);
  const shown = await page.$eval('#retention-chart', (el) => ({ model: el.dataset.model, by: el.dataset.by }));
  assert.deepEqual(shown, { model, by });
  const columns = Object.keys(answer.data[0]).filter((k) => /^week_\d+$/.test(k));
  const expected = Object.fromEntries(answer.data.filter((row) => row.size > 0).map((row) =>
    [row.cohort_week, Object.fromEntries(columns.map((column) => [column, raw(row[column])]))]));
  assert.ok(Object.keys(expected).length > 0, `retention of ${model} by ${by} has cohorts`);
  assert.deepEqual(await chartMarks(page, '#retention-chart', 'rect.cell'), expected);
  assert.deepEqual(await tableRows(page, 'retention-table'),
    expectTable(answer.data, (row) => row.cohort_week, ['size', ...columns]));
}

// ------------------------------------------------------------------ pixels

// A minimal PNG decoder (8-bit RGB or RGBA, not interlaced: what chromium writes).
function decodePng(buffer) {
  let offset = 8;
  let header;
  const data = [];
  while (offset < buffer.length) {
    const length = buffer.readUInt32BE(offset);
    const type = buffer.toString('ascii', offset + 4, offset + 8);
    const chunk = buffer.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      header = {
        width: chunk.readUInt32BE(0), height: chunk.readUInt32BE(4),
        depth: chunk[8], color: chunk[9], interlace: chunk[12],
      };
    }
    else if (type === 'IDAT') data.push(chunk);
    else if (type === 'IEND') break;
    offset += 12 + length;
  }
  assert.ok(header && header.depth === 8 && [2, 6].includes(header.color) && header.interlace === 0,
    `PNG ${JSON.stringify(header)}`);
  const channels = header.color === 6 ? 4 : 3;
  const stride = header.width * channels;
  const packed = inflateSync(Buffer.concat(data));
  const pixels = Buffer.alloc(header.height * stride);
  for (let y = 0; y < header.height; y++) {
    const filter = packed[y * (stride + 1)];
    const line = packed.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const above = y ? pixels.subarray((y - 1) * stride, y * stride) : Buffer.alloc(stride);
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? row[x - channels] : 0;
      const b = above[x];
      const c = x >= channels ? above[x - channels] : 0;
      let predictor = 0;
      if (filter === 1) predictor = a;
      else if (filter === 2) predictor = b;
      else if (filter === 3) predictor = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        predictor = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      row[x] = (line[x] + predictor) & 255;
    }
  }
  return { ...header, channels, pixels };
}

// Pixels of a clearly chromatic colour (the chart palette; not the greys of text, grid and
// background) in a decoded PNG.
function colouredPixels(image) {
  let count = 0;
  for (let i = 0; i < image.pixels.length; i += image.channels) {
    const [r, g, b] = [image.pixels[i], image.pixels[i + 1], image.pixels[i + 2]];
    if (Math.max(r, g, b) - Math.min(r, g, b) > 40) count++;
  }
  return count;
}

function pixelAt(image, x, y) {
  const row = Math.min(image.height - 1, Math.round(y));
  const i = (row * image.width + Math.min(image.width - 1, Math.round(x))) * image.channels;
  return [image.pixels[i], image.pixels[i + 1], image.pixels[i + 2]];
}

const CHARTS = [
  'tokens-chart', 'classes-chart', 'sizes-chart', 'categories-chart', 'categories-weekly-chart', 'lengths-chart',
  'reasoning-chart', 'languages-chart', 'price-chart', 'retention-chart',
];

// Where each visible mark of a chart must show its colour, in CSS pixels from the SVG's corner:
// bars and heat-map cells 3 px inside their left edge at half height (clear of the cell's
// number), points at their centre. Left out: marks too small to sample, hollow points (the week
// in progress), heat-map cells under 25% (nearly the background by design), and marks that
// another mark or label covers there (hit testing: a mark painted transparent still counts as
// on top, so a mark that paints nothing is still sampled).
function markSamples(svg) {
  const origin = svg.getBoundingClientRect();
  const samples = [];
  for (const mark of svg.querySelectorAll('g.series rect[data-value], g.series circle[data-value]')) {
    const box = mark.getBoundingClientRect();
    const where = `${mark.closest('g.series').dataset.name}/${mark.dataset.name ?? mark.dataset.bucket}`;
    let x;
    let y;
    if (mark.tagName === 'circle') {
      if (box.width < 4 || mark.classList.contains('partial')) continue;
      [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
    } else {
      if (box.width < 6 || box.height < 4) continue;
      if (mark.classList.contains('cell') && !(Number(mark.dataset.value) >= 25)) continue;
      [x, y] = [box.x + 3, box.y + box.height / 2];
    }
    if (y < 0 || y >= window.innerHeight) continue;
    const top = document.elementFromPoint(x, y);
    if (top !== mark && !mark.contains(top)) continue;
    samples.push({ where, x: x - origin.x, y: y - origin.y });
  }
  return { width: origin.width, samples };
}

// Every chart's SVG is named and described, and a screenshot of it shows each visible mark in a
// colour other than the card's background, and coloured pixels in all. The footer (text only)
// must show none, or the count could not tell a chart from text.
async function assertChartsPainted(page, label) {
  const footer = colouredPixels(decodePng(await page.locator('.site-footer').screenshot()));
  assert.ok(footer < 50, `the footer has ${footer} coloured pixels: the pixel check cannot tell`);
  const background = (await page.$eval('.card', (card) => getComputedStyle(card).backgroundColor))
    .match(/\d+/g).slice(0, 3).map(Number);
  for (const id of CHARTS) {
    const chart = page.locator(`#${id} .chart svg[role="img"]`);
    assert.equal(await chart.count(), 1, `${id} has one chart`);
    const named = await chart.evaluate((svg) => svg.getAttribute('aria-labelledby').split(' ')
      .map((ref) => document.getElementById(ref)?.textContent ?? '').every((text) => text.length > 10));
    assert.ok(named, `${id}: title and description`);
    await chart.scrollIntoViewIfNeeded();
    const { width, samples } = await chart.evaluate(markSamples);
    assert.ok(samples.length > 0, `${label} ${id}: no mark large enough to see`);
    const image = decodePng(await chart.screenshot());
    const scale = image.width / width;
    const blank = samples.filter(({ x, y }) =>
      Math.max(...pixelAt(image, x * scale, y * scale).map((v, i) => Math.abs(v - background[i]))) < 25);
    assert.deepEqual(blank.map((sample) => sample.where), [], `${label} ${id}: marks that paint nothing`);
    const coloured = colouredPixels(image);
    assert.ok(coloured > 300, `${label} ${id}: only ${coloured} coloured pixels`);
  }
}

async function assertNoHorizontalOverflow(page, width) {
  const sizes = await page.evaluate((device) => {
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > device + 0.5 && !el.closest('.table-wrap'))
      .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.getAttribute('class') ?? ''}`);
    return { scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth, wide };
  }, width);
  assert.equal(sizes.inner, width, `the layout viewport grew to ${sizes.inner}px: ${sizes.wide.join(', ')}`);
  assert.ok(sizes.scroll <= sizes.inner,
    `page overflows horizontally: ${sizes.scroll} > ${sizes.inner}: ${sizes.wide.join(', ')}`);
}

// ------------------------------------------------------------------ set-up

before(async () => {
  mkdirSync(outputDir, { recursive: true });
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--headless=new'] });
  simPorts = [
    await startAndWaitForPort(simulatorBinary, ['--listen', '127.0.0.1:0', '--tokens', '300', '--seed', '1']),
    await startAndWaitForPort(simulatorBinary,
      ['--listen', '127.0.0.1:0', '--tokens', '300', '--seed', '2', '--tool-call', 'true']),
  ];
  demo = await startGateway({ traffic: true });
  const sent = await liveTraffic(demo.base);
  assert.equal(sent, 36, 'every live request succeeded');
  // The rollups trail the records by about a second.
  await until('the live traffic in the insights', async () => {
    const overview = await api(demo, '/v1/insights');
    return overview.totals.requests === demo.demoRequests + sent && overview.languages.length >= 4
      && overview.totals.tool_call_share > 0;
  });
});

after(async () => {
  await browser?.close();
  for (const child of children) child.kill('SIGTERM');
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function pagePath(parameters = {}) {
  return `/insights?${new URLSearchParams({ at: AT, ...parameters })}`;
}

// ------------------------------------------------------------------ tests

test('/insights and its assets are served with validators; every page links to it', async () => {
  for (const path of ['/insights', '/dashboard/insights.js', '/dashboard/insights.css']) {
    const first = await fetch(`${demo.base}${path}`);
    assert.equal(first.status, 200, path);
    const etag = first.headers.get('etag');
    assert.ok(etag, `${path} has an ETag`);
    const again = await fetch(`${demo.base}${path}`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304, `${path} revalidates`);
  }
  assert.match((await fetch(`${demo.base}/insights`)).headers.get('content-type'), /^text\/html/);
  for (const path of ['/activity', '/keys', '/insights']) {
    const text = await (await fetch(`${demo.base}${path}`)).text();
    assert.match(text, /<a href="\/insights"[^>]*>Insights<\/a>/, `${path} links to /insights`);
  }
});

test('every section draws the API\'s numbers, with its data table, and paints its chart', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${demo.base}${pagePath()}`);
  await waitReady(page);
  assert.equal(new URL(page.url()).searchParams.get('weeks'), '12');
  assert.equal(await page.getAttribute('button[data-weeks="12"]', 'aria-pressed'), 'true');

  const overview = await assertOverview(page, demo);
  assert.ok(overview.totals.reasoning_share > 0, 'the fixture has reasoning tokens');
  await assertTokens(page, demo, '12');
  const classes = await assertShareOverWeeks(page, demo, '/v1/insights/model-classes', '#classes-chart',
    'classes-table', 'class');
  assert.equal(new Set(classes.data.map((row) => row.class)).size, 3, 'the fixture has every model class');
  await assertShareOverWeeks(page, demo, '/v1/insights/model-sizes', '#sizes-chart', 'sizes-table', 'size');
  const categories = await assertCategories(page, demo);
  await assertCategoriesWeekly(page, demo, categories);
  await assertLengths(page, demo);
  const reasoning = await assertReasoning(page, demo);
  assert.ok(reasoning.data.some((row) => row.tool_call_share > 0), 'the fixture has tool calls');
  const languages = await assertLanguages(page, demo);
  assert.ok(languages.data.length >= 4, 'the fixture has several languages');
  const price = await assertPrice(page, demo);
  assert.ok(new Set(price.data.map((row) => row.quadrant)).size >= 3,
    'the fixture spreads the models over the quadrants');
  // Retention: the model with the most tokens, cohorts of apps.
  assert.equal(await page.inputValue('#retention-model'), price.data[0].model);
  assert.equal(await page.inputValue('#retention-by'), 'app');
  await assertRetention(page, demo, price.data[0].model, 'app');

  // The week in progress is marked in the weekly charts.
  for (const id of ['tokens-chart', 'classes-chart', 'lengths-chart', 'reasoning-chart']) {
    assert.equal(await page.locator(`#${id} .partial-band`).count(), 1, `${id} marks the week in progress`);
  }

  await page.screenshot({ path: join(outputDir, 'insights-desktop-light.png'), fullPage: true });
  await assertChartsPainted(page, 'light');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a task category has the same colour here as on /rankings\' Categories card', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // The same weeks on both pages: twelve up to AT.
  await page.goto(`${demo.base}/rankings?${new URLSearchParams({ at: AT, weeks: '12' })}`);
  await waitReady(page);
  const rankings = await page.$$eval('#category-share li[data-color]', (items) => Object.fromEntries(
    items.map((li) => [li.dataset.name === '' ? '(not recorded)' : li.dataset.name, li.dataset.color])));
  assert.ok(Object.keys(rankings).length >= 2, `too few categories on /rankings: ${JSON.stringify(rankings)}`);
  await page.goto(`${demo.base}${pagePath()}`);
  await waitReady(page);
  const insights = await page.$$eval('#categories-chart g.series', (groups) =>
    Object.fromEntries(groups.map((group) => [group.dataset.name, group.dataset.color])));
  assert.deepEqual(Object.fromEntries(Object.keys(rankings).map((name) => [name, insights[name]])), rankings);
  await context.close();
});

test('the category picker of the lengths chart shows that category\'s weeks', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${demo.base}${pagePath()}`);
  await waitReady(page);
  await page.selectOption('#lengths-category', 'programming');
  await page.waitForSelector('#lengths-chart[data-category="programming"]');
  await assertLengths(page, demo, 'programming');
  await context.close();
});

test('CSV links: each names its analysis with the page\'s weeks; a click downloads the CSV', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${demo.base}${pagePath()}`);
  await waitReady(page);
  const links = await page.$$eval('a.csv-link', (anchors) => anchors.map((a) => a.getAttribute('href')));
  assert.equal(links.length, 10);
  for (const href of links) {
    const url = new URL(href, demo.base);
    assert.match(url.pathname, /^\/v1\/insights\/[a-z-]+$/);
    assert.deepEqual(['format', 'weeks', 'at'].map((name) => url.searchParams.get(name)), ['csv', '12', AT]);
    const response = await fetch(url);
    assert.equal(response.status, 200, href);
    assert.match(response.headers.get('content-type'), /^text\/csv/, href);
  }
  const [download] = await Promise.all([
    page.waitForEvent('download'), page.click('a.csv-link[data-analysis="tokens"]'),
  ]);
  assert.equal(download.suggestedFilename(), 'insights-tokens.csv');
  const lines = readFileSync(await download.path(), 'utf8').trim().split(/\r?\n/);
  assert.equal(lines[0], 'week,complete,requests,prompt_tokens,completion_tokens,tokens,cost,growth');
  assert.equal(lines.length, 13);
  const retention = new URL(await page.getAttribute('a.csv-link[data-analysis="retention"]', 'href'), demo.base);
  assert.equal(retention.searchParams.get('model'), await page.inputValue('#retention-model'));
  assert.equal(retention.searchParams.get('by'), 'app');
  await context.close();
});

test('the weeks control changes the URL and the data', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${demo.base}${pagePath()}`);
  await waitReady(page);
  await page.click('button[data-weeks="4"]');
  await page.waitForSelector('body[data-state="ready"][data-weeks="4"]');
  assert.equal(new URL(page.url()).searchParams.get('weeks'), '4');
  assert.equal(new URL(page.url()).searchParams.get('at'), AT);
  assert.equal(await page.getAttribute('button[data-weeks="4"]', 'aria-pressed'), 'true');
  assert.equal(await page.getAttribute('button[data-weeks="12"]', 'aria-pressed'), 'false');
  await assertTokens(page, demo, '4');
  const href = new URL(await page.getAttribute('a.csv-link[data-analysis="languages"]', 'href'), demo.base);
  assert.equal(href.searchParams.get('weeks'), '4');
  // The link is shareable: a reload shows the same weeks.
  await page.reload();
  await waitReady(page);
  assert.equal(await page.getAttribute('body', 'data-weeks'), '4');
  assert.equal(await page.$$eval('#tokens-chart g.series[data-name="prompt_tokens"] rect', (rects) => rects.length), 4);
  await context.close();
});

test('retention: the model and cohort pickers reload the heat map and the URL', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${demo.base}${pagePath()}`);
  await waitReady(page);
  const models = await page.$$eval('#retention-model option', (options) => options.map((o) => o.value));
  const price = await api(demo, '/v1/insights/price-usage');
  assert.deepEqual(models, price.data.map((row) => row.model));
  await page.selectOption('#retention-by', 'user');
  await page.waitForSelector('#retention-chart[data-by="user"][data-state="ready"]');
  await waitReady(page);
  await assertRetention(page, demo, models[0], 'user');
  await page.selectOption('#retention-model', models[1]);
  await page.waitForSelector(`#retention-chart[data-model="${models[1]}"][data-state="ready"]`);
  await waitReady(page);
  await assertRetention(page, demo, models[1], 'user');
  const url = new URL(page.url());
  assert.deepEqual([url.searchParams.get('model'), url.searchParams.get('by')], [models[1], 'user']);
  await context.close();
});

test('dark mode renders every chart', async () => {
  const backgrounds = {};
  for (const colorScheme of ['light', 'dark']) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme });
    const page = await context.newPage();
    await page.goto(`${demo.base}${pagePath({ weeks: '26' })}`);
    await waitReady(page);
    backgrounds[colorScheme] = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    if (colorScheme === 'dark') {
      await page.screenshot({ path: join(outputDir, 'insights-desktop-dark.png'), fullPage: true });
      await assertChartsPainted(page, 'dark');
    }
    await context.close();
  }
  assert.notEqual(backgrounds.light, backgrounds.dark);
});

test('phone width (375 px): no horizontal overflow; the charts still paint', async () => {
  const context = await browser.newContext({
    viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
  });
  const page = await context.newPage();
  await page.goto(`${demo.base}${pagePath()}`);
  await waitReady(page);
  await assertNoHorizontalOverflow(page, 375);
  await page.screenshot({ path: join(outputDir, 'insights-phone.png'), fullPage: true });
  await assertChartsPainted(page, 'phone');
  await context.close();
});

test('a bad parameter shows the API\'s message in the sections', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${demo.base}/insights?weeks=0`);
  await page.waitForSelector('body[data-state="error"]');
  const answer = await (await fetch(`${demo.base}/v1/insights/tokens?weeks=0`)).json();
  assert.match(answer.error.message, /weeks/);
  for (const id of ['tokens-chart', 'price-chart', 'retention-chart']) {
    assert.equal(await page.textContent(`#${id} .message.error`), answer.error.message, id);
  }
  await context.close();
});

test('with auth: a key is asked for; with a plain key, retention by user is refused in its section only', async () => {
  const gateway = await startGateway({ auth: true });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const model = MODELS[0][0];
  await page.goto(`${gateway.base}${pagePath({ model, by: 'user' })}`);
  await page.waitForSelector('body[data-state="auth"]');
  assert.equal(await page.isVisible('#key-panel'), true);
  await page.fill('#key-input', PLAIN_KEY);
  await page.click('#key-form button[type="submit"]');
  await waitReady(page);
  assert.equal(await page.isVisible('#key-panel'), false);
  // The refusal, as the API words it, in the retention section; the rest of the page reads.
  const refused = await fetch(
    `${gateway.base}/v1/insights/retention?model=${encodeURIComponent(model)}&by=user&at=${AT}`,
    { headers: { Authorization: `Bearer ${PLAIN_KEY}` } });
  assert.equal(refused.status, 403);
  const message = (await refused.json()).error.message;
  await page.waitForSelector('#retention-chart[data-state="forbidden"]');
  assert.ok((await page.textContent('#retention-chart .message.forbidden')).includes(message), message);
  assert.match(await page.textContent('#tokens-chart'), /No usage recorded/);
  assert.equal(await page.getAttribute('#tokens-chart', 'data-state'), 'ready');
  // Cohorts of apps are allowed: the section reads again.
  await page.selectOption('#retention-by', 'app');
  await page.waitForSelector('#retention-chart[data-by="app"][data-state="ready"]');
  // The CSV goes with the key (fetch + Blob).
  const [download] = await Promise.all([
    page.waitForEvent('download'), page.click('a.csv-link[data-analysis="languages"]'),
  ]);
  assert.equal(readFileSync(await download.path(), 'utf8').split(/\r?\n/)[0], 'language,requests,tokens,share');
  // With the admin key, cohorts of users are shown.
  await page.click('#forget-key');
  await page.waitForSelector('body[data-state="auth"]');
  await page.fill('#key-input', ADMIN_KEY);
  await page.click('#key-form button[type="submit"]');
  await waitReady(page);
  await page.selectOption('#retention-by', 'user');
  await page.waitForSelector('#retention-chart[data-by="user"][data-state="ready"]');
  await waitReady(page);
  assert.equal(await page.locator('#retention-chart .message.forbidden').count(), 0);
  await context.close();
});
