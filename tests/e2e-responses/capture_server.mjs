#!/usr/bin/env node
// A small fake OpenAI Responses API server, for research (what does Codex CLI send, what does it
// need back?) and for self-checking the end-to-end tests without the C++ gateway
// (E2E_SELF_CHECK=1, see harness.mjs). The real tests run against the gateway; this file is not
// part of what they test.
//
//   node capture_server.mjs [--port N] [--log FILE] [--dump-dir DIR] [--quiet]
//
// Prints {"event":"listening","service":"capture","port":N} on stdout, then one JSON line per
// request on stderr (unless --quiet) and in --log FILE: method, path, headers and the JSON body.
// --dump-dir writes every request body to DIR/<n>.json.
//
// Endpoints (also under /api/v1 instead of /v1):
//   POST   /v1/responses          non-stream JSON or, with "stream": true, the SSE events with
//                                 `event:` lines: response.created, response.in_progress,
//                                 response.output_item.added, response.content_part.added,
//                                 response.output_text.delta..., response.output_text.done,
//                                 response.content_part.done, response.output_item.done,
//                                 response.completed (or response.incomplete); a function_call
//                                 item (response.function_call_arguments.delta/.done) for
//                                 tool_call=true when the request has a function tool
//   GET    /v1/responses/{id}     a stored response (store: true, the default); else 404
//   DELETE /v1/responses/{id}     {"id", "object": "response.deleted", "deleted": true}
//   GET    /v1/models             {"object": "list", "data": [...]}
//   GET    /v1/generation?id=...  the record of an answer (gateway emulation, see below)
//   GET    /v1/activity           {"data": [rows by model, with requests]}
//   anything else                 404 {"error": {...}}
//
// Options in the model name after `?` (as gateway-sim takes them): tokens=N (16),
// tool_call=true, status=CODE&error_rate=1, reasoning_tokens=N, thinking_tokens=N (counted as
// reasoning), cached_tokens=N, cache_write_tokens=N, stream_error_after=N (ends the stream with
// response.failed); for research also omit=... and fail=failed|error (see mutate() below).
//
// Gateway emulation: with FAKE_MODELS='{"e2e/claude":{"model":"claude-sim?x=1",
// "pricing":{"prompt":3,...}}}' in the environment, only those model ids exist (others: 404),
// each answer gets an X-Generation-Id and a record with the cost (docs/accounting.md), and the
// request checks of the gateway's route are emulated (missing input, a forced built-in tool,
// an unknown previous_response_id). FAKE_REQUIRE_KEY=k: every request needs
// `Authorization: Bearer k` (else 401).
import { createServer } from 'node:http';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const args = process.argv.slice(2);
function flag(name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
}
const port = Number(flag('--port', '0'));
const logFile = flag('--log', null);
const dumpDir = flag('--dump-dir', null);
const quiet = args.includes('--quiet');
if (dumpDir) mkdirSync(dumpDir, { recursive: true });
const models = process.env.FAKE_MODELS ? JSON.parse(process.env.FAKE_MODELS) : null;
const requiredKey = process.env.FAKE_REQUIRE_KEY ?? null;

const WORDS = ('alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike ' +
  'november oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu').split(' ');
let counter = 0;
const generations = new Map();
const stored = new Map();
const activity = new Map();

function log(entry) {
  const line = JSON.stringify(entry);
  if (!quiet) process.stderr.write(line + '\n');
  if (logFile) appendFileSync(logFile, line + '\n');
}

