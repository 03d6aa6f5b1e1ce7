//! Byte-level reading of one survey file: encoding (UTF-8 with or without BOM, or
//! Windows-1252), delimiter detection from the header record, and the checks the csv
//! crate does not make (NUL bytes, UTF-16, unterminated quotes) (SPEC §3, §9.13–15).
//!
//! The file is streamed: only the header record is held in memory while sniffing.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Cursor, Read};
use std::path::Path;

/// How the bytes of a file are decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (a BOM is stripped).
    Utf8,
    /// Windows-1252 (WHATWG table: every byte maps to a character).
    Windows1252,
}

impl Encoding {
    /// Parses `utf-8`, `utf8`, `windows-1252`, `cp1252`, `latin-1`, `latin1`, `iso-8859-1`.
    pub fn parse(s: &str) -> Option<Encoding> {
        match s.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "utf-8" | "utf8" => Some(Encoding::Utf8),
            "windows-1252" | "cp1252" | "latin-1" | "latin1" | "iso-8859-1" => {
                Some(Encoding::Windows1252)
            }
            _ => None,
        }
    }

    /// Display name.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// Largest header record accepted (100 000 columns of ~100 bytes fit).
pub const MAX_HEADER_BYTES: usize = 16 * 1024 * 1024;

/// An opened file, positioned at the start of the header, with its delimiter.
pub struct Opened {
    /// Reader over decoded UTF-8 bytes (header included).
    pub reader: Box<dyn Read + Send>,
    /// Detected or forced delimiter.
    pub delimiter: u8,
    /// True when the header record was empty (file has no content).
    pub empty: bool,
    /// True when a UTF-8 byte-order mark was skipped (decoded offsets start after it).
    pub bom: bool,
    /// Decoded bytes of the header line, line break included: where the rows start.
    pub header_len: u64,
}

/// Why a file cannot be read at all.
#[derive(Debug)]
pub enum OpenError {
    /// I/O failure.
    Io(io::Error),
    /// A NUL byte or UTF-16 text.
    NotText(String),
    /// The header record exceeds [`MAX_HEADER_BYTES`].
    HeaderTooLong,
}

/// Opens `path` decoding with `encoding`, and sniffs the delimiter unless forced.
pub fn open(path: &Path, encoding: Encoding, delimiter: Option<u8>) -> Result<Opened, OpenError> {
    let file = File::open(path).map_err(OpenError::Io)?;
    let mut buf = BufReader::with_capacity(256 * 1024, file);
    let start = buf.fill_buf().map_err(OpenError::Io)?;
    if start.starts_with(&[0xFF, 0xFE]) || start.starts_with(&[0xFE, 0xFF]) {
        return Err(OpenError::NotText(
            "the file is UTF-16 text (as saved by Excel's \"Unicode Text\")".into(),
        ));
    }
    // a binary file shows itself early; the header record alone may not reach the NUL
    if memchr::memchr(0, start).is_some() {
        return Err(OpenError::NotText("the file contains NUL bytes".into()));
    }
    let bom = start.starts_with(&[0xEF, 0xBB, 0xBF]);
    if bom {
        buf.consume(3);
    }
    let decoded: Box<dyn BufRead + Send> = match encoding {
        Encoding::Utf8 => Box::new(buf),
        Encoding::Windows1252 => Box::new(BufReader::with_capacity(
            256 * 1024,
            Win1252Reader::new(buf),
        )),
    };
    let (header, rest) = read_header_record(decoded)?;
    if header.contains(&0) {
        return Err(OpenError::NotText("the file contains NUL bytes".into()));
    }
    let empty = header.iter().all(|b| b.is_ascii_whitespace());
    let header_len = header.len() as u64;
    let delimiter = delimiter.unwrap_or_else(|| detect_delimiter(&header));
    // Stitch the sniffed header back in front of the rest of the stream.
    let reader: Box<dyn Read + Send> = Box::new(Cursor::new(header).chain(rest));
    Ok(Opened {
        reader,
        delimiter,
        empty,
        bom,
        header_len,
    })
}

/// Reads the first record (up to the first line break outside quotes).
fn read_header_record(
    mut r: Box<dyn BufRead + Send>,
) -> Result<(Vec<u8>, Box<dyn BufRead + Send>), OpenError> {
    let mut header = Vec::new();
    let mut in_quotes = false;
    loop {
        let chunk = r.fill_buf().map_err(OpenError::Io)?;
        if chunk.is_empty() {
            break;
        }
        let mut end = None;
        for (i, &b) in chunk.iter().enumerate() {
            match b {
                b'"' => in_quotes = !in_quotes,
                b'\n' if !in_quotes => {
                    end = Some(i + 1);
                    break;
                }
                _ => {}
            }
        }
        let take = end.unwrap_or(chunk.len());
        header.extend_from_slice(&chunk[..take]);
        r.consume(take);
        if header.len() > MAX_HEADER_BYTES {
            return Err(OpenError::HeaderTooLong);
        }
        if end.is_some() {
            break;
        }
    }
    Ok((header, r))
}

