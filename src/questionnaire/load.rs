//! Reading and validating a questionnaire TOML file (SPEC §2, §9.6).
//!
//! Every rule is checked and every violation reported with file, line and column, so
//! a user fixes the whole file in one round instead of one error per run.

use std::collections::HashMap;
use std::path::Path;

use super::{Aggregate, Area, Language, Level, Question, Questionnaire, Scale, ScaleKind};
use crate::diag::{Diagnostic, Failure};
use crate::text::{closest, normalize_display, normalize_key};
use crate::tomlread::{Located, Table, TomlDoc};

/// Reads and validates the questionnaire at `path`.
pub fn load(path: &Path) -> Result<(Questionnaire, Vec<Diagnostic>), Failure> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::error(format!("cannot read the questionnaire: {e}"))
            .in_file(path)
            .help("check the path given with -q/--questionnaire or `questionnaire =` in the project file")
    })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let src = String::from_utf8_lossy(e.as_bytes()).into_owned();
        Diagnostic::error("the questionnaire is not valid UTF-8")
            .in_file(path)
            .at_offset(&src, e.utf8_error().valid_up_to())
            .help("save the file as UTF-8 (TOML files must be UTF-8)")
    })?;
    parse_str(path, &text)
}

/// Validates questionnaire TOML text; `path` is only used in messages.
/// Returns the questionnaire and its warnings, or every error found.
pub fn parse_str(path: &Path, text: &str) -> Result<(Questionnaire, Vec<Diagnostic>), Failure> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut doc = TomlDoc::new(path, text);
    let Some(root) = doc.parse() else {
        return Err(Failure(doc.diags));
    };
    let root_span = root.span();
    let mut top = Table::new(root.get_ref(), root_span.start..root_span.start, "the file");
    let q = read(&mut doc, &mut top);
    top.finish(&mut doc);
    let mut diags = doc.diags;
    diags.sort_by_key(|d| (d.line, d.column));
    match q {
        Some(q) if !diags.iter().any(Diagnostic::is_error) => Ok((q, diags)),
        _ => Err(Failure(diags)),
    }
}

fn read(doc: &mut TomlDoc, top: &mut Table) -> Option<Questionnaire> {
    // [questionnaire]
    let (mut id, mut title, mut version, mut language) =
        (String::new(), String::new(), String::new(), Language::De);
    match top.table(doc, "questionnaire") {
        Some(mut t) => {
            if let Some(v) = t.req_str(doc, "id") {
                if v.value.is_empty()
                    || !v.value.bytes().all(|b| {
                        b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-'
                    })
                {
                    doc.error(
                        v.span.clone(),
                        &format!(
                            "questionnaire id `{}` may only contain a-z, 0-9, `_` and `-`",
                            v.value
                        ),
                        "use a short lower-case id like \"kommune-digital\"",
                    );
                }
                id = v.value;
            }
            if let Some(v) = t.req_str(doc, "title") {
                title = v.value;
            }
            if let Some(v) = t.str(doc, "version") {
                version = v.value;
            }
            if let Some(v) = t.str(doc, "language") {
                match Language::parse(&v.value) {
                    Some(l) => language = l,
                    None => doc.error(
                        v.span,
                        &format!("unknown language `{}`", v.value),
                        "use \"de\" or \"en\"",
                    ),
                }
            }
            t.finish(doc);
        }
        None => {
            if !top.has("questionnaire") {
                doc.error(
                    top.span(),
                    "the file has no [questionnaire] table",
                    "start the file with [questionnaire] and id, title, version, language",
                );
            }
        }
    }

    // [reporting]
    let mut min_group_size = None;
    if let Some(mut t) = top.table(doc, "reporting") {
        if let Some(v) = t.uint(doc, "min_group_size") {
            if v.value == 0 {
                doc.error(
                    v.span,
                    "min_group_size must be at least 1",
                    "use 5 (the usual anonymity threshold) or more",
                );
            } else {
                min_group_size = Some(v.value);
            }
        }
        t.finish(doc);
    }

    let levels = read_levels(doc, top);
    let (scales, broken) = read_scales(doc, top);
    let (areas, questions) = read_areas(doc, top, &scales, &broken);

    Some(Questionnaire {
        path: doc.path.clone(),
        id,
        title,
        version,
        language,
        min_group_size,
        levels,
        scales: scales.into_iter().map(|(s, _)| s).collect(),
        areas,
        questions,
    })
}

