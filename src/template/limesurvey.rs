//! The LimeSurvey survey structure in LimeSurvey's "Tab Separated Values" format
//! (manual page "Tab Separated Value survey structure", formerly "Excel Survey
//! Structure"; import: `TSVImportSurvey()` in `application/helpers/admin/import_helper.php`,
//! export: `tsvSurveyExport()` in `application/helpers/export_helper.php`).
//!
//! # Survey layout
//!
//! - `S` rows: base language, group-by-group format and the privacy settings
//!   (anonymized responses, no date stamp, no IP address, no referrer URL, no
//!   timings) plus `assessments = Y`, so whole-number ordinal values travel along
//!   as LimeSurvey assessment values (boolean: 0/1).
//! - `SL` rows: title, description, welcome text (instructions and the anonymity
//!   note), end text, number format (decimal comma for German).
//! - One group for the department: a mandatory short free-text question whose code
//!   and text are [`department_column`] ("Fachbereich" / "Department").
//! - Per area (that has questions) one group, `name` = area name, `text` =
//!   description; in it one question per scale used in the area, in the order the
//!   scales first appear: type `F` (Array) for ordinal and boolean scales with one
//!   `A` row per option (and one for "don't know"), type `K` (Multiple numerical
//!   input) for percent and number scales with the bounds as `min_num_value_n` /
//!   `max_num_value_n`; one sub-question (`SQ` row) per questionnaire question,
//!   text = question text, in questionnaire order.
//!
//! # Codes
//!
//! LimeSurvey's rules (model `Question::rules()`, `Answer::rules()`): question codes
//! 1–20 characters, `^[A-Za-z][A-Za-z0-9]*$`, unique in the survey, not one of
//! `LANG SID SAVEDID TOKEN QID GID SGQ self that this`; sub-question codes 1–20
//! characters `[A-Za-z0-9]`, unique per question (case-insensitive), not `time`;
//! answer codes 1–5 characters `[A-Za-z0-9]`, unique per question; assessment
//! values are integers. See [`limesurvey_codes`] and [`limesurvey_answer_codes`] for
//! how the codes are chosen.

use std::collections::HashSet;

use super::{department_column, fmt_number, min_group_size};
use crate::questionnaire::{Language, Questionnaire, Scale, ScaleKind};
use crate::text::normalize_key;

/// Where one questionnaire question lives in the LimeSurvey survey made by
/// [`limesurvey()`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimeCode {
    /// Index into [`Questionnaire::questions`].
    pub question: usize,
    /// The LimeSurvey question code (the array / multiple-numerical question).
    pub qcode: String,
    /// The sub-question code within that question.
    pub sqcode: String,
    /// Index into [`Questionnaire::areas`] (the area whose group holds it).
    pub group: usize,
}

/// The column order of LimeSurvey's own TSV export (base fields of
/// `tsvSurveyExport()`, with `encrypted` as in LimeSurvey 4+), followed by the
/// question attributes this generator uses, sorted by name as the export sorts them.
const COLUMNS: [&str; 19] = [
    "id",
    "related_id",
    "class",
    "type/scale",
    "name",
    "relevance",
    "text",
    "help",
    "language",
    "validation",
    "mandatory",
    "encrypted",
    "other",
    "default",
    "same_default",
    "assessment_value",
    "max_num_value_n",
    "min_num_value_n",
    "suffix",
];
const CLASS: usize = 2;
const TYPE: usize = 3;
const NAME: usize = 4;
const RELEVANCE: usize = 5;
const TEXT: usize = 6;
const HELP: usize = 7;
const LANGUAGE: usize = 8;
const MANDATORY: usize = 10;
const OTHER: usize = 12;
const SAME_DEFAULT: usize = 14;
const ASSESSMENT: usize = 15;
const MAX_N: usize = 16;
const MIN_N: usize = 17;
const SUFFIX: usize = 18;

/// Question codes that LimeSurvey's ExpressionScript reserves.
const RESERVED: [&str; 10] = [
    "LANG", "SID", "SAVEDID", "TOKEN", "QID", "GID", "SGQ", "self", "that", "this",
];

