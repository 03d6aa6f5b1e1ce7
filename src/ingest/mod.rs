//! Survey ingest (SPEC §3, §9.4, §9.10–9.17): streams survey CSV files row by row into
//! per-department tallies.
//!
//! Nothing here keeps rows: each row is parsed, checked and added to counters, so memory
//! grows with departments × questions (plus the respondent ids, needed to find
//! duplicates: one to three bytes each for the numbered ids survey tools write, see
//! `ids`), not with the size of the files. Every row read is either used or rejected
//! with a [`Problem`], and every cell of a used row is counted as valid, don't know,
//! empty or invalid, so nothing is lost silently.
//!
//! Both cores read: several files two at a time ([`ingest`], committed in input
//! order), a large file by two threads, one half each (`split`). Each thread parses and
//! counts its own rows (`rows`): counting costs about as much as CSV parsing, so a
//! reading thread feeding a counting thread would leave a core waiting.

mod cells;
mod ids;
mod reader;
mod rows;
mod split;
mod tally;

pub use cells::{parse_number, Cell, CellParser, ColumnCache, Parsed};
pub use reader::{detect_delimiter, Encoding};
pub use split::MIN_SPLIT_BYTES;
pub use tally::{DepartmentTally, Patterns, QuestionTally, Tally};

use ids::{DeptIds, IdRegistry};
use rows::{ColumnPlan, FilePlan, Stop};

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use serde::Serialize;

use crate::diag::{Diagnostic, Failure};
use crate::questionnaire::Questionnaire;
use crate::text::{closest, normalize_display, normalize_key, normalize_text_key, shorten};

/// Department column names tried when none is configured, in this order (SPEC §3).
pub const DEFAULT_DEPARTMENT_COLUMNS: [&str; 5] = [
    "department",
    "abteilung",
    "fachbereich",
    "amt",
    "organisationseinheit",
];

/// Respondent id columns tried when none is configured: `id`, and the names a
/// LimeSurvey "full question text" export gives it (German, English).
pub const DEFAULT_ID_COLUMNS: [&str; 3] = ["id", "antwort id", "response id"];

/// LimeSurvey's submit-date column in "question code" and (German, English) "full
/// question text" exports; an empty cell there marks an incomplete response.
pub const SUBMIT_DATE_COLUMNS: [&str; 3] = ["submitdate", "datum abgeschickt", "date submitted"];

/// Receives progress while files are read: (file index, bytes read in that file,
/// size of the file in bytes). The command line turns it into a progress bar.
#[derive(Clone)]
pub struct ProgressHook(pub std::sync::Arc<dyn Fn(usize, u64, u64) + Send + Sync>);

impl std::fmt::Debug for ProgressHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProgressHook")
    }
}

/// Options that change how files are read.
#[derive(Debug, Clone, Default)]
pub struct IngestOptions {
    /// Called after every batch of rows (none: silent).
    pub progress: Option<ProgressHook>,
    /// Puts every row of every file into this department.
    pub department: Option<String>,
    /// Name of the department column (default: the first of [`DEFAULT_DEPARTMENT_COLUMNS`] present).
    pub department_column: Option<String>,
    /// Name of the respondent id column (default `id`).
    pub id_column: Option<String>,
    /// Forced delimiter.
    pub delimiter: Option<u8>,
    /// Forced encoding.
    pub encoding: Option<Encoding>,
    /// Keep responses with an empty `submitdate` (LimeSurvey: not completed).
    pub include_incomplete: bool,
    /// A UTF-8 file with at least this many bytes of rows is read by two threads, one
    /// half each (`None`: [`MIN_SPLIT_BYTES`]). The result is the same either way;
    /// tests lower it to read small files in halves.
    pub split_min_bytes: Option<u64>,
}

/// One survey file and, optionally, the department all its rows belong to.
#[derive(Debug, Clone, PartialEq)]
pub struct SurveyFile {
    /// Path of the CSV file.
    pub path: PathBuf,
    /// Department for every row (a project wave's per-file setting).
    pub department: Option<String>,
    /// How the file is named in outputs (relative to the project file, so reports do
    /// not depend on the working directory); `None` = the path as given.
    pub label: Option<String>,
}

impl SurveyFile {
    /// A file named by its path, without department override.
    pub fn new(path: PathBuf) -> Self {
        SurveyFile {
            path,
            department: None,
            label: None,
        }
    }

    /// The name used in messages and outputs.
    pub fn shown(&self) -> String {
        self.label
            .clone()
            .unwrap_or_else(|| self.path.display().to_string())
    }
}