function sendJson(res, status, body, headers = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function sendError(res, status, message, code = null) {
  sendJson(res, status, { error: { code: code ?? status, message, metadata: null } });
}

function parseOptions(model) {
  const q = model.indexOf('?');
  const options = { tokens: 16, tool_call: false, status: 500, error_rate: 0, reasoning_tokens: 0, thinking_tokens: 0,
    cached_tokens: 0, cache_write_tokens: 0, stream_error_after: -1 };
  if (q < 0) return options;
  for (const [k, v] of new URLSearchParams(model.slice(q + 1))) {
    options[k] = v === 'true' ? true : v === 'false' ? false : Number.isNaN(Number(v)) ? v : Number(v);
  }
  return options;
}

// The text of an input (string, or items with content string / parts), for counting tokens.
function inputText(body) {
  const parts = [body.instructions ?? ''];
  const items = typeof body.input === 'string' ? [{ content: body.input }] : body.input ?? [];
  for (const item of items) {
    if (typeof item.content === 'string') parts.push(item.content);
    else if (Array.isArray(item.content)) for (const p of item.content) parts.push(p.text ?? '');
    if (item.output) parts.push(String(item.output));
    if (item.arguments) parts.push(item.arguments);
  }
  return parts.join(' ');
}

function countTokens(text) {
  return Math.max(1, text.split(/\s+/).filter(Boolean).length);
}

const id = (prefix) => `${prefix}_${randomBytes(12).toString('hex')}`;

// Arguments as gateway-sim builds them (docs/simulator.md): one member per property, a string
// gets a word, a number 1, a boolean true, an array [], anything else {}; an enum its first value.
function simArguments(schema) {
  const out = {};
  for (const [name, p] of Object.entries(schema?.properties ?? {})) {
    out[name] = p.enum ? p.enum[0] : p.type === 'string' ? WORDS[0] : p.type === 'number' || p.type === 'integer' ? 1
      : p.type === 'boolean' ? true : p.type === 'array' ? [] : {};
  }
  return out;
}

// The response object and the events that stream it, for one request.
function answer(body, options, responseId, history) {
  const functionTools = (body.tools ?? []).filter((t) => t.type === 'function');
  const callTool = options.tool_call && functionTools.length > 0 &&
    !(body.input ?? []).some?.((i) => i.type === 'function_call_output');
  const limit = body.max_output_tokens ?? Infinity;
  const wanted = options.tokens;
  const n = Math.min(wanted, limit);
  const incomplete = !callTool && limit < wanted;
  const words = Array.from({ length: n }, (_, i) => WORDS[(i * 7) % WORDS.length]);
  const deltas = words.map((w, i) => (i === 0 ? w : ' ' + w));
  const text = deltas.join('');
  const prompt = countTokens(inputText(body) + ' ' + inputText({ input: history })) +
    (JSON.stringify(body.tools ?? []).length / 40 | 0) + options.cached_tokens + options.cache_write_tokens;
  const reasoning = options.reasoning_tokens + options.thinking_tokens;
  const usage = {
    input_tokens: prompt,
    input_tokens_details: { cached_tokens: Math.min(options.cached_tokens, prompt) },
    output_tokens: (callTool ? 12 : n) + reasoning,
    output_tokens_details: { reasoning_tokens: reasoning },
  };
  usage.total_tokens = usage.input_tokens + usage.output_tokens;
  const item = callTool
    ? {
        id: id('fc'), type: 'function_call', status: 'completed', call_id: id('call'),
        name: functionTools[0].name, arguments: JSON.stringify(simArguments(functionTools[0].parameters)),
      }
    : {
        id: id('msg'), type: 'message', status: incomplete ? 'incomplete' : 'completed', role: 'assistant',
        content: [{ type: 'output_text', text, annotations: [], logprobs: [] }],
      };
  const base = {
    id: responseId, object: 'response', created_at: Math.floor(Date.now() / 1000), model: body.model,
    status: 'in_progress', background: false, error: null, incomplete_details: null,
    instructions: body.instructions ?? null, max_output_tokens: body.max_output_tokens ?? null,
    metadata: body.metadata ?? {}, output: [], parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null, reasoning: body.reasoning ?? null,
    store: body.store ?? true, temperature: body.temperature ?? 1, text: { format: { type: 'text' } },
    tool_choice: body.tool_choice ?? 'auto', tools: body.tools ?? [], top_p: body.top_p ?? 1,
    truncation: 'disabled', usage: null, user: null,
  };
  const final = {
    ...base,
    status: incomplete ? 'incomplete' : 'completed',
    incomplete_details: incomplete ? { reason: 'max_output_tokens' } : null,
    output: [item],
    usage,
  };
  const events = [];
  const emit = (type, fields) => events.push({ type, sequence_number: events.length, ...fields });
  emit('response.created', { response: base });
  emit('response.in_progress', { response: base });
  if (callTool) {
    emit('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', arguments: '' } });
    emit('response.function_call_arguments.delta', { item_id: item.id, output_index: 0, delta: item.arguments });
    emit('response.function_call_arguments.done', { item_id: item.id, output_index: 0, arguments: item.arguments });
    emit('response.output_item.done', { output_index: 0, item });
  } else {
    const at = { item_id: item.id, output_index: 0, content_index: 0 };
    emit('response.output_item.added', { output_index: 0, item: { ...item, status: 'in_progress', content: [] } });
    emit('response.content_part.added', { ...at, part: { type: 'output_text', text: '', annotations: [] } });
    for (const delta of deltas) emit('response.output_text.delta', { ...at, delta, logprobs: [] });
    emit('response.output_text.done', { ...at, text, logprobs: [] });
    emit('response.content_part.done', { ...at, part: item.content[0] });
    emit('response.output_item.done', { output_index: 0, item });
  }
  if (options.fail === 'failed' || options.stream_error_after >= 0) {
    // Research: a failure after the stream started, as the Responses API reports it.
    emit('response.failed', { response: { ...final, status: 'failed', error: { code: 'server_error', message: 'the upstream failed mid-stream' } } });
  } else if (options.fail === 'error') {
    emit('error', { code: 'server_error', message: 'the upstream failed mid-stream', param: null });
  } else {
    emit(incomplete ? 'response.incomplete' : 'response.completed', { response: final });
  }
  return { final, events: mutate(events, options.omit) };
}

