//! `EXPLAIN` of the very queries the code builds (diesel's, with their
//! binds), to catch a hot query that reads a large table from end to end.

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::QueryResult;
use diesel_async::{AsyncPgConnection, RunQueryDsl};

/// `EXPLAIN (FORMAT JSON) <query>`.
pub struct Explain<Q>(pub Q);

impl<Q: QueryFragment<Pg>> QueryFragment<Pg> for Explain<Q> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("EXPLAIN (FORMAT JSON) ");
        self.0.walk_ast(out.reborrow())
    }
}

impl<Q> QueryId for Explain<Q> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q> Query for Explain<Q> {
    type SqlType = diesel::sql_types::Text;
}

/// The plan's nodes that scan a table sequentially, as `(table, rows the
/// planner expects)`.
pub async fn seq_scans<Q: QueryFragment<Pg> + Send>(conn: &mut AsyncPgConnection, query: Q) -> Vec<(String, f64)> {
    let mut found = Vec::new();
    walk(&plan(conn, query).await, &mut |node| {
        if node["Node Type"] == "Seq Scan" {
            let table = node["Relation Name"].as_str().unwrap_or_default().to_owned();
            found.push((table, node["Plan Rows"].as_f64().unwrap_or_default()));
        }
    });
    found
}

/// The indexes the plan reads, with the condition it seeks them on (`None`:
/// the whole index is walked, filtering rows as it goes).
pub async fn index_reads<Q: QueryFragment<Pg> + Send>(
    conn: &mut AsyncPgConnection,
    query: Q,
) -> Vec<(String, Option<String>)> {
    let mut found = Vec::new();
    walk(&plan(conn, query).await, &mut |node| {
        if let Some(index) = node["Index Name"].as_str() {
            found.push((index.to_owned(), node["Index Cond"].as_str().map(str::to_owned)));
        }
    });
    found
}

async fn plan<Q: QueryFragment<Pg> + Send>(conn: &mut AsyncPgConnection, query: Q) -> serde_json::Value {
    let plan: String = Explain(query).get_result(conn).await.expect("EXPLAIN");
    let plan: serde_json::Value = serde_json::from_str(&plan).expect("EXPLAIN JSON");
    plan[0]["Plan"].clone()
}

fn walk(node: &serde_json::Value, visit: &mut impl FnMut(&serde_json::Value)) {
    visit(node);
    for child in node["Plans"].as_array().into_iter().flatten() {
        walk(child, visit);
    }
}
