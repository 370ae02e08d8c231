// End-to-end: the official OpenAI Node SDK (openai, pinned by package-lock.json), unmodified,
// pointed at the gateway's Responses route (`POST /v1/responses`, `GET`/`DELETE
// /v1/responses/{id}`; base URL only), for a model translated to an Anthropic-dialect gateway-sim
// (e2e/claude*) and one translated to an OpenAI-compatible gateway-sim (e2e/translated*).
// Binaries from $GATEWAY_BUILD_DIR; E2E_SELF_CHECK=1 runs the same tests against
// capture_server.mjs (checks the test logic only).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { PATHS, catalogue, getJson, here, selfCheck, startStack, stopAll } from './harness.mjs';

const GEN_ID = /^gen-\d{13}-[0-9a-f]{16}$/;
let stack;
let client;

before(async () => {
  stack = await startStack();
  client = new OpenAI({ baseURL: `${stack.baseURL}/v1`, apiKey: 'unused', maxRetries: 0 });
});

after(() => stopAll());

const input = 'Say hello';
const question = { role: 'user', content: 'What is the weather in Paris?' };
const weatherTool = {
  type: 'function',
  name: 'get_weather',
  description: 'The current weather in a city',
  parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'], additionalProperties: false },
  strict: false,
};

// The event types of a plain text answer, consecutive repeats collapsed (delta x N -> once).
const TEXT_EVENTS = [
  'response.created', 'response.in_progress', 'response.output_item.added', 'response.content_part.added',
  'response.output_text.delta', 'response.output_text.done', 'response.content_part.done',
  'response.output_item.done', 'response.completed',
];

function collapse(types) {
  return types.filter((t, i) => t !== types[i - 1]);
}

// The text of a response's message items (what the SDK's output_text holds).
function textOf(response) {
  return response.output.filter((item) => item.type === 'message')
    .flatMap((item) => item.content).filter((part) => part.type === 'output_text').map((part) => part.text).join('');
}

function words(text) {
  return text.trim().split(/\s+/).filter(Boolean).length;
}

// The SDK class and status of an error in OpenAI's shape ({"error": {"code", "message", ...}}).
function checkApiError(error, status, Class) {
  assert.ok(error instanceof OpenAI.APIError, `not an APIError: ${error}`);
  assert.ok(error instanceof Class, `${error.constructor.name} is not ${Class.name}: ${error.message}`);
  if (status !== null) assert.equal(error.status, status, error.message);
  assert.equal(typeof error.error?.message, 'string', `body is {"error":{"message",...}}: ${JSON.stringify(error.error)}`);
  return true;
}

async function generation(id) {
  const { data } = await getJson(stack.baseURL, `/v1/generation?id=${encodeURIComponent(id)}`);
  return data;
}

// Reads a stream of events to the end.
async function drain(stream) {
  const events = [];
  for await (const event of stream) events.push(event);
  return events;
}

// Splits a raw SSE body into [{ event, data }] (comment-only blocks, i.e. keep-alives, skipped).
function parseSse(body) {
  const out = [];
  for (const block of body.split('\n\n')) {
    const lines = block.split('\n').filter((l) => l && !l.startsWith(':'));
    if (lines.length === 0) continue;
    const event = lines.find((l) => l.startsWith('event: '))?.slice(7) ?? null;
    const data = lines.filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
    out.push({ event, data: JSON.parse(data), raw: block });
  }
  return out;
}

function assertUsage(usage) {
  assert.ok(usage.input_tokens > 0, JSON.stringify(usage));
  assert.ok(usage.output_tokens > 0, JSON.stringify(usage));
  assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
  assert.equal(typeof usage.input_tokens_details?.cached_tokens, 'number');
  assert.equal(typeof usage.output_tokens_details?.reasoning_tokens, 'number');
}

