//! Raw exports for analysts: datasets (`datasets`) read a page at a time and
//! encoded (`formats`) as they stream out.

pub mod datasets;
pub mod formats;
pub mod table;
