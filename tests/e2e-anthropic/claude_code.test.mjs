// End-to-end: the real Claude Code CLI (@anthropic-ai/claude-code, pinned by package-lock.json;
// the native binary comes from the optional package @anthropic-ai/claude-code-linux-x64), run
// non-interactively (`claude -p`) with ANTHROPIC_BASE_URL pointing at the gateway, for a model
// passed through to an Anthropic-dialect gateway-sim and one translated to an OpenAI-compatible
// gateway-sim. The gateway has auth on: Claude Code sends ANTHROPIC_API_KEY as `x-api-key`.
//
// Offline: CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 stops everything but the API calls (no
// HEAD /api/hello, no DNS lookups, no telemetry); it runs in a scratch HOME and a scratch
// working directory (not a git repository), with stdin closed and a timeout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogue, eventually, getJson, here, startStack, stopAll } from './harness.mjs';

const CLAUDE = process.env.CLAUDE_BIN ?? join(here, 'node_modules/.bin/claude');
const KEY = 'gw-e2e-claude-code-key';
const RUN_TIMEOUT_MS = 90_000;
let stack;

before(async () => {
  stack = await startStack({ models: catalogue(), authKey: KEY });
});

after(() => stopAll());

// Runs `claude args...` in a scratch HOME and working directory (a fresh pair unless given).
// Resolves { code, stdout, stderr }; kills it after RUN_TIMEOUT_MS.
function claude(args, { home = mkdtempSync(join(tmpdir(), 'cc-home-')), cwd = mkdtempSync(join(tmpdir(), 'cc-cwd-')) } = {}) {
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    TERM: 'dumb',
    ANTHROPIC_BASE_URL: stack.baseURL,
    ANTHROPIC_API_KEY: KEY,
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_MAX_RETRIES: '0',   // a failure shows at once instead of after backoffs
    API_TIMEOUT_MS: '60000',
  };
  const child = spawn(CLAUDE, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, stdout, stderr, home, cwd });
    });
  });
}

// The simulator's deterministic answer for a model, asked directly (what Claude Code must print).
async function expectedText(model) {
  const response = await fetch(`${stack.baseURL}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': KEY, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model, max_tokens: 1024, messages: [{ role: 'user', content: 'say hi' }] }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  return body.content.filter((b) => b.type === 'text').map((b) => b.text).join('').trim();
}

// Requests the gateway's ledger has for a model today (GET /v1/activity).
async function requestsOf(model) {
  const { data } = await getJson(stack.baseURL, `/v1/activity?model=${encodeURIComponent(model)}`, KEY);
  return data.filter((row) => row.model === model).reduce((sum, row) => sum + row.requests, 0);
}

function explain(run) {
  return `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

for (const model of ['e2e/claude', 'e2e/translated']) {
  test(`claude -p --output-format json, ${model}`, { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
    const expected = await expectedText(model);
    assert.ok(expected.length > 0);
    const before = await requestsOf(model);
    const run = await claude(['-p', 'say hi', '--model', model, '--output-format', 'json', '--max-turns', '1']);
    assert.equal(run.code, 0, explain(run));
    const result = JSON.parse(run.stdout);
    assert.equal(result.type, 'result');
    assert.equal(result.subtype, 'success', explain(run));
    assert.equal(result.is_error, false);
    assert.equal(result.result.trim(), expected);
    const usage = result.modelUsage?.[model];
    assert.ok(usage && usage.inputTokens > 0 && usage.outputTokens > 0, JSON.stringify(result.modelUsage));
    // The rollups are written every ~100 ms.
    assert.ok(await eventually(async () => (await requestsOf(model)) > before), 'the gateway recorded the generation');
  });

  test(`claude -p (text), then --continue with the history, ${model}`, { timeout: 2 * RUN_TIMEOUT_MS + 10_000 }, async () => {
    const expected = await expectedText(model);
    const first = await claude(['-p', 'say hi', '--model', model]);
    assert.equal(first.code, 0, explain(first));
    assert.equal(first.stdout.trim(), expected);
    // The second turn sends the first question and answer back (same HOME and directory).
    const second = await claude(['-p', 'and again', '--continue', '--model', model], { home: first.home, cwd: first.cwd });
    assert.equal(second.code, 0, explain(second));
    assert.ok(second.stdout.trim().length > 0, explain(second));
  });
}

test('an unknown model: Claude Code reports the 404 and exits 1', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
  const run = await claude(['-p', 'say hi', '--model', 'acme/missing']);
  assert.equal(run.code, 1, explain(run));
  assert.match(run.stdout + run.stderr, /issue with the selected model/, explain(run));
});
