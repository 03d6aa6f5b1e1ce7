//! Survey ingest (SPEC §3, §9.4, §9.10–9.17): streams survey CSV files row by row into
//! per-department tallies.
//!
//! Nothing here keeps rows: each row is parsed, checked and added to counters, so memory
//! grows with departments × questions (plus one 8-byte hash per respondent id, needed to
//! find duplicates), not with the size of the files. Every row read is either used or
//! rejected with a [`Problem`], and every cell of a used row is counted as valid, don't
//! know, empty or invalid, so nothing is lost silently.

mod cells;
mod reader;
mod stream;

pub use cells::{parse_number, Cell, CellParser, ColumnCache, Parsed};
pub use reader::{detect_delimiter, Encoding};

use std::collections::{HashMap, HashSet};

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diag::{Diagnostic, Failure};
use crate::questionnaire::Questionnaire;
use crate::stats::Welford;
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

/// Counters of one question within one department.
#[derive(Debug, Clone, Default)]
pub struct QuestionTally {
    /// Valid answers.
    pub valid: u64,
    /// Don't-know answers.
    pub dont_know: u64,
    /// Empty cells (or no column for the question in the respondent's file).
    pub empty: u64,
    /// Invalid cells.
    pub invalid: u64,
    /// Valid answers per option (categorical scales only).
    pub counts: Vec<u64>,
    /// Running mean and variance of x in [0, 1] (percent and number scales only).
    pub values: Welford,
}

impl QuestionTally {
    fn merge(&mut self, o: &QuestionTally) {
        self.valid += o.valid;
        self.dont_know += o.dont_know;
        self.empty += o.empty;
        self.invalid += o.invalid;
        if self.counts.len() < o.counts.len() {
            self.counts.resize(o.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            *a += b;
        }
        self.values.merge(&o.values);
    }
}

/// Everything counted for one department.
#[derive(Debug, Clone)]
pub struct DepartmentTally {
    /// Department name (normalised display form).
    pub name: String,
    /// Rows used (respondents).
    pub respondents: u64,
    /// Per question, questionnaire order.
    pub questions: Vec<QuestionTally>,
    /// Per area: how many respondents answered exactly which of the area's questions
    /// validly (bit i = i-th question of the area; areas have at most
    /// [`crate::questionnaire::MAX_AREA_QUESTIONS`] questions). Needed for an area's `n`
    /// once some questions are withheld (SPEC §9.2); at most 2^k patterns for k questions.
    pub area_patterns: Vec<FxHashMap<u64, u32>>,
    /// Per area: running mean and variance of the respondent-level area index (each
    /// respondent's question-weighted mean of x over the area's valid answers, reverse
    /// coding applied). Used to test area changes between waves.
    pub area_index: Vec<Welford>,
}

impl DepartmentTally {
    /// An empty tally shaped for the questionnaire.
    pub fn new(name: &str, q: &Questionnaire) -> Self {
        Self::with_shape(name, &Self::shape(q), q.areas.len())
    }

    /// The number of answer categories of each question (0 for numeric scales): the
    /// shape of a tally, computed once per questionnaire.
    pub fn shape(q: &Questionnaire) -> Vec<usize> {
        q.questions
            .iter()
            .map(|qu| q.scale_of(qu).categories(q.language).len())
            .collect()
    }

    /// An empty tally with `categories[i]` counters for question i and `areas` areas.
    pub fn with_shape(name: &str, categories: &[usize], areas: usize) -> Self {
        DepartmentTally {
            name: name.to_string(),
            respondents: 0,
            questions: categories
                .iter()
                .map(|&k| QuestionTally {
                    counts: vec![0; k],
                    ..QuestionTally::default()
                })
                .collect(),
            area_patterns: vec![FxHashMap::default(); areas],
            area_index: vec![Welford::new(); areas],
        }
    }

