//! The Postgres pool and the embedded migrations.

use diesel_async::async_connection_wrapper::AsyncConnectionWrapper;
use diesel_async::pooled_connection::deadpool::{Object, Pool, PoolError};
use diesel_async::pooled_connection::{AsyncDieselConnectionManager, ManagerConfig, RecyclingMethod};
use diesel_async::AsyncPgConnection;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};

pub type DbPool = Pool<AsyncPgConnection>;
pub type DbConn = Object<AsyncPgConnection>;
pub type DbPoolError = PoolError;

pub const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations");

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("cannot build the database pool: {0}")]
    Pool(String),
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    #[error("migration failed: {0}")]
    Migrate(String),
}

pub fn pool(database_url: &str, size: usize) -> Result<DbPool, DbSetupError> {
    build_pool(database_url, size, ManagerConfig::default())
}

/// A pool whose connections plan each prepared statement once, for
/// statements whose best plan does not depend on their parameters' values:
/// the worker's grouped statements. Their array parameters make Postgres'
/// default (`plan_cache_mode = auto`) plan them again at every call, which
/// took 290 µs of CPU per status change, an eighth of the chain
/// (`pg_stat_statements` with `track_planning`, 2026-12-04). Nothing that
/// needs a partial index whose predicate is a parameter (`status = $1`
/// against `WHERE status = 'pending'`) may run here: a generic plan never
/// uses it.
pub fn pool_planning_once(database_url: &str, size: usize) -> Result<DbPool, DbSetupError> {
    let mut config = ManagerConfig::default();
    config.custom_setup = Box::new(|url| {
        Box::pin(async move {
            use diesel_async::{AsyncConnection, SimpleAsyncConnection};
            let mut conn = AsyncPgConnection::establish(url).await?;
            conn.batch_execute("SET plan_cache_mode = force_generic_plan")
                .await
                .map_err(diesel::ConnectionError::CouldntSetupConfiguration)?;
            Ok(conn)
        })
    });
    build_pool(database_url, size, config)
}

fn build_pool(
    database_url: &str,
    size: usize,
    mut config: ManagerConfig<AsyncPgConnection>,
) -> Result<DbPool, DbSetupError> {
    // The default (`Verified`) sends a `SELECT 1` at every checkout: a round
    // trip per request. `Fast` still drops a connection whose socket closed
    // (a Postgres restart) or that was left in a transaction; one that dies
    // unnoticed fails its next statement, which callers treat as an outage.
    config.recycling_method = RecyclingMethod::Fast;
    let manager = AsyncDieselConnectionManager::<AsyncPgConnection>::new_with_config(database_url, config);
    Pool::builder(manager)
        .max_size(size)
        .wait_timeout(Some(std::time::Duration::from_secs(5)))
        .runtime(deadpool::Runtime::Tokio1)
        .build()
        .map_err(|e| DbSetupError::Pool(e.to_string()))
}

/// Applies pending migrations; returns the names of those applied.
pub async fn run_migrations(database_url: &str) -> Result<Vec<String>, DbSetupError> {
    use diesel_async::AsyncConnection;
    let conn = AsyncPgConnection::establish(database_url).await.map_err(|e| DbSetupError::Connect(e.to_string()))?;
    // The harness is synchronous: run it off the async threads.
    tokio::task::spawn_blocking(move || {
        let mut wrapper: AsyncConnectionWrapper<AsyncPgConnection> = AsyncConnectionWrapper::from(conn);
        wrapper
            .run_pending_migrations(MIGRATIONS)
            .map(|applied| applied.iter().map(|m| m.to_string()).collect())
            .map_err(|e| DbSetupError::Migrate(e.to_string()))
    })
    .await
    .map_err(|e| DbSetupError::Migrate(e.to_string()))?
}

/// `text` as a literal inside a `LIKE` pattern: `%`, `_` and the escape
/// character itself match only themselves (Postgres' default escape is `\`).
pub fn like_literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether `error` means Postgres went away (restart, failover, network)
/// rather than that the statement was wrong: worth retrying once it is back.
pub fn is_outage(error: &diesel::result::Error) -> bool {
    use diesel::result::{DatabaseErrorKind, Error};
    match error {
        Error::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _)
        | Error::BrokenTransactionManager => true,
        Error::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            SHUTTING_DOWN.iter().any(|words| info.message().starts_with(words))
        }
        _ => false,
    }
}

/// How Postgres says the server is going away or not up yet (SQLSTATE class
/// 57P, e.g. "terminating connection due to administrator command" on a
/// fast shutdown): diesel-async keeps the message but not the code.
/// (Messages in English, Postgres' default `lc_messages`.)
const SHUTTING_DOWN: [&str; 2] = ["terminating connection", "the database system is"];

/// Starts a transaction on `conn`; end it with [`finish`]. Plain functions
/// rather than `AsyncConnection::transaction`'s async closure, whose
/// higher-ranked future is not `Send` and so cannot run in spawned jobs.
pub async fn begin(conn: &mut AsyncPgConnection) -> diesel::QueryResult<()> {
    use diesel_async::{AnsiTransactionManager, TransactionManager};
    AnsiTransactionManager::begin_transaction(conn).await
}

/// Commits when `result` is Ok, rolls back otherwise, and passes it on.
pub async fn finish<T, E>(conn: &mut AsyncPgConnection, result: Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    use diesel_async::{AnsiTransactionManager, TransactionManager};
    match result {
        Ok(value) => {
            AnsiTransactionManager::commit_transaction(conn).await?;
            Ok(value)
        }
        Err(e) => {
            if let Err(rollback) = AnsiTransactionManager::rollback_transaction(conn).await {
                tracing::warn!(error = %rollback, "rollback failed");
            }
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn like_literals_match_only_themselves() {
        assert_eq!(super::like_literal("order.status_change"), "order.status\\_change");
        assert_eq!(super::like_literal("50%\\x"), "50\\%\\\\x");
        assert_eq!(super::like_literal("plain"), "plain");
    }

    use diesel::result::{DatabaseErrorKind, Error};

    use super::is_outage;

    fn unknown(message: &str) -> Error {
        Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new(message.to_owned()))
    }

    #[test]
    fn a_server_going_away_is_an_outage_and_a_bad_statement_is_not() {
        assert!(is_outage(&unknown("terminating connection due to administrator command")));
        assert!(is_outage(&unknown("the database system is shutting down")));
        assert!(is_outage(&Error::DatabaseError(DatabaseErrorKind::ClosedConnection, Box::new(String::new()))));
        assert!(!is_outage(&unknown("syntax error at or near \"SELEC\"")));
        assert!(!is_outage(&Error::DatabaseError(DatabaseErrorKind::UniqueViolation, Box::new(String::new()))));
        assert!(!is_outage(&Error::NotFound));
    }
}
