// Writes tests/accounting/tokenizer/corpus.jsonl: the inputs the tokenizer is checked on against
// js-tiktoken. One JSON object per line: {"name", "text"} or, for byte strings that are not
// well-formed UTF-8, {"name", "hex"}. Deterministic (a fixed-seed PRNG), so rerunning it changes
// nothing unless this file changed. Keep it small enough for the sanitizer run (well under 1 MB).
// Usage: node scripts/tokenizer/make-corpus.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(fileURLToPath(import.meta.url)),
                 '../../tests/accounting/tokenizer/corpus.jsonl');

let seed = 0x9e3779b9;
function random() {  // xorshift32
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 0x100000000;
}
const pick = (s) => [...s][Math.floor(random() * [...s].length)];
const randomString = (alphabet, n) => Array.from({ length: n }, () => pick(alphabet)).join('');

const cases = [];
const text = (name, t) => cases.push({ name, text: t });
const hex = (name, h) => cases.push({ name, hex: h.replace(/\s+/g, '') });

text('empty', '');
// English prose and casing.
text('english/sentence', 'The quick brown fox jumps over the lazy dog.');
text('english/paragraph', 'It was the best of times, it was the worst of times, it was the age of ' +
     'wisdom, it was the age of foolishness... "Really?" she asked. (Yes; really!) -- Dickens, 1859.');
text('english/hello', 'Hello, world!');
text('english/caps', 'HELLO WORLD and HELLOworld and helloWORLD and HeLLo WoRLD');
text('english/camel', 'camelCaseIdentifier XMLHttpRequest iPhone getHTTPResponseCode McDonald');
text('english/titles', 'Mr. Smith Jr. met Dr. O\'Neil at 5 p.m. on Jan. 3rd.');
// Code.
text('code/cpp', '#include <vector>\n\nint main(int argc, char** argv) {\n  std::vector<int> v{1, 2, 3};\n' +
     '  for (auto& x : v) x *= 2;  // double\n  return v.size() > 2 ? 0 : 1;\n}\n');
text('code/python', 'def fib(n: int) -> int:\n    """Return the n-th Fibonacci number."""\n' +
     '    a, b = 0, 1\n    for _ in range(n):\n        a, b = b, a + b\n    return a\n\n\n' +
     'if __name__ == "__main__":\n\tprint(fib(30))\n');
text('code/json', '{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"temperature":0.7,' +
     '"max_tokens":256,"stream":true,"n":null}');
text('code/html', '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>T</title></head>' +
     '<body><p class="x">a &amp; b &lt; c</p></body></html>');
