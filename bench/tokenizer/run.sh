#!/usr/bin/env bash
# Runs the tokenizer benchmark: ours (tokenizer_bench, from BUILD_DIR, default build), js-tiktoken
# and tiktoken (WASM) (bench.mjs, packages pinned by scripts/tokenizer/package-lock.json) on the
# same generated corpus, and prints a Markdown table of single-thread MB/s and load times.
# Usage: bench/tokenizer/run.sh [BUILD_DIR] [RUNS]   (build tokenizer_bench first)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build_dir="$(cd "$root" && cd "${1:-build}" && pwd)"
runs="${2:-5}"
bench="$build_dir/bench/tokenizer/tokenizer_bench"
[ -x "$bench" ] || { echo "run.sh: $bench not found (build the tokenizer_bench target)" >&2; exit 1; }
[ -d "$root/scripts/tokenizer/node_modules" ] ||
  (cd "$root/scripts/tokenizer" && npm ci --no-audit --no-fund --loglevel=error)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
node "$here/make-corpus.mjs" "$work/corpus.txt"
"$bench" "$work/corpus.txt" "$runs" >"$work/results.jsonl"
node "$here/bench.mjs" "$work/corpus.txt" "$runs" >>"$work/results.jsonl"

node --input-type=module - "$work/results.jsonl" <<'JS'
import { readFileSync } from 'node:fs';
const rows = readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean).map(JSON.parse);
const get = (impl, encoding, op, field) =>
  rows.find((r) => r.impl === impl && r.encoding === encoding && r.op === op)?.[field];
console.log('| encoding | gw Encode (MB/s) | gw Count (MB/s) | js-tiktoken (MB/s) | ' +
            'tiktoken WASM (MB/s) | load gw / js-tiktoken / WASM (ms) | tokens |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const e of ['cl100k_base', 'o200k_base']) {
  const tokens = new Set(['gw', 'js-tiktoken', 'tiktoken-wasm'].map((i) => get(i, e, 'encode', 'tokens')));
  console.log(`| ${e} | ${get('gw', e, 'encode', 'mb_per_s')} | ${get('gw', e, 'count', 'mb_per_s')} | ` +
              `${get('js-tiktoken', e, 'encode', 'mb_per_s')} | ${get('tiktoken-wasm', e, 'encode', 'mb_per_s')} | ` +
              `${get('gw', e, 'load', 'ms')} / ${get('js-tiktoken', e, 'load', 'ms')} / ` +
              `${get('tiktoken-wasm', e, 'load', 'ms')} | ${tokens.size === 1 ? [...tokens][0] : 'MISMATCH ' + [...tokens]} |`);
}
console.log(`\ngw also builds its Unicode class tables once per process: ` +
            `${get('gw', 'unicode tables', 'load', 'ms')} ms.`);
JS
