//! A fresh database per test, cloned from a migrated template (fast: no
//! migrations per test). The template is named after a hash of the
//! migrations, so a changed migration gets a new one.

use std::sync::atomic::{AtomicUsize, Ordering};

use diesel_async::{AsyncConnection, AsyncPgConnection, RunQueryDsl};
use sha2::{Digest, Sha256};
use tokio::sync::OnceCell;

/// Where tests may create databases (needs CREATEDB).
pub fn admin_url() -> String {
    std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://ordertrack:ordertrack@127.0.0.1:5432/postgres".into())
}

pub fn url_for(database: &str) -> String {
    let admin = admin_url();
    let base = admin.rsplit_once('/').map(|(base, _)| base).unwrap_or(&admin);
    format!("{base}/{database}")
}

fn template_name() -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../migrations");
    let mut entries: Vec<_> = walk(std::path::Path::new(dir));
    entries.sort();
    let mut hash = Sha256::new();
    for path in entries {
        hash.update(path.to_string_lossy().as_bytes());
        hash.update(std::fs::read(&path).expect("read migration"));
    }
    let digest = hash.finalize();
    format!("ot_tpl_{}", digest.iter().take(6).map(|b| format!("{b:02x}")).collect::<String>())
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("migrations dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

async fn admin() -> AsyncPgConnection {
    AsyncPgConnection::establish(&admin_url()).await.expect("connect as test admin (run scripts/services)")
}

static TEMPLATE: OnceCell<String> = OnceCell::const_new();
static COUNTER: AtomicUsize = AtomicUsize::new(0);

async fn exists(conn: &mut AsyncPgConnection, name: &str) -> bool {
    #[derive(diesel::QueryableByName)]
    struct Found {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        #[allow(dead_code)]
        one: i32,
    }
    diesel::sql_query("SELECT 1 AS one FROM pg_database WHERE datname = $1")
        .bind::<diesel::sql_types::Text, _>(name)
        .load::<Found>(conn)
        .await
        .map(|rows| !rows.is_empty())
        .unwrap_or(false)
}

/// Creates the template once per process (and drops what earlier runs left).
async fn template() -> String {
    TEMPLATE
        .get_or_init(|| async {
            let name = template_name();
            let mut conn = admin().await;
            // Serialize template creation across test processes.
            diesel::sql_query("SELECT pg_advisory_lock(7243001)").execute(&mut conn).await.expect("lock");
            if !exists(&mut conn, &name).await {
                let building = format!("{name}_building");
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {building} WITH (FORCE)"))
                    .execute(&mut conn)
                    .await;
                diesel::sql_query(format!("CREATE DATABASE {building}"))
                    .execute(&mut conn)
                    .await
                    .expect("create template");
                ordertrack_shared::db::run_migrations(&url_for(&building)).await.expect("migrate template");
                diesel::sql_query(format!("ALTER DATABASE {building} RENAME TO {name}"))
                    .execute(&mut conn)
                    .await
                    .expect("rename template");
            }
            drop_leftovers(&mut conn).await;
            diesel::sql_query("SELECT pg_advisory_unlock(7243001)").execute(&mut conn).await.expect("unlock");
            name
        })
        .await
        .clone()
}

/// Test databases of processes that are gone.
async fn drop_leftovers(conn: &mut AsyncPgConnection) {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let prefix = format!("ot_t_{}_", std::process::id());
    let names: Vec<Name> = diesel::sql_query("SELECT datname FROM pg_database WHERE datname LIKE 'ot\\_t\\_%'")
        .load(conn)
        .await
        .unwrap_or_default();
    // Templates of other migration sets are left alone: another checkout
    // (a branch, a CI clone) may be testing with one right now.
    for Name { datname } in names {
        let pid: Option<u32> = datname.split('_').nth(2).and_then(|p| p.parse().ok());
        let alive = pid.is_some_and(|p| std::path::Path::new(&format!("/proc/{p}")).exists());
        if !datname.starts_with(&prefix) && !alive {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {datname} WITH (FORCE)")).execute(conn).await;
        }
    }
}

/// A new, migrated, empty database; returns its URL.
pub async fn create() -> (String, String) {
    let template = template().await;
    let name = format!("ot_t_{}_{}", std::process::id(), COUNTER.fetch_add(1, Ordering::SeqCst));
    let mut conn = admin().await;
    // CREATE DATABASE refuses while another session copies the same template: retry.
    for attempt in 0..50 {
        match diesel::sql_query(format!("CREATE DATABASE {name} TEMPLATE {template}")).execute(&mut conn).await {
            Ok(_) => return (name.clone(), url_for(&name)),
            Err(e) if attempt < 49 && e.to_string().contains("is being accessed by other users") => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(e) => panic!("create test database: {e}"),
        }
    }
    unreachable!()
}

pub async fn drop_database(name: &str) {
    let mut conn = admin().await;
    let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut conn).await;
}
