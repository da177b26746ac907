/**
 * The Lua scripts of the Redis queue store. Each state change of an item (claim, ack, retry,
 * settle) is one script, so it is atomic even when several relay instances and a Redis restart
 * interleave, and costs one round trip.
 *
 * Layout per destination (all keys share the `{destination}` hash tag, so a script only touches
 * one cluster slot):
 * - `…:q` stream of waiting and in-flight items; fields `a` (attempts before this claim), `d` (the
 *   item as JSON, never decoded in Lua so payload numbers keep their exact text), and `k` (the
 *   item's stable key once it has been retried).
 * - consumer group (default `relay`): an item read by XREADGROUP sits in the group's pending list
 *   (in flight) until XACK; XAUTOCLAIM hands pending items of a dead consumer to a live one.
 * - `…:r` sorted set of retrying items scored by their retry time, members
 *   `attempts|key|item-json`; due members go back to the stream at the next claim, so a retrying
 *   item is never read before its time.
 * - `…:k` hash: stable key → current stream ID of a retried item (a re-added item gets a new stream
 *   ID, while the relay keeps the key it was first given).
 * - `…:x:dead` and `…:x:expired` lists of dead letters, newest first, trimmed to the newest
 *   `maxDeadLetters` each; their lengths are the counts.
 */

/**
 * KEYS: the destinations set, then one stream per destination. ARGV: the number of destinations,
 * their IDs, then pairs (stream index from 1, item JSON). One script for a whole group commit is
 * one command for ioredis to build and Redis to parse instead of one per event. The `#!lua` line
 * (Redis 7) makes Redis check memory before the script starts, so a full Redis under
 * `noeviction` refuses the whole batch instead of storing part of it.
 */
export const ENQUEUE_SCRIPT = `#!lua
local destinations = tonumber(ARGV[1])
for i = 1, destinations do redis.call('SADD', KEYS[1], ARGV[1 + i]) end
for i = 2 + destinations, #ARGV, 2 do
  redis.call('XADD', KEYS[1 + tonumber(ARGV[i])], '*', 'a', '0', 'd', ARGV[i + 1])
end
return 0
`;

/** KEYS: stream, retry zset, key map. ARGV: group, consumer, now, max, claimTimeoutMs. */
export const CLAIM_SCRIPT = `
local stream, retry, keymap = KEYS[1], KEYS[2], KEYS[3]
local group, consumer, now, max, idle = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
-- Creates the group on first use, and again after a Redis restart without persistence.
redis.pcall('XGROUP', 'CREATE', stream, group, '0', 'MKSTREAM')
local due = redis.call('ZRANGEBYSCORE', retry, '-inf', now, 'LIMIT', 0, max)
for _, member in ipairs(due) do
  local first = string.find(member, '|', 1, true)
  local second = string.find(member, '|', first + 1, true)
  local key = string.sub(member, first + 1, second - 1)
  local id = redis.call('XADD', stream, '*', 'a', string.sub(member, 1, first - 1), 'k', key,
    'd', string.sub(member, second + 1))
  redis.call('HSET', keymap, key, id)
  redis.call('ZREM', retry, member)
end
local entries = {}
local taken = redis.call('XAUTOCLAIM', stream, group, consumer, idle, '0-0', 'COUNT', max)
for _, entry in ipairs(taken[2]) do
  if entry then table.insert(entries, entry) end
end
if #entries < max then
  local read = redis.call('XREADGROUP', 'GROUP', group, consumer, 'COUNT', max - #entries,
    'STREAMS', stream, '>')
  if read then
    for _, entry in ipairs(read[1][2]) do table.insert(entries, entry) end
  end
end
return entries
`;

/** KEYS: stream, key map. ARGV: group, key… Removes delivered items. */
export const ACK_SCRIPT = `
local stream, keymap, group = KEYS[1], KEYS[2], ARGV[1]
for i = 2, #ARGV do
  local key = ARGV[i]
  local id = redis.call('HGET', keymap, key) or key
  redis.call('XACK', stream, group, id)
  redis.call('XDEL', stream, id)
  redis.call('HDEL', keymap, key)
end
return 0
`;

/** KEYS: stream, key map, retry zset. ARGV: group, availableAt, key… */
export const RETRY_SCRIPT = `
local stream, keymap, retry = KEYS[1], KEYS[2], KEYS[3]
local group, at = ARGV[1], ARGV[2]
for i = 3, #ARGV do
  local key = ARGV[i]
  local id = redis.call('HGET', keymap, key) or key
  local found = redis.call('XRANGE', stream, id, id)
  if #found > 0 then
    local fields = found[1][2]
    local attempts, data = '0', nil
    for j = 1, #fields, 2 do
      if fields[j] == 'a' then attempts = fields[j + 1] elseif fields[j] == 'd' then data = fields[j + 1] end
    end
    redis.call('ZADD', retry, at, (tonumber(attempts) + 1) .. '|' .. key .. '|' .. data)
    redis.call('XACK', stream, group, id)
    redis.call('XDEL', stream, id)
    redis.call('HDEL', keymap, key)
  end
end
return 0
`;

/**
 * KEYS: stream, key map, the dead-letter list of `state`. ARGV: group, state, reason (JSON string),
 * settledAt, maxDeadLetters, key… The dead letter is assembled as text around the stored item
 * JSON, so the payload is kept byte for byte.
 */
export const SETTLE_SCRIPT = `
local stream, keymap, letters = KEYS[1], KEYS[2], KEYS[3]
local group, state, reason, at, keep = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
local settled = 0
for i = 6, #ARGV do
  local key = ARGV[i]
  local id = redis.call('HGET', keymap, key) or key
  local found = redis.call('XRANGE', stream, id, id)
  if #found > 0 then
    local fields = found[1][2]
    local attempts, data = '0', nil
    for j = 1, #fields, 2 do
      if fields[j] == 'a' then attempts = fields[j + 1] elseif fields[j] == 'd' then data = fields[j + 1] end
    end
    redis.call('LPUSH', letters, '{"key":"' .. key .. '","attempts":' .. attempts .. ',"state":"' ..
      state .. '","reason":' .. reason .. ',"settledAt":' .. at .. ',"item":' .. data .. '}')
    redis.call('XACK', stream, group, id)
    redis.call('XDEL', stream, id)
    redis.call('HDEL', keymap, key)
    settled = settled + 1
  end
end
if settled > 0 and keep > 0 then redis.call('LTRIM', letters, 0, keep - 1) end
return settled
`;

/**
 * KEYS: stream. ARGV: group, consumer. Removes this consumer from the group when it holds nothing
 * (checked in the same atomic step: DELCONSUMER would drop pending entries), so a fleet that
 * restarts daily does not pile up dead consumer names. Returns 1 if removed.
 */
export const LEAVE_SCRIPT = `
local pending = redis.pcall('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
if type(pending) == 'table' and pending.err == nil and #pending == 0 then
  redis.pcall('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
  return 1
end
return 0
`;