/// Accounting of one file (SPEC §8 `quality.files`).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct FileReport {
    /// The path as given.
    pub path: String,
    /// Records after the header (blank lines are not rows).
    pub rows_read: u64,
    /// Rows that became respondents.
    pub rows_used: u64,
    /// Rows rejected (listed in problems), incomplete responses included.
    pub rows_rejected: u64,
    /// Of the rejected rows: incomplete survey responses (empty `submitdate`).
    pub rows_incomplete: u64,
    /// Invalid cells in used rows.
    pub invalid_cells: u64,
    /// Encoding the file was read with.
    pub encoding: &'static str,
    /// Delimiter the file was read with.
    pub delimiter: String,
    /// Departments with used rows in this file (not written out: with the counts
    /// above it could reveal a withheld department's size).
    #[serde(skip)]
    pub departments: Vec<String>,
    /// Threads that read the file: 2 when it was read in two halves (not written out;
    /// the figures are the same either way).
    #[serde(skip)]
    pub threads: u8,
}

/// What kind of problem a [`Problem`] is.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ProblemKind {
    /// A row that was not used.
    Row,
    /// An incomplete survey response (not used unless `--include-incomplete`).
    Incomplete,
    /// An invalid cell in a used row.
    Cell,
}

/// A rejected row or an invalid cell (SPEC §9.17).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Problem {
    /// Row, incomplete response, or cell.
    pub kind: ProblemKind,
    /// The file, as given.
    pub file: String,
    /// Physical line where the record starts (header = 1).
    pub line: u64,
    /// Column header as written in the file; `None` for row problems.
    pub column: Option<String>,
    /// Question id; `None` for row problems.
    pub question: Option<String>,
    /// The cell, trimmed and cut to 100 characters (question cells only).
    pub value: Option<String>,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// True for a rejected row (as opposed to an invalid cell).
    pub fn is_row(&self) -> bool {
        self.kind != ProblemKind::Cell
    }

    /// True for findings `--strict` fails on: invalid cells and rejected rows, but not
    /// incomplete responses (survey tools export them routinely; they are counted).
    pub fn is_strict_finding(&self) -> bool {
        self.kind != ProblemKind::Incomplete
    }

    /// The problem as a warning diagnostic.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let mut msg = String::new();
        if let Some(c) = &self.column {
            msg.push_str(&format!("column `{c}`"));
            if let Some(v) = &self.value {
                let short: String = v.chars().take(40).collect();
                let more = if v.chars().count() > 40 { "…" } else { "" };
                msg.push_str(&format!(", value `{short}{more}`"));
            }
            msg.push_str(": ");
        }
        msg.push_str(&self.message);
        let mut d = Diagnostic::warning(msg)
            .in_file(Path::new(&self.file))
            .at(self.line as usize, None);
        d.help = Some(if self.kind == ProblemKind::Incomplete {
            "incomplete responses are not used; pass --include-incomplete to keep them".into()
        } else if self.is_row() {
            "the row was not used; fix or remove it in the survey file".into()
        } else {
            "the cell was not used; correct the answer or leave it empty".into()
        });
        d
    }
}

/// The result of reading all files of a wave.
#[derive(Debug, Clone, Default)]
pub struct Ingested {
    /// Counters per department.
    pub tally: Tally,
    /// Per-file accounting, in input order.
    pub files: Vec<FileReport>,
    /// Rejected rows and invalid cells, in file and line order.
    pub problems: Vec<Problem>,
    /// Warnings and file-level errors (no question column, unreadable, ...).
    pub diagnostics: Vec<Diagnostic>,
}

impl Ingested {
    /// True when a file-level error makes the wave unusable.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Expands survey arguments: files stay, folders become their `*.csv` files (sorted
/// by name, not recursive).
pub fn collect_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    let mut out = Vec::new();
    let mut diags = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = match std::fs::read_dir(p) {
                Ok(rd) => rd
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|f| {
                        f.is_file() && f.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"))
                    })
                    .collect(),
                Err(e) => {
                    diags
                        .push(Diagnostic::error(format!("cannot read the folder: {e}")).in_file(p));
                    continue;
                }
            };
            if found.is_empty() {
                diags.push(
                    Diagnostic::error("the folder holds no .csv files")
                        .in_file(p)
                        .help(
                            "name survey files with the extension .csv, or name the files directly",
                        ),
                );
            }
            found.sort();
            out.extend(found);
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            diags.push(
                Diagnostic::error("no such file or folder")
                    .in_file(p)
                    .help("check the survey path"),
            );
        }
    }
    if diags.is_empty() {
        Ok(out)
    } else {
        Err(Failure(diags))
    }
}

