// End-to-end: the official Anthropic Node SDK (@anthropic-ai/sdk, pinned by package-lock.json),
// unmodified, pointed at the gateway's Anthropic Messages route (base URL only), for a model
// passed through to an Anthropic-dialect gateway-sim (e2e/claude*) and one translated to an
// OpenAI-compatible gateway-sim (e2e/translated*). Binaries from $GATEWAY_BUILD_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import Anthropic from '@anthropic-ai/sdk';
import { PATHS, catalogue, getJson, selfCheck, startStack, stopAll } from './harness.mjs';

const GATEWAY_KEY = 'gw-e2e-anthropic-key';
const GEN_ID = /^gen-\d{13}-[0-9a-f]{16}$/;
let open;     // the gateway without auth
let secured;  // a second gateway with server.auth.keys
let client;

before(async () => {
  [open, secured] = await Promise.all([startStack(), startStack({ authKey: GATEWAY_KEY })]);
  client = new Anthropic({ baseURL: open.baseURL, apiKey: 'unused', maxRetries: 0 });
});

after(() => stopAll());

const messages = [{ role: 'user', content: 'Say hello' }];
const tools = [{
  name: 'get_weather',
  description: 'The current weather in a city',
  input_schema: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
}];

// Event types in order, consecutive repeats collapsed (content_block_delta x N -> once).
function collapse(types) {
  return types.filter((t, i) => t !== types[i - 1]);
}

function textOf(message) {
  return message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
}

// The SDK class, status and error.type of an upstream failure, as the Anthropic API has them.
function checkApiError(error, status, type, Class) {
  assert.ok(error instanceof Anthropic.APIError, `not an APIError: ${error}`);
  assert.ok(error instanceof Class, `${error.constructor.name} is not ${Class.name}: ${error.message}`);
  assert.equal(error.status, status, error.message);
  assert.equal(error.type, type);
  assert.equal(error.error?.type, 'error', 'body is {"type":"error","error":{...}}');
  assert.equal(typeof error.error?.error?.message, 'string');
  return true;
}

