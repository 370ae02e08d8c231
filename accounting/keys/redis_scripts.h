// The Lua scripts behind RedisKeyLimits (docs/scale-out.md), each run atomically by Redis so
// that budgets and rate limits are exact across every gateway instance sharing the server.
// The arithmetic is the in-process one (budget_book.cc, rate_buckets.cc) written in Lua; the
// key layout and the arguments are written at the top of each script.
#pragma once

#include "base/redis/redis_client.h"

namespace gw::accounting::keys::redis_scripts {

// Budgets. A budget account is a hash {reset, from, spent, reserved}; its holds (reservations
// in flight) a sorted set of "<hold id>:<amount>" scored by the epoch ms they expire at.
const redis::RedisScript& Reserve();
const redis::RedisScript& Settle();
const redis::RedisScript& Budget();
// Rate limits. A bucket is a hash {l: level in 1/60000 units, t: ms it was computed at,
// p: its limit per minute}; a missing bucket is full.
const redis::RedisScript& Admit();
const redis::RedisScript& Charge();
const redis::RedisScript& Remaining();

}  // namespace gw::accounting::keys::redis_scripts
