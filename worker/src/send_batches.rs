//! The send path's statements, grouped across this worker's jobs
//! (`group_write`): claiming rows, reading the orders they are about, and
//! recording sends. Under load each batch is one statement (and one commit);
//! a batch that fails is run again one request at a time, so one bad row
//! fails only its own job.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

use diesel_async::AsyncPgConnection;
use ordertrack_shared::db::{self, DbConn, DbPool};
use ordertrack_shared::models::{Notification, Order, SentRecord, Shipment};
use uuid::Uuid;

use crate::group_write::{GroupWriter, Written};

/// The most requests one grouped statement carries.
const MAX_BATCH: usize = 64;

pub struct SendBatches {
    /// A row's id to the row, claimed for one attempt; `None` when it is not
    /// pending (another worker has it, or it is sent or dead).
    pub claims: GroupWriter<Uuid, Option<Notification>>,
    /// An order's id to the order and its parcels, as a message renders
    /// them; `None` when there is no such order.
    pub orders: GroupWriter<Uuid, Option<OrderRead>>,
    pub sends: GroupWriter<SentRecord, ()>,
}

/// What a message about an order is rendered from.
#[derive(Debug, Clone)]
pub struct OrderRead {
    pub order: Order,
    /// Oldest first.
    pub shipments: Vec<Shipment>,
}

impl SendBatches {
    /// Connections their pool needs: one per batcher, each with one
    /// statement in flight.
    pub const CONNECTIONS: usize = 3;

    /// Starts the three batchers on the current runtime. `db` plans each
    /// statement once (`db::pool_planning_once`): theirs find rows by id
    /// alone, whatever the ids.
    pub fn spawn(db: DbPool, claim_lease: Duration) -> Self {
        let pool = db.clone();
        let claims = GroupWriter::spawn("claims", MAX_BATCH, move |ids| claim(pool.clone(), ids, claim_lease));
        let pool = db.clone();
        let orders = GroupWriter::spawn("orders", MAX_BATCH, move |ids| read_orders(pool.clone(), ids));
        let sends = GroupWriter::spawn("sends", MAX_BATCH, move |sends| record(db.clone(), sends));
        SendBatches { claims, orders, sends }
    }
}

async fn claim(db: DbPool, ids: Vec<Uuid>, lease: Duration) -> Vec<Written<Option<Notification>>> {
    run_batch(&db, "claim", &ids, |conn, ids| {
        Box::pin(async move {
            let claimed = Notification::claim_all(conn, ids, lease).await?;
            // The same id twice in a batch (a duplicate job): the first takes the row.
            let mut by_id: HashMap<Uuid, Notification> = claimed.into_iter().map(|row| (row.id, row)).collect();
            Ok(ids.iter().map(|id| by_id.remove(id)).collect())
        })
    })
    .await
}

async fn read_orders(db: DbPool, ids: Vec<Uuid>) -> Vec<Written<Option<OrderRead>>> {
    run_batch(&db, "order read", &ids, |conn, ids| {
        Box::pin(async move {
            let shared: &AsyncPgConnection = conn;
            let (orders, shipments) =
                tokio::try_join!(Order::find_all(shared, ids), Shipment::for_orders(shared, ids))?;
            let mut parcels: HashMap<Uuid, Vec<Shipment>> = HashMap::new();
            for shipment in shipments {
                parcels.entry(shipment.order_id).or_default().push(shipment);
            }
            let orders: HashMap<Uuid, Order> = orders.into_iter().map(|order| (order.id, order)).collect();
            // (Two messages about one order in a batch each get a copy.)
            Ok(ids
                .iter()
                .map(|id| {
                    let order = orders.get(id)?.clone();
                    Some(OrderRead { order, shipments: parcels.get(id).cloned().unwrap_or_default() })
                })
                .collect())
        })
    })
    .await
}

async fn record(db: DbPool, sends: Vec<SentRecord>) -> Vec<Written<()>> {
    run_batch(&db, "send record", &sends, |conn, sends| {
        Box::pin(async move {
            Notification::record_all_sent(conn, sends).await?;
            Ok(vec![(); sends.len()])
        })
    })
    .await
}

/// A batch's statement in flight: one answer per request, or the batch's error.
type Pending<'c, Resp> = Pin<Box<dyn Future<Output = diesel::QueryResult<Vec<Resp>>> + Send + 'c>>;

/// Runs a batch with one call of `run`, which answers once per request. If
/// the batch fails, each request is run alone, so one bad row fails only its
/// own job.
async fn run_batch<Req, Resp>(
    db: &DbPool,
    what: &'static str,
    batch: &[Req],
    run: impl for<'c> Fn(&'c mut DbConn, &'c [Req]) -> Pending<'c, Resp>,
) -> Vec<Written<Resp>> {
    let mut conn = match db.get().await {
        Ok(conn) => conn,
        Err(e) => return batch.iter().map(|_| Written::Retry(e.to_string().into())).collect(),
    };
    let error = match run(&mut conn, batch).await {
        Ok(answers) => return answers.into_iter().map(Written::Done).collect(),
        Err(e) if batch.len() == 1 => return vec![written(Err(e))],
        Err(e) => e,
    };
    tracing::warn!(error = %error, batch = batch.len(), "a grouped {what} failed; running each request alone");
    let mut answers = Vec::with_capacity(batch.len());
    for one in batch.chunks(1) {
        match run(&mut conn, one).await {
            Ok(answer) => answers.extend(answer.into_iter().map(Written::Done)),
            Err(e) => answers.push(written(Err(e))),
        }
    }
    answers
}

/// Postgres going away is worth retrying; any other error is final.
pub fn written<T>(result: diesel::QueryResult<T>) -> Written<T> {
    match result {
        Ok(value) => Written::Done(value),
        Err(e) if db::is_outage(&e) => Written::Retry(e.into()),
        Err(e) => Written::Failed(e.into()),
    }
}
