#include "accounting/insights/task_cues.h"

#include <algorithm>
#include <span>
#include <string>

namespace gw::accounting::insights {

using config::AllTaskCategories;
using config::TaskCategory;
using config::TaskCategoryName;
namespace {

using TC = TaskCategory;

// Cues of one category and weight, separated by '|'. Weights: 1 a hint that needs company (a
// word with other common senses), 2 a typical word of the category, 3 a strong one, 4-5 one that
// alone decides ("translate", "lesson plan", "{{char}}"). Words are lowercase; a plural in "s"
// also matches its singular's cue. A key starting with "." matches a file extension right after a
// name ("main.py"), "{{" a template placeholder, "#" a preprocessor directive.
struct CueList {
  TaskCategory category;
  uint8_t weight;
  std::string_view cues;
};

constexpr CueList kWordCues[] = {
    {TC::kProgramming, 5,
     "goroutine|goroutines|mutex|deadlock|race condition|memory leak|borrow checker|async await|"
     "#include|#define|#pragma|traceback|stack trace|stacktrace|segfault|segmentation fault|"
     "codebase|refactor|refactoring|regex|regexp|pull request|unit test|unit tests|panicked|"
     "typescript|javascript|golang|kotlin|c++|c#|nullptr|println|printf|flexbox|leetcode|"
     "dockerfile|webpack|pytest|rustc|cmake|makefile|rebase|merge conflict|linked list|"
     "binary tree|syntax error|compile error|compiler error|programming language|código|代码"},
    {TC::kProgramming, 3,
     "test case|test cases|test suite|failing test|failing tests|integration test|"
     "integration tests|test file|python|sql|html|css|php|react|vue|angular|django|flask|nodejs|"
     "numpy|pandas|jquery|git|github|gitlab|npm|yarn|pnpm|pip|endpoint|debug|debugging|repo|"
     "compile|compiler|recursion|recursive|algorithm|struct|impl|lambda|async|await|closure|props|"
     "div|jsx|middleware|stdout|stderr|runtime|mysql|postgres|postgresql|sqlite|mongodb|redis|"
     "json|yaml|api|apis|backend|frontend|programming|programmer|coding|snippet|variable|boolean|"
     "exception|undefined|jest|mock|linter|eslint|docker|kubernetes|localhost|callback|cargo|"
     "function|funktion|función|fonction|função|функция|функцию|refactorizar|script|bash|"
     "implement|pagination|handler|subclass|dataframe|substring|csv|lru|componente|komponente|"
     "component|hooks|tableau imbriqué|rekursiv|récursive|recursiva"},
    {TC::kProgramming, 2,
     "code|bug|bugs|array|string|integer|class|method|repository|commit|query|database|schema|def|"
     "const|var|fn|enum|null|import|cache|deploy|build|library|framework|module|package|terminal|"
     "shell|command line|cli|config|error|regex|software engineering|ruby|rust|java|swift|go|"
     "tailwind|vite|nextjs|docker|container|patch|diff|branch|merge|pointer|thread|loop|for loop|"
     "parse|parser|http|request|response|server|client|программа|программу|код|程序|函数|编程|"
     "报错|コード|関数|プログラム|palíndromo|回文"},
    {TC::kProgramming, 3,
     ".py|.js|.ts|.tsx|.jsx|.go|.rs|.java|.kt|.cpp|.cc|.hpp|.cs|.rb|.php|.swift|.sh|.sql|.json|"
     ".yaml|.yml|.toml|.html|.css|.scss|.vue|.ipynb|.gradle|.lock|.env|.h|.c|.mjs|.lua"},
    {TC::kRoleplay, 5,
     "roleplay|role play|roleplaying|rp|{{char|{{user|stay in character|in character|"
     "break character|breaking character|never break character|fictional chat|dungeon master|"
     "game master|pretend you're|pretend to be|you will play|play the role|let's pretend|"
     "i want you to act as|juego de rol|juego de roles|jeu de rôle|rollenspiel|ролевую|ролевая|"
     "ролевой|dans ton personnage|dans ton rôle|in deiner rolle|reste dans ton personnage"},
    {TC::kRoleplay, 3,
     "talk to me like|anime|persona|npc|ooc|respond as|reply as|answer like|waifu|senpai|"
     "my girlfriend|my boyfriend|nsfw|erp|uncensored|never ending|character card|personaje|"
     "personnage|персонаж|roleplay mode|next reply|your actions|between asterisks"},
    {TC::kRoleplay, 2,
     "personality|scenario|act as|act like|as if you were|third person|first person|fictional|"
     "tavern|knight|princess|pirate|wizard|apprentice|rol|rolle|grins"},
    {TC::kTranslation, 5,
     "translate|translating|translated|traduce|traducir|tradúceme|traduis|traduire|traduza|"
     "traduzir|traduci|traduca|übersetze|übersetzen|übersetz|переведи|перевести|переведите|"
     "how do you say|how would you say|how to say|translate to|translate into"},
    {TC::kTranslation, 4,
     "translation|translator|traducción|traduction|tradução|übersetzung|перевод|traductor|"
     "traducteur|übersetzer|what's the word for|how is it pronounced"},
    {TC::kTranslation, 1,
     "literal|literally|localize|localization|subtitles|bilingual|meaning of|phrase"},
    {TC::kGeneralQa, 1,
     "tips|advice|recommend|recommendation|suggestions|ideas|best way|how do i|how can i|should i|"
     "what should i|is it normal|worth it|consejos|conseils|tipps|ratschläge|советы"},
    {TC::kProductivity, 4,
     "email|e mail|meeting notes|action items|agenda|memo|cover letter|resume|résumé|cv|"
     "curriculum vitae|status report|executive summary|performance review|meeting minutes|"
     "proofread|to do list|todo list|checklist|correo|courriel|lebenslauf|currículum|redacta|"
     "rédige|relancer|письмо|резюме|minutes|follow up email"},
    {TC::kProductivity, 3,
     "summarize|summarise|summary|meeting|reply|draft|linkedin|job interview|job application|"
     "proposal|presentation|slides|powerpoint|spreadsheet|deadline|deadlines|project plan|"
     "milestones|prioritize|productivity|rephrase|reword|professional|polite|colleague|boss|"
     "notion|template|onboarding|new hire|reunión|réunion|besprechung|jefe|weekly update|"
     "status update|bullet points|standup|schedule"},
    {TC::kProductivity, 2,
     "manager|team|coworker|client|letter|invitation|report|formal|rewrite|calendar|planning|plan|"
     "organize|workflow|office|vendor|employee|hire|hiring|job|interview|notes|docs|excel|word|"
     "pdf|document|thread|announce|announcing|cancelled|apology|apologize|carta|lettre|brief|chef|"
     "pedir|solicitar"},
    {TC::kEducation, 5,
     "homework|lesson plan|lesson plans|tutor|tutoring|worksheet|flashcards|flashcard|rubric|"
     "practice problems|answer key|study plan|eli5|explain like i'm|classroom|curriculum|"
     "hausaufgabe|hausaufgaben|deberes|devoirs|домашнее задание|作业|quiz me"},
    {TC::kEducation, 3,
     "student|students|teacher|teach|teaching|lesson|quiz|exam|exams|studying|learner|graders|"
     "grader|grade|high school|middle school|elementary school|kindergarten|memorize|grammar|"
     "conjugate|conjugation|fractions|fraction|multiplication|algebra|geometry|calculus|pupil|"
     "gcse|final exam|test prep|step by step|estudiante|alumno|examen|élève|étudiant|schüler|"
     "prüfung|lehrer|unterricht|aluno|учитель|урок|экзамен|学生|考试|老师|paso a paso|clase"},
    {TC::kEducation, 2,
     "study|learn|learning|beginner|class|school|explain|explanation|understand|concept|"
     "vocabulary|math|maths|history|essay|kid|kids|child|my son|my daughter|practice|tense|"
     "past tense|verb|verbs|examples|explícame|explica|expliquer|erkläre|niño|niños|profesor|"
     "aprender|apprendre|lernen|mathe"},
    {TC::kCreativeWriting, 5,
     "short story|poem|poems|poetry|sonnet|haiku|limerick|lyrics|screenplay|fable|fairy tale|"
     "bedtime story|once upon a time|writing prompt|creative writing|worldbuilding|"
     "continue the story|continue this story|cuento|poema|gedicht|poème|conto|стихотворение|стих|"
     "kurzgeschichte|märchen|сказку|сказка|rap lyrics|song lyrics"},
    {TC::kCreativeWriting, 3,
     "story|stories|novel|novelist|chapter|plot|protagonist|villain|fiction|rhyme|rhyming|verse|"
     "verses|chorus|hook|backstory|prose|tale|scene|screenplay|narrative|author|opening paragraph|"
     "sci fi|horror|fantasy|thriller|novela|relato|canción|roman|chanson|strophen|gereimt|рассказ|"
     "historia corta|speech|toast|eulogy|song|rap|dialogue between|character names|names for|"
     "fantasy kingdom|sorcerer|dragon|dragons|mystery"},
    {TC::kCreativeWriting, 1, "write|escribe|écris|schreib|escreva|напиши|character|characters"},
    {TC::kMarketing, 5,
     "marketing|seo|ad copy|copywriting|copywriter|slogan|tagline|landing page|brand voice|"
     "product description|meta description|google ads|facebook ads|content calendar|go to market|"
     "call to action|influencer|press release|value proposition|target audience|buyer persona|"
     "conversion rate|lead generation|publicidad|publicitario|eslogan|mercadotecnia|publicité|"
     "publicitaire|werbung|werbeslogan|werbetext|publicidade|реклама|рекламный|маркетинг|"
     "description produit|hashtags|hashtag"},
    {TC::kMarketing, 3,
     "homepage|hero section|hero text|converts|reels|ugc|ad|ads|advert|advertisement|advertising|"
     "campaign|campaigns|brand|brands|branding|headline|headlines|cta|engagement|followers|"
     "instagram|tiktok|newsletter|promo|promote|promotion|promotional|caption|keywords|outreach|"
     "funnel|catchy|pitch|positioning|competitors|audience|webinar|shopify|subject line|blog post|"
     "social media|campaña|anuncio|campagne|marque|kampagne|marke|campanha|anúncio|gen z|position"},
    {TC::kMarketing, 2,
     "sale|discount|launch|launching|customers|b2b|b2c|dtc|leads|viral|product|products|store|"
     "shop|retailer|partnership|facebook|linkedin|blog|traffic|copy|startup|attrayante|post|"
     "eröffnung|drive traffic"},
    {TC::kScience, 5,
     "physics|chemistry|molecule|molecules|thermodynamics|black hole|black holes|dark matter|"
     "natural selection|crispr|mitosis|meiosis|mitochondria|photosynthesis|higgs|boson|tectonic|"
     "astrophysics|quantum|relativity|entropy|wavelength|chemical equation|chemical reaction|"
     "física|química|physique|chimie|physik|chemie|физика|химия|neutrones|neutron star|"
     "cellular respiration"},
    {TC::kScience, 3,
     "biology|chemical|atom|atoms|electron|proton|neutron|photon|gravity|gravitational|velocity|"
     "acceleration|momentum|speed of light|universe|galaxy|cosmology|big bang|evolution|dna|rna|"
     "gene|genes|genetic|enzyme|enzymes|cell|cells|organism|species|ecosystem|hydrogen|"
     "periodic table|hypothesis|scientific|scientist|particle|particles|fusion|fission|nuclear|"
     "radiation|earthquake|earthquakes|geology|astronomy|neuroscience|immune system|antibodies|"
     "orbit|magnetic|joule|air resistance|friction|seasons|science|biología|átomo|molécula|"
     "estrellas|célula|biologie|molécule|atome|chlorophylle|molekül|биология|атом|молекула|ev|"
     "photons|elements|physical"},
    {TC::kScience, 2,
     "float|density|solids|liquids|brains|brain|energy|mass|force|climate|carbon|oxygen|"
     "experiment|theory|element|bacteria|virus|moon|sun|earth|stars|electric|voltage|kg|newton|"
     "frequency|reaction|equation|feuilles|sonne|light|calculate|formula|water cycle|"
     "boiling point|temperature|energía|énergie|energie|age of the universe|protein|"
     "climate change|volcano|couleur"},
    {TC::kTechnology, 5,
     "wifi|wi fi|router|modem|macbook|iphone|bluetooth|hdmi|printer|graphics card|ssd|hdd|nvme|"
     "vpn|ethernet|port forwarding|firmware|factory reset|factory settings|bios|starlink|ps5|xbox|"
     "wlan|drucker|grafikkarte|imprimante|ноутбук|роутер|smart thermostat|smart speaker|"
     "smart speakers|smart tv|google drive|dropbox|onedrive|icloud|two factor|2fa|antivirus|144hz|"
     "mesh wlan|mechanical keyboard"},
    {TC::kTechnology, 3,
     "oled|qled|lcd|4k|8k|netflix|buffering|speed test|speed tests|wifi extender|laptop|pc|"
     "computer|smartphone|android|ios|ipad|mac|windows|macos|linux|ubuntu|battery|charger|usb|"
     "monitor|keyboard|gpu|cpu|ram|hard drive|storage|cloud storage|aws|azure|s3|ebs|ec2|firewall|"
     "network|internet|broadband|dns|ip address|5g|4g|lte|alexa|nest|thermostat|gadget|device|"
     "devices|driver|drivers|boot|reboot|operating system|tech|technology|artificial intelligence|"
     "ai|gaming|console|nintendo|samsung|pixel|backup|back up|password|malware|headphones|earbuds|"
     "processor|gb|tb|ghz|hz|update|phone|portátil|móvil|celular|ordenador|computadora|ordinateur|"
     "téléphone|handy|rechner|computador|телефон|компьютер|интернет|gigabit|microsoft|apple|"
     "google|netgear|app|apps|software|cloud|hotel wifi|privacy risks|screen|logo screen|"
     "won't boot|windows update|ios update"},
    {TC::kTechnology, 1, "install|setup|settings|reset|data|streaming|tv|camera|specs|online"},
    {TC::kHealth, 5,
     "symptom|symptoms|dosage|side effect|side effects|headache|migraine|diabetes|blood pressure|"
     "cholesterol|palpitations|ibuprofen|paracetamol|acetaminophen|tylenol|advil|aspirin|"
     "antibiotic|antibiotics|sertraline|ssri|anemia|eczema|asthma|insomnia|síntoma|síntomas|"
     "symptôme|symptômes|symptome|sintoma|sintomas|симптомы|kopfschmerzen|migraña|medication|"
     "prescription|blood test|back pain|sprained ankle|dengue"},
    {TC::kHealth, 3,
     "work out|working out|pulled a muscle|teenager|doctor|physician|medicine|dose|mg|pill|pills|"
     "pain|ache|fever|cough|flu|covid|infection|rash|allergy|heart|anxiety|depression|depressed|"
     "therapy|therapist|mental health|diet|calories|calorie|weight loss|lose weight|meal plan|"
     "nutrition|vitamin|workout|fitness|cardio|stretches|stretch|muscle|injury|sprained|sprain|"
     "ankle|knee|hurts|sore|throat|melatonin|vaccine|vaccines|pregnant|pregnancy|hospital|"
     "diagnosis|disease|cancer|surgery|healthy|health|fasting|acne|fatigue|dizzy|nausea|vomiting|"
     "diarrhea|ldl|dolor|médico|medicamento|garganta|tos|fiebre|salud|enfermedad|médecin|douleur|"
     "carence|santé|maladie|fièvre|arzt|schmerzen|krankheit|gesundheit|fieber|medikament|dor|"
     "saúde|врач|боль|лекарство|здоровье|болит|exhausted|sleep|high protein|building muscle|gym|"
     "blood|exercise|exercises|heal|trinken|water a day|deficiency|rash"},
    {TC::kHealth, 2,
     "tired|stomach|teeth|skin|dentist|nurse|patient|protein|sad|running|weight|body|safe"},
    {TC::kFinance, 5,
     "etf|index fund|mutual fund|dividend|ira|401k|emergency fund|dollar cost averaging|"
     "compound interest|capital gains|yield curve|bitcoin|ethereum|dcf|expense ratio|stock market|"
     "credit score|interest rates|interest rate|mortgage|invoice|net worth|bank statement|aktien|"
     "impôts|impuestos|impostos|инвестиции|налог|налоги|акции|free cash flow|cash flow|valuation|"
     "forex|portfolio"},
    {TC::kFinance, 3,
     "stock|stocks|shares|bond|bonds|invest|investing|investment|investments|investor|roth|"
     "retirement|pension|savings|save money|budget|budgeting|tax|taxes|taxed|deduct|deduction|irs|"
     "income|debt|loan|loans|apr|credit card|bank|banking|finance|financial|inflation|recession|"
     "crypto|trading|trader|revenue|equity|overvalued|undervalued|accounting|ledger|reconcile|"
     "diversify|asset|assets|exchange rate|insurance|rent or buy|invertir|inversión|bolsa|"
     "acciones|préstamo|hipoteca|ahorro|ahorrar|finanzas|revenus|investir|bourse|épargne|banque|"
     "steuer|steuern|kredit|sparen|rendite|finanzen|ações|кредит|deudas|consolidate|money|dinero|"
     "argent|geld|dinheiro|деньги"},
    {TC::kFinance, 2,
     "salary|profit|yield|market|price|prices|cost|afford|fee|fees|rent|currency|hedge|"
     "contribution|earning|growth|discount rate|balance|payment|interest"},
    {TC::kLegal, 5,
     "lawyer|attorney|sue|lawsuit|nda|non compete|non disclosure|indemnify|copyright|trademark|"
     "gdpr|ccpa|privacy policy|terms of service|terms and conditions|eviction|evict|living trust|"
     "statute of limitations|breach of contract|cease and desist|force majeure|legally binding|"
     "plaintiff|defendant|litigation|abogado|avocat|anwalt|advogado|юрист|rechtlich|"
     "rechtlich wirksam|wrongful termination|fair use"},
    {TC::kLegal, 4,
     "fire me|get fired|without permission|without my consent|legal|legally|illegal|law|laws|"
     "court|contract|clause|liability|liable|patent|intellectual property|jurisdiction|statute|"
     "divorce|custody|security deposit|tenant|lease|compliance|regulation|regulations|contrato|"
     "contrat|vertrag|kündigung|закон|договор|суд|licenciement|tribunal|légal|gesetz|ley|loi|lei|"
     "employment agreement|verbal agreement|binding|breach|rights|derechos|droits|direitos|права|"
     "casero|inquilino"},
    {TC::kLegal, 2,
     "without asking|permission|in my name|my options|agreement|landlord|judge|police|arrested|"
     "criminal|crime|consent|settlement|license|licence|inheritance|will|estate|fired|employer|"
     "wirksam|visa|immigration|permit|protect|non payment|pulled over"},
    {TC::kAcademia, 5,
     "discussion section|discussion chapter|h index|annotated bibliography|supervisor|thesis|"
     "dissertation|literature review|related work|peer review|research question|systematic review|"
     "meta analysis|research proposal|theoretical framework|results section|tesis|marco teórico|"
     "thèse|bachelorarbeit|masterarbeit|doktorarbeit|forschungsfrage|tese|tcc|диссертация|"
     "курсовая|mémoire de master|gaps in the literature|thesis statement|manuscript|bibliography|"
     "bibliografía"},
    {TC::kAcademia, 3,
     "journal|journals|reviewer|reviewers|abstract|citation|citations|cite|apa|mla|chicago style|"
     "methodology|research|researcher|researchers|academic|phd|publication|preprint|arxiv|prisma|"
     "qualitative|quantitative|sample size|p value|scholarly|participants|sampling|empirical|"
     "literature|paper|papers|investigación|doctoral|doctorado|recherche|doctorat|hausarbeit|"
     "wissenschaftlich|forschung|pesquisa|monografia|исследование|master's|postdoc|"
     "major revisions|revisions|references|paraphrase|plagiarism|study|studies|argument|arguments|"
     "statistical|methods|methodology section|generalize|critique"},
    {TC::kAcademia, 2,
     "university|professor|publish|grant|introduction|survey|proposal|seminar|graduate|sociology|"
     "economics|linguistics|artículo|article|studie"},
    {TC::kTrivia, 5,
     "capital of|what year|in what year|which year|trivia|fun fact|capital de|hauptstadt|capitale|"
     "столица|nobel prize|who invented|who wrote"},
    {TC::kTrivia, 3,
     "how tall|how far|how old|how big|how deep|how high|who sang|who directed|capital|tallest|"
     "largest|longest|highest|deepest|most populous|invented|inventor|discovered|painted|"
     "written by|author of|won|winner|founded|world cup|olympic|olympics|nobel|first person|"
     "first man|directed|lead singer|escribió|inventó|ganó|más alto|más grande|plus haute|"
     "plus grand|höchste|größte|erfunden|gewann|escreveu|inventou|изобрёл|написал|when was|"
     "when did|who was|who is|built|spoken|gold medals|how many players"},
    {TC::kTrivia, 2,
     "biggest|smallest|oldest|population|president|mountain|river|ocean|country|countries|planet|"
     "moons|singer|band|movie|actor|famous|battle|empire|war|century|language|world|wrote|"
     "montagne|montaña"},
    {TC::kOther, 3, "can you hear me|are you there|are you working|is this working|how are you"},
    {TC::kOther, 1,
     "hi|hello|hey|yo|hola|bonjour|hallo|ciao|olá|привет|thanks|thank you|thx|ok|okay|test|"
     "testing|ping|good morning|good night|sup|lol|hmm|asdf|qwerty|xyz"},
};

// A language named after one of these words asks for a translation ("into Japanese", "al
// inglés", "на английский"): each pair is a phrase cue of the leading word's weight.
constexpr CueList kLanguageLeads[] = {
    {TC::kTranslation, 4, "into|ins|al|на|para o|para a|nach"},
    {TC::kTranslation, 2, "in|to|en|em|para|auf|au|от|from"},
};
constexpr std::string_view kLanguageNames =
    "english|spanish|french|german|chinese|japanese|korean|italian|portuguese|russian|arabic|"
    "hindi|dutch|polish|turkish|swedish|vietnamese|thai|greek|hebrew|indonesian|ukrainian|latin|"
    "mandarin|cantonese|inglés|español|francés|alemán|chino|japonés|italiano|portugués|ruso|"
    "anglais|espagnol|allemand|chinois|japonais|italien|portugais|russe|englische|englisch|"
    "deutsche|deutsch|spanische|französische|chinesische|japanische|italienische|russische|inglês|"
    "espanhol|francês|alemão|português|chinês|japonês|английский|немецкий|французский|испанский|"
    "русский|китайский|японский|английского|русского";
// A language's name alone is a hint of a translation.
constexpr uint8_t kLanguageNameWeight = 1;

// Cues that count only as the first word of the latest user turn.
constexpr CueList kOpeningCues[] = {
    {TC::kTrivia, 3, "who|quién|wer|кто|quem|qui"},
    {TC::kTrivia, 2, "when|which|cuándo|quand|wann|когда|quando|cuál|welche|welcher"},
};

// First words that make the latest user turn a question even without a "?".
constexpr std::string_view kQuestionOpeners =
    "what|what's|whats|how|why|when|where|who|which|whose|is|are|can|could|should|would|do|does|"
    "did|will|was|were|may|any|qué|que|cómo|como|cuál|cuándo|dónde|quién|puedo|hay|quel|quelle|"
    "quels|quelles|comment|pourquoi|quand|où|qui|est|peux|wie|warum|wann|wo|wer|welche|welcher|"
    "kann|ist|gibt|soll|o|qual|quais|quando|onde|quem|что|как|почему|когда|где|кто|какой|какая|"
    "можно";

// Introductions followed by a capitalized name that set up a persona ("You are Kai").
constexpr std::string_view kNameIntroductions =
    "you are|you're|act as|pretend to be|you will play|play as|tu es|du bist|eres|ты|sei";
// Names after an introduction that are an assistant, not a persona ("You are Claude Code").
constexpr std::string_view kAssistantNames =
    "claude|chatgpt|gpt|codex|cline|roo|cursor|gemini|copilot|bard|grok|llama|qwen|deepseek|kimi|"
    "mistral|perplexity|khanmigo|cascade|windsurf|devin|aider|jules|augment|kilo|goose|opencode|"
    "trae|zed|amazon|bing|siri|alexa|cortana|assistant|bot";

// Substring cues for text in scripts without spaces.
constexpr CueList kSubstringCues[] = {
    {TC::kTranslation, 5, "翻译|翻譯|翻訳|번역|英文|译成|譯成"},
    {TC::kProgramming, 4, "代码|函数|编程|报错|程序|コード|関数|プログラム|코드|함수"},
    {TC::kRoleplay, 5, "角色扮演|扮演|ロールプレイ|롤플레이"},
    {TC::kCreativeWriting, 4, "小说|诗|故事|歌词|小説|物語|소설"},
    {TC::kMarketing, 5, "营销|广告|文案|品牌|広告|광고"},
    {TC::kScience, 4, "物理|化学|生物|分子|原子|물리"},
    {TC::kTechnology, 3, "手机|电脑|路由器|网络|スマホ|パソコン|컴퓨터"},
    {TC::kHealth, 4, "症状|医生|头痛|感冒|病気|병원"},
    {TC::kFinance, 4, "股票|投资|理财|基金|贷款|株式|투자"},
    {TC::kLegal, 5, "法律|合同|律师|合法|弁護士|법률"},
    {TC::kAcademia, 5, "论文|文献|論文|논문"},
    {TC::kEducation, 4, "作业|考试|老师|学生|宿題|숙제"},
    {TC::kTrivia, 3, "首都|哪一年|谁发明"},
    {TC::kProductivity, 4, "邮件|总结|会议|メール|要約|이메일"},
    {TC::kOther, 1, "你好|こんにちは|안녕"},
};

// Tool names, lowercase: the tools of coding agents (Claude Code, Codex, Cursor, Cline, ...).
constexpr CueList kToolCues[] = {
    {TC::kProgramming, 3,
     "bash|read|edit|multiedit|write|glob|grep|ls|notebookedit|notebookread|shell|apply_patch|"
     "str_replace_editor|str_replace_based_edit_tool|run_terminal_cmd|codebase_search|read_file|"
     "edit_file|write_file|write_to_file|replace_in_file|execute_command|"
     "list_code_definition_names|search_files|list_files|list_dir|grep_search|file_search|"
     "delete_file|create_file|run_command|view_file|run_shell_command|exec_command|search_replace|"
     "insert_edit_into_file|run_in_terminal|local_shell|container.exec"},
    {TC::kTranslation, 4, "translate|translate_text"},
};

template <typename Visit>
void ForEachKey(std::string_view list, Visit visit) {
  while (!list.empty()) {
    const size_t bar = list.find('|');
    visit(list.substr(0, bar));
    if (bar == std::string_view::npos) break;
    list.remove_prefix(bar + 1);
  }
}

void AddHit(Cue& cue, CueHit hit) {
  for (uint8_t i = 0; i < cue.hit_count; ++i) {
    if (cue.hits[i].category == hit.category && cue.hits[i].opening_only == hit.opening_only) {
      cue.hits[i].weight = std::max(cue.hits[i].weight, hit.weight);
      return;
    }
  }
  if (cue.hit_count < Cue::kMaxHits) cue.hits[cue.hit_count++] = hit;
}

// Adds `key` and marks each of its leading word sequences as continuing into a longer phrase.
Cue& AddPhrase(CueTable& table, std::string_view key, uint16_t& next_id) {
  for (size_t space = key.find(' '); space != std::string_view::npos;
       space = key.find(' ', space + 1)) {
    table.Upsert(key.substr(0, space), next_id).continues = true;
  }
  return table.Upsert(key, next_id);
}

void AddLists(std::span<const CueList> lists, bool opening_only, CueTable& table,
              uint16_t& next_id) {
  for (const CueList& list : lists) {
    ForEachKey(list.cues, [&](std::string_view key) {
      AddHit(AddPhrase(table, key, next_id), {list.category, list.weight, opening_only});
    });
  }
}

// The phrases of kLanguageLeads and kLanguageNames, kept in `tables.phrase_texts`.
void AddLanguagePhrases(CueTables& tables) {
  ForEachKey(kLanguageNames, [&](std::string_view language) {
    AddHit(AddPhrase(tables.words, language, tables.id_count),
           {TaskCategory::kTranslation, kLanguageNameWeight, false});
    for (const CueList& leads : kLanguageLeads) {
      ForEachKey(leads.cues, [&](std::string_view lead) {
        const std::string& phrase =
            tables.phrase_texts.emplace_back(std::string(lead) + " " + std::string(language));
        AddHit(AddPhrase(tables.words, phrase, tables.id_count),
               {leads.category, leads.weight, false});
      });
    }
  });
}

// Fills `tables` (in place: generated keys point into its phrase_texts).
void BuildTables(CueTables& tables) {
  AddLists(kWordCues, false, tables.words, tables.id_count);
  AddLists(kOpeningCues, true, tables.words, tables.id_count);
  ForEachKey(kQuestionOpeners, [&](std::string_view key) {
    AddPhrase(tables.words, key, tables.id_count).opens_question = true;
  });
  ForEachKey(kNameIntroductions, [&](std::string_view key) {
    AddPhrase(tables.words, key, tables.id_count).introduces_name = true;
  });
  ForEachKey(kAssistantNames, [&](std::string_view key) {
    AddPhrase(tables.words, key, tables.id_count).names_assistant = true;
  });
  AddLanguagePhrases(tables);
  uint16_t tool_ids = 0;
  AddLists(kToolCues, false, tables.tools, tool_ids);
  tables.substring_starts.assign(0x10000 / 64, 0);
  for (const CueList& list : kSubstringCues) {
    ForEachKey(list.cues, [&](std::string_view text) {
      // The first code point of a 3-byte UTF-8 sequence (every substring cue's is).
      const uint32_t first = (static_cast<uint32_t>(text[0] & 0x0F) << 12) |
                             (static_cast<uint32_t>(text[1] & 0x3F) << 6) |
                             static_cast<uint32_t>(text[2] & 0x3F);
      tables.substrings.push_back(
          {text, first, {list.category, list.weight, false}, tables.id_count++});
      tables.substring_starts[first / 64] |= uint64_t{1} << (first % 64);
    });
  }
  std::stable_sort(tables.substrings.begin(), tables.substrings.end(),
                   [](const SubstringCue& a, const SubstringCue& b) { return a.first < b.first; });
}

// Equal texts; inline for the short keys (a call to memcmp costs more than the comparison).
bool SameText(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

uint32_t CueHash(std::string_view key) {
  size_t space = key.find(' ');
  uint32_t hash = WordHash(key.substr(0, space));
  while (space != std::string_view::npos) {
    const size_t next = key.find(' ', space + 1);
    hash = PhraseHash(hash, WordHash(key.substr(space + 1, next - space - 1)));
    space = next;
  }
  return hash;
}

CueTable::CueTable() : filter_(kFilterBits / 64), slots_(kSlots) {}

const Cue* CueTable::Probe(std::string_view key, uint32_t hash) const {
  for (size_t i = hash & (kSlots - 1);; i = (i + 1) & (kSlots - 1)) {
    const Slot& slot = slots_[i];
    if (slot.cue == 0) return nullptr;
    if (slot.fingerprint == Fingerprint(hash) && SameText(cues_[slot.cue - 1].key, key)) {
      return &cues_[slot.cue - 1];
    }
  }
}

const Cue* CueTable::ProbePhrase(const Cue& prefix, std::string_view word, uint32_t hash) const {
  const size_t size = prefix.key.size() + 1 + word.size();
  for (size_t i = hash & (kSlots - 1);; i = (i + 1) & (kSlots - 1)) {
    const Slot& slot = slots_[i];
    if (slot.cue == 0) return nullptr;
    if (slot.fingerprint != Fingerprint(hash)) continue;
    const std::string_view key = cues_[slot.cue - 1].key;
    if (key.size() == size && key.starts_with(prefix.key) && key[prefix.key.size()] == ' ' &&
        key.ends_with(word)) {
      return &cues_[slot.cue - 1];
    }
  }
}

Cue& CueTable::Upsert(std::string_view key, uint16_t& next_id) {
  const uint32_t hash = CueHash(key);
  for (size_t i = hash & (kSlots - 1);; i = (i + 1) & (kSlots - 1)) {
    Slot& slot = slots_[i];
    if (slot.cue == 0) {
      Cue& cue = cues_.emplace_back();
      cue.key = key;
      cue.hash = hash;
      cue.id = next_id++;
      const uint32_t bit = hash & (kFilterBits - 1);
      filter_[bit / 64] |= uint64_t{1} << (bit % 64);
      slot = {Fingerprint(hash), static_cast<uint16_t>(cues_.size())};
      return cue;
    }
    if (slot.fingerprint == Fingerprint(hash) && cues_[slot.cue - 1].key == key) {
      return cues_[slot.cue - 1];
    }
  }
}

std::span<const SubstringCue> CueTables::SubstringsStartingWith(uint32_t cp) const {
  const auto begin = std::partition_point(substrings.begin(), substrings.end(),
                                          [&](const SubstringCue& cue) { return cue.first < cp; });
  const auto end = std::partition_point(begin, substrings.end(),
                                        [&](const SubstringCue& cue) { return cue.first == cp; });
  return {begin, end};
}

const CueTables& GetCueTables() {
  static const CueTables* const tables = [] {
    auto* built = new CueTables;
    BuildTables(*built);
    return built;
  }();
  return *tables;
}

}  // namespace gw::accounting::insights