/// A csv reader as every part of a file is read with (`buffer`: its read buffer): no
/// header handling (the header is mapped separately), ragged rows allowed (they are
/// reported, not fatal).
pub fn csv_reader<R: Read>(delimiter: u8, buffer: usize, r: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(buffer)
        .from_reader(r)
}

/// Counts `,` `;` TAB outside quotes; the most frequent wins, ties in that order,
/// none found: `,` (SPEC §9.13).
pub fn detect_delimiter(header: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for &b in header {
        match b {
            b'"' => in_quotes = !in_quotes,
            b',' if !in_quotes => counts[0] += 1,
            b';' if !in_quotes => counts[1] += 1,
            b'\t' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    let candidates = [b',', b';', b'\t'];
    let mut best = 0;
    for i in 1..3 {
        if counts[i] > counts[best] {
            best = i;
        }
    }
    candidates[best]
}

/// Quote state of RFC 4180 parsing, as the csv crate applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum QuoteState {
    StartField,
    Unquoted,
    Quoted,
    QuoteInQuoted,
}

/// Tracks whether a byte stream ends inside a quoted field: the csv crate silently
/// swallows the rest of the file into such a field, SPEC §9.15 makes it an error.
#[derive(Debug, Clone, Copy)]
pub struct QuoteTracker {
    state: QuoteState,
    delimiter: u8,
}

impl QuoteTracker {
    /// Starts at a record boundary.
    pub fn new(delimiter: u8) -> Self {
        QuoteTracker {
            state: QuoteState::StartField,
            delimiter,
        }
    }

    /// Feeds bytes.
    pub fn feed(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.state = match (self.state, b) {
                (QuoteState::Quoted, b'"') => QuoteState::QuoteInQuoted,
                (QuoteState::Quoted, _) => QuoteState::Quoted,
                (QuoteState::QuoteInQuoted, b'"') => QuoteState::Quoted,
                (QuoteState::StartField, b'"') => QuoteState::Quoted,
                (_, b'\n' | b'\r') => QuoteState::StartField,
                (_, x) if x == self.delimiter => QuoteState::StartField,
                _ => QuoteState::Unquoted,
            };
        }
    }

    /// True when the bytes fed so far end inside a quoted field.
    pub fn in_open_quote(&self) -> bool {
        self.state == QuoteState::Quoted
    }
}

/// True when the decoded file, read from `offset` (the start of its last record) to the
/// end, ends inside a quoted field.
pub fn tail_in_open_quote(
    path: &Path,
    encoding: Encoding,
    offset: u64,
    delimiter: u8,
) -> io::Result<bool> {
    let file = File::open(path)?;
    let mut buf = BufReader::new(file);
    let start = buf.fill_buf()?;
    if start.starts_with(&[0xEF, 0xBB, 0xBF]) {
        buf.consume(3);
    }
    let mut decoded: Box<dyn Read> = match encoding {
        Encoding::Utf8 => Box::new(buf),
        Encoding::Windows1252 => Box::new(Win1252Reader::new(buf)),
    };
    io::copy(&mut decoded.by_ref().take(offset), &mut io::sink())?;
    let mut tracker = QuoteTracker::new(delimiter);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = decoded.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        tracker.feed(&chunk[..n]);
    }
    Ok(tracker.in_open_quote())
}

/// Streams Windows-1252 bytes as UTF-8.
pub struct Win1252Reader<R: Read> {
    inner: R,
    decoder: encoding_rs::Decoder,
    input: Vec<u8>,
    pending: Vec<u8>,
    pos: usize,
    eof: bool,
}

impl<R: Read> Win1252Reader<R> {
    /// Wraps a reader of Windows-1252 bytes.
    pub fn new(inner: R) -> Self {
        Win1252Reader {
            inner,
            decoder: encoding_rs::WINDOWS_1252.new_decoder_without_bom_handling(),
            input: vec![0; 64 * 1024],
            pending: Vec::with_capacity(4 * 64 * 1024),
            pos: 0,
            eof: false,
        }
    }
}

impl<R: Read> Read for Win1252Reader<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.pos >= self.pending.len() && !self.eof {
            let n = self.inner.read(&mut self.input)?;
            self.pending.clear();
            self.pos = 0;
            let last = n == 0;
            // Windows-1252 bytes decode to at most 3 UTF-8 bytes each.
            self.pending.resize(n * 3 + 16, 0);
            let (_, _, written, _) =
                self.decoder
                    .decode_to_utf8(&self.input[..n], &mut self.pending, last);
            self.pending.truncate(written);
            if last {
                self.eof = true;
            }
        }
        let avail = &self.pending[self.pos..];
        let k = avail.len().min(out.len());
        out[..k].copy_from_slice(&avail[..k]);
        self.pos += k;
        Ok(k)
    }
}

