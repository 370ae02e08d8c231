// js-tiktoken (pure JavaScript) and tiktoken (the Rust core compiled to WASM) on the same
// corpus file as tokenizer_bench: the median of RUNS single-thread encodes of the whole corpus
// (special-token text as ordinary text), and the time to construct each encoding. The packages
// are the ones scripts/tokenizer/package-lock.json pins (run `npm ci` there first).
// Usage: node bench/tokenizer/bench.mjs CORPUS_FILE [RUNS]
// Prints JSON lines like tokenizer_bench.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../../scripts/tokenizer/package.json', import.meta.url));
const { Tiktoken } = require('js-tiktoken/lite');
const tiktoken = require('tiktoken');

const corpus = readFileSync(process.argv[2], 'utf8');
const runs = Number(process.argv[3] ?? 5);
const megabytes = Buffer.byteLength(corpus) / 1e6;

function median(work) {
  let tokens = work();  // warm-up
  const times = [];
  for (let i = 0; i < runs; ++i) {
    const start = process.hrtime.bigint();
    tokens = work();
    times.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)], tokens };
}

function timed(load) {
  const start = process.hrtime.bigint();
  const value = load();
  return { value, ms: Number(process.hrtime.bigint() - start) / 1e6 };
}

const print = (o) => console.log(JSON.stringify(o));
for (const encoding of ['cl100k_base', 'o200k_base']) {
  const js = timed(() => new Tiktoken(require(`js-tiktoken/ranks/${encoding}`)));
  print({ impl: 'js-tiktoken', encoding, op: 'load', ms: Number(js.ms.toFixed(1)) });
  const jsRun = median(() => js.value.encode(corpus, [], []).length);
  print({ impl: 'js-tiktoken', encoding, op: 'encode',
          mb_per_s: Number((megabytes / jsRun.seconds).toFixed(2)), tokens: jsRun.tokens });

  const wasm = timed(() => tiktoken.get_encoding(encoding));
  print({ impl: 'tiktoken-wasm', encoding, op: 'load', ms: Number(wasm.ms.toFixed(1)) });
  const wasmRun = median(() => wasm.value.encode_ordinary(corpus).length);
  print({ impl: 'tiktoken-wasm', encoding, op: 'encode',
          mb_per_s: Number((megabytes / wasmRun.seconds).toFixed(2)), tokens: wasmRun.tokens });
  wasm.value.free();
}
