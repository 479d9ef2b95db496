//! Encoders: CSV (RFC 4180), NDJSON and Parquet, each turning pages of rows
//! into bytes as they come, so an export of any size streams in constant
//! memory (Parquet: one row group per page; only the footer's per-group
//! metadata stays until the end).

use std::io::Write;
use std::sync::{Arc, Mutex};

use chrono::SecondsFormat;
use parquet::basic::Compression;
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, DoubleType, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;

use super::table::{Cell, Column, Kind, Row};

/// An export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Ndjson,
    Parquet,
}

impl Format {
    pub fn parse(text: &str) -> Option<Format> {
        match text {
            "csv" => Some(Format::Csv),
            "ndjson" => Some(Format::Ndjson),
            "parquet" => Some(Format::Parquet),
            _ => None,
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Ndjson => "application/x-ndjson",
            Format::Parquet => "application/vnd.apache.parquet",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Ndjson => "ndjson",
            Format::Parquet => "parquet",
        }
    }
}

/// Turns pages of rows into bytes.
pub enum Encoder {
    Csv(&'static [Column]),
    Ndjson(&'static [Column]),
    Parquet(Box<ParquetEncoder>),
}

impl Encoder {
    pub fn new(format: Format, columns: &'static [Column]) -> Result<Encoder, String> {
        Ok(match format {
            Format::Csv => Encoder::Csv(columns),
            Format::Ndjson => Encoder::Ndjson(columns),
            Format::Parquet => Encoder::Parquet(Box::new(ParquetEncoder::new(columns)?)),
        })
    }

    /// What comes before the first row.
    pub fn start(&mut self) -> Vec<u8> {
        match self {
            Encoder::Csv(columns) => {
                let names: Vec<String> = columns.iter().map(|c| csv_field(c.name)).collect();
                format!("{}\r\n", names.join(",")).into_bytes()
            }
            _ => Vec::new(),
        }
    }

    /// The bytes of one page of rows.
    pub fn page(&mut self, rows: &[Row]) -> Result<Vec<u8>, String> {
        match self {
            Encoder::Csv(_) => Ok(rows.iter().flat_map(|row| csv_row(row).into_bytes()).collect()),
            Encoder::Ndjson(columns) => {
                let mut out = Vec::new();
                for row in rows {
                    let object: serde_json::Map<String, serde_json::Value> =
                        columns.iter().zip(row).map(|(c, cell)| (c.name.to_owned(), json(cell))).collect();
                    serde_json::to_writer(&mut out, &object).map_err(|e| e.to_string())?;
                    out.push(b'\n');
                }
                Ok(out)
            }
            Encoder::Parquet(parquet) => parquet.row_group(rows),
        }
    }

    /// What comes after the last row.
    pub fn finish(self) -> Result<Vec<u8>, String> {
        match self {
            Encoder::Parquet(parquet) => parquet.finish(),
            _ => Ok(Vec::new()),
        }
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

fn csv_row(row: &Row) -> String {
    let fields: Vec<String> = row
        .iter()
        .map(|cell| match cell {
            Cell::Text(Some(text)) => csv_field(text),
            Cell::Int(Some(n)) => n.to_string(),
            Cell::Float(Some(x)) => x.to_string(),
            Cell::Bool(Some(b)) => b.to_string(),
            Cell::Time(Some(at)) => at.to_rfc3339_opts(SecondsFormat::Micros, true),
            _ => String::new(),
        })
        .collect();
    format!("{}\r\n", fields.join(","))
}

fn json(cell: &Cell) -> serde_json::Value {
    match cell {
        Cell::Text(Some(text)) => text.clone().into(),
        Cell::Int(Some(n)) => (*n).into(),
        Cell::Float(Some(x)) => serde_json::Number::from_f64(*x).map_or(serde_json::Value::Null, Into::into),
        Cell::Bool(Some(b)) => (*b).into(),
        Cell::Time(Some(at)) => at.to_rfc3339_opts(SecondsFormat::Micros, true).into(),
        _ => serde_json::Value::Null,
    }
}

/// The bytes the Parquet writer wrote and the stream has not taken yet.
#[derive(Clone, Default)]
struct Pending(Arc<Mutex<Vec<u8>>>);

impl Pending {
    fn take(&self) -> Vec<u8> {
        self.0.lock().map(|mut bytes| std::mem::take(&mut *bytes)).unwrap_or_default()
    }
}

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("poisoned"))?.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct ParquetEncoder {
    columns: &'static [Column],
    writer: SerializedFileWriter<Pending>,
    pending: Pending,
}

impl ParquetEncoder {
    fn new(columns: &'static [Column]) -> Result<Self, String> {
        let fields: Vec<String> = columns
            .iter()
            .map(|c| match c.kind {
                Kind::Text => format!("OPTIONAL BYTE_ARRAY {} (UTF8);", c.name),
                Kind::Int => format!("OPTIONAL INT64 {};", c.name),
                Kind::Float => format!("OPTIONAL DOUBLE {};", c.name),
                Kind::Bool => format!("OPTIONAL BOOLEAN {};", c.name),
                Kind::Time => format!("OPTIONAL INT64 {} (TIMESTAMP(MICROS,true));", c.name),
            })
            .collect();
        let schema =
            parse_message_type(&format!("message export {{ {} }}", fields.join(" "))).map_err(|e| e.to_string())?;
        let properties = WriterProperties::builder().set_compression(Compression::SNAPPY).build();
        let pending = Pending::default();
        let writer = SerializedFileWriter::new(pending.clone(), Arc::new(schema), Arc::new(properties))
            .map_err(|e| e.to_string())?;
        Ok(ParquetEncoder { columns, writer, pending })
    }

    /// One row group per page.
    fn row_group(&mut self, rows: &[Row]) -> Result<Vec<u8>, String> {
        if rows.is_empty() {
            return Ok(self.pending.take());
        }
        let error = |e: parquet::errors::ParquetError| e.to_string();
        let mut group = self.writer.next_row_group().map_err(error)?;
        let mut index = 0;
        while let Some(mut column) = group.next_column().map_err(error)? {
            let cells = rows.iter().map(|row| &row[index]);
            let defined: Vec<i16> = cells.clone().map(|cell| i16::from(!is_null(cell))).collect();
            match self.columns[index].kind {
                Kind::Text => {
                    let values: Vec<ByteArray> = cells
                        .filter_map(|c| match c {
                            Cell::Text(Some(t)) => Some(ByteArray::from(t.as_str())),
                            _ => None,
                        })
                        .collect();
                    column.typed::<ByteArrayType>().write_batch(&values, Some(&defined), None).map_err(error)?;
                }
                Kind::Int | Kind::Time => {
                    let values: Vec<i64> = cells
                        .filter_map(|c| match c {
                            Cell::Int(Some(n)) => Some(*n),
                            Cell::Time(Some(at)) => Some(at.timestamp_micros()),
                            _ => None,
                        })
                        .collect();
                    column.typed::<Int64Type>().write_batch(&values, Some(&defined), None).map_err(error)?;
                }
                Kind::Float => {
                    let values: Vec<f64> = cells
                        .filter_map(|c| match c {
                            Cell::Float(Some(x)) => Some(*x),
                            _ => None,
                        })
                        .collect();
                    column.typed::<DoubleType>().write_batch(&values, Some(&defined), None).map_err(error)?;
                }
                Kind::Bool => {
                    let values: Vec<bool> = cells
                        .filter_map(|c| match c {
                            Cell::Bool(Some(b)) => Some(*b),
                            _ => None,
                        })
                        .collect();
                    column.typed::<BoolType>().write_batch(&values, Some(&defined), None).map_err(error)?;
                }
            }
            column.close().map_err(error)?;
            index += 1;
        }
        group.close().map_err(error)?;
        Ok(self.pending.take())
    }

    fn finish(self) -> Result<Vec<u8>, String> {
        let pending = self.pending.clone();
        self.writer.close().map_err(|e| e.to_string())?;
        Ok(pending.take())
    }
}

fn is_null(cell: &Cell) -> bool {
    matches!(cell, Cell::Text(None) | Cell::Int(None) | Cell::Float(None) | Cell::Bool(None) | Cell::Time(None))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exports::table::col;
    use chrono::TimeZone;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::RowAccessor;

    const COLUMNS: &[Column] =
        &[col("name", Kind::Text), col("n", Kind::Int), col("at", Kind::Time), col("ok", Kind::Bool)];

    fn rows() -> Vec<Row> {
        let at = chrono::Utc.with_ymd_and_hms(2026, 3, 1, 10, 0, 0).unwrap();
        vec![
            vec![
                Cell::Text(Some("a, \"quoted\"\nline".into())),
                Cell::Int(Some(1)),
                Cell::Time(Some(at)),
                Cell::Bool(Some(true)),
            ],
            vec![Cell::Text(None), Cell::Int(None), Cell::Time(None), Cell::Bool(None)],
        ]
    }

    fn encode(format: Format, pages: usize) -> Vec<u8> {
        let mut encoder = Encoder::new(format, COLUMNS).unwrap();
        let mut out = encoder.start();
        for _ in 0..pages {
            out.extend(encoder.page(&rows()).unwrap());
        }
        out.extend(encoder.finish().unwrap());
        out
    }

    #[test]
    fn csv_quotes_what_needs_it_and_leaves_nulls_empty() {
        let text = String::from_utf8(encode(Format::Csv, 1)).unwrap();
        assert_eq!(text, "name,n,at,ok\r\n\"a, \"\"quoted\"\"\nline\",1,2026-03-01T10:00:00.000000Z,true\r\n,,,\r\n");
    }

    #[test]
    fn ndjson_is_one_object_per_line_with_nulls() {
        let text = String::from_utf8(encode(Format::Ndjson, 1)).unwrap();
        let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines[0]["n"], 1);
        assert_eq!(lines[1], serde_json::json!({"name": null, "n": null, "at": null, "ok": null}));
    }

    #[test]
    fn parquet_pages_are_row_groups_a_reader_reads_back() {
        let path = std::env::temp_dir().join(format!("export-{}.parquet", uuid::Uuid::new_v4()));
        std::fs::write(&path, encode(Format::Parquet, 3)).unwrap();
        let reader = SerializedFileReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        std::fs::remove_file(&path).unwrap();
        assert_eq!(reader.metadata().num_row_groups(), 3);
        assert_eq!(reader.metadata().file_metadata().num_rows(), 6);
        let first = reader.get_row_iter(None).unwrap().next().unwrap().unwrap();
        assert_eq!(first.get_string(0).unwrap(), "a, \"quoted\"\nline");
        assert_eq!(first.get_long(1).unwrap(), 1);
    }
}