/// The LimeSurvey survey structure of `q` as a tab-separated `.txt` file to import
/// in LimeSurvey ("Create survey" → "Import", file type `.txt`).
///
/// The file is UTF-8 without BOM, LF line ends, a header row with the columns
/// `id related_id class type/scale name relevance text help language validation
/// mandatory encrypted other default same_default assessment_value max_num_value_n
/// min_num_value_n suffix` and then rows of the classes `S`, `SL`, `G`, `Q`, `SQ`,
/// `A`, every row with as many fields as the header. `id` and `related_id` stay
/// empty (the import numbers groups and questions itself). Tabs, line breaks and
/// other control characters in texts become spaces, runs of white space one space;
/// `<`, `>`, `{`, `}` in texts become HTML character references (LimeSurvey texts
/// are HTML, and `{…}` would be evaluated as ExpressionScript), and so does the
/// first `"` of a text that begins and ends with one; a field with a `"` is quoted
/// with doubled inner quotes, as PHP's `fgetcsv()` in the import expects. `encrypted`
/// stays empty (not encrypted), so that importers that predate the column do not
/// take it for a question attribute.
///
/// # What a response export of the imported survey contains
///
/// (LimeSurvey "Export responses", CSV; `Writer::write()`, `viewHelper::getFieldCode()`
/// / `getFieldText()` and `SurveyObj::getShortAnswer()` / `getFullAnswer()` in
/// `application/helpers/admin/export/`.)
///
/// Headers, for a question with [`LimeCode`] `qcode = "G01Q01"`, `sqcode = "SQ001"`:
/// - "Question code": `G01Q01[SQ001]`; with "Use ExpressionScript code" ticked:
///   `G01Q01_SQ001`. The department question: `Fachbereich` / `Department` in
///   both modes.
/// - "Full question text": `<array prompt> [<question text>]`, i.e. the text of
///   the array question (the same generic prompt for every array of one kind), a
///   space and the questionnaire question text in square brackets, both with HTML
///   tags removed and entities decoded, so the bracketed part is the question text
///   with white space collapsed. The department question: `Fachbereich` /
///   `Department`. ("Question code & question text" writes the code, a separator
///   — by default `. ` — and the full text; "abbreviated" cuts texts to 15
///   characters and cannot be mapped back.)
/// - LimeSurvey's own columns come first (`id`, `submitdate`, `lastpage`,
///   `startlanguage`, `seed`, …; translated labels in full-text mode).
///
/// Answer cells:
/// - Arrays, "Answer codes": the answer code of the chosen option, exactly as
///   [`limesurvey_answer_codes`] lists them, or the code of
///   [`limesurvey_dont_know_code`]; empty when the row was skipped or "No answer"
///   was chosen.
/// - Arrays, "Full answers": the answer text as stored in LimeSurvey, i.e. the
///   questionnaire's option text or its first don't-know token (with `<`, `>`,
///   `{`, `}` as character references, see above; LimeSurvey's HTML filter for
///   non-superadmin users may also store `&` as `&amp;`); empty when skipped.
/// - Multiple numerical input (percent, number), both modes: the number as
///   stored, with `.` as decimal point whatever the survey's number format, and
///   trailing zeros removed (`12.5`, `40`); where the database returns `.5` for
///   0.5, "Answer codes" mode keeps `.5` ("Full answers" writes `0.5`). Empty
///   when left blank; there is no don't-know option for these.
/// - Department: the free text as typed.
pub fn limesurvey(q: &Questionnaire) -> String {
    let t = Texts::of(q.language);
    let lang = q.language.code();
    let n = min_group_size(q);
    let mut rows: Vec<Row> = Vec::new();

    for (name, value) in [
        ("language", lang),
        ("format", "G"),
        ("anonymized", "Y"),
        ("datestamp", "N"),
        ("ipaddr", "N"),
        ("refurl", "N"),
        ("savetimings", "N"),
        ("assessments", "Y"),
    ] {
        rows.push(Row::new("S").set(NAME, name).set(TEXT, value));
    }

    let description = t
        .description
        .replace("{id}", &q.id)
        .replace("{version}", &q.version);
    let mut welcome = t.welcome.to_string();
    if let Some(dk) = q
        .questions
        .iter()
        .map(|x| q.scale_of(x))
        .filter(|s| s.is_categorical())
        .find_map(|s| s.dont_know.first())
    {
        welcome.push(' ');
        welcome.push_str(&t.welcome_dont_know.replace("{dk}", dk.trim()));
    }
    welcome.push(' ');
    welcome.push_str(&t.welcome_anonymity.replace("{n}", &n.to_string()));
    let numberformat = match q.language {
        Language::De => "1",
        Language::En => "0",
    };
    for (name, value) in [
        ("surveyls_title", html(&q.title)),
        ("surveyls_description", html(&description)),
        ("surveyls_welcometext", html(&welcome)),
        ("surveyls_endtext", html(t.end)),
        ("surveyls_numberformat", numberformat.to_string()),
    ] {
        rows.push(
            Row::new("SL")
                .set(NAME, name)
                .set(TEXT, value)
                .set(LANGUAGE, lang),
        );
    }

    // 1-based like LimeSurvey's own files; the import reads an empty or "0" group
    // number as missing (PHP `empty()`).
    let mut group_order = 1usize;
    let department = department_column(q.language);
    rows.push(
        Row::new("G")
            .set(TYPE, group_order.to_string())
            .set(NAME, html(t.department_group))
            .set(LANGUAGE, lang),
    );
    rows.push(
        question_row("S", department, department, lang)
            .set(
                HELP,
                html(&t.department_help.replace("{n}", &n.to_string())),
            )
            .set(MANDATORY, "Y"),
    );

    let blocks = layout(q);
    for (ai, area) in q.areas.iter().enumerate() {
        let area_blocks: Vec<&Block> = blocks.iter().filter(|b| b.area == ai).collect();
        if area_blocks.is_empty() {
            continue;
        }
        group_order += 1;
        rows.push(
            Row::new("G")
                .set(TYPE, group_order.to_string())
                .set(NAME, html(&area.name))
                .set(TEXT, html(area.description.as_deref().unwrap_or("")))
                .set(LANGUAGE, lang),
        );
        for block in area_blocks {
            let scale = &q.scales[block.scale];
            let comma = q.language == Language::De;
            let question = match &scale.kind {
                ScaleKind::Ordinal { .. } | ScaleKind::Boolean { .. } => {
                    let help = match (limesurvey_dont_know_code(scale), scale.dont_know.first()) {
                        (Some(_), Some(token)) => t.array_help.replace("{dk}", token.trim()),
                        _ => String::new(),
                    };
                    question_row("F", &block.qcode, t.array_prompt, lang).set(HELP, html(&help))
                }
                ScaleKind::Percent => question_row("K", &block.qcode, t.percent_prompt, lang)
                    .set(HELP, html(t.numeric_help))
                    .set(MIN_N, "0")
                    .set(MAX_N, "100")
                    .set(SUFFIX, "%"),
                ScaleKind::Number { min, max } => {
                    let prompt = t
                        .number_prompt
                        .replace("{min}", &fmt_number(*min, comma))
                        .replace("{max}", &fmt_number(*max, comma));
                    question_row("K", &block.qcode, &prompt, lang)
                        .set(HELP, html(t.numeric_help))
                        .set(MIN_N, fmt_number(*min, false))
                        .set(MAX_N, fmt_number(*max, false))
                }
            };
            rows.push(question.set(MANDATORY, "N"));
            for (qi, sqcode) in &block.items {
                rows.push(
                    Row::new("SQ")
                        .set(TYPE, "0")
                        .set(NAME, sqcode.as_str())
                        .set(RELEVANCE, "1")
                        .set(TEXT, html(&q.questions[*qi].text))
                        .set(LANGUAGE, lang)
                        .set(OTHER, "N")
                        .set(SAME_DEFAULT, "0"),
                );
            }
            if scale.is_categorical() {
                let codes = limesurvey_answer_codes(scale);
                for ((text, x), code) in scale.categories(q.language).into_iter().zip(codes) {
                    rows.push(answer_row(&code, &text, lang).set(
                        ASSESSMENT,
                        assessment_value(scale, x).map_or(String::new(), |v| v.to_string()),
                    ));
                }
                if let (Some(code), Some(token)) =
                    (limesurvey_dont_know_code(scale), scale.dont_know.first())
                {
                    rows.push(answer_row(&code, token.trim(), lang));
                }
            }
        }
    }

    let mut out = COLUMNS.join("\t");
    out.push('\n');
    for row in rows {
        let fields: Vec<String> = row.0.iter().map(|f| tsv_field(f)).collect();
        out.push_str(&fields.join("\t"));
        out.push('\n');
    }
    out
}

