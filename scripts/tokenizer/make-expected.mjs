// Writes the ids js-tiktoken gives for every case of tests/accounting/tokenizer/corpus.jsonl, for
// both encodings, as JSON lines: {"name", "text" | "hex", "decoded", "cl100k_base",
// "cl100k_base_special", "o200k_base", "o200k_base_special"}. "decoded" is the text js-tiktoken
// was given: the case's text, or new TextDecoder().decode(bytes) for a "hex" case (each maximal
// ill-formed subpart becomes U+FFFD). "*_special" is encode(text, "all"); the others
// encode(text, [], []) (special-token text as ordinary text, tiktoken's encode_ordinary).
// Usage: node scripts/tokenizer/make-expected.mjs [OUT]  (default: the committed expected.jsonl)
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';

const testDir = join(dirname(fileURLToPath(import.meta.url)), '../../tests/accounting/tokenizer');
const out = process.argv[2] ?? join(testDir, 'expected.jsonl');
const encodings = { cl100k_base: new Tiktoken(cl100k), o200k_base: new Tiktoken(o200k) };

// The documented equivalence for JavaScript callers: a lone surrogate encodes like U+FFFD.
for (const enc of Object.values(encodings)) {
  assert.deepEqual(enc.encode('a\ud800b', [], []), enc.encode('a\ufffdb', [], []));
}

const lines = readFileSync(join(testDir, 'corpus.jsonl'), 'utf8').split('\n').filter(Boolean);
const results = lines.map((line) => {
  const c = JSON.parse(line);
  const decoded = c.hex !== undefined ? new TextDecoder().decode(Buffer.from(c.hex, 'hex')) : c.text;
  const result = { ...c, decoded };
  for (const [name, enc] of Object.entries(encodings)) {
    result[name] = enc.encode(decoded, [], []);
    // Without special-token text both calls give the same ids (and the second is slow).
    result[`${name}_special`] = decoded.includes('<|') ? enc.encode(decoded, 'all') : result[name];
  }
  return JSON.stringify(result);
});
writeFileSync(out, results.join('\n') + '\n');
console.log(`wrote ${out}: ${results.length} cases`);
