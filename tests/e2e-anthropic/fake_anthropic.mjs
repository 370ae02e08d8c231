#!/usr/bin/env node
// A tiny fake Anthropic Messages API server, for research (what do the real clients send?) and
// for self-checking the end-to-end tests without the C++ gateway. The real tests run against the
// gateway; this file is not part of what they test.
//
//   node fake_anthropic.mjs [--port N] [--log FILE] [--dump-dir DIR] [--quiet]
//
// Prints {"event":"listening","service":"fake-anthropic","port":N} on stdout, then one JSON line
// per request on stderr (unless --quiet) and in --log FILE: method, path, headers, body size and a summary of
// the body. --dump-dir writes every request body to DIR/<n>.json.
//
// Endpoints (also under /api/v1 instead of /v1):
//   POST /v1/messages               non-stream JSON or stream (Anthropic's SSE events with
//                                    `event:` lines: message_start, content_block_start, ping,
//                                    content_block_delta..., content_block_stop, message_delta,
//                                    message_stop)
//   POST /v1/messages/count_tokens  {"input_tokens": N}
//   GET  /v1/generation?id=...      the record of an answer (gateway emulation, see below)
//   GET  /v1/activity               {"data": [rows by model]}
//   anything else                   404 in Anthropic's error shape (HEAD: no body)
//
// Options in the model name after `?` (as gateway-sim takes them): tokens=N (16), tool_call=true,
// thinking_tokens=N, cached_tokens=N, cache_write_tokens=N, status=CODE&error_rate=1,
// stream_error_after=N, ttft_ms=N.
//
// Gateway emulation: with FAKE_MODELS='{"e2e/claude":{"model":"claude-sim?x=1",
// "pricing":{"prompt":3,...}}}' in the environment, only those model ids exist (others: 404
// not_found_error), each answer gets an X-Generation-Id and a record with the cost computed as
// docs/accounting.md says. FAKE_REQUIRE_KEY=k: every request needs `x-api-key: k` or
// `Authorization: Bearer k` (else 401 authentication_error).
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

function log(entry) {
  const line = JSON.stringify(entry);
  if (!quiet) process.stderr.write(line + '\n');
  if (logFile) appendFileSync(logFile, line + '\n');
}

function summarize(body) {
  if (!body || typeof body !== 'object') return null;
  const tools = Array.isArray(body.tools) ? body.tools : [];
  const system = body.system;
  return {
    keys: Object.keys(body),
    model: body.model,
    stream: body.stream,
    max_tokens: body.max_tokens,
    temperature: body.temperature,
    thinking: body.thinking,
    metadata: body.metadata,
    tool_choice: body.tool_choice,
    context_management: body.context_management,
    output_config: body.output_config,
    tools: tools.length,
    tools_bytes: JSON.stringify(tools).length,
    tool_names: tools.map((t) => t.name ?? t.type),
    tool_keys: [...new Set(tools.flatMap((t) => Object.keys(t)))],
    system: typeof system === 'string' ? { string: system.length }
      : Array.isArray(system) ? system.map((b) => ({ type: b.type, chars: b.text?.length, cache_control: b.cache_control }))
        : system,
    messages: Array.isArray(body.messages) ? body.messages.map((m) => ({
      role: m.role,
      content: typeof m.content === 'string' ? `string(${m.content.length})`
        : Array.isArray(m.content) ? m.content.map((p) => p.type + (p.cache_control ? '+cache' : '')) : typeof m.content,
    })) : body.messages,
  };
}

function anthropicError(res, status, type, message, headers = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ type: 'error', error: { type, message } }));
}

const ERROR_TYPES = {
  400: 'invalid_request_error', 401: 'authentication_error', 403: 'permission_error',
  404: 'not_found_error', 413: 'request_too_large', 429: 'rate_limit_error', 529: 'overloaded_error',
};

function parseOptions(model) {
  const q = model.indexOf('?');
  const options = { tokens: 16 };
  if (q < 0) return { name: model, options };
  for (const [k, v] of new URLSearchParams(model.slice(q + 1))) options[k] = v;
  return { name: model.slice(0, q), options };
}

function promptTokens(body) {
  let bytes = JSON.stringify(body.system ?? '').length;
  for (const m of body.messages ?? []) bytes += JSON.stringify(m.content ?? '').length;
  bytes += JSON.stringify(body.tools ?? []).length;
  return Math.max(1, Math.ceil(bytes / 4));
}

function nano(tokens, usdPerMillion) {
  // USD per 1M tokens = nano-USD per 1000 tokens; exact for prices with <= 6 decimals.
  return Math.round(tokens * Math.round(usdPerMillion * 1e6)) / 1000;
}