/// The codes [`limesurvey()`] gives each question, one [`LimeCode`] per question in
/// questionnaire order (index `i` describes `q.questions[i]`).
///
/// Questions are grouped into one LimeSurvey question ("block") per area and scale.
/// A block's codes are taken from the questions' aliases when every question of the
/// block has an alias of the form `QCODE[SQCODE]` that is a valid LimeSurvey code
/// pair (the first such alias of each question), all with the same `QCODE`, the
/// `SQCODE`s distinct (case-insensitive) and the `QCODE` not taken by an earlier
/// block or the department question. So the shipped questionnaires, whose aliases
/// follow LimeSurvey's default naming `G01Q01[SQ001]`, get exactly those codes, and
/// an export with code headers matches their aliases directly.
///
/// Otherwise the block's question code is `G<area>Q<block>` (1-based, at least two
/// digits each, e.g. `G03Q02` for the second scale of the third area; if that is
/// taken, `R2`, `R3`, … is appended), and each sub-question code is the question id
/// with every character other than `A–Z a–z 0–9` removed, cut to 20 characters
/// (`services_online` → `servicesonline`); an empty result becomes `SQ` and the
/// 1-based position in the block with three digits (`SQ001`), and a code that
/// repeats an earlier one of the block (case-insensitive) or is `time` gets a
/// number appended (`2`, `3`, …, cutting the code to stay within 20 characters).
pub fn limesurvey_codes(q: &Questionnaire) -> Vec<LimeCode> {
    let mut codes: Vec<LimeCode> = layout(q)
        .into_iter()
        .flat_map(|b| {
            let (area, qcode) = (b.area, b.qcode);
            b.items.into_iter().map(move |(question, sqcode)| LimeCode {
                question,
                qcode: qcode.clone(),
                sqcode,
                group: area,
            })
        })
        .collect();
    codes.sort_by_key(|c| c.question);
    codes
}

/// The answer codes [`limesurvey()`] uses for a categorical scale's options, in
/// option order (`[no, yes]` for boolean scales); empty for percent and number
/// scales. The first rule that gives valid, distinct codes wins:
///
/// 1. the scale's own `codes`, if all are valid LimeSurvey answer codes (1–5
///    characters `A–Z a–z 0–9`, distinct ignoring case) — the ingest accepts them
///    as answers already;
/// 2. ordinal scales: the `values` written as integers (`0`…`4`), if all are whole
///    numbers from 0 to 99999 and none of them reads as another option's text or as
///    a don't-know token — the ingest accepts them as values already (SPEC §9.7);
///    boolean scales: `N` and `Y`, which the ingest accepts for every boolean scale;
/// 3. `A1`, `A2`, … — generated codes that the ingest must map back to the options
///    itself (by position in this list).
pub fn limesurvey_answer_codes(scale: &Scale) -> Vec<String> {
    match &scale.kind {
        ScaleKind::Ordinal {
            options,
            values,
            codes,
        } => {
            if let Some(c) = codes.as_ref().filter(|c| valid_answer_codes(c)) {
                return c.clone();
            }
            if values
                .iter()
                .all(|v| v.fract() == 0.0 && (0.0..=99999.0).contains(v))
            {
                let c: Vec<String> = values.iter().map(|v| format!("{}", *v as i64)).collect();
                if valid_answer_codes(&c) && unambiguous(&c, options, &scale.dont_know) {
                    return c;
                }
            }
            numbered(options.len())
        }
        ScaleKind::Boolean { options, codes } => {
            if let Some(c) = codes.as_ref().map(|c| c.to_vec()) {
                if valid_answer_codes(&c) {
                    return c;
                }
            }
            let c = vec!["N".to_string(), "Y".to_string()];
            let options = options.as_ref().map(|o| o.to_vec()).unwrap_or_default();
            if unambiguous(&c, &options, &scale.dont_know) {
                c
            } else {
                numbered(2)
            }
        }
        ScaleKind::Percent | ScaleKind::Number { .. } => Vec::new(),
    }
}

/// The answer code of the extra "don't know" option that [`limesurvey()`] adds to
/// the arrays of a categorical scale with `dont_know` tokens (its text is the first
/// token); `None` for other scales. The code is the first token itself when that is
/// a valid answer code (so the ingest reads it as don't know already), else `DK`
/// (or `DK2`, `DK3`, … if `DK` is an answer code or option text of the scale) — a
/// generated code the ingest must map to "don't know" itself.
pub fn limesurvey_dont_know_code(scale: &Scale) -> Option<String> {
    if !scale.is_categorical() {
        return None;
    }
    let token = scale.dont_know.first()?.trim();
    let answers = limesurvey_answer_codes(scale);
    let options = option_texts(scale);
    let taken = |c: &str| {
        let k = normalize_key(c);
        answers
            .iter()
            .chain(options.iter())
            .any(|a| normalize_key(a) == k)
    };
    if valid_answer_code(token) && !taken(token) {
        return Some(token.to_string());
    }
    std::iter::once("DK".to_string())
        .chain((2u32..).map(|n| format!("DK{n}")))
        .find(|c| !taken(c))
}

/// One LimeSurvey question with its sub-questions.
struct Block {
    area: usize,
    scale: usize,
    qcode: String,
    /// (question index, sub-question code), in questionnaire order.
    items: Vec<(usize, String)>,
}

