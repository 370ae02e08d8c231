// Regenerates accounting/tokenizer/data/{cl100k_base,o200k_base}.tiktoken from the ranks that
// js-tiktoken ships (pinned by package-lock.json), writes data/SHA256SUMS and prints the
// checksums. The output is the standard tiktoken format: one "base64(token bytes) rank" line per
// token, sorted by rank. The files it writes are byte-identical to OpenAI's published
// openaipublic.blob.core.windows.net/encodings/*.tiktoken (checked against the hashes tiktoken's
// own loader pins, below).
// Usage: node scripts/tokenizer/generate-ranks.mjs   (after `npm ci` in scripts/tokenizer)
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cl100k from 'js-tiktoken/ranks/cl100k_base';
import o200k from 'js-tiktoken/ranks/o200k_base';

const dataDir = join(dirname(fileURLToPath(import.meta.url)), '../../accounting/tokenizer/data');

// The SHA-256 of the official files, as pinned in tiktoken/tiktoken_ext/openai_public.py.
const officialSha256 = {
  cl100k_base: '223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7',
  o200k_base: '446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d',
};

// js-tiktoken's compact format (see its Tiktoken constructor): lines of
// "<ignored> <first rank> <base64 token> <base64 token> ...", consecutive ranks per line.
function decodeCompact(bpeRanks) {
  const byRank = [];
  for (const line of bpeRanks.split('\n')) {
    if (!line) continue;
    const [, offsetStr, ...tokens] = line.split(' ');
    const offset = Number.parseInt(offsetStr, 10);
    tokens.forEach((token, i) => { byRank[offset + i] = token; });
  }
  return byRank;
}

const sums = [];
for (const [name, ranks] of [['cl100k_base', cl100k], ['o200k_base', o200k]]) {
  const byRank = decodeCompact(ranks.bpe_ranks);
  let text = '';
  byRank.forEach((token, rank) => {
    if (token !== undefined) text += `${token} ${rank}\n`;
  });
  const file = `${name}.tiktoken`;
  writeFileSync(join(dataDir, file), text);
  const sha = createHash('sha256').update(text).digest('hex');
  const official = sha === officialSha256[name] ? 'identical to OpenAI\'s published file' :
      `DIFFERS from OpenAI's published file (${officialSha256[name]})`;
  console.log(`${sha}  ${file}  (${byRank.length} ranks; ${official})`);
  sums.push(`${sha}  ${file}\n`);
}
writeFileSync(join(dataDir, 'SHA256SUMS'), sums.join(''));
