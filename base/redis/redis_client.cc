#include "base/redis/redis_client.h"

#include <hiredis.h>
#include <openssl/sha.h>

#include <cerrno>
#include <charconv>
#include <memory>

namespace gw::redis {
namespace {

timeval ToTimeval(std::chrono::milliseconds duration) {
  timeval value{};
  value.tv_sec = static_cast<time_t>(duration.count() / 1000);
  value.tv_usec = static_cast<suseconds_t>((duration.count() % 1000) * 1000);
  return value;
}

RedisValue Convert(const redisReply& reply) {
  RedisValue value;
  switch (reply.type) {
    case REDIS_REPLY_INTEGER:
      value.type = RedisValue::Type::kInteger;
      value.integer = reply.integer;
      break;
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
      value.type = RedisValue::Type::kString;
      value.text.assign(reply.str, reply.len);
      break;
    case REDIS_REPLY_ARRAY:
      value.type = RedisValue::Type::kArray;
      value.items.reserve(reply.elements);
      for (size_t i = 0; i < reply.elements; ++i) value.items.push_back(Convert(*reply.element[i]));
      break;
    default:
      break;  // nil
  }
  return value;
}

bool ParseInt(std::string_view text, int* out) {
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return error == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string RedisAddress::Describe() const {
  return socket.empty() ? host + ":" + std::to_string(port) : socket;
}

std::optional<RedisAddress> ParseRedisUrl(std::string_view url, std::string* problem) {
  RedisAddress address;
  constexpr std::string_view kUnix = "unix://";
  constexpr std::string_view kTcp = "redis://";
  if (url.starts_with(kUnix)) {
    address.socket = std::string(url.substr(kUnix.size()));
    if (address.socket.empty() || address.socket.front() != '/') {
      *problem = "a unix:// Redis URL needs an absolute socket path (unix:///run/redis.sock)";
      return std::nullopt;
    }
    return address;
  }
  if (!url.starts_with(kTcp)) {
    *problem = "a Redis URL starts with redis:// or unix://";
    return std::nullopt;
  }
  std::string_view rest = url.substr(kTcp.size());
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) {
    const std::string_view credentials = rest.substr(0, at);
    rest.remove_prefix(at + 1);
    const size_t colon = credentials.find(':');
    if (colon == std::string_view::npos) {
      address.password = std::string(credentials);
    } else {
      address.user = std::string(credentials.substr(0, colon));
      address.password = std::string(credentials.substr(colon + 1));
    }
  }
  if (const size_t slash = rest.find('/'); slash != std::string_view::npos) {
    const std::string_view database = rest.substr(slash + 1);
    rest = rest.substr(0, slash);
    if (!database.empty() && (!ParseInt(database, &address.database) || address.database < 0)) {
      *problem = "the Redis database after the host must be a number (redis://host:6379/0)";
      return std::nullopt;
    }
  }
  std::string_view host = rest;
  if (const size_t colon = rest.rfind(':');
      colon != std::string_view::npos && rest.find(']') == std::string_view::npos) {
    host = rest.substr(0, colon);
    if (!ParseInt(rest.substr(colon + 1), &address.port) || address.port <= 0 ||
        address.port > 65535) {
      *problem = "the Redis port must be a number from 1 to 65535";
      return std::nullopt;
    }
  }
  if (host.empty()) {
    *problem = "the Redis URL names no host (redis://127.0.0.1:6379)";
    return std::nullopt;
  }
  address.host = std::string(host);
  return address;
}

int64_t RedisValue::Integer() const {
  if (type == Type::kInteger) return integer;
  // Scripts return integers beyond a double's 2^53 as decimal text.
  int64_t parsed = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), parsed);
  if (type == Type::kString && error == std::errc() && end == text.data() + text.size() &&
      !text.empty()) {
    return parsed;
  }
  throw RedisError("Redis answered a non-integer where one was due");
}

int64_t RedisValue::At(size_t index) const {
  if (type != Type::kArray || index >= items.size()) {
    throw RedisError("Redis answered a shorter reply than the script returns");
  }
  return items[index].Integer();
}

RedisScript::RedisScript(std::string source) : source_(std::move(source)) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(source_.data()), source_.size(), digest);
  static constexpr char kHex[] = "0123456789abcdef";
  for (unsigned char byte : digest) {
    sha_.push_back(kHex[byte >> 4]);
    sha_.push_back(kHex[byte & 15]);
  }
}

RedisClient::RedisClient(RedisAddress address, std::chrono::milliseconds timeout,
                         std::chrono::milliseconds retry_after)
    : address_(std::move(address)), timeout_(timeout), retry_after_(retry_after) {}

RedisClient::~RedisClient() {
  for (redisContext* context : idle_) redisFree(context);
}

