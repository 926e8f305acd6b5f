//! What the nodes of one site share when it runs on many machines: sessions and rate-limit
//! counts live in Redis, so a visitor signed in on one node is signed in on all, and an
//! attacker cannot multiply the login limit by the number of nodes. Pages need no sharing: every
//! node watches the database's change counter.

use std::time::Duration;

use redis::{AsyncCommands, aio::ConnectionManager};

/// A Redis connection that reconnects by itself, and the prefix of every key Warta writes (so
/// several sites, or test runs, can share one server).
#[derive(Clone)]
pub struct Redis {
    connection: ConnectionManager,
    prefix: String,
}

impl std::fmt::Debug for Redis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redis")
            .field("prefix", &self.prefix)
            .finish_non_exhaustive()
    }
}

/// How long a user's session index lives after its last sign-in: longer than the longest
/// session ("remember me", 30 days), so a password change always finds every session.
const INDEX_LIFETIME_SECONDS: i64 = 31 * 24 * 3600;

/// One attempt to reach Redis waits at most this long; a slow Redis must not hang every page.
const TIMEOUT: Duration = Duration::from_secs(2);

/// A whole call, reconnecting included, waits at most this long: with Redis down, signed-in
/// pages fail fast and forms fall back to the node's own limits.
const DEADLINE: Duration = Duration::from_secs(3);

/// The longest pause between reconnection attempts, in milliseconds. redis-rs hands its
/// retry settings to backon, whose delays start at one second and grow by the factor up to a
/// minute: with the crate's default factor of 100, a call made while Redis was down waited
/// about two minutes.
const RETRY_PAUSE_MS: u64 = 200;

/// `call` bounded by [`DEADLINE`] (the connection's own timeouts bound one attempt, not the
/// reconnections between attempts).
async fn bounded<T>(
    call: impl std::future::Future<Output = redis::RedisResult<T>>,
) -> redis::RedisResult<T> {
    tokio::time::timeout(DEADLINE, call)
        .await
        .unwrap_or_else(|_| {
            Err(
                std::io::Error::new(std::io::ErrorKind::TimedOut, "Redis did not answer in time")
                    .into(),
            )
        })
}

/// A session under a new secret, atomically: its key renamed (RENAME keeps the expiry) and
/// the user's index updated, so a "sign out everywhere" running at the same moment sees
/// either the old session or the new one, never neither. Answers the milliseconds left, or -1
/// when the session is gone or has no expiry (which sessions always have).
const RENEW: &str = r"
local left = redis.call('PTTL', KEYS[1])
if left <= 0 then return -1 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('SADD', KEYS[3], ARGV[2])
return left
";

/// A sliding-window counter in one round trip: drops hits older than the window, refuses when
/// `limit` remain (answering the milliseconds until the oldest expires), else records this hit.
/// The clock is Redis's own, so nodes with drifting clocks still agree.
const HIT: &str = r"
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return window - (now - tonumber(oldest[2]))
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return -1
";

impl Redis {
    /// Connects, or says why not (a site configured for Redis must not start without it).
    pub async fn connect(url: &str, prefix: &str) -> Result<Redis, String> {
        let client = redis::Client::open(url).map_err(|e| format!("redis_url {url:?}: {e}"))?;
        let config = redis::aio::ConnectionManagerConfig::new()
            .set_connection_timeout(TIMEOUT)
            .set_response_timeout(TIMEOUT)
            .set_factor(2)
            .set_max_delay(RETRY_PAUSE_MS)
            .set_number_of_retries(2);
        let connection = bounded(ConnectionManager::new_with_config(client, config))
            .await
            .map_err(|e| format!("redis at {url:?} is unreachable: {e}"))?;
        Ok(Redis {
            connection,
            prefix: prefix.to_owned(),
        })
    }

    fn key(&self, parts: &[&str]) -> String {
        format!("{}{}", self.prefix, parts.join(":"))
    }

