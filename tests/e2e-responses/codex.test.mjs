// End-to-end: the real Codex CLI (@openai/codex, pinned by package-lock.json; the native binary
// comes from the optional package @openai/codex-linux-x64), run non-interactively (`codex exec`)
// with a custom model provider pointing at the gateway (`wire_api = "responses"`), for a model
// translated to an Anthropic-dialect gateway-sim and one translated to an OpenAI-compatible
// gateway-sim. The gateway has auth on: Codex sends $GW_KEY as `Authorization: Bearer`.
//
// Offline (README.md): a scratch CODEX_HOME with config.toml, analytics/otel off and the plugin
// features off (else it resolves ab.chatgpt.com, chatgpt.com and api.github.com), no retries (a
// failure shows at once), a scratch working directory outside git (--skip-git-repo-check),
// stdin closed, a timeout. A transparent proxy between Codex and the gateway notes the
// X-Generation-Id of each answer, so the test reads the generation records of what Codex sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalogue, eventually, getJson, here, startRecordingProxy, startStack, stopAll } from './harness.mjs';

const CODEX = process.env.CODEX_BIN ?? join(here, 'node_modules/.bin/codex');
const KEY = 'gw-e2e-codex-key';
const RUN_TIMEOUT_MS = 90_000;
let stack;
let proxy;

before(async () => {
  stack = await startStack({ models: catalogue(), authKey: KEY });
  proxy = await startRecordingProxy(stack.baseURL);
});

after(async () => {
  await proxy?.close();
  stopAll();
});

// $CODEX_HOME/config.toml: the gateway as the only provider, nothing that phones home.
function codexConfig({ baseURL, model }) {
  return `model_provider = "gw"
model = "${model}"
check_for_update_on_startup = false

[analytics]
enabled = false

[otel]
exporter = "none"
metrics_exporter = "none"
trace_exporter = "none"

[features]
plugins = false
remote_plugin = false
apps = false

[model_providers.gw]
name = "gateway"
base_url = "${baseURL}/v1"
wire_api = "responses"
env_key = "GW_KEY"
request_max_retries = 0
stream_max_retries = 0
`;
}

// Runs `codex exec [args...] PROMPT` for `model` in a scratch CODEX_HOME and working directory
// (a fresh pair unless given). Resolves { code, stdout, stderr, home, cwd, generationIds } where
// generationIds are those of the answers during this run; kills it after RUN_TIMEOUT_MS.
function codex(args, { model, home, cwd = mkdtempSync(join(tmpdir(), 'codex-cwd-')) }) {
  if (!home) {
    home = mkdtempSync(join(tmpdir(), 'codex-home-'));
    writeFileSync(join(home, 'config.toml'), codexConfig({ baseURL: proxy.baseURL, model }));
  }
  const env = {
    PATH: process.env.PATH,
    HOME: home,
    CODEX_HOME: home,
    GW_KEY: KEY,
    TERM: 'dumb',
  };
  const seen = proxy.generationIds.length;
  const child = spawn(CODEX, ['exec', '--skip-git-repo-check', '--strict-config', ...args],
    { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => { stdout += d; });
  child.stderr.on('data', (d) => { stderr += d; });
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? signal, stdout, stderr, home, cwd, generationIds: proxy.generationIds.slice(seen) });
    });
  });
}