/// The file-level outcome of a stretch that ended at a fatal problem.
fn stop_outcome(path: &Path, stop: &Stop) -> Option<FileOutcome> {
    let failed = |d: Diagnostic| Some(FileOutcome::Failed(d.in_file(path)));
    match stop {
        Stop::End => None,
        Stop::Cancelled => failed(Diagnostic::error("reading the file stopped unexpectedly")),
        Stop::Unparsable { line, message } => failed(
            Diagnostic::error(format!("cannot parse the CSV: {message}"))
                .at(*line as usize, None)
                .help("check quoting around this line"),
        ),
        Stop::Nul { line } => failed(
            Diagnostic::error("not a text file: it contains NUL bytes")
                .at(*line as usize, None)
                .help("export the survey as CSV (UTF-8 or Windows-1252)"),
        ),
        Stop::NotUtf8 { line } => Some(FileOutcome::NotUtf8 { line: *line }),
    }
}

/// The outcome of matching one header.
enum HeaderMatch {
    Question(usize),
    Ambiguous(Vec<usize>),
    None,
}

/// What a column of a survey file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Question(usize),
    Department,
    Id,
    SubmitDate,
    Ignored,
}

/// Reads every file into one [`Ingested`]. File-level errors are collected in
/// `diagnostics`, not returned early, so all files are checked in one run.
///
/// Several files are read two at a time (a large one by two threads on its own, see
/// `split`); results are committed strictly in input order, so the outcome is that of
/// reading the files one after the other.
pub fn ingest(q: &Questionnaire, files: &[SurveyFile], opts: &IngestOptions) -> Ingested {
    let ing = Ingestor::new(q, opts);
    let mut acc = Collected::default();
    if files.len() < 2 {
        for (i, f) in files.iter().enumerate() {
            let outcome = ing.read_whole(f, i, &acc.ids);
            acc.commit(&ing, f, outcome);
        }
    } else {
        ingest_parallel(&ing, files, &mut acc);
    }
    acc.finish()
}

/// Files read ahead of the oldest one not yet committed, at most.
const READ_AHEAD: usize = 4;

/// Two workers read files in turn; this thread commits them in input order. A worker
/// checks respondent ids only within its file; ids repeated from an earlier file of
/// the same department are found at commit, and such a file is read again with every
/// earlier id known (rare: it takes a department split over files with reused ids).
fn ingest_parallel(ing: &Ingestor<'_>, files: &[SurveyFile], acc: &mut Collected) {
    let next = AtomicUsize::new(0);
    let committed = (Mutex::new(0usize), Condvar::new());
    let no_ids = IdRegistry::default();
    std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::channel();
        for _ in 0..2 {
            let tx = tx.clone();
            let (next, committed, no_ids) = (&next, &committed, &no_ids);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(f) = files.get(i) else {
                    break;
                };
                {
                    let (lock, wake) = committed;
                    let mut done = lock.lock().unwrap_or_else(|e| e.into_inner());
                    while i >= *done + READ_AHEAD {
                        done = wake.wait(done).unwrap_or_else(|e| e.into_inner());
                    }
                }
                // a bug that panics while reading one file must not leave the others
                // waiting for it: it becomes that file's error
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    ing.read_whole(f, i, no_ids)
                }))
                .unwrap_or_else(|_| {
                    FileOutcome::Failed(
                        Diagnostic::error("internal error while reading the file")
                            .in_file(&f.path)
                            .help("this is a bug in reifegrad; please report it with the message above"),
                    )
                });
                if tx.send((i, outcome)).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        // should this thread unwind, the workers must not wait for commits forever
        let _release = Release(&committed);
        let mut waiting = std::collections::BTreeMap::new();
        let mut want = 0;
        for (i, outcome) in rx {
            waiting.insert(i, outcome);
            while let Some(outcome) = waiting.remove(&want) {
                let f = &files[want];
                let outcome = if acc.repeats_ids(&outcome) {
                    ing.read_whole(f, want, &acc.ids)
                } else {
                    outcome
                };
                acc.commit(ing, f, outcome);
                want += 1;
                let (lock, wake) = &committed;
                *lock.lock().unwrap_or_else(|e| e.into_inner()) = want;
                wake.notify_all();
            }
        }
    });
}

/// Opens the read-ahead gate for good when dropped.
struct Release<'a>(&'a (Mutex<usize>, Condvar));

impl Drop for Release<'_> {
    fn drop(&mut self) {
        let (lock, wake) = self.0;
        *lock.lock().unwrap_or_else(|e| e.into_inner()) = usize::MAX - READ_AHEAD;
        wake.notify_all();
    }
}

/// What reading a wave's files has produced so far.
#[derive(Default)]
struct Collected {
    departments: Vec<DepartmentTally>,
    dept_index: HashMap<String, usize>,
    ids: IdRegistry,
    out: Ingested,
    ignored: Vec<String>,
    ignored_seen: HashSet<String>,
}