/// Splits every area into blocks (one per scale, in order of first appearance) and
/// assigns the codes (see [`limesurvey_codes`]).
fn layout(q: &Questionnaire) -> Vec<Block> {
    // (area, scale, position within the area, questions)
    let mut raw: Vec<(usize, usize, usize, Vec<usize>)> = Vec::new();
    for (ai, area) in q.areas.iter().enumerate() {
        let start = raw.len();
        for qi in area.questions.clone() {
            let scale = q.questions[qi].scale;
            match raw[start..].iter_mut().find(|b| b.1 == scale) {
                Some(b) => b.3.push(qi),
                None => {
                    let position = raw.len() - start;
                    raw.push((ai, scale, position, vec![qi]));
                }
            }
        }
    }

    let mut used: HashSet<String> = HashSet::new();
    used.insert(department_column(q.language).to_ascii_lowercase());
    let mut pinned: Vec<Option<(String, Vec<String>)>> =
        raw.iter().map(|b| pinned_codes(q, &b.3)).collect();
    for p in pinned.iter_mut() {
        if let Some((qcode, _)) = p {
            if !used.insert(qcode.to_ascii_lowercase()) {
                *p = None;
            }
        }
    }

    raw.into_iter()
        .zip(pinned)
        .map(|((area, scale, position, questions), pin)| {
            let (qcode, sqcodes) = match pin {
                Some(p) => p,
                None => {
                    let base = format!("G{:02}Q{:02}", area + 1, position + 1);
                    let mut qcode = base.clone();
                    let mut n = 2;
                    while used.contains(&qcode.to_ascii_lowercase()) {
                        qcode = format!("{base}R{n}");
                        n += 1;
                    }
                    used.insert(qcode.to_ascii_lowercase());
                    (qcode, generated_sqcodes(q, &questions))
                }
            };
            Block {
                area,
                scale,
                qcode,
                items: questions.into_iter().zip(sqcodes).collect(),
            }
        })
        .collect()
}

/// The codes a block's aliases give it, if they are complete and consistent.
fn pinned_codes(q: &Questionnaire, questions: &[usize]) -> Option<(String, Vec<String>)> {
    let mut qcode: Option<&str> = None;
    let mut sqcodes = Vec::with_capacity(questions.len());
    let mut seen = HashSet::new();
    for &qi in questions {
        let (qc, sq) = q.questions[qi]
            .aliases
            .iter()
            .find_map(|a| parse_alias(a))?;
        match qcode {
            None => qcode = Some(qc),
            Some(c) if c == qc => {}
            Some(_) => return None,
        }
        if !seen.insert(sq.to_ascii_lowercase()) {
            return None;
        }
        sqcodes.push(sq.to_string());
    }
    Some((qcode?.to_string(), sqcodes))
}

/// Splits an alias `QCODE[SQCODE]` whose parts are valid LimeSurvey codes.
fn parse_alias(alias: &str) -> Option<(&str, &str)> {
    let (qcode, rest) = alias.trim().split_once('[')?;
    let sqcode = rest.strip_suffix(']')?;
    (valid_qcode(qcode) && valid_sqcode(sqcode)).then_some((qcode, sqcode))
}

fn valid_qcode(code: &str) -> bool {
    code.len() <= 20
        && code.starts_with(|c: char| c.is_ascii_alphabetic())
        && code.bytes().all(|b| b.is_ascii_alphanumeric())
        && !RESERVED.iter().any(|r| r.eq_ignore_ascii_case(code))
}

fn valid_sqcode(code: &str) -> bool {
    (1..=20).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_alphanumeric())
        && !code.eq_ignore_ascii_case("time")
}

fn generated_sqcodes(q: &Questionnaire, questions: &[usize]) -> Vec<String> {
    let mut seen: HashSet<String> = HashSet::new();
    let mut out = Vec::with_capacity(questions.len());
    for (k, &qi) in questions.iter().enumerate() {
        let mut base: String = q.questions[qi]
            .id
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .take(20)
            .collect();
        if base.is_empty() {
            base = format!("SQ{:03}", k + 1);
        }
        let mut code = base.clone();
        let mut n = 2u32;
        while !valid_sqcode(&code) || seen.contains(&code.to_ascii_lowercase()) {
            let suffix = n.to_string();
            let keep = 20usize.saturating_sub(suffix.len()).min(base.len());
            // `base` is ASCII, so any byte index is a char boundary.
            code = format!("{}{suffix}", &base[..keep]);
            n += 1;
        }
        seen.insert(code.to_ascii_lowercase());
        out.push(code);
    }
    out
}

fn valid_answer_code(code: &str) -> bool {
    (1..=5).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// All codes valid and distinct ignoring case.
fn valid_answer_codes(codes: &[String]) -> bool {
    let mut seen = HashSet::new();
    codes
        .iter()
        .all(|c| valid_answer_code(c) && seen.insert(c.to_ascii_lowercase()))
}

/// No code reads as the text of another option or as a don't-know token (the ingest
/// tries those before codes and values, SPEC §9.7).
fn unambiguous(codes: &[String], options: &[String], dont_know: &[String]) -> bool {
    codes.iter().enumerate().all(|(i, c)| {
        let k = normalize_key(c);
        !options
            .iter()
            .enumerate()
            .any(|(j, o)| j != i && normalize_key(o) == k)
            && !dont_know.iter().any(|d| normalize_key(d) == k)
    })
}

fn numbered(k: usize) -> Vec<String> {
    (1..=k).map(|i| format!("A{i}")).collect()
}

/// The option texts a scale defines itself (boolean defaults excluded).
fn option_texts(scale: &Scale) -> Vec<String> {
    match &scale.kind {
        ScaleKind::Ordinal { options, .. } => options.clone(),
        ScaleKind::Boolean {
            options: Some(o), ..
        } => o.to_vec(),
        _ => Vec::new(),
    }
}

/// The LimeSurvey assessment value of an option (LimeSurvey stores integers only):
/// the ordinal value when all values of the scale are whole numbers (else none, so
/// that no two options get the same value by rounding), 0/1 for boolean no/yes.
fn assessment_value(scale: &Scale, x: f64) -> Option<i64> {
    match &scale.kind {
        ScaleKind::Ordinal { values, .. } => {
            if !values.iter().all(|v| v.fract() == 0.0 && v.abs() < 1e15) {
                return None;
            }
            let (lo, hi) = values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(*v), hi.max(*v))
                });
            // x = (v - lo) / (hi - lo), so v = lo + x (hi - lo)
            Some((lo + x * (hi - lo)).round() as i64)
        }
        _ => Some(x.round() as i64),
    }
}