fn read_levels(doc: &mut TomlDoc, top: &mut Table) -> Vec<Level> {
    let mut levels: Vec<Located<Level>> = Vec::new();
    for mut t in top.tables(doc, "level", "level") {
        let min = t.num(doc, "min");
        if !t.has("min") {
            doc.error(
                t.span(),
                &format!("{} has no `min`", t.name),
                "add `min = 0` (the lowest score of this level, 0..100)",
            );
        }
        let name = t.req_str(doc, "name");
        t.finish(doc);
        if let (Some(min), Some(name)) = (min, name) {
            if !(0.0..=100.0).contains(&min.value) {
                doc.error(
                    min.span.clone(),
                    &format!("level minimum {} is outside 0..100", min.value),
                    "level minimums are scores between 0 and 100",
                );
            }
            if let Some(prev) = levels.last() {
                if min.value == prev.value.min {
                    doc.error(
                        min.span.clone(),
                        &format!("two levels start at {}", min.value),
                        "give each level its own minimum",
                    );
                } else if min.value < prev.value.min {
                    doc.error(
                        min.span.clone(),
                        &format!(
                            "level `{}` (min {}) comes after a level with min {}",
                            name.value, min.value, prev.value.min
                        ),
                        "list the [[level]] entries in ascending order of `min`",
                    );
                }
            }
            levels.push(Located {
                value: Level {
                    min: min.value,
                    name: name.value,
                },
                span: min.span,
            });
        }
    }
    if let Some(first) = levels.first() {
        if first.value.min > 0.0 {
            doc.warning(
                first.span.clone(),
                &format!(
                    "the lowest level starts at {}: scores below it get no level",
                    first.value.min
                ),
                "let the first level start at `min = 0`",
            );
        }
    }
    levels.into_iter().map(|l| l.value).collect()
}

/// The valid scales, and the names of the defined scales that have errors (so that
/// their use is not reported again as "unknown scale").
type Scales = Vec<(Scale, std::ops::Range<usize>)>;

fn read_scales(doc: &mut TomlDoc, top: &mut Table) -> (Scales, Vec<String>) {
    let mut scales = Vec::new();
    let mut broken = Vec::new();
    let Some(scale_table) = top.table(doc, "scale") else {
        return (scales, broken);
    };
    for (key, value) in scale_table.entries() {
        let name = key.get_ref().to_string();
        let toml::de::DeValue::Table(tbl) = value.get_ref() else {
            doc.error(
                value.span(),
                &format!("scale `{name}` must be a table"),
                &format!("write it as [scale.{name}] with `kind = ...`"),
            );
            broken.push(name);
            continue;
        };
        let mut t = Table::new(tbl, value.span(), format!("[scale.{name}]"));
        match read_scale(doc, &mut t, &name) {
            Some(s) => scales.push((s, key.span())),
            None => broken.push(name),
        }
        t.finish(doc);
    }
    scales.sort_by(|a, b| a.0.name.cmp(&b.0.name));
    (scales, broken)
}