function record(id, modelId, upstream, usage, pricing, streamed) {
  const cached = usage.cache_read_input_tokens ?? 0;
  const write = usage.cache_creation_input_tokens ?? 0;
  const prompt = usage.input_tokens + cached + write;
  const p = pricing ?? {};
  const cost = {
    prompt: Math.round(nano(prompt - cached - write, p.prompt ?? 0)),
    input_cache_read: Math.round(nano(cached, p.cached_read ?? p.prompt ?? 0)),
    input_cache_write: Math.round(nano(write, p.cache_write ?? p.prompt ?? 0)),
    completion: Math.round(nano(usage.output_tokens, p.completion ?? 0)),
  };
  const total = cost.prompt + cost.input_cache_read + cost.input_cache_write + cost.completion;
  generations.set(id, {
    id, model: modelId, provider_name: 'fake', endpoint: upstream, streamed,
    native_tokens_prompt: prompt, native_tokens_completion: usage.output_tokens,
    native_tokens_cached: cached, native_tokens_cache_write: write, native_tokens_reasoning: 0,
    total_cost: total / 1e9, usage: total / 1e9,
    cost_details: Object.fromEntries(Object.entries(cost).map(([k, v]) => [k, v / 1e9])),
  });
}

function buildAnswer(body, name, options) {
  const textTokens = Math.min(Number(options.tokens), body.max_tokens);
  const words = [];
  for (let i = 0; i < textTokens; i += 1) words.push((i ? ' ' : '') + WORDS[(i * 7 + 3) % WORDS.length]);
  const blocks = [];
  const thinkingTokens = Number(options.thinking_tokens ?? 0);
  if (thinkingTokens > 0) {
    blocks.push({ type: 'thinking', pieces: Array.from({ length: thinkingTokens }, (_, i) => (i ? ' ' : '') + 'hmm'),
      signature: 'sig-' + randomBytes(8).toString('hex') });
  }
  const lastIsToolResult = body.messages?.at(-1)?.content?.some?.((p) => p.type === 'tool_result');
  const tool = options.tool_call === 'true' && !lastIsToolResult && body.tools?.find((t) => t.name && t.input_schema);
  if (tool) {
    blocks.push({ type: 'tool_use', id: 'toolu_fake' + randomBytes(8).toString('hex'), name: tool.name,
      pieces: ['{"loc', 'ation": "Paris"}'] });
  } else {
    blocks.push({ type: 'text', pieces: words });
  }
  const usage = {
    input_tokens: promptTokens(body),
    cache_creation_input_tokens: Number(options.cache_write_tokens ?? 0),
    cache_read_input_tokens: Number(options.cached_tokens ?? 0),
    output_tokens: textTokens + thinkingTokens + (tool ? 8 : 0),
  };
  const stopReason = tool ? 'tool_use' : textTokens < Number(options.tokens) ? 'max_tokens' : 'end_turn';
  return { blocks, usage, stopReason, message: {
    id: 'msg_fake' + String(++counter).padStart(6, '0'), type: 'message', role: 'assistant', model: name } };
}

function finalBlock(b) {
  if (b.type === 'text') return { type: 'text', text: b.pieces.join('') };
  if (b.type === 'thinking') return { type: 'thinking', thinking: b.pieces.join(''), signature: b.signature };
  return { type: 'tool_use', id: b.id, name: b.name, input: JSON.parse(b.pieces.join('')) };
}

function sse(res, type, data) {
  res.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
}