    /// Adds another tally of the same department.
    pub fn merge(&mut self, o: &DepartmentTally) {
        self.respondents += o.respondents;
        for (a, b) in self.questions.iter_mut().zip(&o.questions) {
            a.merge(b);
        }
        for (a, b) in self.area_index.iter_mut().zip(&o.area_index) {
            a.merge(b);
        }
        for (a, b) in self.area_patterns.iter_mut().zip(&o.area_patterns) {
            for (k, v) in b {
                let n = a.entry(*k).or_insert(0);
                *n = n.saturating_add(*v);
            }
        }
    }
}

/// All departments of a wave, sorted by name (DIN 5007-1).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Departments.
    pub departments: Vec<DepartmentTally>,
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

/// The slot of a department name in a file's name list (added when new), with a
/// stable hash of the name for the respondent-id check across files.
fn name_slot(names: &mut Vec<(String, u64)>, name: String) -> usize {
    if let Some(i) = names.iter().position(|(n, _)| *n == name) {
        return i;
    }
    let mut h = FxHasher::default();
    name.hash(&mut h);
    names.push((name, h.finish()));
    names.len() - 1
}

/// Everything the row loop needs about one question column, resolved once per file.
struct ColumnPlan {
    /// Column index in the file.
    column: usize,
    /// Question index.
    question: usize,
    /// Scale index (for the cell parser).
    scale: usize,
    /// Area index.
    area: usize,
    /// The question's bit in the area's answer pattern.
    bit: u64,
    /// x per category after reverse coding.
    xs: Vec<f64>,
    /// Reverse coding (numeric scales).
    reverse: bool,
    /// Question weight.
    weight: f64,
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
pub fn ingest(q: &Questionnaire, files: &[SurveyFile], opts: &IngestOptions) -> Ingested {
    let mut ing = Ingestor::new(q, opts);
    for (i, f) in files.iter().enumerate() {
        ing.current = i;
        ing.file(f);
    }
    ing.finish()
}

struct Ingestor<'a> {
    q: &'a Questionnaire,
    opts: &'a IngestOptions,
    parsers: Vec<CellParser>,
    headers: HashMap<String, usize>,
    departments: Vec<DepartmentTally>,
    dept_index: HashMap<String, usize>,
    ids: FxHashSet<u64>,
    out: Ingested,
    ignored: Vec<String>,
    ignored_seen: HashSet<String>,
    /// index of the file being read (for progress)
    current: usize,
    /// answer categories per question (the shape of every tally)
    shape: Vec<usize>,
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
    ids: FxHashSet<u64>,
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
            departments: Vec::new(),
            dept_index: HashMap::new(),
            ids: FxHashSet::default(),
            out: Ingested::default(),
            ignored: Vec::new(),
            ignored_seen: HashSet::new(),
            current: 0,
            shape: DepartmentTally::shape(q),
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

    fn file(&mut self, f: &SurveyFile) {
        let encoding = self.opts.encoding.unwrap_or(Encoding::Utf8);
        let outcome = match self.read_file(f, encoding, self.opts.encoding.is_none()) {
            FileOutcome::NotUtf8 { line } if self.opts.encoding.is_none() => {
                let mut again = self.read_file(f, Encoding::Windows1252, false);
                if let FileOutcome::Done(run) = &mut again {
                    run.diags.insert(
                        0,
                        Diagnostic::warning(format!("the file is not valid UTF-8 (first at line {line}); it was read as Windows-1252"))
                            .in_file(&f.path)
                            .help("save it as \"CSV UTF-8\", or pass --encoding windows-1252 to say so explicitly"),
                    );
                }
                again
            }
            other => other,
        };
        match outcome {
            FileOutcome::Done(run) => self.commit(run),
            FileOutcome::NotUtf8 { line } => self.out.diagnostics.push(
                Diagnostic::error(format!("the file is not valid UTF-8 (line {line})"))
                    .in_file(&f.path)
                    .at(line as usize, None)
                    .help(
                        "drop --encoding utf-8 to read it as Windows-1252, or re-save it as UTF-8",
                    ),
            ),
            FileOutcome::Failed(d) => self.out.diagnostics.push(d),
        }
    }