/// Physical line numbers for record offsets. The csv crate's own line counter skips
/// blank lines and miscounts CRLF, and the byte offset it gives for a record points
/// into the line breaks before it. So the reader side records every run of `\r`/`\n`
/// bytes with the number of line breaks in it, and a record's line is one more than
/// the line breaks of all runs that start at or before its reported offset (the run
/// that holds the offset ends where the record starts). Only runs inside the parser's
/// read-ahead window are kept.
#[derive(Debug, Default)]
pub struct LineIndex {
    read: u64,
    runs: std::collections::VecDeque<(u64, u64)>,
    open: Option<(u64, u64, u64)>,
    line: u64,
    newlines: u64,
}

impl LineIndex {
    /// The 1-based physical line of the record the csv crate reports at `offset`;
    /// offsets must not decrease between calls.
    pub fn line_at(&mut self, offset: u64) -> u64 {
        while let Some(&(start, breaks)) = self.runs.front() {
            if start <= offset {
                self.line += breaks;
                self.runs.pop_front();
            } else {
                break;
            }
        }
        if let Some((start, _, breaks)) = self.open {
            if start <= offset {
                self.line += breaks;
                self.open = None;
            }
        }
        self.line + 1
    }

    fn feed(&mut self, chunk: &[u8]) {
        let base = self.read;
        for i in memchr::memchr2_iter(b'\n', b'\r', chunk) {
            let pos = base + i as u64;
            let nl = u64::from(chunk[i] == b'\n');
            self.newlines += nl;
            match &mut self.open {
                Some((_, end, breaks)) if *end == pos => {
                    *end = pos + 1;
                    *breaks += nl;
                }
                _ => {
                    if let Some((start, _, breaks)) = self.open.take() {
                        self.runs.push_back((start, breaks));
                    }
                    self.open = Some((pos, pos + 1, nl));
                }
            }
        }
        self.read += chunk.len() as u64;
    }
}

/// A reader that records the line breaks it passes in its [`LineIndex`]; the csv
/// reader owns it, so line numbers are asked through `csv::Reader::get_mut`.
pub struct LineCounting<R> {
    inner: R,
    index: LineIndex,
}

impl<R: Read> LineCounting<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> Self {
        LineCounting {
            inner,
            index: LineIndex::default(),
        }
    }

    /// The physical line of the record the csv crate reports at `offset`.
    pub fn line_at(&mut self, offset: u64) -> u64 {
        self.index.line_at(offset)
    }

    /// Bytes passed through so far.
    pub fn bytes_read(&self) -> u64 {
        self.index.read
    }

    /// Line feeds passed through so far.
    pub fn newlines(&self) -> u64 {
        self.index.newlines
    }

    /// The wrapped reader.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }

    /// The wrapped reader, mutably.
    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }
}

impl<R: Read> Read for LineCounting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.index.feed(&buf[..n]);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(detect_delimiter(b"a,b,c\n"), b',');
        assert_eq!(detect_delimiter(b"a;b;c\n"), b';');
        assert_eq!(detect_delimiter(b"a\tb\tc\n"), b'\t');
        assert_eq!(detect_delimiter(b"\"a;b\",c\n"), b',');
        assert_eq!(detect_delimiter(b"a;b,c\n"), b',');
        assert_eq!(detect_delimiter(b"abc\n"), b',');
    }

    #[test]
    fn open_quote_detection() {
        let open = |b: &[u8]| {
            let mut t = QuoteTracker::new(b',');
            t.feed(b);
            t.in_open_quote()
        };
        assert!(open(b"1,\"abc\n2,3\n"));
        assert!(!open(b"1,\"a\"\"b\"\n"));
        assert!(!open(b"1,ab\"c\n"));
        assert!(!open(b"1,\"multi\nline\"\n"));
    }

    fn lines_of(data: &[u8]) -> Vec<u64> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(8)
            .from_reader(LineCounting::new(data));
        let mut rec = csv::ByteRecord::new();
        let mut out = Vec::new();
        while rdr.read_byte_record(&mut rec).unwrap() {
            let offset = rec.position().unwrap().byte();
            out.push(rdr.get_mut().line_at(offset));
        }
        out
    }

    #[test]
    fn physical_line_numbers() {
        assert_eq!(lines_of(b"h,q\n1,a\n\n2,b\n\n\nx\n"), vec![1, 2, 4, 7]);
        assert_eq!(
            lines_of(b"h,q\r\n1,a\r\n\r\n2,\"b\r\nc\"\r\nx\r\n"),
            vec![1, 2, 4, 6]
        );
        assert_eq!(lines_of(b"h,q\r\n1,a\r\n2,b"), vec![1, 2, 3]);
    }

    #[test]
    fn win1252_decodes_umlauts() {
        let mut r = Win1252Reader::new(&b"Gr\xfc\xdfe \x80"[..]);
        let mut s = String::new();
        r.read_to_string(&mut s).unwrap();
        assert_eq!(s, "Grüße €");
    }
}
