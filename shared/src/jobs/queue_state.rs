//! What the Redis queues hold at one instant (apalis-redis 1.0 keys, see
//! `apalis-redis/src/config.rs` and `lua/fetch_next.lua`): for tests that
//! wait for the queues to drain, and for operators' gauges.

use redis::aio::ConnectionLike;

use super::Queue;

/// One queue's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueState {
    /// Ids waiting in `{queue}:active`.
    pub active: u64,
    /// Ids in `{queue}:scheduled` that are due (a fresh push sits there too,
    /// scored with its push time, until a worker promotes it).
    pub due: u64,
    /// Ids in `{queue}:scheduled` for later: not waited for.
    pub later: u64,
    /// Ids fetched by a worker and not acknowledged (`{queue}:inflight:{worker}`).
    pub in_flight: u64,
    /// Workers registered on the queue (`{queue}:workers`).
    pub workers: u64,
    /// Seconds since the least recently seen of them sent a heartbeat.
    pub oldest_heartbeat_secs: u64,
    /// Jobs apalis gave up on (`{queue}:dead`).
    pub dead: u64,
}

impl QueueState {
    /// Nothing waiting and nothing running.
    pub fn drained(&self) -> bool {
        self.active == 0 && self.due == 0 && self.in_flight == 0
    }

    /// Ready to run now: in the active list or due in the scheduled set.
    pub fn waiting(&self) -> u64 {
        self.active + self.due
    }
}

/// Reads every queue in one script, so the picture is consistent: Redis runs a
/// script atomically, and apalis moves a job between these keys atomically
/// (push -> scheduled -> active -> in flight -> done), so no job is ever seen
/// in none of them, nor twice. "Now" is read inside the script (Redis runs
/// on this machine's clock, which apalis scores with in whole seconds), so a
/// job pushed before the snapshot is never taken for a job due later.
/// ARGV: the queues' Redis names (one hash tag: one Cluster slot).
const SNAPSHOT: &str = r#"
local now = tonumber(redis.call('TIME')[1])
local states = {}
for i = 1, #ARGV do
  local queue = ARGV[i]
  local workers = redis.call('ZRANGE', queue .. ':workers', 0, -1, 'WITHSCORES')
  local in_flight, oldest = 0, 0
  for j = 1, #workers, 2 do
    in_flight = in_flight + redis.call('SCARD', queue .. ':inflight:' .. workers[j])
    oldest = math.max(oldest, now - tonumber(workers[j + 1]))
  end
  states[#states + 1] = {
    redis.call('LLEN', queue .. ':active'),
    redis.call('ZCOUNT', queue .. ':scheduled', '-inf', now),
    redis.call('ZCOUNT', queue .. ':scheduled', '(' .. now, '+inf'),
    in_flight,
    #workers / 2,
    oldest,
    redis.call('ZCARD', queue .. ':dead'),
  }
end
return states
"#;

/// One consistent snapshot of `queues` in `namespace`.
pub async fn snapshot<C: ConnectionLike>(
    conn: &mut C,
    namespace: &str,
    queues: &[Queue],
) -> redis::RedisResult<Vec<(Queue, QueueState)>> {
    let script = redis::Script::new(SNAPSHOT);
    let mut invocation = script.prepare_invoke();
    for queue in queues {
        invocation.arg(queue.redis_name(namespace));
    }
    let rows: Vec<(u64, u64, u64, u64, u64, i64, u64)> = invocation.invoke_async(conn).await?;
    Ok(queues
        .iter()
        .zip(rows)
        .map(|(queue, (active, due, later, in_flight, workers, oldest, dead))| {
            let oldest_heartbeat_secs = oldest.max(0) as u64;
            (*queue, QueueState { active, due, later, in_flight, workers, oldest_heartbeat_secs, dead })
        })
        .collect())
}
