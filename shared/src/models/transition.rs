use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::{OrderStatus, Role, Transition, Workflow};
use crate::schema::status_transitions;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = status_transitions)]
pub struct StatusTransition {
    pub from_status: OrderStatus,
    pub to_status: OrderStatus,
    pub roles: Vec<Option<String>>,
}

impl StatusTransition {
    pub async fn all(conn: &mut AsyncPgConnection) -> QueryResult<Vec<StatusTransition>> {
        status_transitions::table
            .select(StatusTransition::as_select())
            .order((status_transitions::from_status, status_transitions::to_status))
            .load(conn)
            .await
    }

    fn into_transition(self) -> Transition {
        Transition {
            from: self.from_status,
            to: self.to_status,
            // Unknown role names (from a newer release) grant nothing.
            roles: self.roles.iter().flatten().filter_map(|r| r.parse().ok()).collect(),
        }
    }
}

impl StatusTransition {
    /// Adds a step, or changes who may take it.
    pub async fn upsert(
        conn: &mut AsyncPgConnection,
        from: OrderStatus,
        to: OrderStatus,
        roles: &[Role],
    ) -> QueryResult<()> {
        let roles: Vec<Option<String>> = roles.iter().map(|r| Some(r.to_string())).collect();
        diesel::insert_into(status_transitions::table)
            .values((
                status_transitions::from_status.eq(from),
                status_transitions::to_status.eq(to),
                status_transitions::roles.eq(&roles),
            ))
            .on_conflict((status_transitions::from_status, status_transitions::to_status))
            .do_update()
            .set(status_transitions::roles.eq(&roles))
            .execute(conn)
            .await
            .map(|_| ())
    }

    /// Removes a step; false if there was none.
    pub async fn remove(conn: &mut AsyncPgConnection, from: OrderStatus, to: OrderStatus) -> QueryResult<bool> {
        diesel::delete(
            status_transitions::table
                .filter(status_transitions::from_status.eq(from))
                .filter(status_transitions::to_status.eq(to)),
        )
        .execute(conn)
        .await
        .map(|n| n > 0)
    }

    /// Serializes workflow edits, so two admins cannot each make a valid
    /// change that together break the workflow.
    pub async fn lock(conn: &mut AsyncPgConnection) -> QueryResult<()> {
        diesel::sql_query("LOCK TABLE status_transitions IN SHARE ROW EXCLUSIVE MODE").execute(conn).await.map(|_| ())
    }
}

/// The workflow as configured right now. Read per request: the table is tiny
/// and this keeps every api replica current without a cache to invalidate.
pub async fn load_workflow(conn: &mut AsyncPgConnection) -> QueryResult<Workflow> {
    Ok(Workflow::new(StatusTransition::all(conn).await?.into_iter().map(StatusTransition::into_transition)))
}

/// The steps the first migration seeds, for tests and for the docs.
pub fn default_transitions() -> Vec<Transition> {
    use OrderStatus::*;
    let staff: BTreeSet<Role> = [Role::Admin, Role::Csr, Role::Service].into();
    [
        (Pending, [Confirmed, OnHold, Cancelled].as_slice()),
        (Confirmed, &[Processing, Shipped, OnHold, Cancelled]),
        (Processing, &[Shipped, OnHold, Cancelled]),
        (OnHold, &[Confirmed, Processing, Cancelled]),
        (Shipped, &[InTransit, OutForDelivery, Delivered, Exception, Returned]),
        (InTransit, &[OutForDelivery, Delivered, Exception, Returned]),
        (OutForDelivery, &[Delivered, InTransit, Exception, Returned]),
        (Exception, &[InTransit, OutForDelivery, Delivered, Returned, Cancelled]),
        (Delivered, &[Returned]),
    ]
    .iter()
    .flat_map(|(from, tos)| tos.iter().map(|to| Transition { from: *from, to: *to, roles: staff.clone() }))
    .collect()
}
