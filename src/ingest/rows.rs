//! The row loop: reads the CSV records of one stretch of a file (the whole file, or one
//! of two halves read side by side, see [`super::split`]), checks each row (SPEC §9.17
//! order: field count, department, no answers, duplicate id) and adds the used ones to
//! per-department counters.
//!
//! This is the hot path of the tool, so the per-cell work is kept to a cached cell
//! look-up and a few additions into one flat counter array per department; everything
//! that can be resolved once per file (which column is which question, category
//! weights, offsets) is resolved in [`FilePlan`] before the first row.

use std::io::Read;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use rustc_hash::{FxHashMap, FxHasher};
use std::hash::{Hash, Hasher};

use super::cells::{CellParser, ColumnCache, Parsed};
use super::ids::{DeptIds, IdKey, IdRegistry};
use super::reader::LineCounting;
use super::tally::{DepartmentTally, Patterns};
use super::{Problem, ProblemKind, ProgressHook};
use crate::questionnaire::Questionnaire;
use crate::stats::Welford;
use crate::text::{normalize_display, shorten};

/// Per question in a department's counter array: empty, don't know, invalid, other
/// valid answers (numeric scales), then one counter per category. A cell's code is
/// its counter's position.
const EMPTY: u8 = 0;
const DONT_KNOW: u8 = 1;
const INVALID: usize = 2;
const NUMERIC: usize = 3;
pub(super) const FIXED: usize = 4;
/// The code of a cell counted apart from the fast path (numeric and invalid cells).
const SPECIAL: u8 = u8::MAX;
/// A one-byte cell whose code is not known yet.
const UNSEEN: u8 = u8::MAX - 1;

/// Non-full answer patterns collected per department and area before they are sorted
/// into its [`Patterns`] in one merge: at least this many, and at least a quarter of
/// the patterns already there (so that merging stays O(log n) a respondent).
const PATTERN_BATCH: usize = 64;

/// Records between checks for progress and cancellation.
const TICK: u32 = 2048;

/// Everything the row loop needs about one question column, resolved once per file.
pub(super) struct ColumnPlan {
    /// Column index in the file.
    pub column: usize,
    /// Question index.
    pub question: usize,
    /// Scale index (for the cell parser).
    pub scale: usize,
    /// Area index.
    pub area: usize,
    /// The question's bit in the area's answer pattern.
    pub bit: u64,
    /// Start of the question's counters in a department's counter array.
    pub offset: usize,
    /// weight × x per category, after reverse coding.
    pub wx: Vec<f64>,
    /// Categories counted on the fast path (all that fit a one-byte code).
    pub fast: usize,
    /// Reverse coding (numeric scales).
    pub reverse: bool,
    /// Question weight.
    pub weight: f64,
}

/// What is fixed while one file is read, shared by the threads reading it.
pub(super) struct FilePlan<'a> {
    pub q: &'a Questionnaire,
    pub parsers: &'a [CellParser],
    /// The file as named in problems.
    pub shown_path: &'a str,
    /// The header as written.
    pub header: &'a [String],
    /// Question columns, in file order.
    pub plans: &'a [ColumnPlan],
    pub dept_col: Option<usize>,
    pub id_col: Option<usize>,
    /// The submit-date column, when incomplete responses are to be rejected.
    pub submit_col: Option<usize>,
    /// The department of every row (normalised, not empty), when not taken from a
    /// column.
    pub fixed_dept: Option<&'a str>,
    /// Start of each question's counters in a department's counter array, and the
    /// array's length at the end.
    pub offsets: &'a [usize],
    /// Per area: the answer pattern of a respondent who answered every question.
    pub full_masks: &'a [u64],
    /// Ids of earlier files of the wave.
    pub prior_ids: &'a IdRegistry,
    /// Progress: the hook, the file's index and size, and the bytes read so far by
    /// every thread reading the file.
    pub progress: Option<(&'a ProgressHook, usize, u64, &'a AtomicU64)>,
    /// Set when another thread reading the file stopped at a fatal problem.
    pub cancel: &'a AtomicBool,
}

