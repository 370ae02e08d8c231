#include "gateway/demo_apps.h"

namespace gw::demo {
namespace {

using config::TaskCategory;
using L = Language;
using TC = TaskCategory;

constexpr std::string_view kIdePrompt =
    "You are an AI pair programmer working inside the user's code editor. Help with the code "
    "in their workspace: explain it, fix bugs, refactor, and write unit tests. Read a file with "
    "the tools before you edit it, keep the project's code style, and show changes as small "
    "diffs. Answer in the language the user writes in.";

constexpr std::string_view kCodingAgentPrompt =
    "You are an interactive CLI tool that helps users with software engineering tasks. Use the "
    "instructions below and the tools available to you to assist the user.\n\n# Tone and style\n"
    "Be concise, direct and to the point. When you run a non-trivial bash command, explain what "
    "the command does and why you are running it.\n\n# Following conventions\nWhen making "
    "changes to files, first understand the file's code conventions. Mimic code style, use "
    "existing libraries and utilities, and follow existing patterns. Never assume that a library "
    "is available: check the package manifest first.\n\n# Doing tasks\nThe user will mostly ask "
    "you to fix bugs, add features, refactor code or explain code. Search the codebase to "
    "understand it, implement the change, then verify it with the project's tests and linter. "
    "Never commit changes unless the user asks you to.";

constexpr std::string_view kNotebookPrompt =
    "You are a data analysis assistant inside a notebook. Write Python with pandas, and SQL for "
    "Postgres. Prefer vectorized code, put the code in one cell, and explain query results in "
    "two or three sentences.";

constexpr std::string_view kTavernMira =
    "{{char}} is Mira, the sharp-tongued owner of the Copper Kettle, a tavern in the border town "
    "of Vell. She is in her forties, practical, hides a soft heart under dry jokes, and knows "
    "every smuggler on the river.\n[Scenario: a stormy night; {{user}} arrives soaked, with "
    "secrets of their own.]\nWrite {{char}}'s next reply in a fictional roleplay between "
    "{{char}} and {{user}}. Stay in character, describe actions between asterisks, and never "
    "speak or act for {{user}}.";
constexpr std::string_view kTavernRook =
    "{{char}} is Captain Rook, a scarred mercenary guide who has crossed the Ashen Pass more "
    "times than anyone alive. Gruff, greedy on the surface, loyal once paid, afraid of nothing "
    "except the dragon that nests above the pass.\nWrite {{char}}'s next reply in this roleplay "
    "with {{user}}. Stay in character at all times, keep replies under 200 words, write actions "
    "between asterisks.";
constexpr std::string_view kTavernSable =
    "Roleplay as {{char}}: Sable, a young wizard's apprentice who ran away from the academy with "
    "a stolen spellbook. Curious, talkative, terrible at lying. {{user}} is a traveller who "
    "found {{char}} hiding in a barn.\nNever break character. Describe {{char}}'s actions "
    "between asterisks and end each reply with something {{user}} can react to.";

constexpr std::string_view kTranslatorPrompt =
    "You are a professional translator. Translate the user's text into the language they ask "
    "for. Keep the tone, the formatting and all names, and answer with the translation only.";

constexpr std::string_view kSupportPrompt =
    "You are the customer support assistant of the Acme Home online shop, which sells kitchen "
    "appliances. Be friendly and brief. Use the tools to look up orders and create return "
    "labels, and never invent order details. Hand the conversation to a human agent when the "
    "customer is upset or asks for one.";

constexpr std::string_view kDocsPrompt =
    "Answer the user's question using only the documentation passages below. Name the section "
    "you used, and say so when the passages do not answer the question.\n\nRetrieved passages:";

constexpr std::string_view kMarketingPrompt =
    "You write marketing copy for small brands: ad copy, product descriptions, newsletters and "
    "social media posts. Match the brand voice of the brief, keep it short, and end with a "
    "clear call to action.";

constexpr std::string_view kStoryPrompt =
    "You are a creative writing partner. Continue and improve the user's fiction in their own "
    "voice: vivid but plain prose, believable dialogue, and never end a chapter with a summary.";

constexpr std::string_view kTutorPrompt =
    "You are a patient tutor for students and their parents. Explain step by step, check "
    "understanding with a short question, and never give the answer to homework without the "
    "reasoning behind it.";

constexpr std::string_view kInboxPrompt =
    "You are an email and calendar assistant for busy professionals. Write clear, polite and "
    "concise messages in the user's name, summarize threads, and list action items with owners "
    "and deadlines.";

constexpr std::string_view kHelpfulPrompt = "You are a helpful assistant.";
constexpr std::string_view kChatPrompt =
    "You are a helpful, concise assistant. Use markdown when it helps, and answer in the "
    "language of the user.";

std::vector<DemoApp> BuildApps() {
  std::vector<DemoApp> apps;
  apps.push_back({
      .title = "CodePilot",
      .referer = "https://codepilot.dev",
      .share = 0.12,
      .weekday = 1.15,
      .weekend = 0.35,
      .prompt_min = 1000,
      .prompt_max = 6000,
      .answer_min = 150,
      .answer_max = 900,
      .stream_probability = 0.7,
      .price_preference = 1.2,
      .open_weights_preference = -1.5,
      .reasoning_preference = 0.5,
      .users = {"dev-kenji", "dev-sofia", "dev-amir", "dev-olga", "dev-sam"},
      .system_prompts = {kIdePrompt},
      .tasks = {{TC::kProgramming, 1}},
      .languages = {{L::kEnglish, 0.86},
                    {L::kChinese, 0.05},
                    {L::kJapanese, 0.02},
                    {L::kPortuguese, 0.02},
                    {L::kGerman, 0.02},
                    {L::kSpanish, 0.02},
                    {L::kRussian, 0.01}},
      .padding = Padding::kPasted,
      .tools = ToolKit::kIde,
      .tools_probability = 0.55,
      .tool_result_probability = 0.4,
      .history_min = 0,
      .history_max = 4,
  });
  apps.push_back({
      .title = "Kodo CLI",
      .referer = "https://kodo.sh",
      .share = 0.08,
      .weekday = 1.2,
      .weekend = 0.4,
      .prompt_min = 1800,
      .prompt_max = 7000,
      .answer_min = 100,
      .answer_max = 600,
      .stream_probability = 0.8,
      .price_preference = 1.0,
      .open_weights_preference = -1.2,
      .reasoning_preference = 0.5,
      .users = {"dev-kenji", "dev-lucia", "dev-tomasz"},
      .system_prompts = {kCodingAgentPrompt},
      .tasks = {{TC::kProgramming, 1, Topic::kAgent}},
      .languages = {{L::kEnglish, 0.9}, {L::kChinese, 0.06}, {L::kSpanish, 0.04}},
      .padding = Padding::kPasted,
      .tools = ToolKit::kCodingAgent,
      .tools_probability = 1.0,
      .tool_result_probability = 0.4,
      .history_min = 0,
      .history_max = 5,
  });
  apps.push_back({
      .title = "Data Notebook",
      .referer = "https://notebook.example.io",
      .share = 0.05,
      .weekday = 1.1,
      .weekend = 0.5,
      .prompt_min = 800,
      .prompt_max = 4000,
      .answer_min = 150,
      .answer_max = 700,
      .stream_probability = 0.5,
      .price_preference = 0.6,
      .open_weights_preference = -0.5,
      .reasoning_preference = 0.8,
      .users = {"analyst-eva", "analyst-raj"},
      .system_prompts = {kNotebookPrompt},
      .tasks = {{TC::kProgramming, 1, Topic::kNotebook}},
      .languages = {{L::kEnglish, 1}},
      .padding = Padding::kPasted,
      .tools = ToolKit::kNotebook,
      .tools_probability = 0.5,
      .tool_result_probability = 0.5,
      .history_min = 0,
      .history_max = 3,
  });
  apps.push_back({
      .title = "Tavern Chat",
      .referer = "https://tavern.chat",
      .share = 0.10,
      .weekday = 0.85,
      .weekend = 1.8,
      .prompt_min = 600,
      .prompt_max = 4500,
      .answer_min = 120,
      .answer_max = 400,
      .stream_probability = 0.9,
      .price_preference = -1.0,
      .open_weights_preference = 2.0,
      .reasoning_preference = -2.0,
      .users = {"rp-nightowl", "rp-lyra", "rp-kestrel", "rp-moth", "rp-juniper"},
      .system_prompts = {kTavernMira, kTavernRook, kTavernSable},
      .tasks = {{TC::kRoleplay, 1}},
      .languages = {{L::kEnglish, 0.55},
                    {L::kRussian, 0.09},
                    {L::kChinese, 0.08},
                    {L::kJapanese, 0.06},
                    {L::kSpanish, 0.06},
                    {L::kPortuguese, 0.06},
                    {L::kKorean, 0.04},
                    {L::kGerman, 0.03},
                    {L::kFrench, 0.03}},
      .padding = Padding::kHistory,
      .history_min = 2,
      .history_max = 12,
  });
  apps.push_back({
      .title = "Translation Hub",
      .referer = "https://translate.example.org",
      .share = 0.06,
      .weekday = 1.0,
      .weekend = 0.9,
      .prompt_min = 80,
      .prompt_max = 1500,
      .answer_min = 80,
      .answer_max = 1000,
      .stream_probability = 0.2,
      .price_preference = -0.3,
      .reasoning_preference = -1.5,
      .users = {"translator-ines", "translator-yuki", "translator-paul"},
      .system_prompts = {kTranslatorPrompt},
      .tasks = {{TC::kTranslation, 1}},
      .languages = {{L::kEnglish, 0.40},
                    {L::kChinese, 0.12},
                    {L::kSpanish, 0.10},
                    {L::kGerman, 0.08},
                    {L::kFrench, 0.08},
                    {L::kJapanese, 0.08},
                    {L::kPortuguese, 0.06},
                    {L::kRussian, 0.05},
                    {L::kKorean, 0.03}},
      .padding = Padding::kPasted,
  });
  apps.push_back({
      .title = "Acme Support Bot",
      .referer = "https://support.acme.example",
      .share = 0.08,
      .weekday = 1.0,
      .weekend = 0.7,
      .prompt_min = 300,
      .prompt_max = 2000,
      .answer_min = 100,
      .answer_max = 400,
      .stream_probability = 0.3,
      .price_preference = -0.8,
      .reasoning_preference = -1.5,
      .users = {"acme-agent-maria", "acme-agent-tom", "acme-agent-priya", "acme-agent-li"},
      .system_prompts = {kSupportPrompt},
      .tasks = {{TC::kGeneralQa, 1, Topic::kSupport}},
      .languages = {{L::kEnglish, 0.80},
                    {L::kSpanish, 0.08},
                    {L::kGerman, 0.05},
                    {L::kFrench, 0.04},
                    {L::kPortuguese, 0.03}},
      .padding = Padding::kHistory,
      .tools = ToolKit::kSupport,
      .tools_probability = 0.7,
      .tool_result_probability = 0.5,
      .history_min = 0,
      .history_max = 3,
  });
  apps.push_back({
      .title = "Docs Search",
      .referer = "https://docs-search.example.com",
      .share = 0.05,
      .weekday = 1.1,
      .weekend = 0.4,
      .prompt_min = 1200,
      .prompt_max = 4000,
      .answer_min = 60,
      .answer_max = 300,
      .stream_probability = 0.1,
      .price_preference = -1.0,
      .reasoning_preference = -1.5,
      .users = {"reader-anna", "reader-bob", "reader-chen"},
      .system_prompts = {kDocsPrompt},
      .tasks = {{TC::kTechnology, 1}},
      .languages = {{L::kEnglish, 0.9}, {L::kGerman, 0.06}, {L::kJapanese, 0.04}},
      .padding = Padding::kSystemContext,
  });
  apps.push_back({
      .title = "Sales Email Writer",
      .referer = "https://mailsmith.example",
      .share = 0.04,
      .weekday = 1.2,
      .weekend = 0.15,
      .prompt_min = 150,
      .prompt_max = 900,
      .answer_min = 180,
      .answer_max = 500,
      .stream_probability = 0.4,
      .price_preference = 0.3,
      .reasoning_preference = -1.0,
      .users = {"rep-jordan", "rep-fatima", "rep-lucas"},
      .system_prompts = {kMarketingPrompt},
      .tasks = {{TC::kMarketing, 1}},
      .languages = {{L::kEnglish, 0.88}, {L::kSpanish, 0.07}, {L::kGerman, 0.05}},
      .padding = Padding::kPasted,
  });
  apps.push_back({
      .title = "StoryForge",
      .referer = "https://storyforge.example.net",
      .share = 0.04,
      .weekday = 0.8,
      .weekend = 1.9,
      .prompt_min = 300,
      .prompt_max = 2500,
      .answer_min = 300,
      .answer_max = 1000,
      .stream_probability = 0.8,
      .price_preference = -0.5,
      .open_weights_preference = 0.8,
      .reasoning_preference = -1.0,
      .users = {"writer-nina", "writer-omar", "writer-zoe", "writer-max"},
      .system_prompts = {kStoryPrompt},
      .tasks = {{TC::kCreativeWriting, 1}},
      .languages =
          {{L::kEnglish, 0.85}, {L::kSpanish, 0.05}, {L::kFrench, 0.05}, {L::kGerman, 0.05}},
      .padding = Padding::kPasted,
      .history_min = 0,
      .history_max = 2,
  });
  apps.push_back({
      .title = "Study Buddy",
      .referer = "https://studybuddy.example.edu",
      .share = 0.05,
      .weekday = 1.2,
      .weekend = 0.8,
      .prompt_min = 100,
      .prompt_max = 1200,
      .answer_min = 150,
      .answer_max = 600,
      .stream_probability = 0.5,
      .price_preference = -0.6,
      .reasoning_preference = 0.0,
      .users = {"student-ana", "student-ben", "parent-kim", "teacher-ruiz"},
      .system_prompts = {kTutorPrompt},
      .tasks = {{TC::kEducation, 1}},
      .languages = {{L::kEnglish, 0.92}, {L::kSpanish, 0.08}},
      .padding = Padding::kHistory,
      .history_min = 0,
      .history_max = 3,
  });
  apps.push_back({
      .title = "Inbox Pilot",
      .referer = "https://inboxpilot.app",
      .share = 0.05,
      .weekday = 1.25,
      .weekend = 0.2,
      .prompt_min = 300,
      .prompt_max = 2500,
      .answer_min = 100,
      .answer_max = 500,
      .stream_probability = 0.5,
      .price_preference = 0.2,
      .reasoning_preference = -1.0,
      .users = {"pm-hannah", "pm-diego", "ops-claire"},
      .system_prompts = {kInboxPrompt},
      .tasks = {{TC::kProductivity, 1}},
      .languages = {{L::kEnglish, 0.9}, {L::kGerman, 0.05}, {L::kFrench, 0.05}},
      .padding = Padding::kPasted,
  });
  apps.push_back({
      .title = "ChatDock",
      .referer = "https://chatdock.example.com",
      .share = 0.18,
      .weekday = 1.0,
      .weekend = 0.9,
      .prompt_min = 30,
      .prompt_max = 2500,
      .answer_min = 50,
      .answer_max = 700,
      .stream_probability = 0.55,
      .price_preference = 0.0,
      .reasoning_preference = 0.0,
      .users = {"user-amelia", "user-noah", "user-wei", "user-ivan", "user-lea"},
      .system_prompts = {kHelpfulPrompt, kChatPrompt, ""},
      .tasks = {{TC::kGeneralQa, 18, Topic::kGeneral, 30, 600},
                {TC::kScience, 10, Topic::kGeneral, 40, 900},
                {TC::kHealth, 10, Topic::kGeneral, 40, 700},
                {TC::kFinance, 10, Topic::kGeneral, 40, 900},
                {TC::kLegal, 7, Topic::kGeneral, 60, 1800},
                {TC::kAcademia, 7, Topic::kGeneral, 300, 2500},
                {TC::kTrivia, 12, Topic::kGeneral, 10, 60},
                {TC::kTechnology, 5, Topic::kGeneral, 100, 1500},
                {TC::kEducation, 5, Topic::kGeneral, 60, 900},
                {TC::kProductivity, 4, Topic::kGeneral, 200, 1500},
                {TC::kCreativeWriting, 4, Topic::kGeneral, 150, 1500},
                {TC::kProgramming, 4, Topic::kGeneral, 500, 3000},
                {TC::kTranslation, 2, Topic::kGeneral, 60, 800},
                {TC::kMarketing, 2, Topic::kGeneral, 150, 900}},
      .languages = {{L::kEnglish, 0.72},
                    {L::kChinese, 0.08},
                    {L::kSpanish, 0.05},
                    {L::kRussian, 0.04},
                    {L::kGerman, 0.03},
                    {L::kFrench, 0.03},
                    {L::kPortuguese, 0.02},
                    {L::kJapanese, 0.02},
                    {L::kKorean, 0.01}},
      .padding = Padding::kPasted,
      .tools = ToolKit::kWebSearch,
      .tools_probability = 0.12,
      .tool_result_probability = 0.5,
      .history_min = 0,
      .history_max = 4,
  });
  apps.push_back({
      .title = "",
      .referer = "",
      .share = 0.10,
      .weekday = 1.0,
      .weekend = 0.8,
      .prompt_min = 15,
      .prompt_max = 1500,
      .answer_min = 30,
      .answer_max = 400,
      .stream_probability = 0.25,
      .users = {},
      .system_prompts = {kHelpfulPrompt, ""},
      .tasks = {{TC::kGeneralQa, 20, Topic::kGeneral, 15, 400},
                {TC::kTrivia, 10, Topic::kGeneral, 8, 40},
                {TC::kOther, 15, Topic::kGeneral, 1, 4},
                {TC::kProgramming, 12, Topic::kGeneral, 600, 3500},
                {TC::kRoleplay, 10, Topic::kGeneral, 400, 3000},
                {TC::kTechnology, 8, Topic::kGeneral, 40, 800},
                {TC::kScience, 5, Topic::kGeneral, 30, 500},
                {TC::kHealth, 5, Topic::kGeneral, 30, 500},
                {TC::kFinance, 5, Topic::kGeneral, 30, 500},
                {TC::kCreativeWriting, 5, Topic::kGeneral, 100, 1200},
                {TC::kProductivity, 5, Topic::kGeneral, 150, 1200}},
      .languages = {{L::kEnglish, 0.75},
                    {L::kChinese, 0.08},
                    {L::kRussian, 0.05},
                    {L::kSpanish, 0.04},
                    {L::kGerman, 0.03},
                    {L::kFrench, 0.02},
                    {L::kJapanese, 0.02},
                    {L::kPortuguese, 0.01}},
      .padding = Padding::kPasted,
      .history_min = 0,
      .history_max = 2,
  });
  return apps;
}

}  // namespace

const std::vector<DemoApp>& DemoApps() {
  static const std::vector<DemoApp> apps = BuildApps();
  return apps;
}

}  // namespace gw::demo