redisContext* RedisClient::Connect() {
  const timeval timeout = ToTimeval(timeout_);
  redisContext* context =
      address_.socket.empty()
          ? redisConnectWithTimeout(address_.host.c_str(), address_.port, timeout)
          : redisConnectUnixWithTimeout(address_.socket.c_str(), timeout);
  if (context == nullptr) throw RedisError("Redis at " + address_.Describe() + ": out of memory");
  auto fail = [&](const std::string& why) {
    redisFree(context);
    throw RedisError("Redis at " + address_.Describe() + ": " + why);
  };
  if (context->err != 0) fail(context->errstr);
  if (redisSetTimeout(context, timeout) != REDIS_OK) fail("cannot set the timeout");
  bool broken = false;
  bool closed = false;
  try {
    if (!address_.password.empty()) {
      std::vector<std::string> auth{"AUTH"};
      if (!address_.user.empty()) auth.push_back(address_.user);
      auth.push_back(address_.password);
      Send(context, auth, &broken, &closed);
    }
    if (address_.database != 0) {
      const std::vector<std::string> select{"SELECT", std::to_string(address_.database)};
      Send(context, select, &broken, &closed);
    }
  } catch (const RedisError&) {
    redisFree(context);
    throw;
  }
  return context;
}

redisContext* RedisClient::Acquire(bool* pooled) {
  {
    const std::lock_guard lock(mu_);
    *pooled = !idle_.empty();
    if (*pooled) {
      redisContext* context = idle_.back();
      idle_.pop_back();
      return context;
    }
    if (std::chrono::steady_clock::now() < down_until_) throw RedisError(last_failure_);
  }
  try {
    return Connect();
  } catch (const RedisError& error) {
    const std::lock_guard lock(mu_);
    down_until_ = std::chrono::steady_clock::now() + retry_after_;
    last_failure_ = error.what();
    throw;
  }
}

void RedisClient::DropIdle() {
  std::vector<redisContext*> idle;
  {
    const std::lock_guard lock(mu_);
    idle.swap(idle_);
  }
  for (redisContext* context : idle) redisFree(context);
}

void RedisClient::Release(redisContext* context, bool healthy) {
  if (!healthy) {
    redisFree(context);
    return;
  }
  const std::lock_guard lock(mu_);
  idle_.push_back(context);
}

RedisValue RedisClient::Send(redisContext* context, std::span<const std::string> argv, bool* broken,
                             bool* closed_by_server) {
  std::vector<const char*> parts;
  std::vector<size_t> lengths;
  parts.reserve(argv.size());
  lengths.reserve(argv.size());
  for (const std::string& part : argv) {
    parts.push_back(part.data());
    lengths.push_back(part.size());
  }
  auto* reply = static_cast<redisReply*>(
      redisCommandArgv(context, static_cast<int>(argv.size()), parts.data(), lengths.data()));
  if (reply == nullptr) {
    *broken = true;
    // The server closed the connection: seen at the read (EOF) or already at the write.
    *closed_by_server = context->err == REDIS_ERR_EOF ||
                        (context->err == REDIS_ERR_IO && (errno == EPIPE || errno == ECONNRESET));
    throw RedisError("Redis at " + address_.Describe() + ": " +
                     (context->err != 0 ? context->errstr : "no reply"));
  }
  const std::unique_ptr<redisReply, void (*)(void*)> owned(reply, freeReplyObject);
  if (reply->type == REDIS_REPLY_ERROR) {
    throw RedisError("Redis at " + address_.Describe() +
                     " answered: " + std::string(reply->str, reply->len));
  }
  return Convert(*reply);
}

RedisValue RedisClient::Command(std::span<const std::string> argv, Resend resend) {
  for (bool first = true;; first = false) {
    bool pooled = false;
    redisContext* context = Acquire(&pooled);
    bool broken = false;
    bool closed_by_server = false;
    try {
      RedisValue value = Send(context, argv, &broken, &closed_by_server);
      Release(context, true);
      return value;
    } catch (...) {
      const bool closed = broken && pooled && closed_by_server;
      Release(context, !broken);
      // The server closed this idle connection, so it (a restarted server) closed the other
      // idle ones too: the next attempt connects afresh.
      if (closed) DropIdle();
      if (!(closed && first && resend == Resend::kIfClosed)) throw;
    }
  }
}

RedisValue RedisClient::Eval(const RedisScript& script, std::span<const std::string> keys,
                             std::span<const std::string> args, Resend resend) {
  std::vector<std::string> argv;
  argv.reserve(3 + keys.size() + args.size());
  argv.push_back("EVALSHA");
  argv.push_back(script.sha());
  argv.push_back(std::to_string(keys.size()));
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  try {
    return Command(argv, resend);
  } catch (const RedisError& error) {
    if (std::string_view(error.what()).find("NOSCRIPT") == std::string_view::npos) throw;
  }
  argv[0] = "EVAL";
  argv[1] = script.source();
  return Command(argv, resend);
}

}  // namespace gw::redis