/// One department's counters within a stretch of a file.
struct Counters {
    /// The department's slot in `Chunk::slots`.
    slot: usize,
    respondents: u64,
    /// Rows counted into `cells` since they were last moved into `totals`.
    pending: u16,
    /// Per question, at its offset: see [`EMPTY`] … [`FIXED`]. 16-bit counters keep
    /// the arrays of hundreds of departments small enough for the CPU caches (which
    /// matters more than anything else in this loop); they are moved into `totals`
    /// after every 65,535 rows of the department, before they could overflow.
    cells: Vec<u16>,
    /// Counts moved out of `cells`.
    totals: Vec<u64>,
    /// Per question: x of numeric answers.
    values: Vec<Welford>,
    /// Per area: the answer patterns.
    patterns: Vec<Patterns>,
    /// Per area: patterns not yet merged into `patterns`; below 2^32 (areas of at most
    /// 32 questions) and wider ones.
    batch: Vec<Vec<u32>>,
    wide_batch: Vec<Vec<u64>>,
    /// Per area: the pattern of every question answered, and how many respondents had
    /// it (most do; counted here, next to the other counters, and added to `patterns`
    /// at the end).
    full: Vec<u64>,
    full_count: Vec<u64>,
    /// Per area: the respondent-level area index.
    area_index: Vec<Welford>,
}

impl Counters {
    fn cell_total(&self, i: usize) -> u64 {
        u64::from(self.cells[i]) + self.totals.get(i).copied().unwrap_or(0)
    }

    fn flush_cells(&mut self) {
        if self.totals.is_empty() {
            self.totals = vec![0; self.cells.len()];
        }
        for (t, c) in self.totals.iter_mut().zip(self.cells.iter_mut()) {
            *t = t.saturating_add(u64::from(*c));
            *c = 0;
        }
        self.pending = 0;
    }

    fn flush_patterns(&mut self, area: usize, scratch: &mut Vec<(u64, u64)>) {
        let batch = &mut self.batch[area];
        if !batch.is_empty() {
            self.patterns[area].add_batch(batch, scratch);
        }
        let wide = &mut self.wide_batch[area];
        if !wide.is_empty() {
            self.patterns[area].add_batch(wide, scratch);
        }
    }
}

/// A department name met in a stretch of a file.
struct Slot<'a> {
    name: String,
    /// Hash of the name: the key of its ids in the wave's [`IdRegistry`].
    hash: u64,
    /// Index in `Chunk::counters`, once a row of it was used.
    counters: Option<usize>,
    /// Ids claimed in this stretch.
    ids: DeptIds,
    /// Ids of earlier files.
    prior: Option<&'a DeptIds>,
}

/// Why a stretch ended.
pub(super) enum Stop {
    /// Its end was reached.
    End,
    /// The CSV cannot be parsed at this line.
    Unparsable { line: u64, message: String },
    /// A NUL byte at this line.
    Nul { line: u64 },
    /// Invalid UTF-8 at this line.
    NotUtf8 { line: u64 },
    /// Another thread asked to stop.
    Cancelled,
}

/// The row accounting of a stretch (SPEC §3: read = used + rejected).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct RowCounts {
    pub read: u64,
    pub used: u64,
    pub rejected: u64,
    /// Of the rejected: incomplete survey responses.
    pub incomplete: u64,
    /// Invalid cells in used rows.
    pub invalid_cells: u64,
}

/// The counts of one stretch of a file.
pub(super) struct Counted {
    /// Departments in order of first use: tally, ids claimed, name hash.
    pub departments: Vec<(DepartmentTally, DeptIds, u64)>,
    pub problems: Vec<Problem>,
    pub rows: RowCounts,
    /// Why it ended.
    pub stop: Stop,
    /// Offset (from the stretch's start) and line of its last record.
    pub last_offset: u64,
    pub last_line: u64,
}

impl Counted {
    /// Moves the line numbers of a stretch that starts after `lines` line breaks.
    pub fn shift_lines(&mut self, lines: u64) {
        self.problems.iter_mut().for_each(|p| p.line += lines);
        self.last_line += lines;
        match &mut self.stop {
            Stop::Unparsable { line, .. } | Stop::Nul { line } | Stop::NotUtf8 { line } => {
                *line += lines
            }
            Stop::End | Stop::Cancelled => {}
        }
    }