impl Collected {
    /// True when a file's ids repeat ids of earlier files of the same department (it
    /// was read without knowing them).
    fn repeats_ids(&self, outcome: &FileOutcome) -> bool {
        match outcome {
            FileOutcome::Done(run) => run
                .ids
                .iter()
                .any(|(dept, ids)| self.ids.get(*dept).is_some_and(|p| p.intersects(ids))),
            _ => false,
        }
    }

    /// Adds the outcome of reading one file (files in input order).
    fn commit(&mut self, ing: &Ingestor<'_>, f: &SurveyFile, outcome: FileOutcome) {
        let mut run = match outcome {
            FileOutcome::Done(run) => run,
            FileOutcome::NotUtf8 { line } => return self.out.diagnostics.push(
                Diagnostic::error(format!("the file is not valid UTF-8 (line {line})"))
                    .in_file(&f.path)
                    .at(line as usize, None)
                    .help(
                        "drop --encoding utf-8 to read it as Windows-1252, or re-save it as UTF-8",
                    ),
            ),
            FileOutcome::Failed(d) => return self.out.diagnostics.push(d),
        };
        // columns that are not questions: a near miss of a question id or alias is most
        // likely a typo (said once per header across the files)
        let mut near_misses = Vec::new();
        let (mut suggested, mut examined) = (0, 0);
        for (c, raw) in &run.ignored {
            let h = shorten(raw, 60);
            if h.is_empty() || !self.ignored_seen.insert(h.clone()) {
                continue;
            }
            examined += 1;
            if suggested < 20 && examined <= 200 {
                if let Some(near) = ing.near_miss(raw) {
                    suggested += 1;
                    near_misses.push(
                        Diagnostic::warning(format!(
                            "column {} `{h}` is not a question; did you mean `{near}`?",
                            c + 1
                        ))
                        .in_file(&f.path)
                        .at(1, None)
                        .help("fix the header, or add it to the question's `aliases`"),
                    );
                }
            }
            if self.ignored.len() < 30 {
                self.ignored.push(h);
            }
        }
        let at = run.header_diags.min(run.diags.len());
        run.diags.splice(at..at, near_misses);
        run.report.departments = run.departments.iter().map(|d| d.name.clone()).collect();
        for d in run.departments {
            match self.dept_index.get(&d.name) {
                Some(&i) => self.departments[i].merge(&d),
                None => {
                    self.dept_index
                        .insert(d.name.clone(), self.departments.len());
                    self.departments.push(d);
                }
            }
        }
        for (dept, ids) in run.ids {
            self.ids.add(dept, ids);
        }
        self.out.problems.extend(run.problems);
        self.out.diagnostics.extend(run.diags);
        self.out.files.push(run.report);
    }

    fn finish(mut self) -> Ingested {
        if !self.ignored.is_empty() {
            let shown: Vec<&str> = self.ignored.iter().take(30).map(String::as_str).collect();
            let total = self.ignored_seen.len();
            let more = if total > shown.len() {
                format!(" and {} more", total - shown.len())
            } else {
                String::new()
            };
            self.out.diagnostics.push(
                Diagnostic::warning(format!(
                    "ignored {} column(s) that are not questions of the questionnaire: {}{more}",
                    total,
                    shown.join(", ")
                ))
                .help("add the header as an `aliases` entry of its question if it should count"),
            );
        }
        let total: u64 = self.departments.iter().map(|d| d.respondents).sum();
        if total == 0 && !self.out.has_errors() {
            self.out.diagnostics.push(
                Diagnostic::error("the survey files hold no respondents")
                    .help("check that the files contain answer rows below the header"),
            );
        }
        self.departments
            .sort_by_cached_key(|d| (crate::text::din5007_key(&d.name), d.name.clone()));
        self.out.tally = Tally {
            departments: self.departments,
        };
        self.out
    }
}

/// What is fixed while the files of a wave are read.
struct Ingestor<'a> {
    q: &'a Questionnaire,
    opts: &'a IngestOptions,
    parsers: Vec<CellParser>,
    headers: HashMap<String, usize>,
    /// start of each question's counters in a department's counter array
    offsets: Vec<usize>,
    /// per area: the answer pattern of a respondent who answered every question
    full_masks: Vec<u64>,
    /// normalised question text → questions with that text
    texts: HashMap<String, Vec<usize>>,
    /// area index and bit position of each question within its area
    bit_of: Vec<(usize, usize)>,
    /// per question: x of each category after reverse coding, and the weight
    xs: Vec<(Vec<f64>, bool, f64)>,
}

