//! The reading half of the ingest pipeline: a thread that parses CSV records, checks
//! them for NUL bytes and invalid UTF-8, finds their physical line, and parses the
//! question cells, handing the rows on in recycled batches. The counting half (row
//! checks, departments, tallies) runs on the caller's thread, so a large file keeps
//! both cores busy while rows are still processed strictly in file order.

use std::io::Read;
use std::sync::mpsc::{Receiver, SyncSender};

use super::cells::{CellParser, ColumnCache, Parsed};
use super::reader::LineCounting;

/// Rows per batch: large enough to make channel traffic negligible, small enough to
/// keep memory flat.
const BATCH_ROWS: usize = 128;

/// Batches in circulation: the channel holds 4, one is filled, one is counted.
const POOL: usize = 6;

/// A batch of consecutive rows.
#[derive(Default)]
pub struct Batch {
    /// The records (reused between batches).
    pub records: Vec<csv::ByteRecord>,
    /// Physical line of each row.
    pub lines: Vec<u64>,
    /// Rows in use.
    pub len: usize,
    /// Parsed question cells, `len × columns`, row by row.
    pub parsed: Vec<Parsed>,
    /// Per row: cells with an answer (valid or don't know), invalid cells.
    pub tallies: Vec<(u32, u32)>,
    /// Messages of invalid cells: (row, column index in the plan, message).
    pub messages: Vec<(usize, usize, String)>,
    /// Bytes of the (decoded) file read so far, for progress display.
    pub bytes_read: u64,
}

impl Batch {
    fn clear(&mut self) {
        self.len = 0;
        self.lines.clear();
        self.parsed.clear();
        self.tallies.clear();
        self.messages.clear();
    }

    /// The message of an invalid cell of row `row`, column `k`.
    pub fn message(&self, row: usize, k: usize) -> &str {
        self.messages
            .iter()
            .find(|(r, c, _)| *r == row && *c == k)
            .map(|(_, _, m)| m.as_str())
            .unwrap_or("not a valid answer")
    }
}

/// What the reading thread sends.
pub enum Msg {
    /// More rows.
    Rows(Batch),
    /// The end of the file: the byte offset and line of the last record.
    End {
        /// Offset of the last record (for the unterminated-quote check).
        last_offset: u64,
        /// Its line.
        last_line: u64,
    },
    /// The CSV cannot be parsed at this line.
    Unparsable {
        /// Line.
        line: u64,
        /// The csv crate's message.
        message: String,
    },
    /// A NUL byte at this line.
    Nul {
        /// Line.
        line: u64,
    },
    /// Invalid UTF-8 at this line.
    NotUtf8 {
        /// Line.
        line: u64,
    },
}

/// The reading thread's state.
pub struct Producer<R: Read> {
    /// The csv reader, positioned after the header.
    pub rdr: csv::Reader<LineCounting<R>>,
    /// Per question column: (column index, scale index).
    pub columns: Vec<(usize, usize)>,
    /// Width of the header (for the blank-line rule).
    pub header_len: usize,
    /// Offset of the header record.
    pub last_offset: u64,
}

impl<R: Read> Producer<R> {
    /// Reads to the end of the file (or the first fatal problem), sending batches.
    /// Stops early when the receiver hangs up.
    pub fn run(mut self, parsers: &[CellParser], tx: SyncSender<Msg>, back: Receiver<Batch>) {
        let mut caches: Vec<ColumnCache> = self
            .columns
            .iter()
            .map(|_| ColumnCache::default())
            .collect();
        let ncols = self.columns.len();
        // Batches circulate between the threads; after the first few, wait for one
        // to come back instead of allocating new records.
        let mut created = 0usize;
        loop {
            let mut batch = match back.try_recv() {
                Ok(b) => b,
                Err(_) if created < POOL => {
                    created += 1;
                    Batch::default()
                }
                Err(_) => match back.recv() {
                    Ok(b) => b,
                    Err(_) => return,
                },
            };
            batch.clear();
            let mut eof = false;
            while batch.len < BATCH_ROWS {
                if batch.records.len() <= batch.len {
                    batch.records.push(csv::ByteRecord::new());
                }
                let record = &mut batch.records[batch.len];
                match self.rdr.read_byte_record(record) {
                    Ok(true) => {}
                    Ok(false) => {
                        eof = true;
                        break;
                    }
                    Err(e) => {
                        let offset = e.position().map(|p| p.byte()).unwrap_or(self.last_offset);
                        let line = self.rdr.get_mut().line_at(offset);
                        let _ = tx.send(Msg::Unparsable {
                            line,
                            message: e.to_string(),
                        });
                        return;
                    }
                }
                self.last_offset = record
                    .position()
                    .map(|p| p.byte())
                    .unwrap_or(self.last_offset);
                let line = self.rdr.get_mut().line_at(self.last_offset);
                let bytes = record.as_slice();
                if memchr::memchr(0, bytes).is_some() {
                    let _ = tx.send(Msg::Nul { line });
                    return;
                }
                if std::str::from_utf8(bytes).is_err() {
                    let _ = tx.send(Msg::NotUtf8 { line });
                    return;
                }
                // a line of only white space is a blank line, not a row
                if record.len() == 1
                    && self.header_len > 1
                    && bytes.iter().all(u8::is_ascii_whitespace)
                {
                    continue;
                }
                let row = batch.len;
                let (mut answered, mut invalid) = (0u32, 0u32);
                for (k, &(column, scale)) in self.columns.iter().enumerate() {
                    let raw = record.get(column).unwrap_or_default();
                    let cell = caches[k].parse(&parsers[scale], raw);
                    match cell {
                        Parsed::Category(_) | Parsed::Value(_) | Parsed::DontKnow => answered += 1,
                        Parsed::Invalid(id) => {
                            invalid += 1;
                            batch
                                .messages
                                .push((row, k, caches[k].message(id).to_string()));
                        }
                        Parsed::Empty => {}
                    }
                    batch.parsed.push(cell);
                }
                if invalid > 0 {
                    caches.iter_mut().for_each(ColumnCache::end_row);
                }
                debug_assert_eq!(batch.parsed.len(), (row + 1) * ncols);
                batch.tallies.push((answered, invalid));
                batch.lines.push(line);
                batch.len += 1;
            }
            batch.bytes_read = self.rdr.get_ref().bytes_read();
            if batch.len > 0 && tx.send(Msg::Rows(batch)).is_err() {
                return;
            }
            if eof {
                let last_line = self.rdr.get_mut().line_at(self.last_offset);
                let _ = tx.send(Msg::End {
                    last_offset: self.last_offset,
                    last_line,
                });
                return;
            }
        }
    }
}
