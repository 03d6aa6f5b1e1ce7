//! Reading one large file with two threads, each counting one half.
//!
//! CSV cannot be cut at an arbitrary line break: a quoted cell may hold line breaks.
//! So the second thread first counts the quote characters in the first half and
//! starts at the first line break after the middle with an even number of quotes
//! before it (outside any quoted field, as RFC 4180 quoting goes), while the first
//! thread is already reading. The first thread's reader ([`FirstHalf`]) ends exactly
//! there; the reading side then verifies the cut with the same quote tracking the
//! end-of-file check uses, and a file whose cut is not a record boundary (a stray `"`
//! inside an unquoted cell can fool the count) or whose halves share a respondent id
//! is read again by one thread. Both halves count into their own tallies, merged in
//! file order, so the result is the same as a single pass: integer counts exactly, and
//! means and variances up to floating-point rounding.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, SyncSender};

use super::reader::{csv_reader, LineCounting, QuoteTracker};
use super::rows::{Chunk, Counted, FilePlan, Stop};

/// Files with fewer bytes of rows than this are read by one thread: below it, the
/// second thread costs about as much as it saves.
pub const MIN_SPLIT_BYTES: u64 = 4 << 20;

/// How far past the middle a cut is looked for before giving up.
const SEARCH_LIMIT: u64 = 64 << 20;

/// The middle of the rows between decoded offsets `data_start` and `end`, moved a
/// little towards the end: the second thread spends the first moments counting quotes.
pub fn middle(data_start: u64, end: u64) -> u64 {
    let len = end.saturating_sub(data_start);
    data_start + len / 2 + len / 64
}

/// Where the second half of a file is read from, for [`count_rows`].
pub struct SecondHalf<'a> {
    pub path: &'a Path,
    /// Bytes before decoded offset 0 (a BOM).
    pub skip: u64,
    /// Decoded offset where the rows start.
    pub data_start: u64,
    /// The middle the first half's reader was told about ([`FirstHalf::expect_cut`]).
    pub mid: u64,
    pub delimiter: u8,
    /// Tells the first half's reader where to end.
    pub cut: SyncSender<Option<u64>>,
}

impl SecondHalf<'_> {
    /// Finds the cut, tells the first half, and counts from there: the cut and the
    /// counts (lines counted from the cut), or `None` when there is no second half.
    fn count(self, plan: &FilePlan<'_>) -> Option<(u64, Counted)> {
        let cut = split_point(self.path, self.skip, self.data_start, self.mid)
            .ok()
            .flatten();
        let _ = self.cut.send(cut);
        let cut = cut?;
        let mut file = File::open(self.path).ok()?;
        file.seek(SeekFrom::Start(self.skip + cut)).ok()?;
        let mut rdr = csv_reader(
            self.delimiter,
            64 * 1024,
            LineCounting::new(BufReader::with_capacity(256 * 1024, file)),
        );
        Some((cut, Chunk::new(plan).run(&mut rdr, 0)))
    }
}

/// Counts the rows of a file whose header `rdr` has read: by this thread alone, or,
/// with `second`, together with a thread reading the second half. Returns the counts in
/// file order and whether two threads read them; a stretch that stopped at a fatal
/// problem is returned as it is (the first half's problem first). `None`: the halves
/// cannot be used (the cut is no record boundary, or they share a respondent id) and
/// the file must be read again by one thread.
pub(super) fn count_rows<R: Read>(
    plan: &FilePlan<'_>,
    rdr: &mut csv::Reader<LineCounting<FirstHalf<R>>>,
    header_offset: u64,
    second: Option<SecondHalf<'_>>,
) -> Option<(Counted, bool)> {
    let place = second.as_ref().map(|s| (s.path, s.skip, s.delimiter));
    let (mut first, second) = std::thread::scope(|scope| {
        let handle = second.map(|s| scope.spawn(move || s.count(plan)));
        let first = Chunk::new(plan).run(rdr, header_offset);
        if !matches!(first.stop, Stop::End) {
            plan.cancel.store(true, Ordering::Relaxed);
        }
        (first, handle.and_then(|h| h.join().ok().flatten()))
    });
    let cut = rdr.get_ref().get_ref().cut();
    let (Some(cut), Some((path, skip, delimiter)), Stop::End) = (cut, place, &first.stop) else {
        return Some((first, false));
    };
    let mut b = second.filter(|(c, _)| *c == cut).map(|(_, b)| b)?;
    let boundary = cut_is_boundary(path, skip, first.last_offset, cut, delimiter).unwrap_or(false);
    let shared_ids = b.departments.iter().any(|(_, ids, hash)| {
        first
            .departments
            .iter()
            .any(|(_, a, h)| h == hash && a.intersects(ids))
    });
    if !boundary || shared_ids {
        return None;
    }
    b.shift_lines(rdr.get_ref().newlines());
    first.absorb(b, cut);
    Some((first, true))
}