text('code/shell', 'for f in *.cc; do clang-format -i "$f" && echo "ok: ${f%.cc}"; done 2>&1 | tee /tmp/log');
text('code/url', 'https://example.com/path/to//resource?query=a%20b&x=1#frag http://localhost:8080/v1/');
text('code/regex', '^(?:[a-z0-9!#$%&\'*+/=?^_`{|}~-]+(?:\\.[a-z0-9!#$%&\'*+/=?^_`{|}~-]+)*)$');
text('code/yaml', 'providers:\n  - name: openai\n    base_url: https://api.openai.com/v1\n    keys: [${OPENAI_KEY}]\n');
// CJK and other scripts.
text('chinese/simple', '我爱北京天安门。今天天气很好！我们去公园散步吧，好吗？');
text('chinese/mixed', '这是一个测试: GPT-4o 的分词器（tokenizer）支持中文，数字123和English。');
text('japanese', 'こんにちは世界、カタカナとひらがな。東京タワーは333メートルです。');
text('korean', '안녕하세요, 세계! 한국어 토큰화 테스트입니다.');
text('vietnamese/nfc', 'Tiếng Việt có dấu: Xin chào thế giới, người Việt Nam yêu hòa bình. Đường phố Hà Nội.');
text('vietnamese/nfd', 'Tiếng Việt có dấu: Xin chào thế giới, người Việt Nam.'.normalize('NFD'));
text('scripts/mixed', 'Hello世界Привет мир Ελληνικά עברית العربية हिन्दी ไทย ქართული Ամենա');
text('scripts/latin1', 'naïve café résumé Ångström façade Œuvre straße ÀÉÎõü');
text('scripts/arabic', 'مرحبا بالعالم، هذا اختبار ١٢٣٤٥ للأرقام.');
text('scripts/devanagari', 'क्षत्रिय संस्कृतम् नमस्ते दुनिया');
text('scripts/thai', 'สวัสดีชาวโลก ภาษาไทยไม่มีช่องว่างระหว่างคำ');
text('scripts/hebrew-niqqud', 'בְּרֵאשִׁית בָּרָא אֱלֹהִים');
// Emoji.
text('emoji/single', '👍');
text('emoji/skin-tones', '👍🏻👍🏼👍🏽👍🏾👍🏿 wave👋🏽!');
text('emoji/zwj-family', '👨‍👩‍👧‍👦 family and 👩🏽‍💻 coder and 🏳️‍🌈 flag');
text('emoji/flags', '🇺🇸🇫🇷🇯🇵🇩🇪 flags');
text('emoji/sentence', 'I ❤️ you 😀😀😀 so much!!! 🎉🎉 #party');
text('emoji/keycap', '1️⃣ 2️⃣ #️⃣ *️⃣');
// Whitespace.
for (const [name, ws] of [['spaces', '   '], ['tabs', '\t\t\t'], ['newlines', '\n\n\n'],
                          ['crlf', '\r\n\r\n'], ['mixed', ' \n \n '], ['mixed2', '\t \r\n \t\n  ']]) {
  text(`whitespace/${name}-alone`, ws);
  text(`whitespace/${name}-between`, `a${ws}b`);
  text(`whitespace/${name}-trailing`, `word${ws}`);
  text(`whitespace/${name}-leading`, `${ws}word`);
  text(`whitespace/${name}-before-punct`, `x${ws}!`);
  text(`whitespace/${name}-before-digit`, `x${ws}42`);
}
text('whitespace/indent', 'if x:\n        y = 1\n    \n        z = 2\n\n\n\n    w\n');
text('whitespace/long-spaces', `a${' '.repeat(1000)}b`);
text('whitespace/long-newlines', `a${'\n'.repeat(300)}b`);
text('whitespace/long-mixed', `a${' \t\n'.repeat(100)}  b  `);
text('whitespace/unicode', '\u00a0\u00a0x\u3000全角\u2003em\u2028line\u2029para\ufeffbom \u1680ogham');
text('whitespace/vt-ff', 'a\u000b\u000cb \u000b c');
text('whitespace/nel', 'a\u0085b \u0085\u0085 c');
text('whitespace/nbsp-word', 'x\u00a0y \u00a0 z');
// Numbers.
for (let n = 1; n <= 12; ++n) text(`numbers/length-${n}`, '1234567890'.repeat(2).slice(0, n));
text('numbers/long', '31415926535897932384626433832795028841971693993751058209749445923');
text('numbers/formatted', '3.14159 1,000,000 -42 +7 1e-10 0x1F 10% $5.99 2024-05-13 12:34:56');
text('numbers/in-words', 'abc123def 4th 21st v1.2.3 x86_64 ipv6');
text('numbers/unicode', '٣٤٥ ²³ Ⅻ ½ ① ߁߂߃ ৫৬ 𝟘𝟙𝟚');
// Contractions.
text('contractions/lower', "I'm sure you're right; it's what they'll do, and we've said he'd go. don't");
text('contractions/upper', "I'M SURE YOU'RE RIGHT; IT'S WHAT THEY'LL DO, WE'VE SAID HE'D GO. DON'T");
text('contractions/mixed', "You'Re we'Ve they'lL she'S It'T I'D");
text('contractions/bare', "'s 't 're 've 'm 'll 'd 'x 'S''s '' 'sand 'llama");
text('contractions/curly', 'it’s you’re rock’n’roll');
text('contractions/after-nonletters', "1's ?'s 's's  's\n's");
// Special-token lookalikes.
text('special/endoftext', '<|endoftext|>');
text('special/endoftext-open', '<|endoftext');
text('special/fim', '<|fim_prefix|>def f():<|fim_suffix|>\n<|fim_middle|>');
text('special/endofprompt', '<|endofprompt|>');
text('special/in-text', 'Hello<|endoftext|>world <|endoftext|> again<|endoftext|>');
text('special/adjacent', '<|endoftext|><|endoftext|><|endofprompt|>');
text('special/near-misses', '<||> < |endoftext| > <|endoftext |> <|ENDOFTEXT|> <|im_start|>user<|im_end|>');
text('special/nested', '<|<|endoftext|>|> <<|endoftext|>>');
text('special/whitespace-around', '  <|endoftext|>  \n<|endoftext|>\n');
// Punctuation.
text('punct/runs', '!!!???... ---===+++ *** ### @@@ %%% ^^^ &&& ((())) [[]] {{}}');
text('punct/comments', '/*** comment ***/ // line // \n/// doc\n#!/bin/sh');
text('punct/slashes', 'a//b path/to//file ///\n/\n// \r\n/ x');
text('punct/newline-after', '!!\n\n...\r\n;;\r\r\n?');
text('punct/space-before', 'a ... b .. c . d , e');
text('punct/unicode', '«quoted» „German“ “curly” ‘single’ — dash … ellipsis • bullet ¿¡ ©®™ €£¥');
// Unicode marks and letter classes.
text('marks/combining', 'e\u0301 a\u0300\u0301\u0302 o\u0308\u0304');
text('marks/standalone', '\u0301 \u0301x \u0301\u0301 x\u0301 \u0301A');
text('marks/zalgo', 'Z̴̡̢̛͔̗a̸̡̛̞l̷̼̈́g̶̱̓o̵̧̚ ţ̶e̷x̸t̵');
text('marks/after-punct', '!\u0301 .\u0308a -\u0300B');
text('marks/enclosing', 'a\u20dd b\u20e3 1\u20e3');
text('letters/titlecase', 'ǅungla ǈubljana ǋ ᾈ');
text('letters/modifier', 'ʰello ᴬᴮᶜ ʼapostrophe ˈstress');
text('letters/case-mix', 'ABCdef abcDEF AbCdEf ÀÉÎõü ΣίσυφοςΑ');
text('letters/other-then-upper', 'ªAbc ºDEF 中A 中a a中');
// Long words.
text('long/letters', 'a'.repeat(1500));
text('long/pattern', 'abc'.repeat(400));
text('long/random-lower', randomString('abcdefghijklmnopqrstuvwxyz', 1200));
text('long/random-mixed', randomString('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 1000));
text('long/random-printable', randomString('abcdefghijklmnopqrstuvwxyz0123456789 .,;:!?\'"-_/\\()[]{}\n\t', 3000));
text('long/base64', randomString('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 2000) + '==');
text('long/chinese', randomString('的一是不了人我在有他这为之大来以个中上们到说国和地也子时道出而要于就下得可你年生', 400));
text('long/emoji', '🙂'.repeat(300));
text('long/punct', '='.repeat(500) + '-'.repeat(300) + '\n');
text('long/digits', randomString('0123456789', 1000));
text('long/word', 'supercalifragilisticexpialidocious'.repeat(25));
text('long/cyrillic', randomString('абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГД', 500));
text('long/marks', 'a' + '\u0301'.repeat(400));
// Ill-formed UTF-8 (compared with js-tiktoken on new TextDecoder().decode(bytes)).
hex('invalid/truncated-2byte', 'c3');
hex('invalid/truncated-2byte-after-ascii', '636166c3');
hex('invalid/truncated-3byte', 'e4b8');
hex('invalid/truncated-3byte-then-ascii', 'e4b8 61 62');
hex('invalid/truncated-3byte-mid-chinese', 'e68891 e788b1 e58c97 e4ba');
hex('invalid/truncated-4byte', 'f09f98');
hex('invalid/truncated-4byte-then-space', 'f09f98 20 6869');
hex('invalid/truncated-emoji-seq', 'f09f918d f09f8f');
hex('invalid/truncated-in-word', '68656c6c c3 6f20776f726c64');
hex('invalid/truncated-before-space', '616263 e4 2020 64');
hex('invalid/lone-continuation', '80');
hex('invalid/continuations', '61 80bf 62');
hex('invalid/overlong', 'c0af e08080 f0808080');
hex('invalid/surrogate', 'eda080 edbfbf');
hex('invalid/above-max', 'f4908080 f5 ff fe');
hex('invalid/truncated-then-valid-multibyte', 'e4 e4b8ad');
hex('invalid/many', 'ff'.repeat(40));
hex('invalid/in-number', '3132 c3 3334');
hex('invalid/in-whitespace', '20 20 c3 20 20 0a');
hex('invalid/after-apostrophe', '27 c3 73');

writeFileSync(out, cases.map((c) => JSON.stringify(c)).join('\n') + '\n');
console.log(`wrote ${out}: ${cases.length} cases`);