/// The state of one file, committed only when the file was read to its end (a
/// Windows-1252 file found mid-way restarts from scratch).
struct FileRun {
    departments: Vec<DepartmentTally>,
    /// Ids claimed per department (by name hash).
    ids: Vec<(u64, DeptIds)>,
    /// Columns that are not questions (index, header), for the warnings about them.
    ignored: Vec<(usize, String)>,
    /// Where in `diags` the header's warnings end.
    header_diags: usize,
    problems: Vec<Problem>,
    diags: Vec<Diagnostic>,
    report: FileReport,
}

enum FileOutcome {
    Done(FileRun),
    NotUtf8 { line: u64 },
    Failed(Diagnostic),
}

impl<'a> Ingestor<'a> {
    fn new(q: &'a Questionnaire, opts: &'a IngestOptions) -> Self {
        let mut headers = HashMap::new();
        for (i, qu) in q.questions.iter().enumerate() {
            headers.insert(normalize_key(&qu.id), i);
            for a in &qu.aliases {
                headers.entry(normalize_key(a)).or_insert(i);
            }
        }
        // the headers a LimeSurvey export of `reifegrad template --format limesurvey`
        // has, in "question code" mode with and without ExpressionScript codes
        for code in crate::template::limesurvey_codes(q) {
            for h in [
                format!("{}[{}]", code.qcode, code.sqcode),
                format!("{}_{}", code.qcode, code.sqcode),
            ] {
                headers.entry(normalize_key(&h)).or_insert(code.question);
            }
        }
        let bit_of = q
            .questions
            .iter()
            .enumerate()
            .map(|(i, qu)| (qu.area, i - q.areas[qu.area].questions.start))
            .collect();
        let mut texts: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, qu) in q.questions.iter().enumerate() {
            texts
                .entry(normalize_text_key(&qu.text))
                .or_default()
                .push(i);
        }
        Ingestor {
            q,
            opts,
            texts,
            parsers: q.scales.iter().map(CellParser::new).collect(),
            headers,
            offsets: rows::offsets(&DepartmentTally::shape(q)),
            full_masks: q
                .areas
                .iter()
                .map(|a| {
                    let k = a.questions.len() as u32;
                    1u64.checked_shl(k).map_or(u64::MAX, |b| b - 1)
                })
                .collect(),
            bit_of,
            xs: q
                .questions
                .iter()
                .map(|qu| {
                    let cats = q.scale_of(qu).categories(q.language);
                    let xs = cats
                        .into_iter()
                        .map(|(_, x)| if qu.reverse { 1.0 - x } else { x })
                        .collect();
                    (xs, qu.reverse, qu.weight)
                })
                .collect(),
        }
    }

    /// Reads one file, again as Windows-1252 when it turns out not to be UTF-8 (unless
    /// an encoding is forced). `index` is the file's place in the input (for progress),
    /// `prior` the ids of the earlier files.
    fn read_whole(&self, f: &SurveyFile, index: usize, prior: &IdRegistry) -> FileOutcome {
        let encoding = self.opts.encoding.unwrap_or(Encoding::Utf8);
        match self.read_file_split(f, encoding, true, index, prior) {
            FileOutcome::NotUtf8 { line } if self.opts.encoding.is_none() => {
                let mut again = self.read_file_split(f, Encoding::Windows1252, true, index, prior);
                if let FileOutcome::Done(run) = &mut again {
                    run.diags.insert(
                        0,
                        Diagnostic::warning(format!("the file is not valid UTF-8 (first at line {line}); it was read as Windows-1252"))
                            .in_file(&f.path)
                            .help("save it as \"CSV UTF-8\", or pass --encoding windows-1252 to say so explicitly"),
                    );
                    run.header_diags += 1;
                }
                again
            }
            other => other,
        }
    }

    /// Reads one file; `allow_split` lets a large file be read by two threads.
    fn read_file_split(
        &self,
        f: &SurveyFile,
        encoding: Encoding,
        allow_split: bool,
        index: usize,
        prior: &IdRegistry,
    ) -> FileOutcome {
        let path = &f.path;
        let shown_path = f.shown();
        let fail = |msg: String, help: &str| {
            FileOutcome::Failed(Diagnostic::error(msg).in_file(path).help(help))
        };
        let opened = match reader::open(path, encoding, self.opts.delimiter) {
            Ok(o) => o,
            Err(reader::OpenError::Io(e)) => {
                return fail(
                    format!("cannot read the file: {e}"),
                    "check the path and the file's permissions",
                )
            }
            Err(reader::OpenError::NotText(why)) => {
                return fail(
                    format!("not a text file: {why}"),
                    "export the survey as CSV (UTF-8 or Windows-1252)",
                )
            }
            Err(reader::OpenError::HeaderTooLong) => {
                return fail(
                    "the header row is longer than 16 MiB".into(),
                    "check that this is a survey CSV file",
                )
            }
        };
        if opened.empty {
            return fail(
                "the file is empty: a header row is required".into(),
                "export the survey with column headers, or remove the file",
            );
        }
        let delimiter = opened.delimiter;
        let skip = if opened.bom { 3 } else { 0 };
        let file_size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        // A large UTF-8 file is read by two threads, one half each (see `split`); the
        // first half's reader learns where to end from the second thread.
        let data_start = opened.header_len;
        let rows_bytes = file_size.saturating_sub(skip + data_start);
        let min_split = self.opts.split_min_bytes.unwrap_or(split::MIN_SPLIT_BYTES);
        let mid = (allow_split && encoding == Encoding::Utf8 && rows_bytes >= min_split.max(1))
            .then(|| split::middle(data_start, file_size - skip));
        // (a small read buffer for small files, so that tests can split them)
        let buffer = (rows_bytes / 8).clamp(1024, 64 * 1024) as usize;
        let mut rdr = reader::csv_reader(
            delimiter,
            buffer,
            reader::LineCounting::new(split::FirstHalf::new(opened.reader)),
        );
        let mut record = csv::ByteRecord::new();
        // header
        match rdr.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => {
                return fail(
                    "the file is empty: a header row is required".into(),
                    "export the survey with column headers",
                )
            }
            Err(e) => {
                return fail(
                    format!("cannot parse the header: {e}"),
                    "check the file is a CSV export",
                )
            }
        }
        let header_offset = record.position().map(|p| p.byte()).unwrap_or(0);
        // The cut is awaited only from here on: the second thread is started below,
        // and the header (as the CSV parser sees it) must end before the middle.
        let (cut_tx, cut_rx) = std::sync::mpsc::sync_channel(1);
        let first_half = rdr.get_mut().get_mut();
        let mid = mid.filter(|&m| first_half.position() <= m);
        if let Some(mid) = mid {
            first_half.expect_cut(mid, cut_rx);
        }
        let header: Vec<String> = match std::str::from_utf8(record.as_slice()) {
            Ok(_) => record
                .iter()
                .map(|h| String::from_utf8_lossy(h).into_owned())
                .collect(),
            Err(_) => return FileOutcome::NotUtf8 { line: 1 },
        };
        let (roles, run_diags, ignored) = match self.map_header(
            path,
            &header,
            f.department.is_some() || self.opts.department.is_some(),
        ) {
            Ok(r) => r,
            Err(d) => return FileOutcome::Failed(*d),
        };
        let columns: Vec<(usize, usize)> = roles
            .iter()
            .enumerate()
            .filter_map(|(c, r)| match r {
                Role::Question(qi) => Some((c, *qi)),
                _ => None,
            })
            .collect();
        let dept_col = roles.iter().position(|r| *r == Role::Department);
        let id_col = roles.iter().position(|r| *r == Role::Id);
        let submit_col = roles
            .iter()
            .position(|r| *r == Role::SubmitDate)
            .filter(|_| !self.opts.include_incomplete);
        let fixed_dept = f
            .department
            .as_deref()
            .or(self.opts.department.as_deref())
            .map(normalize_display)
            .or_else(|| {
                dept_col.is_none().then(|| {
                    normalize_display(
                        &path
                            .file_stem()
                            .map(|s| s.to_string_lossy().into_owned())
                            .unwrap_or_default(),
                    )
                })
            })
            .filter(|d| !d.is_empty());
        let plans: Vec<ColumnPlan> = columns
            .iter()
            .map(|&(column, question)| {
                let (area, bit) = self.bit_of[question];
                let (xs, reverse, weight) = &self.xs[question];
                ColumnPlan {
                    column,
                    question,
                    scale: self.q.questions[question].scale,
                    area,
                    bit: 1u64 << bit,
                    offset: self.offsets[question],
                    wx: xs.iter().map(|x| weight * x).collect(),
                    fast: xs.len().min(usize::from(u8::MAX) - 2 - rows::FIXED),
                    reverse: *reverse,
                    weight: *weight,
                }
            })
            .collect();
        let mut present = vec![false; self.q.questions.len()];
        for (_, qi) in &columns {
            present[*qi] = true;
        }

        let cancel = AtomicBool::new(false);
        let bytes = AtomicU64::new(0);
        let plan = FilePlan {
            q: self.q,
            parsers: &self.parsers,
            shown_path: &shown_path,
            header: &header,
            plans: &plans,
            dept_col,
            id_col,
            submit_col,
            fixed_dept: fixed_dept.as_deref(),
            offsets: &self.offsets,
            full_masks: &self.full_masks,
            prior_ids: prior,
            progress: self
                .opts
                .progress
                .as_ref()
                .map(|h| (h, index, file_size, &bytes)),
            cancel: &cancel,
        };
        let second = mid.map(|mid| split::SecondHalf {
            path,
            skip,
            data_start,
            mid,
            delimiter,
            cut: cut_tx,
        });
        let Some((counted, halves)) = split::count_rows(&plan, &mut rdr, header_offset, second)
        else {
            return self.read_file_split(f, encoding, false, index, prior);
        };
        if let Some(outcome) = stop_outcome(path, &counted.stop) {
            return outcome;
        }

        let mut run = FileRun {
            departments: Vec::new(),
            ids: Vec::new(),
            problems: counted.problems,
            header_diags: run_diags.len(),
            diags: run_diags,
            ignored,
            report: FileReport {
                path: shown_path.clone(),
                rows_read: counted.rows.read,
                rows_used: counted.rows.used,
                rows_rejected: counted.rows.rejected,
                rows_incomplete: counted.rows.incomplete,
                invalid_cells: counted.rows.invalid_cells,
                encoding: encoding.name(),
                delimiter: match delimiter {
                    b'\t' => "TAB".into(),
                    d => (d as char).to_string(),
                },
                departments: Vec::new(),
                threads: if halves { 2 } else { 1 },
            },
        };
        for (mut tally, ids, hash) in counted.departments {
            // questions without a column in this file are "empty" for its rows
            for (qi, t) in tally.questions.iter_mut().enumerate() {
                if !present[qi] {
                    t.empty += tally.respondents;
                }
            }
            run.departments.push(tally);
            run.ids.push((hash, ids));
        }
        if run.report.rows_read == 0 {
            run.diags.push(
                Diagnostic::warning("the file has a header but no rows")
                    .in_file(path)
                    .help("the file contributes no respondents; remove it if it is a leftover"),
            );
        }
        match reader::tail_in_open_quote(path, encoding, counted.last_offset, delimiter) {
            Ok(false) => {}
            Ok(true) => {
                return FileOutcome::Failed(
                    Diagnostic::error("unterminated quote: a field opened with `\"` is never closed, so the rest of the file would be read as one cell")
                        .in_file(path)
                        .at(counted.last_line as usize, None)
                        .help("close the quote (a quote inside a quoted field is written as \"\")"),
                );
            }
            Err(e) => {
                return FileOutcome::Failed(
                    Diagnostic::error(format!("cannot read the file: {e}")).in_file(path),
                )
            }
        }
        FileOutcome::Done(run)
    }

    /// Matches a header to a question: id or alias; the question's own text; or, for
    /// grid headers `Question [Row]` (Google Forms, LimeSurvey full text), the row part.
    fn match_header(&self, key: &str, raw: &str) -> HeaderMatch {
        if raw.len() > 4096 {
            return HeaderMatch::None;
        }
        if let Some(&qi) = self.headers.get(key) {
            return HeaderMatch::Question(qi);
        }
        let by_text = |t: &str| match self.texts.get(&normalize_text_key(t)).map(Vec::as_slice) {
            Some([qi]) => HeaderMatch::Question(*qi),
            Some(qs) if qs.len() > 1 => HeaderMatch::Ambiguous(qs.to_vec()),
            _ => HeaderMatch::None,
        };
        match by_text(raw) {
            HeaderMatch::None => {}
            m => return m,
        }
        let trimmed = raw.trim();
        if let (Some(open), true) = (trimmed.rfind('['), trimmed.ends_with(']')) {
            let inner = &trimmed[open + 1..trimmed.len() - 1];
            if let Some(&qi) = self.headers.get(&normalize_key(inner)) {
                return HeaderMatch::Question(qi);
            }
            return by_text(inner);
        }
        HeaderMatch::None
    }

    /// The question id or alias a header nearly spells (a typo), if any.
    fn near_miss(&self, header: &str) -> Option<String> {
        let h = normalize_key(header);
        let len = h.chars().count();
        if !(4..=80).contains(&len) {
            return None;
        }
        let limit = (len / 5).max(1);
        self.headers
            .iter()
            .map(|(k, qi)| (crate::text::edit_distance(&h, k), k, *qi))
            .filter(|(d, _, _)| *d <= limit)
            .min_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)))
            .map(|(_, _, qi)| self.q.questions[qi].id.clone())
    }

    /// The role of every column, the warnings about the header, and the columns that
    /// are not questions (index, header).
    #[allow(clippy::type_complexity)]
    fn map_header(
        &self,
        path: &Path,
        header: &[String],
        fixed_dept: bool,
    ) -> Result<(Vec<Role>, Vec<Diagnostic>, Vec<(usize, String)>), Box<Diagnostic>> {
        let keys: Vec<String> = header.iter().map(|h| normalize_key(h)).collect();
        let mut roles = vec![Role::Ignored; header.len()];
        let mut diags = Vec::new();
        if !fixed_dept {
            let wanted: Vec<String> = match &self.opts.department_column {
                Some(c) => vec![normalize_key(c)],
                None => DEFAULT_DEPARTMENT_COLUMNS
                    .iter()
                    .map(|c| c.to_string())
                    .collect(),
            };
            if let Some(c) = wanted.iter().find_map(|w| keys.iter().position(|k| k == w)) {
                roles[c] = Role::Department;
            } else if let Some(c) = &self.opts.department_column {
                diags.push(
                    Diagnostic::warning(format!("the department column `{c}` is not in this file; the file name is used as the department"))
                        .in_file(path)
                        .help("check --department-column / [survey] department_column, or pass --department NAME"),
                );
            }
        }
        let id_keys: Vec<String> = match &self.opts.id_column {
            Some(c) => vec![normalize_key(c)],
            None => DEFAULT_ID_COLUMNS.iter().map(|c| c.to_string()).collect(),
        };
        if let Some(c) = id_keys
            .iter()
            .find_map(|w| keys.iter().position(|k| k == w))
        {
            if roles[c] == Role::Ignored {
                roles[c] = Role::Id;
            }
        }
        if let Some(c) = SUBMIT_DATE_COLUMNS
            .iter()
            .find_map(|w| keys.iter().position(|k| k == w))
        {
            if roles[c] == Role::Ignored {
                roles[c] = Role::SubmitDate;
            }
        }
        let mut seen: HashMap<usize, usize> = HashMap::new();
        for (c, k) in keys.iter().enumerate() {
            if roles[c] != Role::Ignored {
                continue;
            }
            let qi = match self.match_header(k, &header[c]) {
                HeaderMatch::Question(qi) => Some(qi),
                HeaderMatch::Ambiguous(qs) => {
                    let ids: Vec<&str> = qs
                        .iter()
                        .map(|&i| self.q.questions[i].id.as_str())
                        .collect();
                    diags.push(
                        Diagnostic::warning(format!("column {} `{}` matches the text of several questions ({}); it is ignored", c + 1, shorten(&header[c], 60), ids.join(", ")))
                            .in_file(path)
                            .at(1, None)
                            .help("give the questions distinct texts, or add the column header as an alias of the right question"),
                    );
                    None
                }
                HeaderMatch::None => None,
            };
            if let Some(qi) = qi {
                if let Some(&first) = seen.get(&qi) {
                    diags.push(
                        Diagnostic::warning(format!("column {} `{}` is a second column for question `{}` (first: column {} `{}`); it is ignored", c + 1, shorten(&header[c], 60), self.q.questions[qi].id, first + 1, shorten(&header[first], 60)))
                            .in_file(path)
                            .at(1, None)
                            .help("remove the duplicate column or fix its header"),
                    );
                } else {
                    seen.insert(qi, c);
                    roles[c] = Role::Question(qi);
                }
            }
        }
        if seen.is_empty() {
            let expected: Vec<&str> = self
                .q
                .questions
                .iter()
                .map(|q| q.id.as_str())
                .chain(
                    self.q
                        .questions
                        .iter()
                        .flat_map(|q| q.aliases.iter().map(String::as_str)),
                )
                .collect();
            let mut near: Vec<String> = Vec::new();
            for h in header.iter().filter(|h| !h.trim().is_empty()).take(200) {
                for c in closest(h, expected.iter().copied(), 1) {
                    near.push(format!("`{}` → `{c}`?", shorten(h, 60)));
                }
            }
            let hint = if near.is_empty() {
                format!(
                    "the headers must be question ids or aliases, e.g. {}",
                    expected
                        .iter()
                        .take(5)
                        .map(|e| format!("`{e}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            } else {
                format!(
                    "closest matches: {}",
                    near.into_iter().take(5).collect::<Vec<_>>().join(", ")
                )
            };
            return Err(Box::new(
                Diagnostic::error("no column of this file is a question of the questionnaire")
                    .in_file(path)
                    .at(1, None)
                    .help(hint),
            ));
        }
        let ignored = roles
            .iter()
            .enumerate()
            .filter(|(_, r)| **r == Role::Ignored)
            .map(|(c, _)| (c, header[c].clone()))
            .collect();
        Ok((roles, diags, ignored))
    }
}