// Research: what does a client need? omit=a,b,... leaves parts of the stream out:
// completed_id (response.id of the terminal event), total_tokens, usage, and any event type
// without its "response." prefix (created, in_progress, output_item.done, output_text.delta,
// completed, ...). omit=event_lines is handled when writing (data-only SSE).
// fail=failed|error ends the stream with response.failed or an `error` event instead.
function mutate(events, omit) {
  const parts = new Set(String(omit ?? '').split(',').filter(Boolean));
  let out = events.filter((e) => !parts.has(e.type.replace(/^response\./, '')));
  out = out.map((e) => {
    if (!/^response\.(completed|incomplete)$/.test(e.type)) return e;
    const response = structuredClone(e.response);
    if (parts.has('completed_id')) delete response.id;
    if (parts.has('total_tokens')) delete response.usage.total_tokens;
    if (parts.has('usage')) response.usage = null;
    return { ...e, response };
  });
  return out.map((e, i) => ({ ...e, sequence_number: i }));
}

function nanoPerToken(usd) {
  return Math.round(usd * 1e6) / 1000;
}

function record(modelId, pricing, usage, cacheWrite, streamed) {
  const genId = `gen-${Date.now()}-${randomBytes(8).toString('hex')}`;
  const cached = usage.input_tokens_details?.cached_tokens ?? 0;
  const nano = (usage.input_tokens - cached - cacheWrite) * nanoPerToken(pricing.prompt ?? 0) +
    cached * nanoPerToken(pricing.cached_read ?? pricing.prompt ?? 0) +
    cacheWrite * nanoPerToken(pricing.cache_write ?? pricing.prompt ?? 0) +
    usage.output_tokens * nanoPerToken(pricing.completion ?? 0);
  const rec = {
    id: genId, model: modelId, api: 'responses', total_cost: nano / 1e9,
    native_tokens_prompt: usage.input_tokens, native_tokens_completion: usage.output_tokens,
    native_tokens_cached: cached, native_tokens_cache_write: cacheWrite, streamed: Boolean(streamed),
    native_tokens_reasoning: usage.output_tokens_details?.reasoning_tokens ?? 0,
  };
  generations.set(genId, rec);
  activity.set(modelId, (activity.get(modelId) ?? 0) + 1);
  return rec;
}

// Input items as they are kept for previous_response_id (the request's, then the output).
function normalizeInput(input) {
  return typeof input === 'string' ? [{ role: 'user', content: input }] : input ?? [];
}

