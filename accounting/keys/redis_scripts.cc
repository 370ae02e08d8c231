#include "accounting/keys/redis_scripts.h"

#include <string>

namespace gw::accounting::keys::redis_scripts {
namespace {

// Shared by every script. Times are the callers' epoch ms (the gateway's clock, which tests and
// the demo may set), so expiries are set relative to them (PEXPIRE), never as instants that
// Redis would compare with its own clock. Numbers are Lua doubles: exact for the integers involved
// (budgets below 2^53 nano-USD, about 9 million USD per period; bucket levels below 2^46). Integers
// go back to Redis through int(), never tostring() (which would write 1e+15).
constexpr const char* kPrelude = R"lua(
local function int(x) return string.format('%d', x) end

-- Returns the holds of `holds` that expired by `now` to `account`'s reserved total.
local function purge(account, holds, now)
  local expired = redis.call('ZRANGEBYSCORE', holds, '-inf', now)
  if #expired == 0 then return end
  local freed = 0
  for _, member in ipairs(expired) do
    freed = freed + tonumber(string.match(member, ':(%d+)$'))
  end
  redis.call('ZREMRANGEBYSCORE', holds, '-inf', now)
  if redis.call('EXISTS', account) == 1 then
    redis.call('HINCRBY', account, 'reserved', int(-freed))
  end
end

-- An account and its holds expire together (`expire_at`, 0: never), so a hold that expired is
-- always still there for purge() to take from the account's reserved total.
local function expire_with(account, holds, now, expire_at)
  for _, key in ipairs({account, holds}) do
    if expire_at > 0 then
      redis.call('PEXPIRE', key, int(math.max(1, expire_at - now)))
    else
      redis.call('PERSIST', key)
    end
  end
end

-- The account's {spent, reserved} in the period starting `from_day`, creating it with `init`
-- (the ledger's spend; -1 = not loaded yet: returns nil) when it is missing or had another reset
-- period (its holds are kept), and starting a new period at zero spent.
local function open(account, holds, now, reset, from_day, expire_at, init)
  purge(account, holds, now)
  local state = redis.call('HMGET', account, 'reset', 'from', 'spent', 'reserved')
  if state[1] == false or tonumber(state[1]) ~= reset then
    if init < 0 then return nil end
    redis.call('HSET', account, 'reset', reset, 'from', from_day, 'spent', int(init))
    if state[4] == false then redis.call('HSET', account, 'reserved', 0) end
  elseif tonumber(state[2]) < from_day then
    redis.call('HSET', account, 'from', from_day, 'spent', 0)
  end
  expire_with(account, holds, now, expire_at)
  local now_state = redis.call('HMGET', account, 'spent', 'reserved')
  return {tonumber(now_state[1]), tonumber(now_state[2])}
end

local UNITS = 60000  -- units of one request or token

-- The level a bucket {level, at, per_minute} has refilled to at `now`.
local function level_at(level, at, per_minute, now)
  local full = per_minute * UNITS
  local elapsed = math.max(0, now - at)
  if per_minute == 0 or elapsed >= math.floor((full - level) / per_minute) + 1 then return full end
  return math.min(full, level + elapsed * per_minute)
end

-- The bucket's level now and the instant it is dated (a missing bucket, or one whose limit
-- changed, is full).
local function refilled(bucket, per_minute, now)
  local state = redis.call('HMGET', bucket, 'l', 't', 'p')
  if state[1] == false or tonumber(state[3]) ~= per_minute then return per_minute * UNITS, now end
  local level, at = tonumber(state[1]), tonumber(state[2])
  if now > at then return level_at(level, at, per_minute, now), now end
  return level, at
end

-- Stores a bucket; it expires once it would be full again (a missing bucket is a full one).
local function store(bucket, level, at, per_minute)
  local full = per_minute * UNITS
  redis.call('HSET', bucket, 'l', int(level), 't', int(at), 'p', int(per_minute))
  local to_full = math.floor((full - level + per_minute - 1) / math.max(1, per_minute))
  redis.call('PEXPIRE', bucket, int(math.max(1, to_full) + 1000))
end

-- {limit, remaining, reset_ms} of a bucket at `level` (RateBuckets::Describe).
local function describe(level, per_minute, now)
  local full = per_minute * UNITS
  local rate = math.max(1, per_minute)
  local remaining = 0
  if level > 0 then remaining = math.floor(level / UNITS) end
  return per_minute, remaining, now + math.floor((full - level + rate - 1) / rate)
end
)lua";

redis::RedisScript Make(const char* body) {
  return redis::RedisScript(std::string(kPrelude) + body);
}

}  // namespace

const redis::RedisScript& Reserve() {
  // KEYS: key account, key holds[, user account, user holds].
  // ARGV: now, amount, reset, from_day, expire_at (0: never), key limit (-1: none),
  //       user limit (-1: none), hold member, hold expiry ms, key init, user init (-1: unknown).
  // Returns {1} reserved; {0, by_user, affordable} refused; {-1, key missing, user missing}
  // when the caller must load the spend of the missing accounts from the ledger.
  static const redis::RedisScript script = Make(R"lua(
local now, amount, reset = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local from_day, expire_at = tonumber(ARGV[4]), tonumber(ARGV[5])
local key_limit, user_limit = tonumber(ARGV[6]), tonumber(ARGV[7])
local member, hold_expiry = ARGV[8], tonumber(ARGV[9])
local key = open(KEYS[1], KEYS[2], now, reset, from_day, expire_at, tonumber(ARGV[10]))
local user = true
if #KEYS == 4 then
  user = open(KEYS[3], KEYS[4], now, reset, from_day, expire_at, tonumber(ARGV[11]))
end
if key == nil or user == nil then
  return {-1, key == nil and 1 or 0, user == nil and 1 or 0}
end
local function affordable(account, limit) return math.max(0, limit - account[1] - account[2]) end
if key_limit >= 0 and affordable(key, key_limit) < amount then
  return {0, 0, int(affordable(key, key_limit))}
end
if #KEYS == 4 and affordable(user, user_limit) < amount then
  return {0, 1, int(affordable(user, user_limit))}
end
for i = 1, #KEYS, 2 do
  redis.call('HINCRBY', KEYS[i], 'reserved', int(amount))
  redis.call('ZADD', KEYS[i + 1], int(hold_expiry), member)
  expire_with(KEYS[i], KEYS[i + 1], now, expire_at)
end
return {1}
)lua");
  return script;
}