fn question_row(kind: &str, code: &str, text: &str, lang: &str) -> Row {
    Row::new("Q")
        .set(TYPE, kind)
        .set(NAME, code)
        .set(RELEVANCE, "1")
        .set(TEXT, html(text))
        .set(LANGUAGE, lang)
        .set(OTHER, "N")
        .set(SAME_DEFAULT, "0")
}

fn answer_row(code: &str, text: &str, lang: &str) -> Row {
    Row::new("A")
        .set(TYPE, "0")
        .set(NAME, code)
        .set(TEXT, html(text))
        .set(LANGUAGE, lang)
}

/// One TSV row, one field per [`COLUMNS`] entry.
struct Row([String; COLUMNS.len()]);

impl Row {
    fn new(class: &str) -> Row {
        let mut row = Row(Default::default());
        row.0[CLASS] = class.to_string();
        row
    }

    fn set(mut self, column: usize, value: impl Into<String>) -> Row {
        self.0[column] = value.into();
        self
    }
}

/// Plain text → LimeSurvey text: white space collapsed, HTML-significant angle
/// brackets and ExpressionScript braces as character references, and a leading `"`
/// as `&quot;` when the text also ends with one (the import strips such quotes
/// once more after parsing, as "Excel quoting").
fn html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        for c in word.chars() {
            match c {
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '{' => out.push_str("&#123;"),
                '}' => out.push_str("&#125;"),
                c => out.push(c),
            }
        }
    }
    if out.len() >= 2 && out.starts_with('"') && out.ends_with('"') {
        out.replace_range(..1, "&quot;");
    }
    out
}

/// A field as written: control characters (tab, CR, LF, …) become spaces; a field
/// with a double quote is quoted with doubled inner quotes.
fn tsv_field(field: &str) -> String {
    let clean: String = field
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.contains('"') {
        format!("\"{}\"", clean.replace('"', "\"\""))
    } else {
        clean
    }
}

/// The texts the survey shows around the questionnaire's own texts.
struct Texts {
    description: &'static str,
    welcome: &'static str,
    welcome_dont_know: &'static str,
    welcome_anonymity: &'static str,
    end: &'static str,
    department_group: &'static str,
    department_help: &'static str,
    array_prompt: &'static str,
    array_help: &'static str,
    percent_prompt: &'static str,
    number_prompt: &'static str,
    numeric_help: &'static str,
}

