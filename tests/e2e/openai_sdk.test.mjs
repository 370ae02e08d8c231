// End-to-end: the official OpenAI Node SDK, unmodified, pointed at the gateway (base URL only),
// with a real gateway-sim behind it. Binaries come from $GATEWAY_BUILD_DIR (default ../../build).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import OpenAI from 'openai';

const buildDir = resolve(process.env.GATEWAY_BUILD_DIR ?? join(import.meta.dirname, '../../build'));
const children = [];
let client;

// Starts a binary and resolves with the port of its {"event":"listening"} stdout line.
function startAndWaitForPort(binary, args) {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolvePort, reject) => {
    child.on('exit', (code) => reject(new Error(`${binary} exited with ${code}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('"event":"listening"')) resolvePort(JSON.parse(line).port);
    });
  });
}

before(async () => {
  const simPort = await startAndWaitForPort(join(buildDir, 'gateway/simulator/gateway-sim'), [
    '--listen', '127.0.0.1:0',
  ]);
  const config = `
server: { listen: "127.0.0.1:0", workers: 1, stream_keepalive_ms: 50, access_log: false }
providers:
  - { name: sim, base_url: "http://127.0.0.1:${simPort}/v1" }
models:
  - id: e2e/chat
    context_length: 32768
    endpoints: [{ provider: sim, model: sim-model, pricing: { prompt: 1, completion: 2 } }]
  - id: e2e/thinking
    context_length: 32768
    endpoints: [{ provider: sim, model: "sim-model?ttft_ms=300" }]
  - id: e2e/drops
    context_length: 32768
    endpoints: [{ provider: sim, model: "sim-model?disconnect_after=2" }]
`;
  const file = join(mkdtempSync(join(tmpdir(), 'gw-e2e-')), 'gateway.yaml');
  writeFileSync(file, config);
  const port = await startAndWaitForPort(join(buildDir, 'gateway/gateway'), ['serve', '--config', file]);
  client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'unused', maxRetries: 0 });
});

after(() => {
  for (const child of children) child.kill('SIGTERM');
});

const messages = [{ role: 'user', content: 'Say hello' }];

test('non-streaming chat completion', async () => {
  const completion = await client.chat.completions.create({ model: 'e2e/chat', messages, seed: 3 });
  assert.match(completion.id, /^gen-\d{13}-[0-9a-f]{16}$/);
  assert.equal(completion.model, 'e2e/chat');
  assert.equal(completion.provider, 'sim');
  assert.ok(completion.choices[0].message.content.length > 0);
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.ok(completion.usage.total_tokens > 0);
});

test('streaming chat completion with usage in the final chunk', async () => {
  const whole = await client.chat.completions.create({ model: 'e2e/chat', messages, seed: 5 });
  const stream = await client.chat.completions.create({
    model: 'e2e/chat', messages, seed: 5, stream: true, stream_options: { include_usage: true },
  });
  let text = '';
  let usage = null;
  let chunks = 0;
  for await (const chunk of stream) {
    chunks += 1;
    assert.equal(chunk.model, 'e2e/chat');
    assert.match(chunk.id, /^gen-/);
    text += chunk.choices[0]?.delta?.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  assert.ok(chunks > 3);
  assert.equal(text, whole.choices[0].message.content);
  assert.ok(usage && usage.completion_tokens > 0);
});

test('keep-alive comments do not disturb the SDK stream parser', async () => {
  const stream = await client.chat.completions.create({ model: 'e2e/thinking', messages, stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  assert.ok(text.length > 0);
});

test('errors surface as APIError with our status and message', async () => {
  await assert.rejects(
    client.chat.completions.create({ model: 'acme/missing', messages }),
    (error) => {
      assert.ok(error instanceof OpenAI.APIError);
      assert.ok(error instanceof OpenAI.NotFoundError);
      assert.equal(error.status, 404);
      assert.match(error.message, /acme\/missing/);
      return true;
    });
  await assert.rejects(
    client.chat.completions.create({ model: 'e2e/chat', messages: [] }),
    (error) => error instanceof OpenAI.BadRequestError && /messages/.test(error.message));
});

test('a stream that breaks mid-way raises an APIError from the error chunk', async () => {
  const stream = await client.chat.completions.create({ model: 'e2e/drops', messages, stream: true });
  await assert.rejects(async () => {
    for await (const chunk of stream) void chunk;
  }, (error) => error instanceof OpenAI.APIError && /provider "sim"/.test(error.message));
});

test('models.list() pages through the catalogue', async () => {
  const ids = [];
  for await (const model of client.models.list()) ids.push(model.id);
  assert.deepEqual(ids.sort(), ['e2e/chat', 'e2e/drops', 'e2e/thinking']);
});

test('legacy completions', async () => {
  const completion = await client.completions.create({ model: 'e2e/chat', prompt: 'Once', max_tokens: 4 });
  assert.equal(completion.object, 'text_completion');
  assert.equal(completion.model, 'e2e/chat');
  assert.equal(completion.usage.completion_tokens, 4);
});
