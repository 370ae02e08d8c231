// Shared set-up of the Responses API end-to-end tests: starts two gateway-sim processes (one
// spoken to in Anthropic Messages, `api: anthropic`; one OpenAI-compatible) and a gateway in front
// of them, from $GATEWAY_BUILD_DIR (default ../../build). Same pattern as ../e2e-anthropic.
//
// E2E_SELF_CHECK=1 starts capture_server.mjs instead (it emulates the gateway's Responses route:
// the same model ids, generation records, costs and request checks). That mode exists only to
// check the test logic itself while the C++ side is being written; it proves nothing about the
// gateway.
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { createInterface } from 'node:readline';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const here = import.meta.dirname;
export const buildDir = resolve(process.env.GATEWAY_BUILD_DIR ?? join(here, '../../build'));
export const selfCheck = process.env.E2E_SELF_CHECK === '1';

// The YAML key that selects a provider's wire format (DIALECTS.md: "a provider has one dialect").
const PROVIDER_API_KEY = 'api';

export const CLAUDE_PRICING = { prompt: 3, completion: 15, cached_read: 0.3, cache_write: 3.75 };
export const OPENAI_PRICING = { prompt: 1, completion: 2 };

// The two ways a Responses request is served, both translated by the gateway: to an
// Anthropic-dialect upstream (e2e/claude*, Messages) or to an OpenAI-compatible one
// (e2e/translated*, Chat Completions).
export const PATHS = {
  claude: { provider: 'sim-anthropic', upstream: 'claude-sim', pricing: CLAUDE_PRICING },
  translated: { provider: 'sim-openai', upstream: 'sim-model', pricing: OPENAI_PRICING },
};

// Model id suffix -> gateway-sim per-request options (docs/simulator.md), for both paths:
// e2e/claude-tools, e2e/translated-529, ...
export const VARIANTS = {
  '': '',
  '-tools': 'tool_call=true',
  '-thinking': 'thinking_tokens=20',
  '-cache': 'cached_tokens=10&cache_write_tokens=5',
  '-long': 'tokens=64',
  '-529': 'status=529&error_rate=1',
  '-503': 'status=503&error_rate=1',
  '-429': 'status=429&error_rate=1',
  '-400': 'status=400&error_rate=1',
  '-breaks': 'stream_error_after=3',
  '-drops': 'disconnect_after=2',
};

// [{ id, provider, model, pricing }] for every path x variant.
export function catalogue() {
  const models = [];
  for (const [name, path] of Object.entries(PATHS)) {
    for (const [suffix, options] of Object.entries(VARIANTS)) {
      models.push({
        id: `e2e/${name}${suffix}`,
        provider: path.provider,
        model: options ? `${path.upstream}?${options}` : path.upstream,
        pricing: path.pricing,
      });
    }
  }
  return models;
}

const children = new Set();
process.on('exit', () => { for (const child of children) child.kill('SIGKILL'); });

// Starts a binary and resolves with the port of its {"event":"listening"} stdout line.
export function startAndWaitForPort(binary, args, env = {}) {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return new Promise((resolvePort, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => reject(new Error(`${binary} exited with ${code ?? signal}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('"event":"listening"')) resolvePort(JSON.parse(line).port);
    });
  });
}

export function stopAll() {
  for (const child of children) child.kill('SIGTERM');
}

function yamlPricing(p) {
  return '{ ' + Object.entries(p).map(([k, v]) => `${k}: ${v}`).join(', ') + ' }';
}

export function gatewayConfig({ anthropicPort, openaiPort, models, authKeyEnv }) {
  const auth = authKeyEnv ? `, auth: { keys: ["\${${authKeyEnv}}"] }` : '';
  return `
server: { listen: "127.0.0.1:0", workers: 1, stream_keepalive_ms: 50, access_log: false${auth} }
providers:
  - { name: sim-anthropic, ${PROVIDER_API_KEY}: anthropic, base_url: "http://127.0.0.1:${anthropicPort}", api_key: "\${E2E_SIM_ANTHROPIC_KEY}" }
  - { name: sim-openai, base_url: "http://127.0.0.1:${openaiPort}/v1" }
models:
${models.map((m) => `  - id: ${m.id}
    context_length: 200000
    endpoints: [{ provider: ${m.provider}, model: "${m.model}", pricing: ${yamlPricing(m.pricing)} }]`).join('\n')}
`;
}

// Starts the simulators and a gateway (or, in self-check mode, the fake) and returns
// { baseURL, port, configFile }. authKey: when set, the gateway requires it (server.auth.keys).
export async function startStack({ models = catalogue(), authKey = null } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gw-e2e-responses-'));
  if (selfCheck) {
    const fakeModels = Object.fromEntries(models.map((m) => [m.id, { model: m.model, pricing: m.pricing }]));
    const port = await startAndWaitForPort(process.execPath, [join(here, 'capture_server.mjs'), '--port', '0', '--quiet'], {
      FAKE_MODELS: JSON.stringify(fakeModels), ...(authKey ? { FAKE_REQUIRE_KEY: authKey } : {}),
    });
    return { baseURL: `http://127.0.0.1:${port}`, port, dir };
  }
  const sim = join(buildDir, 'gateway/simulator/gateway-sim');
  const [anthropicPort, openaiPort] = await Promise.all([
    startAndWaitForPort(sim, ['--listen', '127.0.0.1:0']),
    startAndWaitForPort(sim, ['--listen', '127.0.0.1:0']),
  ]);
  const configFile = join(dir, 'gateway.yaml');
  writeFileSync(configFile, gatewayConfig({ anthropicPort, openaiPort, models, authKeyEnv: authKey ? 'E2E_GATEWAY_KEY' : null }));
  const port = await startAndWaitForPort(join(buildDir, 'gateway/gateway'), ['serve', '--config', configFile], {
    E2E_SIM_ANTHROPIC_KEY: 'sk-ant-sim-upstream-key',
    ...(authKey ? { E2E_GATEWAY_KEY: authKey } : {}),
  });
  return { baseURL: `http://127.0.0.1:${port}`, port, dir, configFile };
}

// GET a gateway JSON API (e.g. /v1/generation?id=...), with the key when auth is on.
export async function getJson(baseURL, path, key = null) {
  const response = await fetch(baseURL + path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

// Polls fn until it returns a truthy value (the ledger's rollups are written every ~100 ms).
// The limit is a safety net against a hang on a loaded machine, never a timing assertion.
export async function eventually(fn, { timeoutMs = 30000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// A transparent HTTP proxy in front of the gateway that notes the X-Generation-Id of every answer
// (Codex never shows it), so a test can read the generation records of what Codex sent.
// Resolves { baseURL, generationIds, requests, close() }; the bytes pass through unchanged.
export function startRecordingProxy(targetBaseURL) {
  const target = new URL(targetBaseURL);
  const generationIds = [];
  const requests = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, headers: req.headers });
    const upstream = httpRequest({
      host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers,
    }, (answer) => {
      const id = answer.headers['x-generation-id'];
      if (id) generationIds.push(id);
      res.writeHead(answer.statusCode, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => { res.destroy(error); });
    req.pipe(upstream);
  });
  return new Promise((resolveProxy, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => resolveProxy({
      baseURL: `http://127.0.0.1:${server.address().port}`,
      generationIds,
      requests,
      close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }),
    }));
  });
}