impl Texts {
    fn of(language: Language) -> Texts {
        match language {
            Language::De => Texts {
                description: "Befragung der Beschäftigten zur Ist-Analyse (Fragebogen {id}, Version {version}).",
                welcome: "Vielen Dank, dass Sie sich Zeit für diese Befragung nehmen. Bitte beantworten Sie die Fragen aus Sicht Ihres Arbeitsbereichs.",
                welcome_dont_know: "Wenn Sie eine Frage nicht beurteilen können, wählen Sie die Ausweichantwort (z. B. „{dk}“).",
                welcome_anonymity: "Die Befragung ist anonym: Namen und IP-Adressen werden nicht gespeichert, und Ergebnisse werden nur für Gruppen mit mindestens {n} Antwortenden ausgewiesen.",
                end: "Vielen Dank für Ihre Teilnahme!",
                department_group: "Ihr Fachbereich",
                department_help: "In welchem Fachbereich (Amt, Organisationseinheit) arbeiten Sie? Die Angabe dient nur der Auswertung nach Fachbereichen; Fachbereiche mit weniger als {n} Antwortenden werden nicht einzeln ausgewiesen.",
                array_prompt: "Bitte wählen Sie in jeder Zeile eine Antwort.",
                array_help: "Wenn Sie eine Zeile nicht beurteilen können, wählen Sie „{dk}“.",
                percent_prompt: "Bitte geben Sie jeweils einen Anteil zwischen 0 und 100 Prozent an.",
                number_prompt: "Bitte geben Sie jeweils eine Zahl zwischen {min} und {max} an.",
                numeric_help: "Wenn Sie es nicht wissen, lassen Sie das Feld leer.",
            },
            Language::En => Texts {
                description: "Staff survey for the current-state analysis (questionnaire {id}, version {version}).",
                welcome: "Thank you for taking the time to answer this survey. Please answer from the point of view of your own work area.",
                welcome_dont_know: "If you cannot judge a question, choose the opt-out answer (e.g. “{dk}”).",
                welcome_anonymity: "The survey is anonymous: no names or IP addresses are stored, and results are only shown for groups of at least {n} respondents.",
                end: "Thank you for taking part!",
                department_group: "Your department",
                department_help: "Which department (office, organisational unit) do you work in? It is only used to report results by department; departments with fewer than {n} respondents are not shown on their own.",
                array_prompt: "Please choose one answer in each row.",
                array_help: "If you cannot judge a row, choose “{dk}”.",
                percent_prompt: "Please enter a percentage between 0 and 100 in each field.",
                number_prompt: "Please enter a number between {min} and {max} in each field.",
                numeric_help: "If you don't know, leave the field empty.",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::parse_str;
    use std::path::Path;

    /// Exercises the edge cases: interleaved scales, partial and conflicting alias
    /// pins, ids that clean to duplicates or to nothing, reserved `time`, texts
    /// with tabs, newlines, quotes, HTML and braces, values that are no codes.
    const EDGE: &str = r#"
[questionnaire]
id = "edge"
title = "Edge \"cases\""
version = "0.1"
language = "en"

[scale.agree]
kind = "ordinal"
options = ["no", "partly", "yes"]
values = [0.5, 1, 2]
dont_know = ["don't know"]

[scale.level]
kind = "ordinal"
options = ["low", "0", "high"]
values = [0, 1, 2]
dont_know = ["dk", "no idea"]

[scale.coded]
kind = "ordinal"
options = ["a", "b"]
codes = ["x1", "DK"]
dont_know = ["k. A."]

[scale.long]
kind = "ordinal"
options = ["a", "b"]
codes = ["toolong", "b"]

[scale.yn]
kind = "boolean"
dont_know = ["?"]

[scale.share]
kind = "percent"
dont_know = ["don't know"]

[scale.count]
kind = "number"
min = 0.5
max = 12

[[area]]
id = "one"
name = "Area <one> & {two}"
description = "Line one\nline\ttwo"

[[area.question]]
id = "q_1"
text = "First\tquestion \"quoted\"\nnext line"
scale = "agree"

[[area.question]]
id = "q-2"
text = "Share"
scale = "share"

[[area.question]]
id = "q1"
text = "Cleans to the same code as q_1"
scale = "agree"

[[area.question]]
id = "__"
text = "Cleans to nothing"
scale = "agree"

[[area.question]]
id = "time"
text = "Reserved sub-question code"
scale = "yn"

[[area.question]]
id = "abcdefghijklmnopqrstuvwxyz_1"
text = "Long id"
scale = "yn"

[[area.question]]
id = "abcdefghijklmnopqrstuvwxyz_2"
text = "Long id too"
scale = "yn"

[[area]]
id = "two"
name = "Two"

[[area.question]]
id = "p1"
text = "Pinned one"
scale = "level"
aliases = ["X1[a1]"]

[[area.question]]
id = "p2"
text = "Pinned two"
scale = "level"
aliases = ["not a code", "X1[a2]"]

[[area.question]]
id = "c1"
text = "Count"
scale = "count"
aliases = ["G02Q02[SQ001]"]

[[area.question]]
id = "c2"
text = "Count without alias"
scale = "count"

[[area.question]]
id = "k1"
text = "Coded"
scale = "coded"
aliases = ["X1[z]"]

[[area.question]]
id = "l1"
text = "Long codes"
scale = "long"

[[area]]
id = "three"
name = "Three"

[[area.question]]
id = "d1"
text = "Same pin as area two: must not be pinned again"
scale = "level"
aliases = ["x1[b1]"]

[[area.question]]
id = "d2"
text = '"Quoted whole"'
scale = "level"
"#;

    fn edge() -> Questionnaire {
        parse_str(Path::new("q.toml"), EDGE)
            .expect("edge questionnaire parses")
            .0
    }

    fn kommune() -> Questionnaire {
        parse_str(
            Path::new("kommune.toml"),
            include_str!("../../questionnaires/kommune.toml"),
        )
        .expect("kommune.toml parses")
        .0
    }

    fn english() -> Questionnaire {
        parse_str(
            Path::new("municipality-en.toml"),
            include_str!("../../questionnaires/municipality-en.toml"),
        )
        .expect("municipality-en.toml parses")
        .0
    }

    /// Parses the TSV the way LimeSurvey's `fgetcsv($h, 0, "\t", '"')` does for
    /// our output: fields may be quoted with doubled inner quotes.
    fn parse_tsv(text: &str) -> Vec<Vec<String>> {
        text.lines()
            .map(|line| {
                line.split('\t')
                    .map(
                        |f| match f.strip_prefix('"').and_then(|f| f.strip_suffix('"')) {
                            Some(inner) => inner.replace("\"\"", "\""),
                            None => f.to_string(),
                        },
                    )
                    .collect()
            })
            .collect()
    }

    fn col(name: &str) -> usize {
        COLUMNS.iter().position(|c| *c == name).unwrap()
    }

    /// The rows of one class, as (name, text) pairs.
    fn named<'a>(rows: &'a [Vec<String>], class: &str) -> Vec<(&'a str, &'a str)> {
        rows.iter()
            .filter(|r| r[col("class")] == class)
            .map(|r| (r[col("name")].as_str(), r[col("text")].as_str()))
            .collect()
    }

    /// Checks the structural rules every output must satisfy.
    fn check_structure(q: &Questionnaire) -> Vec<Vec<String>> {
        let text = limesurvey(q);
        assert!(text.ends_with('\n'));
        assert!(!text.contains('\r'));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], COLUMNS.join("\t"));
        for (i, line) in lines.iter().enumerate() {
            assert_eq!(
                line.split('\t').count(),
                COLUMNS.len(),
                "line {} has the wrong number of fields: {line:?}",
                i + 1
            );
        }
        let rows = parse_tsv(&text);
        let rows = rows[1..].to_vec();

        // Row classes in order: S+, SL+, G (department), Q (S), then per area
        // G, and per block Q, SQ+, A* (A only after arrays).
        let classes: Vec<&str> = rows.iter().map(|r| r[col("class")].as_str()).collect();
        let first_sl = classes.iter().position(|c| *c == "SL").unwrap();
        assert!(classes[..first_sl].iter().all(|c| *c == "S"));
        let first_g = classes.iter().position(|c| *c == "G").unwrap();
        assert!(classes[first_sl..first_g].iter().all(|c| *c == "SL"));
        assert_eq!(classes[first_g + 1], "Q");
        assert_eq!(rows[first_g + 1][col("type/scale")], "S");
        let mut last_q_type = "";
        for (i, c) in classes.iter().enumerate().skip(first_g) {
            match *c {
                "G" => assert!(
                    i == first_g || i == first_g + 2 || matches!(classes[i - 1], "SQ" | "A")
                ),
                "Q" => {
                    assert!(matches!(classes[i - 1], "G" | "SQ" | "A"));
                    last_q_type = rows[i][col("type/scale")].as_str();
                }
                "SQ" => assert!(matches!(classes[i - 1], "Q" | "SQ")),
                "A" => {
                    assert!(matches!(classes[i - 1], "SQ" | "A"));
                    assert_eq!(last_q_type, "F");
                }
                other => panic!("unexpected row class {other}"),
            }
        }

        // Question codes: valid and unique (case-insensitive) in the survey.
        let mut seen = HashSet::new();
        for (name, _) in named(&rows, "Q") {
            assert!(valid_qcode(name), "invalid question code {name}");
            assert!(seen.insert(name.to_ascii_lowercase()), "duplicate {name}");
        }
        // Sub-question and answer codes: valid and unique per question.
        let mut sq_seen: HashSet<String> = HashSet::new();
        let mut a_seen: HashSet<String> = HashSet::new();
        for r in &rows {
            let name = r[col("name")].as_str();
            match r[col("class")].as_str() {
                "Q" => {
                    sq_seen.clear();
                    a_seen.clear();
                }
                "SQ" => {
                    assert!(valid_sqcode(name), "invalid sub-question code {name}");
                    assert!(
                        sq_seen.insert(name.to_ascii_lowercase()),
                        "duplicate {name}"
                    );
                }
                "A" => {
                    assert!(valid_answer_code(name), "invalid answer code {name}");
                    assert!(a_seen.insert(name.to_ascii_lowercase()), "duplicate {name}");
                    let v = &r[col("assessment_value")];
                    assert!(v.is_empty() || v.parse::<i64>().is_ok(), "assessment {v}");
                }
                _ => {}
            }
        }

        // Every question mapped exactly once, and the codes match the rows.
        let codes = limesurvey_codes(q);
        assert_eq!(codes.len(), q.questions.len());
        for (i, c) in codes.iter().enumerate() {
            assert_eq!(c.question, i);
            assert_eq!(c.group, q.questions[i].area);
        }
        let mut pairs = HashSet::new();
        let mut current_q = String::new();
        for r in &rows {
            match r[col("class")].as_str() {
                "Q" => current_q = r[col("name")].clone(),
                "SQ" => {
                    let hit: Vec<&LimeCode> = codes
                        .iter()
                        .filter(|c| c.qcode == current_q && c.sqcode == r[col("name")])
                        .collect();
                    assert_eq!(hit.len(), 1, "{current_q}[{}]", r[col("name")]);
                    let expected = html(&q.questions[hit[0].question].text);
                    assert_eq!(r[col("text")], expected);
                    assert!(pairs.insert(hit[0].question), "question mapped twice");
                }
                _ => {}
            }
        }
        assert_eq!(pairs.len(), q.questions.len());
        rows
    }

