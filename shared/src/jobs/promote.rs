//! Moves due delayed jobs to their queue's active list in bounded chunks.
//!
//! apalis-redis 1.0 stores every pushed job in a sorted set and promotes all
//! due ones inside its fetch script with a single `unpack`; past ~8000 due
//! jobs (a backlog after a worker outage) that script fails with "too many
//! results to unpack" and the worker stops. Each worker therefore runs this
//! promotion first, 1000 jobs at a time, so apalis never sees a large batch.

use apalis_redis::Config as RedisQueueConfig;
use redis::aio::ConnectionLike;

use super::Queue;

const CHUNK: usize = 1000;

const PROMOTE: &str = r#"
local ids = redis.call('zrangebyscore', KEYS[1], 0, ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #ids > 0 then
  redis.call('rpush', KEYS[2], unpack(ids))
  redis.call('zrem', KEYS[1], unpack(ids))
  redis.call('del', KEYS[3])
  redis.call('lpush', KEYS[3], 1)
end
return #ids
"#;

/// Promotes every due job of `queue`; returns how many moved.
pub async fn promote_due(conn: &mut impl ConnectionLike, namespace: &str, queue: Queue) -> redis::RedisResult<usize> {
    let config = RedisQueueConfig::default().queue(queue.redis_name(namespace));
    let script = redis::Script::new(PROMOTE);
    let mut moved = 0;
    loop {
        let now = chrono::Utc::now().timestamp();
        let count: usize = script
            .key(config.scheduled_jobs_set())
            .key(config.active_jobs_list())
            .key(config.signal_list())
            .arg(now)
            .arg(CHUNK)
            .invoke_async(conn)
            .await?;
        moved += count;
        if count < CHUNK {
            return Ok(moved);
        }
    }
}
