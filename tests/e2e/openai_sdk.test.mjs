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
let gatewayUrl;

// Prices of the Anthropic endpoints in USD per 1M tokens, and by hand in nano-USD per token
// (USD per 1M x 1000: 3 USD/M = 3e-6 USD = 3,000 nano-USD per token; docs/accounting.md).
const claudePricing = { prompt: 3, completion: 15, cached_read: 0.3, cache_write: 3.75 };
const claudeNanoPerToken = { prompt: 3000, completion: 15000, cached_read: 300, cache_write: 3750 };

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
  // A second simulator, spoken to in Anthropic's Messages dialect (`api: anthropic`): the SDK's
  // Chat Completions requests to its models are translated by the gateway both ways.
  const anthropicPort = await startAndWaitForPort(join(buildDir, 'gateway/simulator/gateway-sim'), [
    '--listen', '127.0.0.1:0',
  ]);
  const claude = (options) => `{ provider: anth, model: "claude-sim${options ? `?${options}` : ''}", pricing: ${JSON.stringify(claudePricing)} }`;
  const config = `
server: { listen: "127.0.0.1:0", workers: 1, stream_keepalive_ms: 50, access_log: false }
providers:
  - { name: sim, base_url: "http://127.0.0.1:${simPort}/v1" }
  - { name: anth, api: anthropic, base_url: "http://127.0.0.1:${anthropicPort}" }
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
  - id: e2e/claude
    context_length: 200000
    endpoints: [${claude('')}]
  - id: e2e/claude-tools
    context_length: 200000
    endpoints: [${claude('tool_call=true')}]
  - id: e2e/claude-reasoning
    context_length: 200000
    endpoints: [${claude('thinking_tokens=20')}]
  - id: e2e/claude-cache
    context_length: 200000
    endpoints: [${claude('cached_tokens=10&cache_write_tokens=5')}]
  - id: e2e/claude-overloaded
    context_length: 200000
    endpoints: [${claude('status=529&error_rate=1')}]
  - id: e2e/claude-breaks
    context_length: 200000
    endpoints: [${claude('stream_error_after=3')}]
  - id: e2e/claude-fallback
    context_length: 200000
    routing: { sort: price }   # the (cheaper) overloaded Anthropic endpoint first, then sim
    endpoints:
      - ${claude('status=529&error_rate=1')}
      - { provider: sim, model: sim-model, pricing: { prompt: 30, completion: 150 } }
`;
  const file = join(mkdtempSync(join(tmpdir(), 'gw-e2e-')), 'gateway.yaml');
  writeFileSync(file, config);
  const port = await startAndWaitForPort(join(buildDir, 'gateway/gateway'), ['serve', '--config', file]);
  gatewayUrl = `http://127.0.0.1:${port}`;
  client = new OpenAI({ baseURL: `${gatewayUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
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
  assert.deepEqual(ids.sort(), [
    'e2e/chat', 'e2e/claude', 'e2e/claude-breaks', 'e2e/claude-cache', 'e2e/claude-fallback',
    'e2e/claude-overloaded', 'e2e/claude-reasoning', 'e2e/claude-tools', 'e2e/drops', 'e2e/thinking',
  ]);
});

test('legacy completions', async () => {
  const completion = await client.completions.create({ model: 'e2e/chat', prompt: 'Once', max_tokens: 4 });
  assert.equal(completion.object, 'text_completion');
  assert.equal(completion.model, 'e2e/chat');
  assert.equal(completion.usage.completion_tokens, 4);
});

// ---- An `api: anthropic` upstream, used through Chat Completions (translated by the gateway) ----

// The cost docs/accounting.md defines, computed here from the usage counts and the prices:
// every component in integer nano-USD (exact: each price is a whole number of nano-USD per
// token), the total their sum, printed by the gateway as the exact decimal of total / 1e9.
function expectedCost(usage) {
  const cached = Math.min(usage.prompt_tokens_details?.cached_tokens ?? 0, usage.prompt_tokens);
  const cacheWrite = Math.min(usage.prompt_tokens_details?.cache_write_tokens ?? 0,
    usage.prompt_tokens - cached);
  const nano = {
    prompt: (usage.prompt_tokens - cached - cacheWrite) * claudeNanoPerToken.prompt,
    input_cache_read: cached * claudeNanoPerToken.cached_read,
    input_cache_write: cacheWrite * claudeNanoPerToken.cache_write,
    completion: usage.completion_tokens * claudeNanoPerToken.completion, // reasoning not priced apart
  };
  const total = nano.prompt + nano.input_cache_read + nano.input_cache_write + nano.completion;
  // Dividing two exact integers rounds once to the nearest double: the same number JSON.parse
  // gives for the exact decimal the gateway writes.
  return { total: total / 1e9, details: Object.fromEntries(Object.entries(nano).map(([k, v]) => [k, v / 1e9])) };
}

function assertPricedUsage(usage) {
  assert.ok(usage, 'usage present');
  assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
  const { total, details } = expectedCost(usage);
  assert.equal(usage.cost, total);
  for (const [name, value] of Object.entries(details)) assert.equal(usage.cost_details[name], value, name);
  assert.equal(usage.cost_details.internal_reasoning, 0);
  assert.equal(usage.cost_details.request, 0);
}

// Reads a whole chat stream: text, reasoning, tool calls (assembled by index), finish reason,
// usage, the chunks' ids and providers.
async function collect(stream) {
  const out = { content: '', reasoning: '', toolCalls: [], finishReason: null, usage: null, ids: new Set(), providers: new Set(), chunks: 0 };
  for await (const chunk of stream) {
    out.chunks += 1;
    out.ids.add(chunk.id);
    out.providers.add(chunk.provider);
    if (chunk.usage) out.usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    out.content += choice.delta?.content ?? '';
    out.reasoning += choice.delta?.reasoning ?? '';
    for (const delta of choice.delta?.tool_calls ?? []) {
      const call = (out.toolCalls[delta.index] ??= { id: '', type: '', function: { name: '', arguments: '' } });
      if (delta.id) call.id = delta.id;
      if (delta.type) call.type = delta.type;
      if (delta.function?.name) call.function.name += delta.function.name;
      if (delta.function?.arguments) call.function.arguments += delta.function.arguments;
    }
    if (choice.finish_reason) out.finishReason = choice.finish_reason;
  }
  return out;
}

const weatherTools = [{
  type: 'function',
  function: {
    name: 'get_weather',
    description: 'Current weather in a city',
    parameters: {
      type: 'object',
      properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['celsius', 'fahrenheit'] } },
      required: ['city'],
    },
  },
}];
const weatherQuestion = [{ role: 'user', content: 'What is the weather in Paris?' }];

test('anthropic upstream: non-streaming text, priced, with X-Generation-Id', async () => {
  const { data: completion, response } = await client.chat.completions
    .create({ model: 'e2e/claude', messages }).withResponse();
  assert.equal(response.status, 200);
  assert.match(completion.id, /^gen-\d{13}-[0-9a-f]{16}$/);
  assert.equal(response.headers.get('x-generation-id'), completion.id);
  assert.equal(completion.object, 'chat.completion');
  assert.equal(completion.model, 'e2e/claude');
  assert.equal(completion.provider, 'anth');
  assert.equal(completion.choices.length, 1);
  assert.equal(completion.choices[0].message.role, 'assistant');
  assert.equal(typeof completion.choices[0].message.content, 'string');
  assert.ok(completion.choices[0].message.content.length > 0);
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.ok(completion.usage.prompt_tokens > 0);
  assert.equal(completion.usage.completion_tokens, completion.choices[0].message.content.split(' ').length);
  assertPricedUsage(completion.usage);
  assert.ok(completion.usage.cost > 0);
});

test('anthropic upstream: max_completion_tokens cuts the answer with finish_reason length', async () => {
  const completion = await client.chat.completions.create({ model: 'e2e/claude', messages, max_completion_tokens: 4 });
  assert.equal(completion.choices[0].finish_reason, 'length');
  assert.equal(completion.usage.completion_tokens, 4);
  assert.equal(completion.choices[0].message.content.split(' ').length, 4);
  assertPricedUsage(completion.usage);
});

test('anthropic upstream: streaming text with usage and cost in the final chunk', async () => {
  const whole = await client.chat.completions.create({ model: 'e2e/claude', messages });
  const { data: stream, response } = await client.chat.completions.create({
    model: 'e2e/claude', messages, stream: true, stream_options: { include_usage: true },
  }).withResponse();
  assert.match(response.headers.get('content-type'), /^text\/event-stream/);
  const generationId = response.headers.get('x-generation-id');
  assert.match(generationId, /^gen-\d{13}-[0-9a-f]{16}$/);
  const out = await collect(stream);
  assert.ok(out.chunks > 3);
  assert.deepEqual([...out.ids], [generationId]);
  assert.deepEqual([...out.providers], ['anth']);
  assert.equal(out.content, whole.choices[0].message.content);
  assert.equal(out.finishReason, 'stop');
  assert.equal(out.usage.completion_tokens, whole.usage.completion_tokens);
  assert.equal(out.usage.prompt_tokens, whole.usage.prompt_tokens);
  assertPricedUsage(out.usage);
  assert.equal(out.usage.cost, whole.usage.cost);
});

test('anthropic upstream: a tool call, then a second turn with the tool result', async () => {
  const first = await client.chat.completions.create({ model: 'e2e/claude-tools', messages: weatherQuestion, tools: weatherTools });
  assert.equal(first.provider, 'anth');
  const choice = first.choices[0];
  assert.equal(choice.finish_reason, 'tool_calls');
  assert.equal(choice.message.role, 'assistant');
  assert.equal(choice.message.tool_calls.length, 1);
  const call = choice.message.tool_calls[0];
  assert.equal(typeof call.id, 'string');
  assert.ok(call.id.length > 0);
  assert.equal(call.type, 'function');
  assert.equal(call.function.name, 'get_weather');
  assert.equal(typeof call.function.arguments, 'string');
  const args = JSON.parse(call.function.arguments);
  assert.equal(typeof args.city, 'string');
  assert.equal(args.unit, 'celsius');
  assertPricedUsage(first.usage);

  const second = await client.chat.completions.create({
    model: 'e2e/claude-tools',
    tools: weatherTools,
    messages: [
      ...weatherQuestion,
      choice.message,
      { role: 'tool', tool_call_id: call.id, content: JSON.stringify({ temperature: 21, unit: 'celsius' }) },
    ],
  });
  assert.equal(second.choices[0].finish_reason, 'stop');
  assert.ok(!second.choices[0].message.tool_calls?.length);
  assert.equal(typeof second.choices[0].message.content, 'string');
  assert.ok(second.choices[0].message.content.length > 0);
  assertPricedUsage(second.usage);
});

test('anthropic upstream: a streamed tool call assembled from deltas, then a streamed second turn', async () => {
  const whole = await client.chat.completions.create({ model: 'e2e/claude-tools', messages: weatherQuestion, tools: weatherTools });
  const out = await collect(await client.chat.completions.create({
    model: 'e2e/claude-tools', messages: weatherQuestion, tools: weatherTools, stream: true,
    stream_options: { include_usage: true },
  }));
  assert.equal(out.finishReason, 'tool_calls');
  assert.equal(out.content, '');
  assert.equal(out.toolCalls.length, 1);
  const [call] = out.toolCalls;
  assert.ok(call.id.length > 0);
  assert.equal(call.type, 'function');
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), JSON.parse(whole.choices[0].message.tool_calls[0].function.arguments));
  assertPricedUsage(out.usage);

  const second = await collect(await client.chat.completions.create({
    model: 'e2e/claude-tools',
    tools: weatherTools,
    stream: true,
    messages: [
      ...weatherQuestion,
      { role: 'assistant', content: null, tool_calls: out.toolCalls },
      { role: 'tool', tool_call_id: call.id, content: 'sunny, 21 C' },
    ],
  }));
  assert.equal(second.finishReason, 'stop');
  assert.equal(second.toolCalls.length, 0);
  assert.ok(second.content.length > 0);
  assertPricedUsage(second.usage);
});

test('anthropic upstream: thinking arrives as message.reasoning and delta.reasoning, counted as completion', async () => {
  const completion = await client.chat.completions.create({ model: 'e2e/claude-reasoning', messages });
  const { message } = completion.choices[0];
  assert.equal(typeof message.reasoning, 'string');
  assert.ok(message.reasoning.length > 0);
  assert.equal(message.reasoning.split(' ').length, 20);
  assert.ok(message.content.length > 0);
  assert.equal(completion.choices[0].finish_reason, 'stop');
  // Anthropic's output_tokens counts the thinking: 20 thinking words + the answer's words.
  assert.equal(completion.usage.completion_tokens, 20 + message.content.split(' ').length);
  assertPricedUsage(completion.usage);

  const out = await collect(await client.chat.completions.create({
    model: 'e2e/claude-reasoning', messages, stream: true, stream_options: { include_usage: true },
  }));
  assert.equal(out.reasoning, message.reasoning);
  assert.equal(out.content, message.content);
  assert.equal(out.finishReason, 'stop');
  assert.equal(out.usage.completion_tokens, completion.usage.completion_tokens);
  assertPricedUsage(out.usage);
});

test('anthropic upstream: cache reads and writes are in prompt_tokens and priced exactly', async () => {
  // Long enough that some input tokens are neither cache reads nor writes, so every price applies.
  const content = 'Summarize the history of the prompt cache in exactly three short sentences, please.';
  const cacheMessages = [{ role: 'user', content }];
  const promptEstimate = Math.ceil(Buffer.byteLength(content) / 4); // gateway-sim's estimate
  assert.ok(promptEstimate > 15);
  for (const stream of [false, true]) {
    let usage;
    if (stream) {
      usage = (await collect(await client.chat.completions.create({
        model: 'e2e/claude-cache', messages: cacheMessages, stream: true, stream_options: { include_usage: true },
      }))).usage;
    } else {
      usage = (await client.chat.completions.create({ model: 'e2e/claude-cache', messages: cacheMessages })).usage;
    }
    // Anthropic's input_tokens (estimate - 10 - 5) + cache_read 10 + cache_creation 5.
    assert.equal(usage.prompt_tokens, promptEstimate, `stream: ${stream}`);
    assert.equal(usage.prompt_tokens_details.cached_tokens, 10);
    assert.equal(usage.prompt_tokens_details.cache_write_tokens, 5);
    assert.equal(usage.completion_tokens, 16);
    assert.equal(usage.total_tokens, promptEstimate + 16);
    // By hand: (P - 15) x 3,000 + 10 x 300 + 5 x 3,750 + 16 x 15,000 nano-USD.
    const nano = (promptEstimate - 15) * 3000 + 10 * 300 + 5 * 3750 + 16 * 15000;
    assert.equal(usage.cost, nano / 1e9);
    assert.equal(usage.cost_details.input_cache_read, 0.000003);
    assert.equal(usage.cost_details.input_cache_write, 0.00001875);
    assert.equal(usage.cost_details.completion, 0.00024);
    assertPricedUsage(usage);
  }
});

test('anthropic upstream: an upstream 529 (overloaded) is a 503 APIError', async () => {
  for (const stream of [false, true]) {
    await assert.rejects(
      client.chat.completions.create({ model: 'e2e/claude-overloaded', messages, stream }),
      (error) => {
        assert.ok(error instanceof OpenAI.APIError);
        assert.ok(error instanceof OpenAI.InternalServerError);
        assert.equal(error.status, 503, `stream: ${stream}`);
        assert.match(error.headers.get('x-generation-id') ?? '', /^gen-/);
        assert.match(error.message, /provider "anth"/);
        assert.match(error.message, /529/);
        return true;
      });
  }
});

test('anthropic upstream: a 529 falls back to the OpenAI-compatible endpoint of the same model', async () => {
  const { data: completion, response } = await client.chat.completions
    .create({ model: 'e2e/claude-fallback', messages }).withResponse();
  assert.equal(completion.model, 'e2e/claude-fallback');
  assert.equal(completion.provider, 'sim');
  assert.equal(completion.choices[0].finish_reason, 'stop');
  assert.ok(completion.choices[0].message.content.length > 0);
  assert.equal(response.headers.get('x-generation-id'), completion.id);
  // The record shows both attempts: Anthropic's 529, then sim's answer.
  const record = await (await fetch(`${gatewayUrl}/v1/generation?id=${completion.id}`)).json();
  assert.equal(record.data.provider_name, 'sim');
  assert.deepEqual(record.data.provider_responses.map((r) => [r.provider_name, r.status]), [['anth', 529], ['sim', 200]]);

  const out = await collect(await client.chat.completions.create({
    model: 'e2e/claude-fallback', messages, stream: true, stream_options: { include_usage: true },
  }));
  assert.deepEqual([...out.providers], ['sim']);
  assert.equal(out.content, completion.choices[0].message.content);
  assert.equal(out.finishReason, 'stop');
});

test('anthropic upstream: an in-stream error event raises an APIError from the error chunk', async () => {
  const stream = await client.chat.completions.create({ model: 'e2e/claude-breaks', messages, stream: true });
  let text = '';
  await assert.rejects(async () => {
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
  }, (error) => {
    assert.ok(error instanceof OpenAI.APIError);
    assert.match(error.message, /provider "anth"/);
    // The gateway's own error (502), Anthropic's event kept in metadata.raw (docs/dialects.md §5).
    assert.equal(error.error.code, 502);
    assert.equal(JSON.parse(error.error.metadata.raw).error.type, 'overloaded_error');
    return true;
  });
  assert.ok(text.length > 0);
});