    #[test]
    fn kommune_structure_and_codes_follow_its_aliases() {
        let q = kommune();
        let rows = check_structure(&q);
        let codes = limesurvey_codes(&q);
        for c in &codes {
            let alias = format!("{}[{}]", c.qcode, c.sqcode);
            assert!(
                q.questions[c.question].aliases.contains(&alias),
                "{} has no alias {alias}",
                q.questions[c.question].id
            );
        }
        // settings
        let s = named(&rows, "S");
        assert!(s.contains(&("language", "de")));
        assert!(s.contains(&("anonymized", "Y")));
        assert!(s.contains(&("format", "G")));
        assert!(s.contains(&("assessments", "Y")));
        assert!(named(&rows, "SL").contains(&("surveyls_title", q.title.as_str())));
        // groups: department first, then one per area
        let g: Vec<&str> = named(&rows, "G").into_iter().map(|(n, _)| n).collect();
        assert_eq!(g.len(), 1 + q.areas.len());
        assert_eq!(g[1], "Strategie & Steuerung");
        // department question
        let dep = rows
            .iter()
            .find(|r| r[col("name")] == "Fachbereich")
            .unwrap();
        assert_eq!(dep[col("class")], "Q");
        assert_eq!(dep[col("text")], "Fachbereich");
        assert_eq!(dep[col("mandatory")], "Y");
        // every question text appears as a sub-question
        let sq: Vec<&str> = named(&rows, "SQ").into_iter().map(|(_, t)| t).collect();
        for question in &q.questions {
            assert!(sq.contains(&question.text.as_str()), "{}", question.id);
        }
    }

    #[test]
    fn kommune_blocks_types_answers_and_bounds() {
        let q = kommune();
        let rows = parse_tsv(&limesurvey(&q))[1..].to_vec();
        let block = |code: &str| -> Vec<Vec<String>> {
            let start = rows.iter().position(|r| r[col("name")] == code).unwrap();
            let end = rows[start + 1..]
                .iter()
                .position(|r| matches!(r[col("class")].as_str(), "Q" | "G"))
                .map_or(rows.len(), |e| start + 1 + e);
            rows[start..end].to_vec()
        };
        let answers = |b: &[Vec<String>]| -> Vec<(String, String, String)> {
            b.iter()
                .filter(|r| r[col("class")] == "A")
                .map(|r| {
                    (
                        r[col("name")].clone(),
                        r[col("text")].clone(),
                        r[col("assessment_value")].clone(),
                    )
                })
                .collect()
        };
        // agreement array: the scale's own codes, values as assessment, DK last
        let b = block("G01Q01");
        assert_eq!(b[0][col("type/scale")], "F");
        assert_eq!(b.iter().filter(|r| r[col("class")] == "SQ").count(), 6);
        let a = answers(&b);
        assert_eq!(a.len(), 6);
        assert_eq!(a[0], ("A1".into(), "trifft nicht zu".into(), "1".into()));
        assert_eq!(a[4], ("A5".into(), "trifft voll zu".into(), "5".into()));
        assert_eq!(a[5], ("DK".into(), "weiß nicht".into(), String::new()));
        assert!(b[0][col("help")].contains("„weiß nicht“"));
        // OZG array without codes: the values are the codes
        let a = answers(&block("G02Q02"));
        let codes: Vec<&str> = a.iter().map(|x| x.0.as_str()).collect();
        assert_eq!(codes, ["0", "1", "2", "3", "4", "DK"]);
        // yes/no: N, Y
        let a = answers(&block("G05Q02"));
        assert_eq!(a[0], ("N".into(), "nein".into(), "0".into()));
        assert_eq!(a[1], ("Y".into(), "ja".into(), "1".into()));
        // percent: multiple numerical 0..100 with suffix, no answers
        let b = block("G03Q02");
        assert_eq!(b[0][col("type/scale")], "K");
        assert_eq!(b[0][col("min_num_value_n")], "0");
        assert_eq!(b[0][col("max_num_value_n")], "100");
        assert_eq!(b[0][col("suffix")], "%");
        assert!(answers(&b).is_empty());
        // number 0..10
        let b = block("G06Q02");
        assert_eq!(b[0][col("type/scale")], "K");
        assert_eq!(b[0][col("max_num_value_n")], "10");
        assert!(b[0][col("text")].contains("zwischen 0 und 10"));
    }