// The simulator's deterministic answer for a model, asked directly (what Codex must print).
async function expectedText(model) {
  const response = await fetch(`${stack.baseURL}/v1/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ model, input: 'say hi', store: false }),
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  return body.output.filter((i) => i.type === 'message').flatMap((i) => i.content).map((p) => p.text).join('').trim();
}

async function generation(id) {
  return (await getJson(stack.baseURL, `/v1/generation?id=${encodeURIComponent(id)}`, KEY)).data;
}

// Requests the gateway's ledger has for a model today (GET /v1/activity).
async function requestsOf(model) {
  const { data } = await getJson(stack.baseURL, `/v1/activity?model=${encodeURIComponent(model)}`, KEY);
  return data.filter((row) => row.model === model).reduce((sum, row) => sum + row.requests, 0);
}

function jsonl(stdout) {
  return stdout.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l));
}

function explain(run) {
  return `exit ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`;
}

for (const model of ['e2e/claude', 'e2e/translated']) {
  test(`codex exec --json, ${model}: the answer, its usage and the generation record`, { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
    const expected = await expectedText(model);
    assert.ok(expected.length > 0);
    const before = await requestsOf(model);
    const run = await codex(['--json', 'say hi'], { model });
    assert.equal(run.code, 0, explain(run));
    const events = jsonl(run.stdout);
    const messages = events.filter((e) => e.type === 'item.completed' && e.item.type === 'agent_message');
    assert.deepEqual(messages.map((e) => e.item.text.trim()), [expected], explain(run));
    assert.ok(!events.some((e) => e.type === 'turn.failed' || e.type === 'error'), explain(run));
    const usage = events.find((e) => e.type === 'turn.completed')?.usage;
    assert.ok(usage && usage.input_tokens > 0 && usage.output_tokens > 0, explain(run));

    // One request, one record: api "responses", the tokens Codex counted.
    assert.equal(run.generationIds.length, 1, `generation ids ${run.generationIds}`);
    const record = await generation(run.generationIds[0]);
    assert.equal(record.model, model);
    assert.equal(record.api, 'responses');
    assert.equal(record.streamed, true);
    assert.equal(record.native_tokens_prompt, usage.input_tokens);
    assert.equal(record.native_tokens_completion, usage.output_tokens);
    assert.equal(record.native_tokens_cached, usage.cached_input_tokens);
    assert.ok(record.total_cost > 0);
    // The rollups are written every ~100 ms.
    assert.ok(await eventually(async () => (await requestsOf(model)) > before), 'activity shows the request');
  });

  test(`codex exec (text), then exec resume --last with the history, ${model}`, { timeout: 2 * RUN_TIMEOUT_MS + 10_000 }, async () => {
    const expected = await expectedText(model);
    const first = await codex(['say hi'], { model });
    assert.equal(first.code, 0, explain(first));
    assert.equal(first.stdout.trim(), expected);
    // The second turn sends the whole history back (store: false, no previous_response_id).
    const second = await codex(['resume', '--last', 'and again'], { model, home: first.home, cwd: first.cwd });
    assert.equal(second.code, 0, explain(second));
    assert.equal(second.stdout.trim(), expected, explain(second));
    const [a, b] = await Promise.all([generation(first.generationIds[0]), generation(second.generationIds[0])]);
    assert.ok(b.native_tokens_prompt > a.native_tokens_prompt, `the history was sent: ${b.native_tokens_prompt} <= ${a.native_tokens_prompt}`);
  });

  test(`codex exec with a tool call: the command runs, its output goes back, the answer follows, ${model}`, { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
    // The simulator calls Codex's first function tool (exec_command) with a word as the command;
    // Codex runs it (it fails: no such command), sends a function_call_output, and the
    // simulator answers a tool result with text.
    const run = await codex(['--json', 'say hi'], { model: `${model}-tools` });
    assert.equal(run.code, 0, explain(run));
    const events = jsonl(run.stdout);
    const commands = events.filter((e) => e.type === 'item.completed' && e.item.type === 'command_execution');
    assert.equal(commands.length, 1, explain(run));
    const messages = events.filter((e) => e.type === 'item.completed' && e.item.type === 'agent_message');
    assert.equal(messages.length, 1, explain(run));
    assert.ok(messages[0].item.text.trim().length > 0);
    assert.equal(run.generationIds.length, 2, `generation ids ${run.generationIds}`);
    for (const id of run.generationIds) assert.equal((await generation(id)).api, 'responses');
  });
}

test('an unknown model: Codex reports the 404 with the gateway\'s message and exits 1', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
  const run = await codex(['say hi'], { model: 'acme/missing' });
  assert.equal(run.code, 1, explain(run));
  assert.match(run.stderr, /unexpected status 404 Not Found: .*acme\/missing/, explain(run));
});

test('an upstream 429: Codex reports it and exits 1', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
  const run = await codex(['say hi'], { model: 'e2e/translated-429' });
  assert.equal(run.code, 1, explain(run));
  assert.match(run.stderr, /429 Too Many Requests/, explain(run));
});

test('a stream that fails mid-way: Codex shows the failure and exits 1', { timeout: RUN_TIMEOUT_MS + 10_000 }, async () => {
  // Codex reports response.failed's error.message; a bare `error` event or a cut stream shows as
  // "stream closed before response.completed" instead (README.md).
  const run = await codex(['say hi'], { model: 'e2e/translated-breaks' });
  assert.equal(run.code, 1, explain(run));
  assert.match(run.stderr, /stream disconnected before completion/, explain(run));
  assert.doesNotMatch(run.stderr, /stream closed before response\.completed/, 'the gateway sent response.failed');
});