for (const path of Object.keys(PATHS)) {
  const model = `e2e/${path}`;
  const passthrough = path === 'claude';

  test(`[${path}] messages.create, non-stream, with X-Generation-Id`, async () => {
    const { data: message, response } = await client.messages
      .create({ model, max_tokens: 256, messages })
      .withResponse();
    assert.match(response.headers.get('x-generation-id') ?? '', GEN_ID);
    assert.equal(message.type, 'message');
    assert.equal(message.role, 'assistant');
    assert.equal(typeof message.id, 'string');
    assert.equal(typeof message.model, 'string');
    assert.equal(message.content.length, 1);
    assert.equal(message.content[0].type, 'text');
    assert.ok(message.content[0].text.length > 0);
    assert.equal(message.stop_reason, 'end_turn');
    assert.ok(message.usage.input_tokens > 0);
    assert.ok(message.usage.output_tokens > 0);
  });

  test(`[${path}] messages.stream: text events and finalMessage()`, async () => {
    const whole = await client.messages.create({ model, max_tokens: 256, messages });
    const stream = client.messages.stream({ model, max_tokens: 256, messages });
    let text = '';
    let deltas = 0;
    stream.on('text', (delta) => { text += delta; deltas += 1; });
    const final = await stream.finalMessage();
    assert.ok(deltas > 3, `only ${deltas} text events`);
    assert.equal(text, textOf(final));
    assert.equal(text, textOf(whole), 'the simulator answers the same words streamed or not');
    assert.equal(final.stop_reason, 'end_turn');
    assert.ok(final.usage.input_tokens > 0);
    assert.ok(final.usage.output_tokens > 0);
  });

  test(`[${path}] create({stream: true}): the exact raw event sequence`, async () => {
    const { data: stream, response } = await client.messages
      .create({ model, max_tokens: 256, messages, stream: true })
      .withResponse();
    assert.match(response.headers.get('x-generation-id') ?? '', GEN_ID);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = [];
    for await (const event of stream) events.push(event);
    assert.deepEqual(collapse(events.map((e) => e.type)), [
      'message_start', 'content_block_start', 'content_block_delta', 'content_block_stop',
      'message_delta', 'message_stop',
    ]);
    const start = events[0].message;
    assert.equal(start.role, 'assistant');
    assert.deepEqual(start.content, []);
    assert.ok(start.usage.input_tokens > 0);
    assert.deepEqual(events[1].content_block, { type: 'text', text: '' });
    for (const e of events.filter((e) => e.type.startsWith('content_block'))) assert.equal(e.index, 0);
    for (const e of events.filter((e) => e.type === 'content_block_delta')) assert.equal(e.delta.type, 'text_delta');
    const delta = events.find((e) => e.type === 'message_delta');
    assert.equal(delta.delta.stop_reason, 'end_turn');
    assert.ok(delta.usage.output_tokens > 0);
  });

  test(`[${path}] tools: tool_use, then a tool_result turn answered with text`, async () => {
    const question = { role: 'user', content: 'What is the weather in Paris?' };
    const first = await client.messages.create({ model: `${model}-tools`, max_tokens: 256, tools, messages: [question] });
    assert.equal(first.stop_reason, 'tool_use');
    const use = first.content.find((b) => b.type === 'tool_use');
    assert.ok(use, JSON.stringify(first.content));
    assert.match(use.id, /^\S+$/);
    assert.equal(use.name, 'get_weather');
    assert.equal(typeof use.input, 'object');

    // The same call streamed: the SDK assembles the input from input_json_delta events.
    const streamed = await client.messages.stream({ model: `${model}-tools`, max_tokens: 256, tools, messages: [question] })
      .finalMessage();
    const streamedUse = streamed.content.find((b) => b.type === 'tool_use');
    assert.ok(streamedUse, JSON.stringify(streamed.content));
    assert.equal(streamedUse.name, 'get_weather');
    assert.deepEqual(streamedUse.input, use.input);
    assert.equal(streamed.stop_reason, 'tool_use');

    const second = await client.messages.create({
      model, max_tokens: 256, tools, messages: [
        question,
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'Sunny, 21 C' }] },
      ],
    });
    assert.equal(second.stop_reason, 'end_turn');
    assert.ok(textOf(second).length > 0);
  });

  test(`[${path}] thinking`, async () => {
    const params = { model: `${model}-thinking`, max_tokens: 2048, thinking: { type: 'enabled', budget_tokens: 1024 }, messages };
    const message = await client.messages.create(params);
    assert.ok(textOf(message).length > 0);
    const thinking = message.content.filter((b) => b.type === 'thinking');
    if (passthrough) {
      assert.equal(message.content[0].type, 'thinking', JSON.stringify(message.content));
      assert.ok(thinking[0].thinking.length > 0);
      assert.equal(typeof thinking[0].signature, 'string', 'the signature is carried');
    }
    for (const block of thinking) assert.ok(block.thinking.length > 0);
    assert.ok(message.usage.output_tokens >= 20, 'thinking tokens count as output');

    const events = [];
    for await (const event of await client.messages.create({ ...params, stream: true })) events.push(event);
    const starts = events.filter((e) => e.type === 'content_block_start');
    assert.deepEqual(starts.map((e) => e.index), starts.map((_, i) => i), 'blocks are numbered 0, 1, ...');
    assert.deepEqual(starts.map((e) => e.content_block.type), message.content.map((b) => b.type));
    if (passthrough) {
      assert.ok(events.some((e) => e.type === 'content_block_delta' && e.delta.type === 'thinking_delta'));
      assert.ok(events.some((e) => e.type === 'content_block_delta' && e.delta.type === 'signature_delta'));
    }
    assert.equal(events.at(-1).type, 'message_stop');
  });

  test(`[${path}] messages.countTokens`, async () => {
    const small = await client.messages.countTokens({ model, messages });
    assert.ok(Number.isInteger(small.input_tokens) && small.input_tokens > 0, JSON.stringify(small));
    const big = await client.messages.countTokens({
      model, system: 'You are a weather bot. '.repeat(20), tools, messages,
    });
    assert.ok(big.input_tokens > small.input_tokens, `${big.input_tokens} <= ${small.input_tokens}`);
  });

  test(`[${path}] client.beta.messages (?beta=true, anthropic-beta header)`, async () => {
    const message = await client.beta.messages.create({
      model, max_tokens: 256, messages, betas: ['interleaved-thinking-2025-05-14', 'context-management-2025-06-27'],
    });
    assert.ok(textOf(message).length > 0);
  });

  test(`[${path}] a Claude Code shaped request (raw fetch)`, async () => {
    // What Claude Code 2.x sends (README.md), cut down: ?beta=true, x-api-key, an old
    // anthropic-version, a beta list, system blocks with cache_control, a role "system" message,
    // a deferred tool, adaptive thinking, context_management, output_config, metadata.user_id.
    const response = await fetch(`${open.baseURL}/v1/messages?beta=true`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': 'unused',
        'anthropic-version': '2023-06-01',
        'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14,context-management-2025-06-27,' +
          'advanced-tool-use-2025-11-20,effort-2025-11-24',
        'x-app': 'cli',
        'x-claude-code-session-id': '00000000-0000-4000-8000-000000000000',
      },
      body: JSON.stringify({
        model,
        messages: [
          { role: 'user', content: [{ type: 'text', text: '<system-reminder>context</system-reminder>' }, { type: 'text', text: 'say hi' }] },
          { role: 'system', content: [{ type: 'text', text: '# Environment\nlinux', cache_control: { type: 'ephemeral' } }] },
        ],
        system: [
          { type: 'text', text: 'x-anthropic-billing-header: cc_version=2.1.332; cc_entrypoint=sdk-cli;' },
          { type: 'text', text: 'You are a Claude agent.', cache_control: { type: 'ephemeral' } },
        ],
        tools: [...tools, { name: 'Later', description: 'A deferred tool', input_schema: { type: 'object' }, defer_loading: true }],
        metadata: { user_id: JSON.stringify({ device_id: 'd', account_uuid: '', session_id: 's' }) },
        max_tokens: 32000,
        thinking: { type: 'adaptive', display: 'omitted' },
        context_management: { edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] },
        output_config: { effort: 'medium' },
        stream: true,
      }),
    });
    const body = await response.text();
    assert.equal(response.status, 200, body);
    assert.match(response.headers.get('x-generation-id') ?? '', GEN_ID);
    // Every SSE event has an `event:` line (the SDK drops data-only events).
    const events = body.split('\n\n').filter((e) => e.trim() && !e.split('\n').every((l) => l.startsWith(':')));
    for (const e of events) assert.match(e, /^(?::[^\n]*\n)*event: [a-z_]+\ndata: \{/, e);
    assert.match(events[0], /event: message_start/);
    assert.match(events.at(-1), /event: message_stop/);
  });

  test(`[${path}] generation record: cost of cache reads and writes, by hand`, async () => {
    // Long enough that the simulator's prompt count exceeds cached + cache-write tokens.
    const prompt = [{ role: 'user', content: 'Tell me about the weather in Paris today, please. '.repeat(8) }];
    const { data: message, response } = await client.messages
      .create({ model: `${model}-cache`, max_tokens: 256, messages: prompt })
      .withResponse();
    const usage = message.usage;
    assert.equal(usage.cache_read_input_tokens, 10);
    assert.equal(usage.cache_creation_input_tokens, 5);
    assert.ok(usage.input_tokens > 0, 'input_tokens excludes the cache tokens, as Anthropic counts');
    const id = response.headers.get('x-generation-id');
    const { data: record } = await getJson(open.baseURL, `/v1/generation?id=${encodeURIComponent(id)}`);
    assert.equal(record.id, id);
    assert.equal(record.model, `${model}-cache`);
    assert.equal(record.native_tokens_prompt, usage.input_tokens + 10 + 5, 'prompt = input + cache read + cache write');
    assert.equal(record.native_tokens_cached, 10);
    assert.equal(record.native_tokens_cache_write, 5);
    assert.equal(record.native_tokens_completion, usage.output_tokens);

    // docs/accounting.md: USD per 1M tokens x 1000 = nano-USD per token; cached_read and
    // cache_write default to the prompt price when the endpoint has none.
    const p = PATHS[path].pricing;
    const nanoPerToken = (usd) => Math.round(usd * 1e6) / 1000;
    const expectedNano =
      usage.input_tokens * nanoPerToken(p.prompt) +
      10 * nanoPerToken(p.cached_read ?? p.prompt) +
      5 * nanoPerToken(p.cache_write ?? p.prompt) +
      usage.output_tokens * nanoPerToken(p.completion);
    if (passthrough) {
      // prompt 3, cached_read 0.3, cache_write 3.75, completion 15 USD per 1M
      assert.equal(expectedNano, usage.input_tokens * 3000 + 10 * 300 + 5 * 3750 + usage.output_tokens * 15000);
    }
    assert.equal(Math.round(record.total_cost * 1e9), expectedNano,
      `total_cost ${record.total_cost} USD for ${JSON.stringify(usage)}`);
  });

  test(`[${path}] typed errors: unknown model 404, missing max_tokens 400`, async () => {
    await assert.rejects(
      client.messages.create({ model: 'acme/missing', max_tokens: 16, messages }),
      (error) => checkApiError(error, 404, 'not_found_error', Anthropic.NotFoundError) && /acme\/missing/.test(error.message));
    await assert.rejects(
      client.post('/v1/messages', { body: { model, messages } }),
      (error) => checkApiError(error, 400, 'invalid_request_error', Anthropic.BadRequestError) && /max_tokens/.test(error.message));
  });

  test(`[${path}] typed errors from the upstream: 529, 429, 400`, async () => {
    // 529 is Anthropic's "overloaded": the SDK's OverloadedError (a subclass of
    // InternalServerError). A gateway that reports an exhausted upstream as 502 gives
    // InternalServerError with api_error; either way the class must match the status.
    await assert.rejects(client.messages.create({ model: `${model}-529`, max_tokens: 16, messages }), (error) => {
      if (error.status === 529) return checkApiError(error, 529, 'overloaded_error', Anthropic.OverloadedError);
      return checkApiError(error, 502, 'api_error', Anthropic.InternalServerError);
    });
    await assert.rejects(client.messages.create({ model: `${model}-429`, max_tokens: 16, messages }),
      (error) => checkApiError(error, 429, 'rate_limit_error', Anthropic.RateLimitError));
    await assert.rejects(client.messages.create({ model: `${model}-400`, max_tokens: 16, messages }),
      (error) => checkApiError(error, 400, 'invalid_request_error', Anthropic.BadRequestError));
    // Streamed, a failure before the first event is still an HTTP error (or, once keep-alives
    // committed the 200, an in-stream error event): an APIError either way.
    await assert.rejects(async () => {
      for await (const event of await client.messages.create({ model: `${model}-429`, max_tokens: 16, messages, stream: true })) void event;
    }, (error) => error instanceof Anthropic.APIError && (error.status === 429 || error.type === 'rate_limit_error'));
  });

  for (const variant of ['breaks', 'drops']) {
    test(`[${path}] a stream that ${variant === 'breaks' ? 'gets an upstream error' : 'loses its upstream'} mid-way ends with an error event`, async () => {
      const events = [];
      await assert.rejects(async () => {
        for await (const event of await client.messages.create({ model: `${model}-${variant}`, max_tokens: 256, messages, stream: true })) {
          events.push(event);
        }
      }, (error) => {
        assert.ok(error instanceof Anthropic.APIError, `${error}`);
        assert.equal(error.status, undefined, 'an in-stream error event, not an HTTP status');
        assert.equal(typeof error.type, 'string');
        return true;
      });
      assert.equal(events[0]?.type, 'message_start', 'the stream had started');
      assert.ok(!events.some((e) => e.type === 'message_stop'));
    });
  }
}