for (const path of Object.keys(PATHS)) {
  const model = `e2e/${path}`;

  test(`[${path}] responses.create, non-stream: a completed response, priced as its generation record`, async () => {
    const { data: response, response: http } = await client.responses.create({ model, input }).withResponse();
    const id = http.headers.get('x-generation-id');
    assert.match(id ?? '', GEN_ID);
    assert.equal(response.object, 'response');
    assert.equal(typeof response.id, 'string');
    assert.ok(response.id.length > 0);
    assert.equal(response.model, model);
    assert.equal(response.status, 'completed');
    assert.equal(response.error, null);
    assert.equal(response.incomplete_details, null);
    assert.equal(response.output.length, 1, JSON.stringify(response.output));
    const [item] = response.output;
    assert.equal(item.type, 'message');
    assert.equal(item.role, 'assistant');
    assert.equal(item.status, 'completed');
    assert.equal(item.content.length, 1);
    assert.equal(item.content[0].type, 'output_text');
    assert.ok(item.content[0].text.length > 0);
    assert.equal(response.output_text, item.content[0].text);
    assertUsage(response.usage);
    assert.equal(response.usage.output_tokens, words(response.output_text), 'one simulator word per token');
    assert.ok(response.usage.cost > 0, `usage.cost ${response.usage.cost}`);

    const record = await generation(id);
    assert.equal(record.id, id);
    assert.equal(record.model, model);
    assert.equal(record.api, 'responses');
    assert.equal(record.streamed, false);
    assert.equal(record.native_tokens_prompt, response.usage.input_tokens);
    assert.equal(record.native_tokens_completion, response.usage.output_tokens);
    assert.equal(record.total_cost, response.usage.cost);
  });

  test(`[${path}] create({stream: true}): the exact event sequence`, async () => {
    const whole = await client.responses.create({ model, input });
    const { data: stream, response: http } = await client.responses.create({ model, input, stream: true }).withResponse();
    assert.match(http.headers.get('content-type') ?? '', /^text\/event-stream/);
    const id = http.headers.get('x-generation-id');
    assert.match(id ?? '', GEN_ID);
    const events = await drain(stream);
    assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i), 'sequence_number 0, 1, 2, ...');
    assert.deepEqual(collapse(events.map((e) => e.type)), TEXT_EVENTS);
    const byType = (type) => events.filter((e) => e.type === type);

    const created = byType('response.created')[0].response;
    assert.equal(created.object, 'response');
    assert.equal(created.status, 'in_progress');
    assert.deepEqual(created.output, []);
    assert.equal(byType('response.in_progress')[0].response.id, created.id);

    const added = byType('response.output_item.added')[0];
    assert.equal(added.output_index, 0);
    assert.equal(added.item.type, 'message');
    assert.equal(added.item.role, 'assistant');
    const deltas = byType('response.output_text.delta');
    assert.ok(deltas.length > 3, `only ${deltas.length} deltas`);
    for (const e of [...byType('response.content_part.added'), ...deltas, ...byType('response.output_text.done'), ...byType('response.content_part.done')]) {
      assert.equal(e.item_id, added.item.id);
      assert.equal(e.output_index, 0);
      assert.equal(e.content_index, 0);
    }
    const text = deltas.map((e) => e.delta).join('');
    assert.equal(text, textOf(whole), 'the simulator answers the same words streamed or not');
    assert.equal(byType('response.output_text.done')[0].text, text);
    assert.equal(byType('response.content_part.done')[0].part.text, text);
    const done = byType('response.output_item.done')[0];
    assert.equal(done.item.id, added.item.id);
    assert.equal(done.item.status, 'completed');
    assert.equal(textOf({ output: [done.item] }), text);

    const completed = events.at(-1).response;
    assert.equal(completed.id, created.id);
    assert.equal(completed.status, 'completed');
    assert.equal(textOf(completed), text);
    assertUsage(completed.usage);
    assert.equal(completed.usage.output_tokens, whole.usage.output_tokens);
    assert.equal(completed.usage.input_tokens, whole.usage.input_tokens);
    const record = await generation(id);
    assert.equal(record.api, 'responses');
    assert.equal(record.streamed, true);
    assert.equal(record.total_cost, completed.usage.cost);
  });

  test(`[${path}] responses.stream(): text events and finalResponse()`, async () => {
    const stream = client.responses.stream({ model, input });
    let text = '';
    stream.on('response.output_text.delta', (event) => { text += event.delta; });
    const final = await stream.finalResponse();
    assert.ok(text.length > 0);
    assert.equal(textOf(final), text);
    assert.equal(final.status, 'completed');
    assertUsage(final.usage);
  });

  test(`[${path}] function tools: a function_call, then a function_call_output turn answered with text`, async () => {
    const first = await client.responses.create({ model: `${model}-tools`, input: [question], tools: [weatherTool] });
    assert.equal(first.status, 'completed');
    const calls = first.output.filter((item) => item.type === 'function_call');
    assert.equal(calls.length, 1, JSON.stringify(first.output));
    const [call] = calls;
    assert.equal(call.name, 'get_weather');
    assert.match(call.call_id, /^\S+$/);
    assert.deepEqual(Object.keys(JSON.parse(call.arguments)), ['location'], 'the simulator fills every property');
    assert.equal(first.output_text, '');

    // The same call streamed: arguments in function_call_arguments.delta events.
    const events = await drain(await client.responses.create({ model: `${model}-tools`, input: [question], tools: [weatherTool], stream: true }));
    assert.deepEqual(events.map((e) => e.sequence_number), events.map((_, i) => i));
    const types = collapse(events.map((e) => e.type));
    assert.deepEqual(types, [
      'response.created', 'response.in_progress', 'response.output_item.added',
      'response.function_call_arguments.delta', 'response.function_call_arguments.done',
      'response.output_item.done', 'response.completed',
    ]);
    const argumentDeltas = events.filter((e) => e.type === 'response.function_call_arguments.delta').map((e) => e.delta).join('');
    assert.equal(events.find((e) => e.type === 'response.function_call_arguments.done').arguments, argumentDeltas);
    const streamedCall = events.find((e) => e.type === 'response.output_item.done').item;
    assert.equal(streamedCall.type, 'function_call');
    assert.equal(streamedCall.name, 'get_weather');
    assert.equal(streamedCall.arguments, argumentDeltas);
    assert.deepEqual(JSON.parse(streamedCall.arguments), JSON.parse(call.arguments));

    // The whole history back, as a stateless client (Codex) sends it: the call item with its
    // id and status, and the output.
    const second = await client.responses.create({
      model: `${model}-tools`, tools: [weatherTool], input: [
        question,
        call,
        { type: 'function_call_output', call_id: call.call_id, output: 'Sunny, 21 C' },
      ],
    });
    assert.equal(second.status, 'completed');
    assert.equal(second.output.length, 1, 'a tool loop ends with text');
    assert.ok(second.output_text.length > 0);
  });

  test(`[${path}] previous_response_id: the stored history is prepended; an unknown id is a 404`, async () => {
    const first = await client.responses.create({ model, input: 'Tell me about the weather in Paris today, please.' });
    assert.equal(first.store, true, 'store defaults to true');
    const next = [{ role: 'user', content: 'And in Rome?' }];
    const second = await client.responses.create({ model, input: next, previous_response_id: first.id });
    assert.equal(second.status, 'completed');
    assert.equal(second.previous_response_id, first.id);
    assert.ok(second.output_text.length > 0);
    const alone = await client.responses.create({ model, input: next });
    assert.ok(second.usage.input_tokens > alone.usage.input_tokens,
      `with history ${second.usage.input_tokens} tokens, without ${alone.usage.input_tokens}`);

    // A tool turn continued by id: only the function_call_output is sent.
    const call = await client.responses.create({ model: `${model}-tools`, input: [question], tools: [weatherTool] });
    const fc = call.output.find((item) => item.type === 'function_call');
    assert.ok(fc, JSON.stringify(call.output));
    const answered = await client.responses.create({
      model: `${model}-tools`, tools: [weatherTool], previous_response_id: call.id,
      input: [{ type: 'function_call_output', call_id: fc.call_id, output: 'Sunny, 21 C' }],
    });
    assert.equal(answered.status, 'completed');
    assert.ok(answered.output_text.length > 0, JSON.stringify(answered.output));

    await assert.rejects(client.responses.create({ model, input: next, previous_response_id: 'resp_does_not_exist' }),
      (error) => checkApiError(error, 404, OpenAI.NotFoundError) && /resp_does_not_exist/.test(error.message));
  });

  test(`[${path}] responses.retrieve returns the created response; delete makes it a 404`, async () => {
    const created = await client.responses.create({ model, input, store: true });
    const got = await client.responses.retrieve(created.id);
    assert.deepEqual(got, created);
    const deleted = await client.responses.delete(created.id);
    assert.deepEqual(deleted, { id: created.id, object: 'response.deleted', deleted: true });
    await assert.rejects(client.responses.retrieve(created.id), (error) => checkApiError(error, 404, OpenAI.NotFoundError));
    await assert.rejects(client.responses.delete(created.id), (error) => checkApiError(error, 404, OpenAI.NotFoundError));
    await assert.rejects(client.responses.create({ model, input, previous_response_id: created.id }),
      (error) => checkApiError(error, 404, OpenAI.NotFoundError));
  });

  test(`[${path}] store: false responses are not retrievable`, async () => {
    const created = await client.responses.create({ model, input, store: false });
    assert.equal(created.store, false);
    assert.equal(created.status, 'completed');
    await assert.rejects(client.responses.retrieve(created.id), (error) => checkApiError(error, 404, OpenAI.NotFoundError));
    await assert.rejects(client.responses.create({ model, input, previous_response_id: created.id }),
      (error) => checkApiError(error, 404, OpenAI.NotFoundError));
  });

  test(`[${path}] typed errors: unknown model 404, missing input 400, unknown item type 400`, async () => {
    await assert.rejects(client.responses.create({ model: 'acme/missing', input }),
      (error) => checkApiError(error, 404, OpenAI.NotFoundError) && /acme\/missing/.test(error.message));
    await assert.rejects(client.post('/responses', { body: { model } }),
      (error) => checkApiError(error, 400, OpenAI.BadRequestError) && /input/.test(error.message));
    await assert.rejects(client.responses.create({ model, input: [{ type: 'bogus_item', text: 'x' }] }),
      (error) => checkApiError(error, 400, OpenAI.BadRequestError) && /bogus_item/.test(error.message));
  });

  test(`[${path}] typed errors from the upstream: 429, 529, 503, 400`, async () => {
    await assert.rejects(client.responses.create({ model: `${model}-429`, input }),
      (error) => checkApiError(error, 429, OpenAI.RateLimitError));
    // An overloaded or unavailable upstream is a 5xx (the gateway may report 502/503 for an
    // exhausted plan, or carry 529): the SDK's InternalServerError either way.
    for (const variant of ['529', '503']) {
      await assert.rejects(client.responses.create({ model: `${model}-${variant}`, input }), (error) => {
        checkApiError(error, null, OpenAI.InternalServerError);
        assert.ok([502, 503, 529].includes(error.status), `status ${error.status}`);
        return true;
      });
    }
    await assert.rejects(client.responses.create({ model: `${model}-400`, input }),
      (error) => checkApiError(error, 400, OpenAI.BadRequestError));
    // Streamed, a failure before the first event is still an HTTP error (or, once keep-alives
    // committed the 200, an in-stream failure): an error either way, never a completed stream.
    await assert.rejects(async () => {
      for await (const event of await client.responses.create({ model: `${model}-429`, input, stream: true })) {
        if (event.type === 'response.failed') throw new OpenAI.APIError(undefined, event.response.error, 'failed', undefined);
        assert.notEqual(event.type, 'response.completed');
      }
    }, (error) => error instanceof OpenAI.APIError);
  });

  test(`[${path}] a stream whose upstream fails mid-way ends with response.failed`, async () => {
    const events = await drain(await client.responses.create({ model: `${model}-breaks`, input, stream: true }));
    assert.equal(events[0].type, 'response.created', 'the stream had started');
    assert.ok(!events.some((e) => e.type === 'response.completed'));
    const last = events.at(-1);
    assert.equal(last.type, 'response.failed', JSON.stringify(last));
    assert.equal(last.response.status, 'failed');
    assert.equal(typeof last.response.error?.message, 'string');
  });

  test(`[${path}] built-in tools: forcing web_search is a 400, offering it beside a function is fine`, async () => {
    await assert.rejects(client.responses.create({
      model, input, tools: [{ type: 'web_search' }, weatherTool], tool_choice: { type: 'web_search' },
    }), (error) => checkApiError(error, 400, OpenAI.BadRequestError) && /web_search/.test(error.message));

    const text = await client.responses.create({ model, input, tools: [{ type: 'web_search' }, weatherTool] });
    assert.equal(text.status, 'completed');
    assert.ok(text.output_text.length > 0);
    // The function tool still reaches the upstream: the simulator calls the first tool it gets.
    const called = await client.responses.create({ model: `${model}-tools`, input: [question], tools: [{ type: 'web_search' }, weatherTool] });
    assert.equal(called.status, 'completed');
    assert.deepEqual(called.output.map((item) => [item.type, item.name]), [['function_call', 'get_weather']]);
  });

  test(`[${path}] instructions reach the upstream`, async () => {
    const instructions = 'You are a terse weather assistant. Answer in one short sentence, without preamble. '.repeat(3);
    const plain = await client.responses.create({ model, input });
    const instructed = await client.responses.create({ model, input, instructions });
    assert.equal(instructed.status, 'completed');
    assert.equal(instructed.instructions, instructions);
    assert.ok(instructed.usage.input_tokens > plain.usage.input_tokens,
      `${instructed.usage.input_tokens} <= ${plain.usage.input_tokens}: the instructions were not counted upstream`);
  });

  test(`[${path}] max_output_tokens cuts the answer: status incomplete, reason max_output_tokens`, async () => {
    const cut = await client.responses.create({ model: `${model}-long`, input, max_output_tokens: 20 });
    assert.equal(cut.status, 'incomplete');
    assert.deepEqual(cut.incomplete_details, { reason: 'max_output_tokens' });
    assert.equal(cut.max_output_tokens, 20);
    assert.equal(cut.usage.output_tokens, 20);
    assert.equal(words(cut.output_text), 20);
    const whole = await client.responses.create({ model: `${model}-long`, input });
    assert.equal(whole.status, 'completed');
    assert.equal(whole.usage.output_tokens, 64);
    assert.ok(whole.output_text.startsWith(cut.output_text), 'a shorter answer is a prefix of a longer one');

    const events = await drain(await client.responses.create({ model: `${model}-long`, input, max_output_tokens: 20, stream: true }));
    const last = events.at(-1);
    assert.equal(last.type, 'response.incomplete');
    assert.equal(last.response.status, 'incomplete');
    assert.deepEqual(last.response.incomplete_details, { reason: 'max_output_tokens' });
    assert.equal(textOf(last.response), cut.output_text);
  });

  test(`[${path}] reasoning tokens count as output`, async () => {
    const plain = await client.responses.create({ model, input });
    const response = await client.responses.create({ model: `${model}-thinking`, input, reasoning: { effort: 'low', summary: 'auto' } });
    assert.equal(response.status, 'completed');
    assert.equal(response.output_text, plain.output_text);
    assert.ok(response.usage.output_tokens >= plain.usage.output_tokens + 20, JSON.stringify(response.usage));
    if (path === 'translated') assert.equal(response.usage.output_tokens_details.reasoning_tokens, 20);
    // Any reasoning item comes before the answer.
    const kinds = response.output.map((item) => item.type);
    assert.equal(kinds.at(-1), 'message', JSON.stringify(kinds));
    for (const kind of kinds.slice(0, -1)) assert.equal(kind, 'reasoning');
  });

  test(`[${path}] generation record: cost of cache reads and writes, by hand`, async () => {
    // Long enough that the simulator's prompt count exceeds cached + cache-write tokens.
    const prompt = 'Tell me about the weather in Paris today, please. '.repeat(8);
    const { data: response, response: http } = await client.responses.create({ model: `${model}-cache`, input: prompt }).withResponse();
    const usage = response.usage;
    assert.equal(usage.input_tokens_details.cached_tokens, 10);
    assert.ok(usage.input_tokens > 15, 'input_tokens includes cache reads and writes, as OpenAI counts');
    const record = await generation(http.headers.get('x-generation-id'));
    assert.equal(record.model, `${model}-cache`);
    assert.equal(record.native_tokens_prompt, usage.input_tokens);
    assert.equal(record.native_tokens_cached, 10);
    assert.equal(record.native_tokens_cache_write, 5);
    assert.equal(record.native_tokens_completion, usage.output_tokens);
    // docs/accounting.md: USD per 1M tokens x 1000 = nano-USD per token; cached_read and
    // cache_write default to the prompt price when the endpoint has none.
    const p = PATHS[path].pricing;
    const nanoPerToken = (usd) => Math.round(usd * 1e6) / 1000;
    const expectedNano = (usage.input_tokens - 15) * nanoPerToken(p.prompt) + 10 * nanoPerToken(p.cached_read ?? p.prompt) +
      5 * nanoPerToken(p.cache_write ?? p.prompt) + usage.output_tokens * nanoPerToken(p.completion);
    assert.equal(Math.round(record.total_cost * 1e9), expectedNano, `total_cost ${record.total_cost} USD for ${JSON.stringify(usage)}`);
    assert.equal(usage.cost, record.total_cost);
  });

  for (const fixture of ['codex_request.json', 'codex_request_gpt5.json']) {
    test(`[${path}] a captured Codex request (fixtures/${fixture}), raw SSE`, async () => {
      const body = JSON.parse(readFileSync(join(here, 'fixtures', fixture), 'utf8'));
      const post = (b) => fetch(`${stack.baseURL}/v1/responses`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json', accept: 'text/event-stream', authorization: 'Bearer unused',
          originator: 'codex_exec', 'user-agent': 'codex_exec/0.171.0 (Debian 12.0.0; x86_64) xterm (codex_exec; 0.171.0)',
          'session-id': b.prompt_cache_key, 'thread-id': b.prompt_cache_key, 'x-client-request-id': b.prompt_cache_key,
          'x-codex-beta-features': 'remote_compaction_v2', 'x-codex-window-id': `${b.prompt_cache_key}:0`,
          'x-codex-turn-metadata': b.client_metadata['x-codex-turn-metadata'], 'accept-encoding': 'zstd,gzip',
        },
        body: JSON.stringify(b),
      });
      const response = await post({ ...body, model });
      const text = await response.text();
      assert.equal(response.status, 200, text);
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      const id = response.headers.get('x-generation-id');
      assert.match(id ?? '', GEN_ID);
      const events = parseSse(text);
      // Every event has an `event:` line naming its data's type.
      for (const e of events) assert.equal(e.event, e.data.type, e.raw);
      assert.deepEqual(events.map((e) => e.data.sequence_number), events.map((_, i) => i));
      // The gpt-5 request asks for reasoning: an endpoint that reasons (the Anthropic sim, with
      // thinking) answers with a reasoning item before the message; that item aside, the
      // sequence is the plain text one.
      const isReasoning = (e) => e.event.startsWith('response.reasoning') || e.data.item?.type === 'reasoning';
      assert.deepEqual(collapse(events.filter((e) => !isReasoning(e)).map((e) => e.event)), TEXT_EVENTS);
      const completed = events.at(-1).data.response;
      assert.equal(typeof completed.id, 'string');
      assert.ok(completed.id.length > 0);
      assert.equal(completed.usage.total_tokens, completed.usage.input_tokens + completed.usage.output_tokens);
      // Codex takes the answer from output_item.done.
      const done = events.find((e) => e.event === 'response.output_item.done' && e.data.item.type === 'message').data.item;
      assert.ok(textOf({ output: [done] }).length > 0);
      assert.equal((await generation(id)).api, 'responses');

      // With tool calls: the first function tool (namespace, custom, tool_search and web_search
      // tools are not callable upstream), then the whole history back as Codex sends it.
      const called = await post({ ...body, model: `${model}-tools` });
      const calledText = await called.text();
      assert.equal(called.status, 200, calledText);
      const callEvents = parseSse(calledText);
      // Codex sends every output item back: reasoning items (when the endpoint reasoned) too.
      const outputItems = callEvents.filter((e) => e.event === 'response.output_item.done').map((e) => e.data.item);
      const call = outputItems.find((item) => item.type !== 'reasoning');
      assert.equal(call.type, 'function_call');
      assert.equal(call.name, body.tools.find((t) => t.type === 'function').name);
      assert.equal(callEvents.at(-1).event, 'response.completed');
      const followUp = await post({
        ...body, model: `${model}-tools`, input: [
          ...body.input,
          ...outputItems,
          { type: 'function_call_output', id: 'fco_01a248b5-bf88-70b0-9094-8d7b3473e46c', call_id: call.call_id, output: 'Process exited with code 127\nOutput:\n/bin/sh: 1: alpha: not found\n' },
        ],
      });
      const followText = await followUp.text();
      assert.equal(followUp.status, 200, followText);
      const followEvents = parseSse(followText);
      assert.equal(followEvents.at(-1).event, 'response.completed');
      assert.ok(textOf(followEvents.at(-1).data.response).length > 0, 'a tool loop ends with text');
    });
  }
}

test('routes under /api/v1 too', async () => {
  const api = new OpenAI({ baseURL: `${stack.baseURL}/api/v1`, apiKey: 'unused', maxRetries: 0 });
  const created = await api.responses.create({ model: 'e2e/claude', input });
  assert.equal(created.status, 'completed');
  assert.deepEqual(await api.responses.retrieve(created.id), created);
});

test('the catalogue has every model of the test', () => {
  // Guards the harness: a typo in a model id would otherwise show up as a confusing 404.
  assert.equal(new Set(catalogue().map((m) => m.id)).size, catalogue().length);
  assert.ok(selfCheck || stack.configFile);
});