async function handleMessages(req, res, body, countOnly) {
  if (!body || typeof body.model !== 'string') {
    return anthropicError(res, 400, 'invalid_request_error', 'model: Field required');
  }
  if (!Array.isArray(body.messages)) {
    return anthropicError(res, 400, 'invalid_request_error', 'messages: Field required');
  }
  let upstream = body.model;
  let pricing = null;
  if (models) {
    const entry = models[body.model];
    if (!entry) return anthropicError(res, 404, 'not_found_error', `model: ${body.model} is not a model of this gateway`);
    upstream = entry.model;
    pricing = entry.pricing;
  }
  if (countOnly) {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ input_tokens: promptTokens(body) }));
  }
  if (!Number.isInteger(body.max_tokens)) {
    return anthropicError(res, 400, 'invalid_request_error', 'max_tokens: Field required');
  }
  const { name, options } = parseOptions(upstream);
  if (options.error_rate === '1') {
    const status = Number(options.status ?? 500);
    return anthropicError(res, status, ERROR_TYPES[status] ?? 'api_error', `simulated ${status}`,
      status === 429 ? { 'retry-after': '1' } : {});
  }
  if (options.ttft_ms) await new Promise((r) => setTimeout(r, Number(options.ttft_ms)));
  const answer = buildAnswer(body, name, options);
  const genId = `gen-${Date.now()}-${randomBytes(8).toString('hex')}`;
  const headers = { 'x-generation-id': genId, 'request-id': 'req_fake' + counter };
  record(genId, body.model, upstream, answer.usage, pricing, body.stream === true);
  if (body.stream !== true) {
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    return res.end(JSON.stringify({ ...answer.message, content: answer.blocks.map(finalBlock),
      stop_reason: answer.stopReason, stop_sequence: null, usage: answer.usage }));
  }
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers });
  sse(res, 'message_start', { message: { ...answer.message, content: [], stop_reason: null, stop_sequence: null,
    usage: { ...answer.usage, output_tokens: 1 } } });
  // The gateway reports an upstream that breaks off (disconnect_after) as an in-stream error too.
  const breakAfter = options.stream_error_after ?? options.disconnect_after;
  const errorAfter = breakAfter === undefined ? Infinity : Number(breakAfter);
  let deltas = 0;
  for (const [index, b] of answer.blocks.entries()) {
    const start = b.type === 'text' ? { type: 'text', text: '' }
      : b.type === 'thinking' ? { type: 'thinking', thinking: '', signature: '' }
        : { type: 'tool_use', id: b.id, name: b.name, input: {} };
    sse(res, 'content_block_start', { index, content_block: start });
    if (index === 0) sse(res, 'ping', {});
    for (const piece of b.pieces) {
      if (deltas++ >= errorAfter) {
        sse(res, 'error', { error: { type: 'overloaded_error', message: 'simulated stream error' } });
        return res.end();
      }
      const delta = b.type === 'text' ? { type: 'text_delta', text: piece }
        : b.type === 'thinking' ? { type: 'thinking_delta', thinking: piece }
          : { type: 'input_json_delta', partial_json: piece };
      sse(res, 'content_block_delta', { index, delta });
    }
    if (b.type === 'thinking') sse(res, 'content_block_delta', { index, delta: { type: 'signature_delta', signature: b.signature } });
    sse(res, 'content_block_stop', { index });
  }
  sse(res, 'message_delta', { delta: { stop_reason: answer.stopReason, stop_sequence: null },
    usage: { output_tokens: answer.usage.output_tokens } });
  sse(res, 'message_stop', {});
  res.end();
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    const raw = Buffer.concat(chunks);
    let body = null;
    try { body = raw.length ? JSON.parse(raw.toString('utf8')) : null; } catch { body = undefined; }
    const n = ++counter;
    if (dumpDir && raw.length) writeFileSync(join(dumpDir, `${String(n).padStart(3, '0')}.json`), raw);
    log({ n, time: new Date().toISOString(), method: req.method, url: req.url, headers: req.headers,
      body_bytes: raw.length, summary: summarize(body) });
    const url = new URL(req.url, 'http://x');
    const path = url.pathname.replace(/^\/api\/v1\//, '/v1/');
    try {
      if (requiredKey && req.method !== 'HEAD') {
        const given = req.headers['x-api-key'] ?? req.headers.authorization?.replace(/^Bearer /, '');
        if (given !== requiredKey) return anthropicError(res, 401, 'authentication_error', 'invalid x-api-key');
      }
      if (body === undefined) return anthropicError(res, 400, 'invalid_request_error', 'invalid JSON body');
      if (req.method === 'POST' && path === '/v1/messages') return await handleMessages(req, res, body, false);
      if (req.method === 'POST' && path === '/v1/messages/count_tokens') return await handleMessages(req, res, body, true);
      if (req.method === 'GET' && path === '/v1/generation') {
        const g = generations.get(url.searchParams.get('id'));
        if (!g) return anthropicError(res, 404, 'not_found_error', 'no such generation');
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ data: g }));
      }
      if (req.method === 'GET' && path === '/v1/activity') {
        const rows = new Map();
        for (const g of generations.values()) {
          const row = rows.get(g.model) ?? { model: g.model, provider_name: g.provider_name, requests: 0, usage: 0 };
          row.requests += 1;
          row.usage += g.total_cost;
          rows.set(g.model, row);
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ data: [...rows.values()] }));
      }
      if (req.method === 'HEAD') { res.writeHead(404); return res.end(); }
      return anthropicError(res, 404, 'not_found_error', `no route ${req.method} ${url.pathname}`);
    } catch (error) {
      if (!res.headersSent) anthropicError(res, 500, 'api_error', String(error));
      else res.end();
    }
  });
});

server.listen(port, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ event: 'listening', service: 'fake-anthropic', host: '127.0.0.1',
    port: server.address().port }) + '\n');
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { server.close(); process.exit(0); });