/// Where the second half starts (a decoded offset), or `None` when the file should be
/// read by one thread. `skip` is the number of bytes before decoded offset 0 (a BOM).
pub fn split_point(path: &Path, skip: u64, data_start: u64, mid: u64) -> io::Result<Option<u64>> {
    let mut file = File::open(path)?;
    let end = file.metadata()?.len().saturating_sub(skip);
    if mid <= data_start || mid >= end {
        return Ok(None);
    }
    file.seek(SeekFrom::Start(skip + data_start))?;
    let mut buf = vec![0u8; 1 << 20];
    let mut pos = data_start;
    let mut quotes = 0u64;
    while pos < mid {
        let want = (mid - pos).min(buf.len() as u64) as usize;
        let n = file.read(&mut buf[..want])?;
        if n == 0 {
            return Ok(None);
        }
        quotes += memchr::memchr_iter(b'"', &buf[..n]).count() as u64;
        pos += n as u64;
    }
    while pos < mid + SEARCH_LIMIT {
        let n = file.read(&mut buf)?;
        if n == 0 {
            return Ok(None);
        }
        for i in memchr::memchr2_iter(b'"', b'\n', &buf[..n]) {
            if buf[i] == b'"' {
                quotes += 1;
            } else if quotes.is_multiple_of(2) {
                let cut = pos + i as u64 + 1;
                return Ok((cut < end).then_some(cut));
            }
        }
        pos += n as u64;
    }
    Ok(None)
}

/// True when the decoded bytes from `from` to `to` (a record start and the cut) end
/// outside a quoted field, i.e. the cut is a record boundary.
pub fn cut_is_boundary(
    path: &Path,
    skip: u64,
    from: u64,
    to: u64,
    delimiter: u8,
) -> io::Result<bool> {
    let mut file = File::open(path)?;
    file.seek(SeekFrom::Start(skip + from))?;
    let mut tracker = QuoteTracker::new(delimiter);
    let mut left = to.saturating_sub(from);
    let mut buf = vec![0u8; 64 * 1024];
    while left > 0 {
        let want = left.min(buf.len() as u64) as usize;
        let n = file.read(&mut buf[..want])?;
        if n == 0 {
            break;
        }
        tracker.feed(&buf[..n]);
        left -= n as u64;
    }
    Ok(!tracker.in_open_quote() && left == 0)
}

/// The first half's reader: passes bytes through up to the cut. Until the second
/// thread has found the cut, it passes bytes up to the middle (the cut lies after it)
/// and then waits for it.
pub struct FirstHalf<R> {
    inner: R,
    pos: u64,
    /// Readable up to here without knowing the cut.
    safe: u64,
    /// The cut, once known (`u64::MAX`: none, read everything).
    limit: Option<u64>,
    cut: Option<Receiver<Option<u64>>>,
}

impl<R: Read> FirstHalf<R> {
    /// Passes everything through until [`FirstHalf::expect_cut`] is called.
    pub fn new(inner: R) -> Self {
        FirstHalf {
            inner,
            pos: 0,
            safe: u64::MAX,
            limit: Some(u64::MAX),
            cut: None,
        }
    }

    /// From now on, ends at the cut that arrives on `cut`; bytes up to `mid` may be read
    /// before it arrives. Call it only once the sender is sure to send (or be dropped),
    /// and while [`FirstHalf::position`] is at most `mid`.
    pub fn expect_cut(&mut self, mid: u64, cut: Receiver<Option<u64>>) {
        self.safe = mid;
        self.limit = None;
        self.cut = Some(cut);
    }

    /// Bytes passed through so far.
    pub fn position(&self) -> u64 {
        self.pos
    }

    /// The cut the reader ended at, if any.
    pub fn cut(&self) -> Option<u64> {
        self.limit.filter(|&l| l != u64::MAX)
    }
}

impl<R: Read> Read for FirstHalf<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let cap = loop {
            match self.limit {
                Some(l) => break l,
                None if self.pos < self.safe => break self.safe,
                None => {
                    let cut = self.cut.as_ref().and_then(|rx| rx.recv().ok()).flatten();
                    self.limit = Some(cut.unwrap_or(u64::MAX));
                }
            }
        };
        let room = cap.saturating_sub(self.pos).min(buf.len() as u64) as usize;
        if room == 0 {
            return Ok(0);
        }
        let n = self.inner.read(&mut buf[..room])?;
        self.pos += n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file(content: &[u8]) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(content).unwrap();
        f
    }

    #[test]
    fn the_cut_is_outside_quoted_line_breaks() {
        // rows 2 and 3 share a quoted cell with a line break right after the middle
        let content = b"h,t\n1,a\n2,\"x\ny\"\n3,b\n4,c\n";
        let f = file(content);
        let data_start = 4;
        // middle inside row 2's quoted cell: the cut skips its inner line break
        let mid = 11;
        assert_eq!(&content[mid as usize..mid as usize + 1], b"x");
        let cut = split_point(f.path(), 0, data_start, mid).unwrap().unwrap();
        assert_eq!(&content[cut as usize..], b"3,b\n4,c\n");
        assert!(cut_is_boundary(f.path(), 0, 8, cut, b',').unwrap());
        // a cut inside the quoted cell is not a boundary
        assert!(!cut_is_boundary(f.path(), 0, 8, 14, b',').unwrap());
        // no cut in the last line
        assert_eq!(split_point(f.path(), 0, data_start, 22).unwrap(), None);
    }

    #[test]
    fn the_first_half_ends_at_the_cut() {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let mut r = FirstHalf::new(&b"0123456789"[..]);
        r.expect_cut(4, rx);
        let mut buf = [0u8; 3];
        assert_eq!(r.read(&mut buf).unwrap(), 3);
        tx.send(Some(6)).unwrap();
        let mut rest = Vec::new();
        r.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"345");
        assert_eq!(r.cut(), Some(6));
    }
}