const redis::RedisScript& Settle() {
  // KEYS: key account, key holds[, user account, user holds], the hold's settled marker.
  // ARGV: now, hold member, amount, cost, reset, arrived_day, period from_day, period end_day
  //       (of now), expire_at (0: never), marker lifetime ms.
  // Releases the hold (unless it expired and was released already) and adds the cost to the
  // accounts when the request arrived in their current period. Idempotent: the marker makes a
  // settlement sent twice (after a lost connection) count once. Returns {1}, or {0} when the
  // hold was settled already.
  static const redis::RedisScript script = Make(R"lua(
local now, member, amount = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3])
local cost, reset, arrived = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local from_day, end_day, expire_at = tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9])
if not redis.call('SET', KEYS[#KEYS], 1, 'NX', 'PX', ARGV[10]) then return {0} end
for i = 1, #KEYS - 1, 2 do
  local account, holds = KEYS[i], KEYS[i + 1]
  purge(account, holds, now)
  local held = redis.call('ZREM', holds, member)
  local state = redis.call('HMGET', account, 'reset', 'from')
  if state[1] ~= false then
    if held == 1 then redis.call('HINCRBY', account, 'reserved', int(-amount)) end
    if tonumber(state[1]) == reset then
      if tonumber(state[2]) < from_day then
        redis.call('HSET', account, 'from', from_day, 'spent', 0)
      end
      if arrived >= from_day and arrived < end_day and cost ~= 0 then
        redis.call('HINCRBY', account, 'spent', int(cost))
      end
      expire_with(account, holds, now, expire_at)
    end
  end
end
return {1}
)lua");
  return script;
}

const redis::RedisScript& Budget() {
  // KEYS: account, holds. ARGV: now, reset, from_day, expire_at, init (-1: unknown).
  // Returns {spent, reserved}, or {-1} when the caller must load the spend from the ledger.
  static const redis::RedisScript script = Make(R"lua(
local state = open(KEYS[1], KEYS[2], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]),
                   tonumber(ARGV[4]), tonumber(ARGV[5]))
if state == nil then return {-1} end
return {int(state[1]), int(state[2])}
)lua");
  return script;
}

const redis::RedisScript& Admit() {
  // KEYS: one bucket per limit. ARGV: now, then per bucket its limit per minute and 1 for a
  // token limit (admits while above zero), 0 for a request limit (takes one request).
  // Returns {1, 0, limit, remaining, reset_ms, 0} of the tightest request limit when admitted,
  // {0, refusing bucket (1-based), limit, remaining, reset_ms, retry_after_ms} when refused.
  static const redis::RedisScript script = Make(R"lua(
local now = tonumber(ARGV[1])
local levels, ats = {}, {}
for i = 1, #KEYS do
  local per_minute, tokens = tonumber(ARGV[2 * i]), ARGV[2 * i + 1] == '1'
  local level, at = refilled(KEYS[i], per_minute, now)
  local needed = tokens and 1 or UNITS
  if level < needed then
    local limit, remaining, reset_ms = describe(level, per_minute, now)
    local retry = math.floor((needed - level + per_minute - 1) / per_minute)
    return {0, i, int(limit), int(remaining), int(reset_ms), int(retry)}
  end
  levels[i], ats[i] = level, at
end
local best = nil
for i = 1, #KEYS do
  local per_minute = tonumber(ARGV[2 * i])
  if ARGV[2 * i + 1] ~= '1' then
    levels[i] = levels[i] - UNITS
    store(KEYS[i], levels[i], ats[i], per_minute)
    local limit, remaining, reset_ms = describe(levels[i], per_minute, now)
    if best == nil or remaining < best[2] then best = {limit, remaining, reset_ms} end
  end
end
if best == nil then return {1, 0, 0, 0, 0, 0} end
return {1, 0, int(best[1]), int(best[2]), int(best[3]), 0}
)lua");
  return script;
}

const redis::RedisScript& Charge() {
  // KEYS: token buckets. ARGV: now, units to take, then each bucket's limit per minute.
  static const redis::RedisScript script = Make(R"lua(
local now, units = tonumber(ARGV[1]), tonumber(ARGV[2])
for i = 1, #KEYS do
  local per_minute = tonumber(ARGV[2 + i])
  local level, at = refilled(KEYS[i], per_minute, now)
  store(KEYS[i], level - units, at, per_minute)
end
return 1
)lua");
  return script;
}

const redis::RedisScript& Remaining() {
  // KEYS: a bucket. ARGV: now, its limit per minute. Returns its whole requests or tokens.
  static const redis::RedisScript script = Make(R"lua(
local per_minute = tonumber(ARGV[2])
local level = refilled(KEYS[1], per_minute, tonumber(ARGV[1]))
if level <= 0 then return 0 end
return math.floor(level / UNITS)
)lua");
  return script;
}

}  // namespace gw::accounting::keys::redis_scripts