function handleCreate(req, res, body) {
  if (typeof body.model !== 'string') return sendError(res, 400, '"model" is required');
  let upstream = body.model;
  let pricing = {};
  if (models) {
    const m = models[body.model];
    if (!m) return sendError(res, 404, `model "${body.model}" is not in the catalogue`);
    upstream = m.model;
    pricing = m.pricing;
  }
  if (models) {
    if (body.input === undefined) return sendError(res, 400, '"input" is required');
    const items = normalizeInput(body.input);
    const known = new Set(['message', 'function_call', 'function_call_output', 'reasoning', undefined]);
    const bad = items.find((i) => typeof i !== 'object' || !known.has(i.type));
    if (bad) return sendError(res, 400, `input item type "${bad?.type}" is not supported`);
    const forced = body.tool_choice?.type;
    if (forced && forced !== 'function' && forced !== 'allowed_tools') {
      return sendError(res, 400, `tool_choice "${forced}": built-in tools cannot be forced on this model`);
    }
    if (body.previous_response_id !== undefined && !stored.has(body.previous_response_id)) {
      return sendError(res, 404, `previous response "${body.previous_response_id}" not found`);
    }
  }
  const options = parseOptions(upstream);
  if (options.error_rate >= 1) return sendError(res, options.status, `upstream answered ${options.status}`);
  counter += 1;
  const responseId = id('resp');
  const previous = stored.get(body.previous_response_id)?.history ?? [];
  const { final, events } = answer(body, options, responseId, previous);
  const headers = {};
  if (models) {
    const rec = record(body.model, pricing, final.usage, options.cache_write_tokens, body.stream);
    final.usage.cost = rec.total_cost;
    for (const e of events) if (e.response?.usage) e.response.usage.cost = rec.total_cost;
    headers['x-generation-id'] = rec.id;
    if (body.store !== false) {
      const history = [...previous, ...normalizeInput(body.input), ...final.output];
      stored.set(responseId, { response: final, history });
    }
  }
  if (body.stream) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
    const dataOnly = String(options.omit ?? '').split(',').includes('event_lines');
    for (const e of events) res.write(`${dataOnly ? '' : `event: ${e.type}\n`}data: ${JSON.stringify(e)}\n\n`);
    res.end();
  } else {
    sendJson(res, 200, final, headers);
  }
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const raw = Buffer.concat(chunks).toString('utf8');
    let body = null;
    try { body = raw ? JSON.parse(raw) : null; } catch { body = { unparsed: raw.slice(0, 200) }; }
    const n = ++counter;
    log({ n, time: new Date().toISOString(), method: req.method, url: req.url, headers: req.headers, bytes: raw.length, body });
    if (dumpDir && raw) writeFileSync(join(dumpDir, `${n}.json`), raw);
    const url = new URL(req.url, 'http://x');
    if (requiredKey && req.headers.authorization !== `Bearer ${requiredKey}`) {
      return sendError(res, 401, 'missing or unknown API key');
    }
    const path = url.pathname.replace(/^\/api\/v1\//, '/v1/');
    if (req.method === 'POST' && path === '/v1/responses') return handleCreate(req, res, body ?? {});
    const m = path.match(/^\/v1\/responses\/([^/]+)$/);
    if (m && (req.method === 'GET' || req.method === 'DELETE')) {
      const entry = stored.get(m[1]);
      if (!entry) return sendError(res, 404, `response "${m[1]}" not found`);
      if (req.method === 'GET') return sendJson(res, 200, entry.response);
      stored.delete(m[1]);
      return sendJson(res, 200, { id: m[1], object: 'response.deleted', deleted: true });
    }
    if (req.method === 'GET' && path === '/v1/models') {
      return sendJson(res, 200, { object: 'list', data: Object.keys(models ?? {}).map((mid) => ({ id: mid, object: 'model' })) });
    }
    if (req.method === 'GET' && path === '/v1/generation') {
      const rec = generations.get(url.searchParams.get('id'));
      return rec ? sendJson(res, 200, { data: rec }) : sendError(res, 404, 'generation not found');
    }
    if (req.method === 'GET' && path === '/v1/activity') {
      return sendJson(res, 200, { data: [...activity].map(([model, requests]) => ({ model, requests })) });
    }
    sendError(res, 404, `no route ${req.method} ${url.pathname}`);
  });
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ event: 'listening', service: 'capture', port: server.address().port }) + '\n');
});
