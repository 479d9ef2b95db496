//! A dataset's rows as typed cells under named columns, whatever the format.

use chrono::{DateTime, Utc};

/// A column's type in every format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Int,
    Float,
    Bool,
    Time,
}

#[derive(Debug, Clone, Copy)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
}

/// One value; `None` is SQL's null.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(Option<String>),
    Int(Option<i64>),
    Float(Option<f64>),
    Bool(Option<bool>),
    Time(Option<DateTime<Utc>>),
}

pub type Row = Vec<Cell>;

/// Shorthand for column lists.
pub const fn col(name: &'static str, kind: Kind) -> Column {
    Column { name, kind }
}
