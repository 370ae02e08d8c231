// Writes the benchmark corpus to OUT (default: stdout): ~4 MB of mixed text, deterministic for a
// given checkout. Paragraphs of the repository's docs (English prose with code snippets), its
// C++ sources (code) and the multilingual / emoji / whitespace cases of the tokenizer test corpus
// (Chinese, Japanese, Korean, Vietnamese, Arabic, ...), shuffled with a fixed seed and repeated
// up to the size. Prints its size and SHA-256 to stderr so runs can be compared.
// Usage: node bench/tokenizer/make-corpus.mjs [OUT] [MEGABYTES]
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const out = process.argv[2];
const targetBytes = Number(process.argv[3] ?? 4) * 1e6;

const tracked = execFileSync('git', ['ls-files', 'docs/*.md', 'README.md', '*.cc', '*.h'],
                             { cwd: root, encoding: 'utf8' })
    .split('\n').filter((f) => f && !f.includes('generated') && !f.startsWith('tests/'));
const paragraphs = [];
for (const file of tracked.sort()) {
  paragraphs.push(...readFileSync(join(root, file), 'utf8').split(/\n\s*\n/).filter(Boolean));
}
const multilingual = readFileSync(join(root, 'tests/accounting/tokenizer/corpus.jsonl'), 'utf8')
    .split('\n').filter(Boolean).map((line) => JSON.parse(line))
    .filter((c) => c.text && /^(chinese|japanese|korean|vietnamese|scripts|emoji|english)/.test(c.name))
    .map((c) => c.text);
// Weight the multilingual paragraphs so they are roughly a fifth of the bytes.
const codeBytes = paragraphs.reduce((n, p) => n + Buffer.byteLength(p), 0);
const multiBytes = multilingual.reduce((n, p) => n + Buffer.byteLength(p), 0);
const copies = Math.max(1, Math.round(codeBytes / 4 / multiBytes));
for (let i = 0; i < copies; ++i) paragraphs.push(...multilingual);

let seed = 20240513;
const random = () => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
const chunks = [];
let size = 0;
while (size < targetBytes) {
  const order = paragraphs.map((p, i) => [random(), i]).sort((a, b) => a[0] - b[0]);
  for (const [, i] of order) {
    chunks.push(paragraphs[i]);
    size += Buffer.byteLength(paragraphs[i]) + 2;
    if (size >= targetBytes) break;
  }
}
const corpus = chunks.join('\n\n');
const sha = createHash('sha256').update(corpus).digest('hex').slice(0, 16);
process.stderr.write(`corpus: ${Buffer.byteLength(corpus)} bytes, sha256 ${sha}..., ` +
                     `${tracked.length} files + ${multilingual.length} multilingual texts x${copies}\n`);
if (out) writeFileSync(out, corpus); else process.stdout.write(corpus);