    /// Adds the counts of the stretch that follows this one, starting at offset `cut`.
    pub fn absorb(&mut self, next: Counted, cut: u64) {
        self.problems.extend(next.problems);
        let (a, b) = (&mut self.rows, next.rows);
        a.read += b.read;
        a.used += b.used;
        a.rejected += b.rejected;
        a.incomplete += b.incomplete;
        a.invalid_cells += b.invalid_cells;
        for (tally, ids, hash) in next.departments {
            match self
                .departments
                .iter_mut()
                .find(|(t, _, h)| *h == hash && t.name == tally.name)
            {
                Some((t, i, _)) => {
                    t.merge(&tally);
                    i.extend(ids);
                }
                None => self.departments.push((tally, ids, hash)),
            }
        }
        self.stop = next.stop;
        self.last_offset = cut + next.last_offset;
        self.last_line = next.last_line;
    }
}

/// The state of the row loop over one stretch.
pub(super) struct Chunk<'a> {
    plan: &'a FilePlan<'a>,
    slots: Vec<Slot<'a>>,
    /// Department name → its slot.
    slot_index: FxHashMap<String, usize>,
    raw_depts: FxHashMap<Vec<u8>, Option<usize>>,
    counters: Vec<Counters>,
    caches: Vec<ColumnCache>,
    /// The codes of the row's cells, and the cells counted apart (plan index, cell).
    codes: Vec<u8>,
    special: Vec<(usize, Parsed)>,
    /// Per question column: the code of each one-byte cell seen so far.
    byte_codes: Vec<[u8; 256]>,
    masks: Vec<u64>,
    scratch: Vec<(u64, u64)>,
    sums: Vec<(f64, f64)>,
    dirty: bool,
    problems: Vec<Problem>,
    rows: RowCounts,
}

impl<'a> Chunk<'a> {
    /// An empty stretch for `plan`.
    pub fn new(plan: &'a FilePlan<'a>) -> Self {
        let areas = plan.q.areas.len();
        let mut chunk = Chunk {
            plan,
            slots: Vec::new(),
            slot_index: FxHashMap::default(),
            raw_depts: FxHashMap::default(),
            counters: Vec::new(),
            caches: plan.plans.iter().map(|_| ColumnCache::default()).collect(),
            codes: Vec::with_capacity(plan.plans.len()),
            special: Vec::new(),
            byte_codes: vec![[UNSEEN; 256]; plan.plans.len()],
            masks: vec![0; areas],
            scratch: Vec::new(),
            sums: vec![(0.0, 0.0); areas],
            dirty: false,
            problems: Vec::new(),
            rows: RowCounts::default(),
        };
        if let Some(d) = plan.fixed_dept {
            chunk.slot_of(d.to_string());
        }
        chunk
    }

