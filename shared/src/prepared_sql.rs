//! Hand-written SQL that each connection prepares once. diesel never caches
//! `sql_query` (its text could be built from anything), so every call is
//! parsed and planned again: for the timeline's statement, planning alone
//! took three times as long as running it. `PreparedSql` takes only a
//! `&'static str`, so the text cannot vary but by its binds, and diesel
//! caches it by that text like any of its own queries.

use std::marker::PhantomData;

use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::serialize::ToSql;
use diesel::sql_types::{HasSqlType, Untyped};
use diesel::QueryResult;

type BoxedBind = Box<dyn QueryFragment<Pg> + Send + Sync>;

/// A constant SQL text and its binds (`$1`, `$2`, … in the order bound; a
/// `$n` may occur more than once, never inside quotes), loaded like
/// `sql_query` into `QueryableByName` rows.
pub struct PreparedSql {
    sql: &'static str,
    binds: Vec<BoxedBind>,
}

impl PreparedSql {
    pub fn new(sql: &'static str) -> Self {
        PreparedSql { sql, binds: Vec::new() }
    }

    pub fn bind<ST, T>(mut self, value: T) -> Self
    where
        Pg: HasSqlType<ST>,
        T: ToSql<ST, Pg> + Send + Sync + 'static,
        ST: Send + Sync + 'static,
    {
        self.binds.push(Box::new(Bind::<ST, T> { value, sql_type: PhantomData }));
        self
    }
}

struct Bind<ST, T> {
    value: T,
    sql_type: PhantomData<ST>,
}

impl<ST, T> QueryFragment<Pg> for Bind<ST, T>
where
    Pg: HasSqlType<ST>,
    T: ToSql<ST, Pg>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_bind_param::<ST, T>(&self.value)
    }
}

impl QueryFragment<Pg> for PreparedSql {
    /// diesel writes each bind's placeholder itself (numbered as they come),
    /// so the text is passed on between its `$n`, and bind n at each.
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        let mut rest = self.sql;
        while let Some(at) = rest.find('$') {
            out.push_sql(&rest[..at]);
            let digits = rest[at + 1..].bytes().take_while(u8::is_ascii_digit).count();
            let n: usize = rest[at + 1..at + 1 + digits].parse().map_err(|_| unbound(self.sql))?;
            self.binds.get(n.wrapping_sub(1)).ok_or_else(|| unbound(self.sql))?.walk_ast(out.reborrow())?;
            rest = &rest[at + 1 + digits..];
        }
        out.push_sql(rest);
        Ok(())
    }
}

fn unbound(sql: &str) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(format!("a placeholder of this statement has no bind: {sql}").into())
}

// No static id: diesel keys its statement cache on the SQL text (and the
// bind types) instead.
impl QueryId for PreparedSql {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for PreparedSql {
    type SqlType = Untyped;
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::sql_types::{BigInt, Text};

    #[test]
    fn each_placeholder_gets_its_bind_however_often_it_occurs() {
        let query = PreparedSql::new("SELECT $2 || $1 WHERE $1 <> ''").bind::<Text, _>("a").bind::<BigInt, _>(7_i64);
        let shown = diesel::debug_query::<Pg, _>(&query).to_string();
        assert_eq!(shown, r#"SELECT $1 || $2 WHERE $3 <> '' -- binds: [7, "a", "a"]"#);
    }

    #[test]
    fn a_placeholder_without_a_bind_is_an_error_not_a_wrong_query() {
        let query = PreparedSql::new("SELECT $1, $2").bind::<Text, _>("only one");
        let mut sql = diesel::pg::PgQueryBuilder::new();
        let error = query.to_sql(&mut sql, &Pg).expect_err("$2 has no bind");
        assert!(error.to_string().contains("no bind"), "{error}");
    }
}