    #[test]
    fn english_questionnaire_is_english_and_pinned_the_same() {
        let (de, en) = (kommune(), english());
        let rows = check_structure(&en);
        assert!(named(&rows, "S").contains(&("language", "en")));
        assert!(rows.iter().any(|r| r[col("name")] == "Department"));
        assert!(named(&rows, "SL").contains(&("surveyls_numberformat", "0")));
        let (cd, ce) = (limesurvey_codes(&de), limesurvey_codes(&en));
        assert_eq!(cd, ce);
    }

    #[test]
    fn edge_cases_keep_the_file_valid() {
        let q = edge();
        let rows = check_structure(&q);
        let codes = limesurvey_codes(&q);
        let by_id = |id: &str| {
            let i = q.questions.iter().position(|x| x.id == id).unwrap();
            codes[i].clone()
        };
        // area one: agree block first, then share, then yes/no (order of appearance)
        assert_eq!(by_id("q_1").qcode, "G01Q01");
        assert_eq!(by_id("q-2").qcode, "G01Q02");
        assert_eq!(by_id("time").qcode, "G01Q03");
        assert_eq!(by_id("q_1").sqcode, "q1");
        assert_eq!(by_id("q1").sqcode, "q12", "clash with q_1 gets a number");
        assert_eq!(by_id("__").sqcode, "SQ003");
        assert_eq!(by_id("time").sqcode, "time2");
        assert_eq!(
            by_id("abcdefghijklmnopqrstuvwxyz_1").sqcode,
            "abcdefghijklmnopqrst"
        );
        assert_eq!(
            by_id("abcdefghijklmnopqrstuvwxyz_2").sqcode,
            "abcdefghijklmnopqrs2"
        );
        // area two: level block pinned by aliases (second alias of p2 counts)
        assert_eq!(by_id("p1").qcode, "X1");
        assert_eq!(by_id("p1").sqcode, "a1");
        assert_eq!(by_id("p2").sqcode, "a2");
        // count block: only one question has an alias, so it is generated
        assert_eq!(by_id("c1").qcode, "G02Q02");
        assert_eq!(by_id("c2").sqcode, "c2");
        // coded block: X1 already taken by the level block
        assert_eq!(by_id("k1").qcode, "G02Q03");
        // area three: x1 equals X1 ignoring case, so not pinned again
        assert_eq!(by_id("d1").qcode, "G03Q01");
        assert_eq!(by_id("d1").group, 2);

        // texts: tabs/newlines gone, quotes kept, HTML and braces escaped
        let g = named(&rows, "G");
        assert_eq!(
            g[1],
            ("Area &lt;one&gt; & &#123;two&#125;", "Line one line two")
        );
        let sq = named(&rows, "SQ");
        assert!(sq.contains(&("q1", "First question \"quoted\" next line")));
        assert!(named(&rows, "SL").contains(&("surveyls_title", "Edge \"cases\"")));
        assert!(sq.contains(&("d2", "&quot;Quoted whole\"")));
        let raw = limesurvey(&q);
        assert!(raw.contains("\t\"First question \"\"quoted\"\" next line\"\t"));

        // number bounds with decimals
        let k = rows.iter().find(|r| r[col("name")] == "G02Q02").unwrap();
        assert_eq!(k[col("min_num_value_n")], "0.5");
        assert_eq!(k[col("max_num_value_n")], "12");
        assert!(k[col("text")].contains("between 0.5 and 12"));
    }

    #[test]
    fn answer_codes_follow_the_documented_rules() {
        let q = edge();
        let scale = |name: &str| q.scales.iter().find(|s| s.name == name).unwrap();
        // non-integral values: generated codes, no assessment values
        assert_eq!(limesurvey_answer_codes(scale("agree")), ["A1", "A2", "A3"]);
        assert_eq!(assessment_value(scale("agree"), 0.0), None);
        assert_eq!(assessment_value(scale("level"), 1.0), Some(2));
        assert_eq!(assessment_value(scale("yn"), 1.0), Some(1));
        // values 0,1,2 but option "0" is another option's text: generated codes
        assert_eq!(limesurvey_answer_codes(scale("level")), ["A1", "A2", "A3"]);
        // the first dont_know token is a valid code: it is the code
        assert_eq!(
            limesurvey_dont_know_code(scale("level")).as_deref(),
            Some("dk")
        );
        // own codes kept; DK is an option code, so the don't-know code moves on
        assert_eq!(limesurvey_answer_codes(scale("coded")), ["x1", "DK"]);
        assert_eq!(
            limesurvey_dont_know_code(scale("coded")).as_deref(),
            Some("DK2")
        );
        // own codes too long for LimeSurvey: the (default) values 1, 2
        assert_eq!(limesurvey_answer_codes(scale("long")), ["1", "2"]);
        assert_eq!(limesurvey_dont_know_code(scale("long")), None);
        // boolean without codes: N, Y; token "?" is no valid code: DK
        assert_eq!(limesurvey_answer_codes(scale("yn")), ["N", "Y"]);
        assert_eq!(
            limesurvey_dont_know_code(scale("yn")).as_deref(),
            Some("DK")
        );
        // numeric scales have no answer options
        assert!(limesurvey_answer_codes(scale("share")).is_empty());
        assert_eq!(limesurvey_dont_know_code(scale("share")), None);
        assert!(limesurvey_answer_codes(scale("count")).is_empty());
    }

    #[test]
    fn output_is_deterministic() {
        let q = kommune();
        assert_eq!(limesurvey(&q), limesurvey(&q));
        assert_eq!(limesurvey_codes(&q), limesurvey_codes(&q));
    }
}