test('routes under /api/v1 too', async () => {
  const api = new Anthropic({ baseURL: `${open.baseURL}/api`, apiKey: 'unused', maxRetries: 0 });
  const message = await api.messages.create({ model: 'e2e/claude', max_tokens: 64, messages });
  assert.ok(textOf(message).length > 0);
  const count = await api.messages.countTokens({ model: 'e2e/translated', messages });
  assert.ok(count.input_tokens > 0);
});

test('auth on: Bearer and x-api-key accepted, a wrong key is AuthenticationError', async () => {
  const good = new Anthropic({ baseURL: secured.baseURL, apiKey: GATEWAY_KEY, maxRetries: 0 });
  assert.ok(textOf(await good.messages.create({ model: 'e2e/claude', max_tokens: 64, messages })).length > 0);

  // Claude Code sends the key as x-api-key (ANTHROPIC_API_KEY).
  const response = await fetch(`${secured.baseURL}/v1/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': GATEWAY_KEY, 'anthropic-version': '2023-06-01' },
    body: JSON.stringify({ model: 'e2e/translated', max_tokens: 64, messages }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  assert.equal((await response.json()).type, 'message');

  const bad = new Anthropic({ baseURL: secured.baseURL, apiKey: 'wrong-key', maxRetries: 0 });
  await assert.rejects(bad.messages.create({ model: 'e2e/claude', max_tokens: 64, messages }),
    (error) => checkApiError(error, 401, 'authentication_error', Anthropic.AuthenticationError));
  await assert.rejects(bad.messages.countTokens({ model: 'e2e/claude', messages }),
    (error) => checkApiError(error, 401, 'authentication_error', Anthropic.AuthenticationError));
});

test('the catalogue has every model of the test', () => {
  // Guards the harness: a typo in a model id would otherwise show up as a confusing 404.
  assert.equal(new Set(catalogue().map((m) => m.id)).size, catalogue().length);
  assert.ok(selfCheck || open.configFile);
});