fn read_scale(doc: &mut TomlDoc, t: &mut Table, name: &str) -> Option<Scale> {
    let kind = t.req_str(doc, "kind")?;
    let dont_know: Vec<Located<String>> = t
        .str_list(doc, "dont_know")
        .map(|l| l.value)
        .unwrap_or_default();
    let kind_name = kind.value.trim().to_ascii_lowercase();
    // Only the keys allowed for the kind are read; the rest become "unknown key" errors
    // naming the allowed ones (SPEC §9.6).
    let scale_kind = match kind_name.as_str() {
        "ordinal" => {
            let options = t.str_list(doc, "options");
            // entries with their own error are left out of the list; then its length
            // says nothing, and a second "wrong length" error would mislead
            let before = doc.diags.len();
            let values = t.num_list(doc, "values");
            let values_clean = doc.diags.len() == before;
            let codes = t.str_list(doc, "codes");
            let Some(options) = options else {
                doc.error(
                    t.span(),
                    &format!("ordinal scale `{name}` has no `options`"),
                    "add `options = [\"...\", \"...\"]`, least mature first",
                );
                return None;
            };
            if options.value.len() < 2 {
                doc.error(
                    options.span.clone(),
                    &format!(
                        "ordinal scale `{name}` has {} option(s)",
                        options.value.len()
                    ),
                    "an ordinal scale needs at least two options",
                );
            }
            let k = options.value.len();
            let values: Vec<f64> = match values {
                Some(v) => {
                    if v.value.len() != k && values_clean {
                        doc.error(
                            v.span.clone(),
                            &format!(
                                "`values` has {} entries but `options` has {k}",
                                v.value.len()
                            ),
                            "give exactly one value per option",
                        );
                    }
                    for (i, a) in v.value.iter().enumerate() {
                        if v.value[..i].iter().any(|b| b.value == a.value) {
                            doc.error(
                                a.span.clone(),
                                &format!("value {} appears twice in `values`", a.value),
                                "values must be distinct",
                            );
                        }
                    }
                    v.value.iter().map(|x| x.value).collect()
                }
                None => (1..=k).map(|i| i as f64).collect(),
            };
            let codes = codes.map(|c| {
                if c.value.len() != k {
                    doc.error(
                        c.span.clone(),
                        &format!(
                            "`codes` has {} entries but `options` has {k}",
                            c.value.len()
                        ),
                        "give exactly one code per option",
                    );
                }
                c.value
            });
            check_tokens(doc, name, &options.value, codes.as_deref(), &dont_know);
            ScaleKind::Ordinal {
                options: options
                    .value
                    .iter()
                    .map(|o| normalize_display(&o.value))
                    .collect(),
                values,
                codes: codes.map(|c| c.iter().map(|o| normalize_display(&o.value)).collect()),
            }
        }
        "boolean" => {
            let options = t.str_list(doc, "options");
            let codes = t.str_list(doc, "codes");
            let mut pair =
                |l: Option<Located<Vec<Located<String>>>>, what: &str| -> Option<[String; 2]> {
                    let l = l?;
                    if l.value.len() != 2 {
                        doc.error(
                            l.span.clone(),
                            &format!(
                                "boolean `{what}` must have two entries, [no, yes]; found {}",
                                l.value.len()
                            ),
                            &format!("write `{what} = [\"nein\", \"ja\"]` (no first)"),
                        );
                        return None;
                    }
                    Some([
                        normalize_display(&l.value[0].value),
                        normalize_display(&l.value[1].value),
                    ])
                };
            let (o, c) = (options.clone(), codes.clone());
            let options_pair = pair(options, "options");
            let codes_pair = pair(codes, "codes");
            if let Some(o) = &o {
                check_tokens(
                    doc,
                    name,
                    &o.value,
                    c.as_ref().map(|c| c.value.as_slice()),
                    &dont_know,
                );
            }
            ScaleKind::Boolean {
                options: options_pair,
                codes: codes_pair,
            }
        }
        "percent" => {
            check_tokens(doc, name, &[], None, &dont_know);
            ScaleKind::Percent
        }
        "number" => {
            let min = t.num(doc, "min");
            let max = t.num(doc, "max");
            check_tokens(doc, name, &[], None, &dont_know);
            match (min, max) {
                (Some(min), Some(max)) => {
                    if min.value >= max.value {
                        doc.error(
                            min.span,
                            &format!(
                                "number scale `{name}` has min {} ≥ max {}",
                                min.value, max.value
                            ),
                            "min must be smaller than max",
                        );
                        return None;
                    }
                    ScaleKind::Number {
                        min: min.value,
                        max: max.value,
                    }
                }
                _ => {
                    doc.error(
                        t.span(),
                        &format!("number scale `{name}` needs `min` and `max`"),
                        "add e.g. `min = 0` and `max = 10`",
                    );
                    return None;
                }
            }
        }
        other => {
            doc.error(
                kind.span,
                &format!("unknown scale kind `{other}`"),
                "use one of: ordinal, boolean, percent, number",
            );
            // read nothing else: remaining keys are not reported as unknown
            for k in ["options", "values", "codes", "min", "max"] {
                t.has(k);
            }
            return None;
        }
    };
    Some(Scale {
        name: name.to_string(),
        kind: scale_kind,
        dont_know: dont_know
            .iter()
            .map(|d| normalize_display(&d.value))
            .collect(),
    })
}

