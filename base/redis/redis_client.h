// A small synchronous Redis client over hiredis (docs/scale-out.md): a pool of connections shared
// by the worker threads, Lua scripts run by their SHA-1 (EVALSHA, loaded with EVAL the first time
// a server does not know them), and every failure a RedisError naming the server and the cause.
//
// Failing fast: after a connection attempt fails, further calls fail at once (without trying to
// connect) until `retry_after` has passed, so a Redis outage costs the request path nothing but
// the error, rather than a connect timeout per request.
//
// The process must ignore SIGPIPE (the gateway does): hiredis writes to a socket the server may
// have closed.
//
// Thread-safe: calls from any thread; each takes a connection from the pool for its duration
// (mu_ guards only the pool and the fail-fast state, never a network call).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

struct redisContext;

namespace gw::redis {

class RedisError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where a Redis server is: redis://[[user]:password@]host[:port][/db] or unix:///path/redis.sock.
struct RedisAddress {
  std::string host;  // TCP; empty with a socket path
  int port = 6379;
  std::string socket;    // a Unix socket path; empty over TCP
  std::string user;      // AUTH user (Redis 6 ACLs); empty: the default user
  std::string password;  // empty: no AUTH
  int database = 0;      // SELECTed when not 0

  // "host:port" or the socket path; never the password.
  std::string Describe() const;
};

// Parses a Redis URL; nullopt with `problem` saying what is wrong (never repeating a password).
std::optional<RedisAddress> ParseRedisUrl(std::string_view url, std::string* problem);

// A reply: nil, an integer, a (bulk or status) string or an array of replies.
struct RedisValue {
  enum class Type { kNil, kInteger, kString, kArray };
  Type type = Type::kNil;
  int64_t integer = 0;
  std::string text;
  std::vector<RedisValue> items;

  // The integer of an integer reply or of a string reply holding one (how scripts return exact
  // 64-bit values), or of an array's item `index`; throws RedisError otherwise.
  int64_t Integer() const;
  int64_t At(size_t index) const;
};

// A Lua script and its SHA-1 (computed once).
class RedisScript {
 public:
  explicit RedisScript(std::string source);
  const std::string& source() const { return source_; }
  const std::string& sha() const { return sha_; }

 private:
  std::string source_;
  std::string sha_;
};

class RedisClient {
 public:
  RedisClient(RedisAddress address, std::chrono::milliseconds timeout,
              std::chrono::milliseconds retry_after = std::chrono::milliseconds(1000));
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Whether a command may be sent again, on a new connection, when a pooled one turns out to have
  // been closed by the server (a restarted Redis) before it answered; the other pooled
  // connections are dropped then. Only for commands whose repetition is harmless: the server
  // may have run the command and then died.
  enum class Resend { kIfClosed, kNever };

  // Runs one command (argv, binary-safe). An error reply throws RedisError too.
  RedisValue Command(std::span<const std::string> argv, Resend resend = Resend::kIfClosed);
  // EVALSHA `script` with `keys` and `args`, falling back to EVAL when the server answers
  // NOSCRIPT (a restarted or flushed server).
  RedisValue Eval(const RedisScript& script, std::span<const std::string> keys,
                  std::span<const std::string> args, Resend resend);

  const RedisAddress& address() const { return address_; }

 private:
  // A pooled connection (`*pooled` set), or a new one (throws RedisError when it cannot connect).
  redisContext* Acquire(bool* pooled);
  // Returns a healthy connection to the pool; frees a broken one.
  void Release(redisContext* context, bool healthy);
  void DropIdle();  // frees every pooled connection
  redisContext* Connect();
  // Sends argv on `context`: the reply, or throws. A failure of the connection sets `*broken`,
  // and `*closed_by_server` when the server had closed it (a restarted server).
  RedisValue Send(redisContext* context, std::span<const std::string> argv, bool* broken,
                  bool* closed_by_server);

  const RedisAddress address_;
  const std::chrono::milliseconds timeout_;
  const std::chrono::milliseconds retry_after_;
  std::mutex mu_;  // guards idle_, down_until_ and last_failure_
  std::vector<redisContext*> idle_;
  std::chrono::steady_clock::time_point down_until_{};
  std::string last_failure_;
};

}  // namespace gw::redis
