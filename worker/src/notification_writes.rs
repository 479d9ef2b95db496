//! The send path's two writes to the outbox, grouped across this worker's
//! jobs (`group_write`): claiming rows, and recording sends. Under load each
//! batch is one statement and one commit; a batch that fails is written
//! again one request at a time, so one bad row fails only its own job.

use std::collections::HashMap;
use std::time::Duration;

use ordertrack_shared::db::{self, DbPool};
use ordertrack_shared::models::{Notification, SentRecord};
use uuid::Uuid;

use crate::group_write::{GroupWriter, Written};

/// The most rows one grouped statement writes.
const MAX_BATCH: usize = 64;

pub struct NotificationWrites {
    /// A row's id to the row, claimed for one attempt; `None` when it is not
    /// pending (another worker has it, or it is sent or dead).
    pub claims: GroupWriter<Uuid, Option<Notification>>,
    pub sends: GroupWriter<SentRecord, ()>,
}

impl NotificationWrites {
    /// Starts both writers on the current runtime.
    pub fn spawn(db: DbPool, claim_lease: Duration) -> Self {
        let pool = db.clone();
        let claims = GroupWriter::spawn("claims", MAX_BATCH, move |ids| claim(pool.clone(), ids, claim_lease));
        let sends = GroupWriter::spawn("sends", MAX_BATCH, move |sends| record(db.clone(), sends));
        NotificationWrites { claims, sends }
    }
}

async fn claim(db: DbPool, ids: Vec<Uuid>, lease: Duration) -> Vec<Written<Option<Notification>>> {
    let mut conn = match db.get().await {
        Ok(conn) => conn,
        Err(e) => return ids.iter().map(|_| Written::Retry(e.to_string().into())).collect(),
    };
    let claimed = match Notification::claim_all(&mut conn, &ids, lease).await {
        Ok(rows) => rows,
        Err(e) if ids.len() == 1 => return vec![written(Err(e))],
        Err(e) => {
            tracing::warn!(error = %e, batch = ids.len(), "a grouped claim failed; claiming one at a time");
            let mut answers = Vec::with_capacity(ids.len());
            for id in &ids {
                let one = Notification::claim_all(&mut conn, std::slice::from_ref(id), lease).await;
                answers.push(written(one.map(|rows| rows.into_iter().next())));
            }
            return answers;
        }
    };
    // The same id twice in a batch (a duplicate job): the first takes the row.
    let mut by_id: HashMap<Uuid, Notification> = claimed.into_iter().map(|row| (row.id, row)).collect();
    ids.iter().map(|id| Written::Done(by_id.remove(id))).collect()
}

async fn record(db: DbPool, sends: Vec<SentRecord>) -> Vec<Written<()>> {
    let mut conn = match db.get().await {
        Ok(conn) => conn,
        Err(e) => return sends.iter().map(|_| Written::Retry(e.to_string().into())).collect(),
    };
    match Notification::record_all_sent(&mut conn, &sends).await {
        Ok(_) => sends.iter().map(|_| Written::Done(())).collect(),
        Err(e) if sends.len() == 1 => vec![written(Err(e))],
        Err(e) => {
            tracing::warn!(error = %e, batch = sends.len(), "a grouped send record failed; recording one at a time");
            let mut answers = Vec::with_capacity(sends.len());
            for send in &sends {
                let one = Notification::record_all_sent(&mut conn, std::slice::from_ref(send)).await;
                answers.push(written(one.map(|_| ())));
            }
            answers
        }
    }
}

/// Postgres going away is worth retrying; any other error is final.
pub fn written<T>(result: diesel::QueryResult<T>) -> Written<T> {
    match result {
        Ok(value) => Written::Done(value),
        Err(e) if db::is_outage(&e) => Written::Retry(e.into()),
        Err(e) => Written::Failed(e.into()),
    }
}