/// Option texts, codes and don't-know tokens must not collide after normalisation,
/// or a cell would have two meanings.
fn check_tokens(
    doc: &mut TomlDoc,
    scale: &str,
    options: &[Located<String>],
    codes: Option<&[Located<String>]>,
    dont_know: &[Located<String>],
) {
    let mut seen: HashMap<String, (&str, usize)> = HashMap::new();
    let groups: [(&str, &[Located<String>]); 3] = [
        ("option", options),
        ("code", codes.unwrap_or(&[])),
        ("don't-know answer", dont_know),
    ];
    for (what, list) in groups {
        for (i, tok) in list.iter().enumerate() {
            let key = normalize_key(&tok.value);
            if key.is_empty() {
                doc.error(
                    tok.span.clone(),
                    &format!("empty {what} in scale `{scale}`"),
                    "an empty cell already means \"not answered\"; remove the empty entry",
                );
                continue;
            }
            if let Some((other, j)) = seen.get(&key) {
                let same_slot = *other != what && *j == i && what == "code";
                if !same_slot {
                    doc.error(tok.span.clone(), &format!("`{}` in scale `{scale}` is already used as {other} #{}", tok.value, j + 1), "every answer text, code and don't-know token must be distinct (case-insensitive)");
                }
            } else {
                seen.insert(key, (what, i));
            }
        }
    }
}

fn read_areas(
    doc: &mut TomlDoc,
    top: &mut Table,
    scales: &[(Scale, std::ops::Range<usize>)],
    broken: &[String],
) -> (Vec<Area>, Vec<Question>) {
    let mut areas = Vec::new();
    let mut questions: Vec<Question> = Vec::new();
    let mut area_ids: HashMap<String, std::ops::Range<usize>> = HashMap::new();
    // normalised header key -> (question id, what) for id/alias collisions
    let mut columns: HashMap<String, String> = HashMap::new();
    let area_tables = top.tables(doc, "area", "area");
    if area_tables.is_empty() && !doc.has_errors() {
        doc.error(
            0..0,
            "the questionnaire has no [[area]]",
            "add at least one [[area]] with [[area.question]] entries",
        );
    }
    for mut t in area_tables {
        let id = t.req_str(doc, "id");
        let name = t.req_str(doc, "name");
        let description = t.str(doc, "description").map(|d| d.value);
        let weight = positive(doc, &mut t, "weight");
        let target = t.num(doc, "target");
        if let Some(tg) = &target {
            if !(0.0..=100.0).contains(&tg.value) {
                doc.error(
                    tg.span.clone(),
                    &format!("target {} is outside 0..100", tg.value),
                    "a target is a score between 0 and 100",
                );
            }
        }
        let aggregate = match t.str(doc, "aggregate") {
            None => Aggregate::Mean,
            Some(a) => match a.value.as_str() {
                "mean" => Aggregate::Mean,
                "min" => Aggregate::Min,
                other => {
                    doc.error(a.span, &format!("unknown aggregate `{other}`"), "use \"mean\" (weighted mean) or \"min\" (the weakest question sets the area)");
                    Aggregate::Mean
                }
            },
        };
        let area_index = areas.len();
        let first_question = questions.len();
        if let Some(id) = &id {
            check_id(doc, &id.value, id.span.clone(), "area");
            if let Some(prev) = area_ids.insert(id.value.clone(), id.span.clone()) {
                let (line, _, _) = crate::diag::line_col(doc.source, prev.start);
                doc.error(
                    id.span.clone(),
                    &format!(
                        "area id `{}` is used twice (first on line {line})",
                        id.value
                    ),
                    "give every area its own id",
                );
            }
        }
        let qtables = t.tables(doc, "question", "area.question");
        if qtables.is_empty() && t.has("question") {
            // wrong type already reported
        } else if qtables.is_empty() {
            doc.error(
                t.span(),
                &format!(
                    "area `{}` has no questions",
                    id.as_ref().map(|i| i.value.as_str()).unwrap_or("?")
                ),
                "add [[area.question]] entries below the [[area]]",
            );
        }
        if qtables.len() > super::MAX_AREA_QUESTIONS {
            doc.error(
                t.span(),
                &format!(
                    "area has {} questions; at most {} are supported",
                    qtables.len(),
                    super::MAX_AREA_QUESTIONS
                ),
                "split the area into several areas",
            );
        }
        for mut qt in qtables {
            if let Some(q) = read_question(
                doc,
                &mut qt,
                scales,
                broken,
                area_index,
                &mut columns,
                &questions,
            ) {
                questions.push(q);
            }
            qt.finish(doc);
        }
        t.finish(doc);
        if let (Some(id), Some(name)) = (id, name) {
            areas.push(Area {
                id: id.value,
                name: normalize_display(&name.value),
                description,
                weight: weight.unwrap_or(1.0),
                target: target.map(|t| t.value),
                aggregate,
                questions: first_question..questions.len(),
            });
        }
    }
    (areas, questions)
}

