use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

use crate::domain::{OrderStatus, Role};
use crate::orders::Transition;
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

    pub fn into_transition(self) -> Transition {
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