    /// Reads records until the reader ends (or a fatal problem), counting the rows;
    /// `last_offset` is where the last record read so far (the header) started. Line
    /// numbers count from the reader's start (see [`Counted::shift_lines`]).
    pub fn run<R: Read>(
        mut self,
        rdr: &mut csv::Reader<LineCounting<R>>,
        mut last_offset: u64,
    ) -> Counted {
        let mut record = csv::ByteRecord::new();
        let header_len = self.plan.header.len();
        let mut tick = 0u32;
        let mut reported = rdr.get_ref().bytes_read();
        let stop = loop {
            tick += 1;
            if tick == TICK {
                tick = 0;
                if self.plan.cancel.load(Ordering::Relaxed) {
                    break Stop::Cancelled;
                }
                if let Some((hook, file, size, total)) = self.plan.progress {
                    let now = rdr.get_ref().bytes_read();
                    let all = total.fetch_add(now - reported, Ordering::Relaxed) + now - reported;
                    reported = now;
                    (hook.0)(file, all, size);
                }
            }
            match rdr.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break Stop::End,
                Err(e) => {
                    let offset = e.position().map(|p| p.byte()).unwrap_or(last_offset);
                    let line = rdr.get_mut().line_at(offset);
                    break Stop::Unparsable {
                        line,
                        message: e.to_string(),
                    };
                }
            }
            last_offset = record.position().map(|p| p.byte()).unwrap_or(last_offset);
            let line = rdr.get_mut().line_at(last_offset);
            let bytes = record.as_slice();
            if memchr::memchr(0, bytes).is_some() {
                break Stop::Nul { line };
            }
            if std::str::from_utf8(bytes).is_err() {
                break Stop::NotUtf8 { line };
            }
            // a line of only white space is a blank line, not a row
            if record.len() == 1 && header_len > 1 && bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.row(&record, line);
        };
        if let Some((_, _, _, total)) = self.plan.progress {
            total.fetch_add(rdr.get_ref().bytes_read() - reported, Ordering::Relaxed);
        }
        let last_line = rdr.get_mut().line_at(last_offset);
        self.finish(stop, last_offset, last_line)
    }

    /// The slot of a department name (added when new).
    fn slot_of(&mut self, name: String) -> usize {
        if let Some(&i) = self.slot_index.get(&name) {
            return i;
        }
        self.slot_index.insert(name.clone(), self.slots.len());
        let mut h = FxHasher::default();
        name.hash(&mut h);
        let hash = h.finish();
        self.slots.push(Slot {
            name,
            hash,
            counters: None,
            ids: DeptIds::default(),
            prior: self.plan.prior_ids.get(hash),
        });
        self.slots.len() - 1
    }

    fn reject(&mut self, kind: ProblemKind, line: u64, message: String) {
        self.rows.rejected += 1;
        if kind == ProblemKind::Incomplete {
            self.rows.incomplete += 1;
        }
        self.problems.push(Problem {
            kind,
            file: self.plan.shown_path.to_string(),
            line,
            column: None,
            question: None,
            value: None,
            message,
        });
    }

    /// Checks one row and counts it when it is used.
    fn row(&mut self, record: &csv::ByteRecord, line: u64) {
        let plan = self.plan;
        self.rows.read += 1;
        if record.len() != plan.header.len() {
            let msg = format!(
                "the row has {} fields, the header has {}",
                record.len(),
                plan.header.len()
            );
            return self.reject(ProblemKind::Row, line, msg);
        }
        if let Some(c) = plan.submit_col {
            if record
                .get(c)
                .is_none_or(|v| v.iter().all(u8::is_ascii_whitespace))
            {
                let msg = "incomplete response: `submitdate` is empty".to_string();
                return self.reject(ProblemKind::Incomplete, line, msg);
            }
        }
        // department: raw cell → slot, normalised once per distinct value
        let slot = if plan.fixed_dept.is_some() {
            Some(0)
        } else if let Some(c) = plan.dept_col {
            let raw = record.get(c).unwrap_or_default();
            match self.raw_depts.get(raw) {
                Some(v) => *v,
                None => {
                    let name = normalize_display(std::str::from_utf8(raw).unwrap_or_default());
                    let v = (!name.is_empty()).then(|| self.slot_of(name));
                    if self.raw_depts.len() < 100_000 {
                        self.raw_depts.insert(raw.to_vec(), v);
                    }
                    v
                }
            }
        } else {
            None
        };
        let Some(slot) = slot else {
            let msg = format!(
                "no department: the cell in column `{}` is empty",
                plan.dept_col
                    .map(|c| shorten(&plan.header[c], 60))
                    .unwrap_or_default()
            );
            return self.reject(ProblemKind::Row, line, msg);
        };
        // parse every question cell before anything is counted
        if self.dirty {
            self.caches.iter_mut().for_each(ColumnCache::end_row);
            self.dirty = false;
        }
        self.codes.clear();
        self.special.clear();
        let (mut answered, mut invalid) = (0u32, 0u32);
        for (k, (cp, cache)) in plan.plans.iter().zip(self.caches.iter_mut()).enumerate() {
            let raw = record.get(cp.column).unwrap_or_default();
            // one-byte cells (answer codes `1`–`5`) that were seen before: one look-up
            if let [b] = raw {
                let code = self.byte_codes[k][usize::from(*b)];
                if code != UNSEEN {
                    answered += u32::from(code != EMPTY);
                    self.codes.push(code);
                    continue;
                }
            }
            let cell = cache.parse(&plan.parsers[cp.scale], raw);
            let code = match cell {
                Parsed::Empty => EMPTY,
                Parsed::DontKnow => DONT_KNOW,
                Parsed::Category(i) if usize::from(i) < cp.fast => (FIXED + usize::from(i)) as u8,
                Parsed::Invalid(_) => {
                    invalid += 1;
                    self.special.push((k, cell));
                    SPECIAL
                }
                Parsed::Category(_) | Parsed::Value(_) => {
                    self.special.push((k, cell));
                    SPECIAL
                }
            };
            if let ([b], false) = (raw, code == SPECIAL) {
                self.byte_codes[k][usize::from(*b)] = code;
            }
            answered += u32::from(code != EMPTY && !matches!(cell, Parsed::Invalid(_)));
            self.codes.push(code);
        }
        self.dirty = invalid > 0;
        if answered == 0 {
            let msg = if invalid > 0 {
                format!("no answers: none of the question cells holds a valid answer ({invalid} invalid)")
            } else {
                "no answers: every question cell is empty".to_string()
            };
            return self.reject(ProblemKind::Row, line, msg);
        }
        if let Some(c) = plan.id_col {
            let id = record.get(c).unwrap_or_default().trim_ascii();
            if !id.is_empty() {
                let key = IdKey::of(id);
                let s = &mut self.slots[slot];
                if s.prior.is_some_and(|p| p.contains(key)) || !s.ids.insert(key) {
                    let msg = format!("duplicate respondent id: an earlier row of department `{}` has the same id", s.name);
                    return self.reject(ProblemKind::Row, line, msg);
                }
            }
        }
        // count the row
        let ci = match self.slots[slot].counters {
            Some(i) => i,
            None => {
                let areas = plan.q.areas.len();
                self.counters.push(Counters {
                    slot,
                    respondents: 0,
                    pending: 0,
                    cells: vec![0; plan.offsets.last().copied().unwrap_or(0)],
                    totals: Vec::new(),
                    // numeric answers are rare: no accumulators without numeric questions
                    values: if plan.plans.iter().any(|cp| cp.wx.is_empty()) {
                        vec![Welford::new(); plan.q.questions.len()]
                    } else {
                        Vec::new()
                    },
                    patterns: vec![Patterns::default(); areas],
                    batch: vec![Vec::new(); areas],
                    wide_batch: vec![Vec::new(); areas],
                    full: plan.full_masks.to_vec(),
                    full_count: vec![0; areas],
                    area_index: vec![Welford::new(); areas],
                });
                self.slots[slot].counters = Some(self.counters.len() - 1);
                self.counters.len() - 1
            }
        };
        self.rows.used += 1;
        let dept = &mut self.counters[ci];
        if dept.pending == u16::MAX {
            dept.flush_cells();
        }
        dept.pending += 1;
        dept.respondents += 1;
        self.masks.iter_mut().for_each(|m| *m = 0);
        self.sums.iter_mut().for_each(|s| *s = (0.0, 0.0));
        // A question's area is usually the previous question's: its sums stay in
        // registers until the area changes (adding to memory cell by cell makes every
        // addition wait for the previous one's store).
        let (mut area, mut mask, mut sx, mut sw) = (usize::MAX, 0u64, 0.0, 0.0);
        for (cp, &code) in plan.plans.iter().zip(&self.codes) {
            if code == SPECIAL {
                continue;
            }
            dept.cells[cp.offset + usize::from(code)] += 1;
            if let Some(wx) = cp.wx.get(usize::from(code).wrapping_sub(FIXED)) {
                if cp.area != area {
                    if let Some(s) = self.sums.get_mut(area) {
                        s.0 += sx;
                        s.1 += sw;
                        self.masks[area] |= mask;
                    }
                    (area, mask, sx, sw) = (cp.area, 0, 0.0, 0.0);
                }
                mask |= cp.bit;
                sx += wx;
                sw += cp.weight;
            }
        }
        if let Some(s) = self.sums.get_mut(area) {
            s.0 += sx;
            s.1 += sw;
            self.masks[area] |= mask;
        }
        for &(k, cell) in &self.special {
            let cp = &plan.plans[k];
            match cell {
                Parsed::Category(i) => match cp.wx.get(usize::from(i)) {
                    Some(wx) => {
                        dept.cells[cp.offset + FIXED + usize::from(i)] += 1;
                        self.masks[cp.area] |= cp.bit;
                        let s = &mut self.sums[cp.area];
                        s.0 += wx;
                        s.1 += cp.weight;
                    }
                    None => dept.cells[cp.offset + NUMERIC] += 1,
                },
                Parsed::Value(x) => {
                    dept.cells[cp.offset + NUMERIC] += 1;
                    if let Some(w) = dept.values.get_mut(cp.question) {
                        w.push(x);
                    }
                    self.masks[cp.area] |= cp.bit;
                    let s = &mut self.sums[cp.area];
                    s.0 += cp.weight * if cp.reverse { 1.0 - x } else { x };
                    s.1 += cp.weight;
                }
                Parsed::Invalid(id) => {
                    dept.cells[cp.offset + INVALID] += 1;
                    self.rows.invalid_cells += 1;
                    let raw = String::from_utf8_lossy(record.get(cp.column).unwrap_or_default());
                    self.problems.push(Problem {
                        kind: ProblemKind::Cell,
                        file: plan.shown_path.to_string(),
                        line,
                        column: Some(shorten(&plan.header[cp.column], 100)),
                        question: Some(plan.q.questions[cp.question].id.clone()),
                        value: Some(raw.trim().chars().take(100).collect()),
                        message: self.caches[k].message(id).to_string(),
                    });
                }
                Parsed::Empty | Parsed::DontKnow => {}
            }
        }
        for (a, (sum, w)) in self.sums.iter().enumerate() {
            if *w > 0.0 {
                dept.area_index[a].push(sum / w);
            }
        }
        for (a, &m) in self.masks.iter().enumerate() {
            if m == 0 {
                continue;
            }
            if m == dept.full[a] {
                dept.full_count[a] += 1;
            } else {
                let pending = match u32::try_from(m) {
                    Ok(narrow) => {
                        dept.batch[a].push(narrow);
                        dept.batch[a].len()
                    }
                    Err(_) => {
                        dept.wide_batch[a].push(m);
                        dept.wide_batch[a].len()
                    }
                };
                if pending >= PATTERN_BATCH.max(dept.patterns[a].len() / 4) {
                    dept.flush_patterns(a, &mut self.scratch);
                }
            }
        }
    }

    fn finish(mut self, stop: Stop, last_offset: u64, last_line: u64) -> Counted {
        let plan = self.plan;
        for c in &mut self.counters {
            for a in 0..c.batch.len() {
                c.flush_patterns(a, &mut self.scratch);
                if c.full_count[a] > 0 {
                    c.patterns[a].add(c.full[a], c.full_count[a]);
                }
            }
        }
        // departments in the order their first row was used
        let mut slots = self.slots;
        let departments = self
            .counters
            .into_iter()
            .map(|c| {
                let s = &mut slots[c.slot];
                let mut t = DepartmentTally::new(&s.name, plan.q);
                t.respondents = c.respondents;
                for (qi, qt) in t.questions.iter_mut().enumerate() {
                    let at = plan.offsets[qi];
                    let end = plan.offsets[qi + 1];
                    qt.dont_know = c.cell_total(at + usize::from(DONT_KNOW));
                    qt.empty = c.cell_total(at + usize::from(EMPTY));
                    qt.invalid = c.cell_total(at + INVALID);
                    qt.counts = (at + FIXED..end).map(|i| c.cell_total(i)).collect();
                    qt.valid = qt
                        .counts
                        .iter()
                        .fold(c.cell_total(at + NUMERIC), |a, b| a.saturating_add(*b));
                    qt.values = c.values.get(qi).copied().unwrap_or_default();
                }
                t.area_patterns = c.patterns;
                t.area_index = c.area_index;
                (t, std::mem::take(&mut s.ids), s.hash)
            })
            .collect();
        Counted {
            departments,
            problems: self.problems,
            rows: self.rows,
            stop,
            last_offset,
            last_line,
        }
    }
}

/// The counter offsets of a questionnaire's questions: question i's counters start at
/// `offsets[i]`; the last entry is the length of a department's counter array.
pub(super) fn offsets(shape: &[usize]) -> Vec<usize> {
    let mut out = Vec::with_capacity(shape.len() + 1);
    let mut at = 0;
    for k in shape {
        out.push(at);
        at += FIXED + k;
    }
    out.push(at);
    out
}