    /// Records a session that ends by itself after `lifetime`, and indexes it under its user
    /// so a password change can end the user's other sessions.
    pub async fn start_session(
        &self,
        id_hash: &str,
        user_id: i64,
        lifetime: Duration,
    ) -> redis::RedisResult<()> {
        let session = self.key(&["session", id_hash]);
        let index = self.key(&["user-sessions", &user_id.to_string()]);
        let seconds = lifetime.as_secs().max(1);
        let mut connection = self.connection.clone();
        bounded(
            redis::pipe()
                .atomic()
                .set_ex(&session, user_id, seconds)
                .sadd(&index, id_hash)
                // The index must outlive every session in it, whatever this one's lifetime.
                .expire(&index, INDEX_LIFETIME_SECONDS)
                .query_async::<()>(&mut connection),
        )
        .await
    }

    /// The user id of a live session.
    pub async fn session_user(&self, id_hash: &str) -> redis::RedisResult<Option<i64>> {
        let mut connection = self.connection.clone();
        bounded(connection.get(self.key(&["session", id_hash]))).await
    }

    pub async fn end_session(&self, id_hash: &str) -> redis::RedisResult<()> {
        let mut connection = self.connection.clone();
        bounded(connection.del(self.key(&["session", id_hash]))).await
    }

    /// Moves session `old_hash` to `new_hash` with what is left of its lifetime, in the user's
    /// session index too, in one step (see [`RENEW`]); returns that lifetime, or `None` when the
    /// session is gone.
    pub async fn renew_session(
        &self,
        user_id: i64,
        old_hash: &str,
        new_hash: &str,
    ) -> redis::RedisResult<Option<Duration>> {
        let mut connection = self.connection.clone();
        let left_ms: i64 = bounded(
            redis::Script::new(RENEW)
                .key(self.key(&["session", old_hash]))
                .key(self.key(&["session", new_hash]))
                .key(self.key(&["user-sessions", &user_id.to_string()]))
                .arg(old_hash)
                .arg(new_hash)
                .invoke_async(&mut connection),
        )
        .await?;
        Ok((left_ms > 0).then(|| Duration::from_millis(left_ms.unsigned_abs())))
    }

    /// Ends every session of the user except `keep`.
    pub async fn end_other_sessions(
        &self,
        user_id: i64,
        keep: Option<&str>,
    ) -> redis::RedisResult<()> {
        let index = self.key(&["user-sessions", &user_id.to_string()]);
        let mut connection = self.connection.clone();
        let sessions: Vec<String> = bounded(connection.smembers(&index)).await?;
        let mut pipe = redis::pipe();
        pipe.atomic();
        for id_hash in sessions.iter().filter(|s| Some(s.as_str()) != keep) {
            pipe.del(self.key(&["session", id_hash]))
                .srem(&index, id_hash);
        }
        bounded(pipe.query_async::<()>(&mut connection)).await
    }

    /// One attempt against a shared limit; `Err` carries the wait.
    pub async fn hit(
        &self,
        key: &str,
        limit: usize,
        window: Duration,
    ) -> redis::RedisResult<Result<(), Duration>> {
        let mut connection = self.connection.clone();
        let wait_ms: i64 = bounded(
            redis::Script::new(HIT)
                .key(self.key(&["limit", key]))
                .arg(u64::try_from(window.as_millis()).unwrap_or(u64::MAX))
                .arg(limit)
                .arg(warta_core::secret::token())
                .invoke_async(&mut connection),
        )
        .await?;
        Ok(match u64::try_from(wait_ms) {
            Ok(ms) => Err(Duration::from_millis(ms)),
            Err(_) => Ok(()),
        })
    }

    pub async fn reset(&self, key: &str) -> redis::RedisResult<()> {
        let mut connection = self.connection.clone();
        bounded(connection.del(self.key(&["limit", key]))).await
    }
}