    fn commit(&mut self, mut run: FileRun) {
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
        self.ids.extend(run.ids);
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

    fn read_file(&mut self, f: &SurveyFile, encoding: Encoding, may_retry: bool) -> FileOutcome {
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
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .buffer_capacity(64 * 1024)
            .from_reader(reader::LineCounting::new(opened.reader));
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
        let header: Vec<String> = match std::str::from_utf8(record.as_slice()) {
            Ok(_) => record
                .iter()
                .map(|h| String::from_utf8_lossy(h).into_owned())
                .collect(),
            Err(_) if may_retry => return FileOutcome::NotUtf8 { line: 1 },
            Err(_) => return FileOutcome::NotUtf8 { line: 1 },
        };
        let (roles, mut run_diags) = match self.map_header(
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
            });

        let mut run = FileRun {
            departments: Vec::new(),
            ids: FxHashSet::default(),
            problems: Vec::new(),
            diags: Vec::new(),
            report: FileReport {
                path: shown_path.clone(),
                rows_read: 0,
                rows_used: 0,
                rows_rejected: 0,
                rows_incomplete: 0,
                invalid_cells: 0,
                encoding: encoding.name(),
                delimiter: match delimiter {
                    b'\t' => "TAB".into(),
                    d => (d as char).to_string(),
                },
                departments: Vec::new(),
            },
        };
        run.diags.append(&mut run_diags);
        let plans: Vec<ColumnPlan> = columns
            .iter()
            .map(|&(column, question)| {
                let (area, bit) = self.bit_of[question];
                let (xs, reverse, weight) = self.xs[question].clone();
                ColumnPlan {
                    column,
                    question,
                    scale: self.q.questions[question].scale,
                    area,
                    bit: 1u64 << bit,
                    xs,
                    reverse,
                    weight,
                }
            })
            .collect();
        let mut masks: Vec<u64> = vec![0; self.q.areas.len()];
        let present: Vec<bool> = {
            let mut p = vec![false; self.q.questions.len()];
            for (_, qi) in &columns {
                p[*qi] = true;
            }
            p
        };
        let mut used_per_dept: Vec<u64> = Vec::new();
        // department names seen in this file (with a hash for the id check), the raw
        // cells that mapped to them, and the tally of each
        let mut dept_names: Vec<(String, u64)> = Vec::new();
        let mut raw_depts: FxHashMap<Vec<u8>, Option<usize>> = FxHashMap::default();
        let mut tally_of: Vec<Option<usize>> = Vec::new();
        let fixed_slot = fixed_dept
            .clone()
            .filter(|d| !d.is_empty())
            .map(|d| name_slot(&mut dept_names, d));
        let mut area_sums: Vec<(f64, f64)> = vec![(0.0, 0.0); self.q.areas.len()];

        // The reading thread also parses the first half of the question cells, this
        // thread the second half: CSV parsing costs about as much as counting, so this
        // split keeps both cores equally busy.
        let split = plans.len().div_ceil(2);
        let producer = stream::Producer {
            rdr,
            columns: plans[..split].iter().map(|p| (p.column, p.scale)).collect(),
            header_len: header.len(),
            last_offset: header_offset,
        };
        let ncols = split;
        let mut own_caches: Vec<ColumnCache> = plans[split..]
            .iter()
            .map(|_| ColumnCache::default())
            .collect();
        let mut own_cells: Vec<Parsed> = Vec::with_capacity(plans.len());
        let mut own_dirty = false;
        let file_index = self.current;
        let file_size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        let parsers = std::mem::take(&mut self.parsers);
        let ended = std::thread::scope(|scope| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<stream::Msg>(4);
            let (back_tx, back_rx) = std::sync::mpsc::channel::<stream::Batch>();
            let parsers = &parsers;
            scope.spawn(move || producer.run(parsers, tx, back_rx));
            for msg in rx {
                let batch = match msg {
                    stream::Msg::Rows(batch) => batch,
                    stream::Msg::End {
                        last_offset,
                        last_line,
                    } => return Ok((last_offset, last_line)),
                    stream::Msg::Unparsable { line, message } => {
                        return Err(Box::new(FileOutcome::Failed(
                            Diagnostic::error(format!("cannot parse the CSV: {message}"))
                                .in_file(path)
                                .at(line as usize, None)
                                .help("check quoting around this line"),
                        )))
                    }
                    stream::Msg::Nul { line } => {
                        return Err(Box::new(FileOutcome::Failed(
                            Diagnostic::error("not a text file: it contains NUL bytes")
                                .in_file(path)
                                .at(line as usize, None)
                                .help("export the survey as CSV (UTF-8 or Windows-1252)"),
                        )))
                    }
                    stream::Msg::NotUtf8 { line } => {
                        return Err(Box::new(FileOutcome::NotUtf8 { line }))
                    }
                };
                if let Some(hook) = &self.opts.progress {
                    (hook.0)(file_index, batch.bytes_read, file_size);
                }
                for r in 0..batch.len {
                    let record = &batch.records[r];
                    let line = batch.lines[r];
                    run.report.rows_read += 1;
                    let reject = |run: &mut FileRun, message: String| {
                        run.report.rows_rejected += 1;
                        run.problems.push(Problem {
                            kind: ProblemKind::Row,
                            file: shown_path.clone(),
                            line,
                            column: None,
                            question: None,
                            value: None,
                            message,
                        });
                    };
                    if record.len() != header.len() {
                        reject(
                            &mut run,
                            format!(
                                "the row has {} fields, the header has {}",
                                record.len(),
                                header.len()
                            ),
                        );
                        continue;
                    }
                    if let Some(c) = submit_col {
                        if record
                            .get(c)
                            .is_none_or(|v| v.iter().all(u8::is_ascii_whitespace))
                        {
                            run.report.rows_rejected += 1;
                            run.report.rows_incomplete += 1;
                            run.problems.push(Problem {
                                kind: ProblemKind::Incomplete,
                                file: shown_path.clone(),
                                line,
                                column: None,
                                question: None,
                                value: None,
                                message: "incomplete response: `submitdate` is empty".into(),
                            });
                            continue;
                        }
                    }
                    // department: raw cell → slot in `dept_names`, normalised once per value
                    let slot = match (fixed_slot, dept_col) {
                        (Some(i), _) => Some(i),
                        (None, Some(c)) => {
                            let raw = record.get(c).unwrap_or_default();
                            match raw_depts.get(raw) {
                                Some(v) => *v,
                                None => {
                                    let name = normalize_display(
                                        std::str::from_utf8(raw).unwrap_or_default(),
                                    );
                                    let v = (!name.is_empty())
                                        .then(|| name_slot(&mut dept_names, name));
                                    if raw_depts.len() < 100_000 {
                                        raw_depts.insert(raw.to_vec(), v);
                                    }
                                    v
                                }
                            }
                        }
                        (None, None) => None,
                    };
                    let Some(slot) = slot else {
                        reject(
                            &mut run,
                            format!(
                                "no department: the cell in column `{}` is empty",
                                dept_col
                                    .map(|c| shorten(&header[c], 60))
                                    .unwrap_or_default()
                            ),
                        );
                        continue;
                    };
                    let row_cells = &batch.parsed[r * ncols..(r + 1) * ncols];
                    let (mut answered, mut invalid) = batch.tallies[r];
                    // all cells of the row in plan order: the reading thread's half first
                    own_cells.clear();
                    own_cells.extend_from_slice(row_cells);
                    if own_dirty {
                        own_caches.iter_mut().for_each(ColumnCache::end_row);
                        own_dirty = false;
                    }
                    for (j, plan) in plans[split..].iter().enumerate() {
                        let cell = own_caches[j].parse(
                            &parsers[plan.scale],
                            record.get(plan.column).unwrap_or_default(),
                        );
                        match cell {
                            Parsed::Category(_) | Parsed::Value(_) | Parsed::DontKnow => {
                                answered += 1
                            }
                            Parsed::Invalid(_) => {
                                invalid += 1;
                                own_dirty = true;
                            }
                            Parsed::Empty => {}
                        }
                        own_cells.push(cell);
                    }
                    if answered == 0 {
                        let why = if invalid > 0 {
                            format!("no answers: none of the question cells holds a valid answer ({invalid} invalid)")
                        } else {
                            "no answers: every question cell is empty".to_string()
                        };
                        reject(&mut run, why);
                        continue;
                    }
                    if let Some(c) = id_col {
                        let id = record.get(c).unwrap_or_default().trim_ascii();
                        if !id.is_empty() {
                            let mut h = FxHasher::default();
                            dept_names[slot].1.hash(&mut h);
                            id.hash(&mut h);
                            let h = h.finish();
                            if self.ids.contains(&h) || !run.ids.insert(h) {
                                let name = dept_names[slot].0.clone();
                                reject(&mut run, format!("duplicate respondent id: an earlier row of department `{name}` has the same id"));
                                continue;
                            }
                        }
                    }
                    // commit the row
                    let di = match tally_of.get(slot).copied().flatten() {
                        Some(i) => i,
                        None => {
                            let name = &dept_names[slot].0;
                            run.departments.push(DepartmentTally::with_shape(
                                name,
                                &self.shape,
                                self.q.areas.len(),
                            ));
                            used_per_dept.push(0);
                            if tally_of.len() <= slot {
                                tally_of.resize(slot + 1, None);
                            }
                            tally_of[slot] = Some(run.departments.len() - 1);
                            run.departments.len() - 1
                        }
                    };
                    used_per_dept[di] += 1;
                    run.report.rows_used += 1;
                    let dept = &mut run.departments[di];
                    dept.respondents += 1;
                    masks.iter_mut().for_each(|m| *m = 0);
                    area_sums.iter_mut().for_each(|s| *s = (0.0, 0.0));
                    for (k, (plan, cell)) in plans.iter().zip(own_cells.iter()).enumerate() {
                        let t = &mut dept.questions[plan.question];
                        match *cell {
                            Parsed::Empty => t.empty += 1,
                            Parsed::DontKnow => t.dont_know += 1,
                            Parsed::Category(i) => {
                                t.valid += 1;
                                if let (Some(slot), Some(x)) =
                                    (t.counts.get_mut(i as usize), plan.xs.get(i as usize))
                                {
                                    *slot += 1;
                                    masks[plan.area] |= plan.bit;
                                    area_sums[plan.area].0 += plan.weight * x;
                                    area_sums[plan.area].1 += plan.weight;
                                }
                            }
                            Parsed::Value(x) => {
                                t.valid += 1;
                                t.values.push(x);
                                masks[plan.area] |= plan.bit;
                                area_sums[plan.area].0 +=
                                    plan.weight * if plan.reverse { 1.0 - x } else { x };
                                area_sums[plan.area].1 += plan.weight;
                            }
                            Parsed::Invalid(id) => {
                                t.invalid += 1;
                                run.report.invalid_cells += 1;
                                let raw = String::from_utf8_lossy(
                                    record.get(plan.column).unwrap_or_default(),
                                );
                                run.problems.push(Problem {
                                    kind: ProblemKind::Cell,
                                    file: shown_path.clone(),
                                    line,
                                    column: Some(shorten(&header[plan.column], 100)),
                                    question: Some(self.q.questions[plan.question].id.clone()),
                                    value: Some(raw.trim().chars().take(100).collect()),
                                    message: if k < split {
                                        batch.message(r, k).to_string()
                                    } else {
                                        own_caches[k - split].message(id).to_string()
                                    },
                                });
                            }
                        }
                    }
                    for (a, (sum, w)) in area_sums.iter().enumerate() {
                        if *w > 0.0 {
                            dept.area_index[a].push(sum / w);
                        }
                    }
                    for (a, m) in masks.iter().enumerate() {
                        if *m != 0 {
                            let n = dept.area_patterns[a].entry(*m).or_insert(0);
                            *n = n.saturating_add(1);
                        }
                    }
                }
                let _ = back_tx.send(batch);
            }
            Err(Box::new(FileOutcome::Failed(
                Diagnostic::error("reading the file stopped unexpectedly").in_file(path),
            )))
        });
        self.parsers = parsers;
        let (last_offset, last_line) = match ended {
            Ok(end) => end,
            Err(outcome) => return *outcome,
        };
        // questions without a column in this file are "empty" for its rows
        for (di, d) in run.departments.iter_mut().enumerate() {
            for (qi, t) in d.questions.iter_mut().enumerate() {
                if !present[qi] {
                    t.empty += used_per_dept[di];
                }
            }
        }
        if run.report.rows_read == 0 {
            run.diags.push(
                Diagnostic::warning("the file has a header but no rows")
                    .in_file(path)
                    .help("the file contributes no respondents; remove it if it is a leftover"),
            );
        }
        match reader::tail_in_open_quote(path, encoding, last_offset, delimiter) {
            Ok(false) => {}
            Ok(true) => {
                let line = last_line;
                return FileOutcome::Failed(
                    Diagnostic::error("unterminated quote: a field opened with `\"` is never closed, so the rest of the file would be read as one cell")
                        .in_file(path)
                        .at(line as usize, None)
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

    fn map_header(
        &mut self,
        path: &Path,
        header: &[String],
        fixed_dept: bool,
    ) -> Result<(Vec<Role>, Vec<Diagnostic>), Box<Diagnostic>> {
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
        let (mut suggested, mut examined) = (0, 0);
        for (c, r) in roles.iter().enumerate() {
            if *r == Role::Ignored {
                let h = shorten(&header[c], 60);
                if !h.is_empty() && self.ignored_seen.insert(h.clone()) {
                    // a near miss of a question id or alias is most likely a typo
                    examined += 1;
                    if suggested < 20 && examined <= 200 {
                        if let Some(near) = self.near_miss(&header[c]) {
                            suggested += 1;
                            diags.push(
                                Diagnostic::warning(format!(
                                    "column {} `{h}` is not a question; did you mean `{near}`?",
                                    c + 1
                                ))
                                .in_file(path)
                                .at(1, None)
                                .help("fix the header, or add it to the question's `aliases`"),
                            );
                        }
                    }
                    if self.ignored.len() < 30 {
                        self.ignored.push(h);
                    }
                }
            }
        }
        Ok((roles, diags))
    }
}