fn positive(doc: &mut TomlDoc, t: &mut Table, key: &'static str) -> Option<f64> {
    let w = t.num(doc, key)?;
    if w.value <= 0.0 {
        doc.error(
            w.span,
            &format!("{key} {} is not positive", w.value),
            &format!(
                "a {key} must be greater than 0 (default 1.0); to leave something out, remove it"
            ),
        );
        return None;
    }
    Some(w.value)
}

fn check_id(doc: &mut TomlDoc, id: &str, span: std::ops::Range<usize>, what: &str) {
    if id.trim().is_empty() || id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        doc.error(
            span,
            &format!("{what} id `{id}` is empty or contains white space"),
            "use a short id without spaces, like \"services_online\"",
        );
    }
}

fn read_question(
    doc: &mut TomlDoc,
    t: &mut Table,
    scales: &[(Scale, std::ops::Range<usize>)],
    broken: &[String],
    area: usize,
    columns: &mut HashMap<String, String>,
    questions: &[Question],
) -> Option<Question> {
    let id = t.req_str(doc, "id");
    let text = t.req_str(doc, "text");
    let scale = t.req_str(doc, "scale");
    let weight = positive(doc, t, "weight");
    let reverse = t.bool(doc, "reverse").map(|b| b.value).unwrap_or(false);
    let aliases = t
        .str_list(doc, "aliases")
        .map(|a| a.value)
        .unwrap_or_default();

    let scale_index = scale.as_ref().and_then(|s| {
        let found = scales.iter().position(|(sc, _)| sc.name == s.value);
        if found.is_none() && !broken.contains(&s.value) {
            let names: Vec<&str> = scales.iter().map(|(sc, _)| sc.name.as_str()).collect();
            let help = match closest(&s.value, names.iter().copied(), 1).first() {
                Some(c) => format!("did you mean `{c}`? Defined scales: {}", names.join(", ")),
                None if names.is_empty() => "define the scale as a [scale.NAME] table".to_string(),
                None => format!("defined scales: {}", names.join(", ")),
            };
            doc.error(
                s.span.clone(),
                &format!("unknown scale `{}`", s.value),
                &help,
            );
        }
        found
    });

    let id = id?;
    check_id(doc, &id.value, id.span.clone(), "question");
    // ids and aliases share one name space: each header must mean one question
    let key = normalize_key(&id.value);
    if let Some(owner) = columns.get(&key) {
        if questions.iter().any(|q| q.id == id.value) {
            doc.error(
                id.span.clone(),
                &format!("question id `{}` is used twice", id.value),
                "question ids must be unique across the questionnaire",
            );
        } else {
            doc.error(
                id.span.clone(),
                &format!(
                    "question id `{}` equals an alias of question `{owner}`",
                    id.value
                ),
                "rename the question or remove the alias",
            );
        }
    } else {
        columns.insert(key, id.value.clone());
    }
    for alias in &aliases {
        let akey = normalize_key(&alias.value);
        if akey.is_empty() {
            doc.error(alias.span.clone(), "empty alias", "remove the empty entry");
            continue;
        }
        if akey == normalize_key(&id.value) {
            continue;
        }
        match columns.get(&akey) {
            Some(owner) if *owner == id.value => {}
            Some(owner) => doc.error(
                alias.span.clone(),
                &format!(
                    "alias `{}` of question `{}` already names question `{owner}`",
                    alias.value, id.value
                ),
                "every alias must be unique across all question ids and aliases",
            ),
            None => {
                columns.insert(akey, id.value.clone());
            }
        }
    }
    Some(Question {
        id: id.value,
        text: normalize_display(&text?.value),
        area,
        scale: scale_index?,
        weight: weight.unwrap_or(1.0),
        reverse,
        aliases: aliases
            .into_iter()
            .map(|a| normalize_display(&a.value))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[questionnaire]
id = "test"
title = "Test"
version = "1"
language = "en"

[reporting]
min_group_size = 3

[[level]]
min = 0
name = "Low"
[[level]]
min = 50
name = "High"

[scale.agree]
kind = "ordinal"
options = ["no", "partly", "yes"]
codes = ["A1", "A2", "A3"]
dont_know = ["don't know"]

[scale.yn]
kind = "boolean"

[[area]]
id = "a"
name = "Area A"
target = 70
weight = 2

[[area.question]]
id = "q1"
text = "Q1"
scale = "agree"
aliases = ["G01Q01[SQ001]"]

[[area.question]]
id = "q2"
text = "Q2"
scale = "yn"
reverse = true
weight = 0.5
"#;

    fn errors(src: &str) -> Vec<String> {
        match parse_str(Path::new("q.toml"), src) {
            Ok(_) => Vec::new(),
            Err(f) => {
                f.0.iter()
                    .map(|d| {
                        format!(
                            "{}:{} {}",
                            d.line.unwrap_or(0),
                            d.column.unwrap_or(0),
                            d.message
                        )
                    })
                    .collect()
            }
        }
    }

    #[test]
    fn good_questionnaire_loads() {
        let (q, warnings) = parse_str(Path::new("q.toml"), GOOD).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(q.id, "test");
        assert_eq!(q.language, Language::En);
        assert_eq!(q.min_group_size, Some(3));
        assert_eq!(q.areas.len(), 1);
        assert_eq!(q.areas[0].weight, 2.0);
        assert_eq!(q.areas[0].target, Some(70.0));
        assert_eq!(q.questions.len(), 2);
        assert_eq!(q.questions[1].weight, 0.5);
        assert!(q.questions[1].reverse);
        let agree = q.scale_of(&q.questions[0]);
        assert_eq!(
            agree.categories(Language::En),
            vec![
                ("no".into(), 0.0),
                ("partly".into(), 0.5),
                ("yes".into(), 1.0)
            ]
        );
        assert_eq!(q.level_of(49.99).unwrap().name, "Low");
        assert_eq!(q.level_of(50.0).unwrap().name, "High");
        assert_eq!(q.level_of(49.999_999_999_9).unwrap().name, "High");
    }

    #[test]
    fn all_errors_are_reported_with_positions() {
        let bad = GOOD
            .replace("weight = 2", "weight = 0\nwieght = 1")
            .replace("scale = \"yn\"", "scale = \"yesno\"")
            .replace("target = 70", "target = 170");
        let errs = errors(&bad);
        assert!(
            errs.iter().any(|e| e.contains("weight 0 is not positive")),
            "{errs:?}"
        );
        assert!(
            errs.iter().any(|e| e.contains("unknown key `wieght`")),
            "{errs:?}"
        );
        assert!(
            errs.iter().any(|e| e.contains("unknown scale `yesno`")),
            "{errs:?}"
        );
        assert!(
            errs.iter().any(|e| e.contains("target 170 is outside")),
            "{errs:?}"
        );
        // line numbers point at the offending lines
        let line_of = |needle: &str| bad.lines().position(|l| l.contains(needle)).unwrap() + 1;
        assert!(
            errs.iter()
                .any(|e| e.starts_with(&format!("{}:", line_of("wieght")))),
            "{errs:?}"
        );
    }

    #[test]
    fn scale_rules() {
        let e = errors(&GOOD.replace(
            "options = [\"no\", \"partly\", \"yes\"]",
            "options = [\"only\"]\nvalues = [1, 2]",
        ));
        assert!(e.iter().any(|e| e.contains("has 1 option")), "{e:?}");
        assert!(
            e.iter().any(|e| e.contains("`values` has 2 entries")),
            "{e:?}"
        );
        let e = errors(&GOOD.replace("kind = \"boolean\"", "kind = \"boolean\"\nmin = 0"));
        assert!(
            e.iter()
                .any(|e| e.contains("unknown key `min` in [scale.yn]")),
            "{e:?}"
        );
        let e = errors(&GOOD.replace("kind = \"boolean\"", "kind = \"number\"\nmin = 5\nmax = 5"));
        assert!(e.iter().any(|e| e.contains("min 5 ≥ max 5")), "{e:?}");
        let e = errors(&GOOD.replace(
            "codes = [\"A1\", \"A2\", \"A3\"]",
            "codes = [\"A1\", \"A2\"]\nvalues = [1, 1, 2]",
        ));
        assert!(
            e.iter().any(|e| e.contains("`codes` has 2 entries")),
            "{e:?}"
        );
        assert!(
            e.iter().any(|e| e.contains("value 1 appears twice")),
            "{e:?}"
        );
        let e = errors(&GOOD.replace("dont_know = [\"don't know\"]", "dont_know = [\"Partly\"]"));
        assert!(
            e.iter().any(|e| e.contains("already used as option")),
            "{e:?}"
        );
        let e = errors(&GOOD.replace("kind = \"boolean\"", "kind = \"likert\""));
        assert!(
            e.iter().any(|e| e.contains("unknown scale kind `likert`")),
            "{e:?}"
        );
    }

    #[test]
    fn level_rules() {
        let e = errors(&GOOD.replace("min = 50", "min = 0"));
        assert!(
            e.iter().any(|e| e.contains("two levels start at 0")),
            "{e:?}"
        );
        let e = errors(&GOOD.replace("min = 0\nname = \"Low\"", "min = 60\nname = \"Low\""));
        assert!(
            e.iter()
                .any(|e| e.contains("comes after a level with min 60")),
            "{e:?}"
        );
    }

    #[test]
    fn duplicate_ids_and_aliases() {
        let e = errors(&GOOD.replace("id = \"q2\"", "id = \"q1\""));
        assert!(
            e.iter()
                .any(|e| e.contains("question id `q1` is used twice")),
            "{e:?}"
        );
        let e = errors(&GOOD.replace(
            "reverse = true",
            "reverse = true\naliases = [\"g01q01[sq001]\"]",
        ));
        assert!(
            e.iter().any(|e| e.contains("already names question `q1`")),
            "{e:?}"
        );
        let dup_area = format!("{GOOD}\n[[area]]\nid = \"a\"\nname = \"B\"\n[[area.question]]\nid = \"q9\"\ntext = \"x\"\nscale = \"yn\"\n");
        let e = errors(&dup_area);
        assert!(
            e.iter().any(|e| e.contains("area id `a` is used twice")),
            "{e:?}"
        );
    }

    #[test]
    fn syntax_errors_and_hostile_input() {
        let e = errors("[questionnaire\nid = 1");
        assert!(!e.is_empty() && e[0].starts_with("1:"), "{e:?}");
        let e = errors("a = 1\na = 2\n");
        assert!(e.iter().any(|e| e.contains("TOML syntax")), "{e:?}");
        let deep = format!("x = {}{}", "[".repeat(10_000), "]".repeat(10_000));
        let e = errors(&deep);
        assert!(e.iter().any(|e| e.contains("nesting is deeper")), "{e:?}");
        let e = errors("");
        assert!(e.iter().any(|e| e.contains("no [questionnaire]")), "{e:?}");
    }
}
