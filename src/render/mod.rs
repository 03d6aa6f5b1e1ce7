//! Tables: pure builders turn [`Results`] into neutral [`Table`]s, and one
//! [`TableFormat`] per output format turns tables into text (terminal, Markdown, CSV).
//!
//! Keeping the builders apart from the formats means the same figures, markers and
//! order appear in the terminal, the report and the CSV files; a format only decides
//! how a value is spelled.

mod csv_format;
mod markdown;
mod terminal;

pub use csv_format::Csv;
pub use markdown::{escape_cell, escape_md, Markdown};
pub use terminal::Terminal;

use crate::i18n::Labels;
use crate::score::{GroupResult, Results};
use crate::text::fmt_decimal;

/// One cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text (names, ids).
    Text(String),
    /// A score or other decimal figure; `None` = does not exist.
    Number(Option<f64>),
    /// A count; `None` = does not exist.
    Count(Option<u64>),
    /// A ratio 0..1 shown as percent; `None` = does not exist.
    Rate(Option<f64>),
    /// Withheld for privacy; carries the threshold for the marker `n<5`.
    Withheld(u64),
}

/// A neutral table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Short name, used as file stem (`areas` → `areas.csv`).
    pub name: String,
    /// Heading.
    pub title: String,
    /// Column headers.
    pub columns: Vec<String>,
    /// Rows.
    pub rows: Vec<Vec<Value>>,
    /// Footnotes.
    pub notes: Vec<String>,
}

/// An output format for tables.
pub trait TableFormat {
    /// Renders the tables, in order, to one text.
    fn render(&self, tables: &[Table]) -> String;
}

/// How human formats spell a value: one decimal, decimal comma in German, `–` for
/// figures that do not exist, `n<5` for withheld ones.
pub fn human(v: &Value, labels: &Labels) -> String {
    let comma = labels.decimal_comma();
    match v {
        Value::Text(s) => s.clone(),
        Value::Number(Some(x)) => fmt_decimal(*x, 1, comma),
        Value::Count(Some(n)) => n.to_string(),
        Value::Rate(Some(r)) => format!("{} %", fmt_decimal(r * 100.0, 1, comma)),
        Value::Number(None) | Value::Count(None) | Value::Rate(None) => "–".to_string(),
        Value::Withheld(m) => withheld_marker(*m),
    }
}

/// The marker shown instead of a withheld figure.
pub fn withheld_marker(min_group_size: u64) -> String {
    format!("n<{min_group_size}")
}

fn withheld_or<T>(
    group: &GroupResult,
    m: u64,
    v: Option<T>,
    f: impl FnOnce(Option<T>) -> Value,
) -> Value {
    if group.suppressed {
        Value::Withheld(m)
    } else {
        f(v)
    }
}

/// The organisation's areas: score, level, n, target, gap, priority.
pub fn areas_table(r: &Results, l: &Labels) -> Table {
    let org = r.organisation();
    let m = r.min_group_size;
    let mut rows: Vec<Vec<Value>> = org
        .areas
        .iter()
        .map(|a| {
            vec![
                Value::Text(a.name.clone()),
                withheld_or(org, m, a.score, Value::Number),
                withheld_or(org, m, a.level.clone(), |x| {
                    Value::Text(x.unwrap_or_else(|| "–".into()))
                }),
                withheld_or(org, m, a.n, Value::Count),
                Value::Number(a.target),
                withheld_or(org, m, a.gap, Value::Number),
                withheld_or(org, m, a.priority, Value::Number),
            ]
        })
        .collect();
    rows.push(vec![
        Value::Text(l.overall.to_string()),
        withheld_or(org, m, org.score, Value::Number),
        withheld_or(org, m, org.level.clone(), |x| {
            Value::Text(x.unwrap_or_else(|| "–".into()))
        }),
        withheld_or(org, m, org.respondents, Value::Count),
        Value::Number(None),
        Value::Number(None),
        Value::Number(None),
    ]);
    Table {
        name: "organisation".into(),
        title: format!("{} – {}", org.name, r.questionnaire.title),
        columns: vec![
            l.area.into(),
            l.score.into(),
            l.level.into(),
            "n".into(),
            l.target.into(),
            l.gap.into(),
            l.priority.into(),
        ],
        rows,
        notes: vec![l.withheld_note.to_string()],
    }
}

/// The organisation's questions: score, n, don't know, sd, ci95.
pub fn questions_table(r: &Results, texts: &[String], l: &Labels) -> Table {
    let org = r.organisation();
    let m = r.min_group_size;
    let rows = org
        .questions
        .iter()
        .enumerate()
        .map(|(i, qr)| {
            let area = org
                .areas
                .iter()
                .find(|a| *a.id == *qr.area)
                .map(|a| a.name.clone())
                .unwrap_or_default();
            let w = |v: Option<f64>| {
                if qr.withheld {
                    Value::Withheld(m)
                } else {
                    Value::Number(v)
                }
            };
            vec![
                Value::Text(qr.id.to_string()),
                Value::Text(area),
                Value::Text(texts.get(i).cloned().unwrap_or_default()),
                w(qr.score),
                if org.suppressed {
                    Value::Withheld(m)
                } else {
                    Value::Count(qr.n)
                },
                if org.suppressed {
                    Value::Withheld(m)
                } else {
                    Value::Count(qr.dont_know)
                },
                w(qr.sd),
                w(qr.ci95),
            ]
        })
        .collect();
    Table {
        name: "questions".into(),
        title: format!("{} – {}", org.name, l.question),
        columns: vec![
            "id".into(),
            l.area.into(),
            l.text.into(),
            l.score.into(),
            "n".into(),
            l.dont_know.into(),
            "sd".into(),
            "ci95".into(),
        ],
        rows,
        notes: vec![l.withheld_note.to_string()],
    }
}

/// Every group (organisation first): respondents, overall score, level, area scores.
pub fn departments_table(r: &Results, l: &Labels) -> Table {
    let m = r.min_group_size;
    let mut columns = vec![
        l.department.to_string(),
        l.respondents.to_string(),
        l.overall.to_string(),
        l.level.to_string(),
    ];
    columns.extend(r.organisation().areas.iter().map(|a| a.name.clone()));
    let rows = r
        .groups
        .iter()
        .map(|g| {
            let mut row = vec![
                Value::Text(g.name.clone()),
                withheld_or(g, m, g.respondents, Value::Count),
                withheld_or(g, m, g.score, Value::Number),
                withheld_or(g, m, g.level.clone(), |x| {
                    Value::Text(x.unwrap_or_else(|| "–".into()))
                }),
            ];
            row.extend(
                g.areas
                    .iter()
                    .map(|a| withheld_or(g, m, a.score, Value::Number)),
            );
            row
        })
        .collect();
    Table {
        name: "departments".into(),
        title: l.department.to_string(),
        columns,
        rows,
        notes: vec![l.withheld_note.to_string()],
    }
}

/// Every shown group's question figures in long format (one row per group and
/// question), for `tables/questions.csv`.
pub fn group_questions_table(r: &Results, l: &Labels) -> Table {
    let m = r.min_group_size;
    let mut rows = Vec::new();
    for g in &r.groups {
        for qr in &g.questions {
            let w = |v: Option<f64>| {
                if qr.withheld {
                    Value::Withheld(m)
                } else {
                    Value::Number(v)
                }
            };
            let c = |v: Option<u64>| {
                if g.suppressed {
                    Value::Withheld(m)
                } else {
                    Value::Count(v)
                }
            };
            rows.push(vec![
                Value::Text(g.name.clone()),
                Value::Text(qr.area.to_string()),
                Value::Text(qr.id.to_string()),
                w(qr.score),
                c(qr.n),
                c(qr.dont_know),
                w(qr.sd),
                w(qr.ci95),
            ]);
        }
    }
    Table {
        name: "questions".into(),
        title: l.question.to_string(),
        columns: vec![
            l.department.into(),
            l.area.into(),
            l.question.into(),
            l.score.into(),
            "n".into(),
            l.dont_know.into(),
            "sd".into(),
            "ci95".into(),
        ],
        rows,
        notes: vec![l.withheld_note.to_string()],
    }
}

/// The roadmap: areas by priority with gap and starting points.
pub fn gaps_table(r: &Results, l: &Labels) -> Table {
    let rows = r
        .roadmap
        .iter()
        .map(|i| {
            let weakest = i
                .weakest
                .iter()
                .map(|w| format!("{} ({})", w.id, fmt_decimal(w.score, 1, false)))
                .collect::<Vec<_>>()
                .join("; ");
            vec![
                Value::Count(Some(i.rank as u64)),
                Value::Text(i.area.clone()),
                Value::Text(i.name.clone()),
                Value::Number(Some(i.score)),
                Value::Number(Some(i.target)),
                Value::Number(Some(i.gap)),
                Value::Number(Some(i.priority)),
                Value::Text(i.level.clone().unwrap_or_default()),
                Value::Text(i.target_level.clone().unwrap_or_default()),
                Value::Text(weakest),
            ]
        })
        .collect();
    let (now, goal, start) = match l.language {
        crate::questionnaire::Language::De => ("Reifegrad Ist", "Reifegrad Soll", "Ansatzpunkte"),
        crate::questionnaire::Language::En => ("Level now", "Target level", "Starting points"),
    };
    Table {
        name: "gaps".into(),
        title: l.gap.to_string(),
        columns: vec![
            l.rank.into(),
            "id".into(),
            l.area.into(),
            l.score.into(),
            l.target.into(),
            l.gap.into(),
            l.priority.into(),
            now.into(),
            goal.into(),
            start.into(),
        ],
        rows,
        notes: Vec::new(),
    }
}

/// Files read and what became of their rows.
pub fn quality_table(r: &Results, l: &Labels) -> Table {
    let de = l.language == crate::questionnaire::Language::De;
    let m = r.min_group_size;
    let count = |v: Option<u64>| v.map_or(Value::Withheld(m), |n| Value::Count(Some(n)));
    let rows = r
        .quality
        .files
        .iter()
        .map(|f| {
            vec![
                Value::Text(f.path.clone()),
                count(f.rows_read),
                count(f.rows_used),
                count(f.rows_rejected),
                count(f.invalid_cells),
                Value::Text(f.encoding.to_string()),
                Value::Text(f.delimiter.clone()),
            ]
        })
        .collect();
    let cols: [&str; 7] = if de {
        [
            "Datei",
            "Zeilen gelesen",
            "Zeilen verwendet",
            "Zeilen verworfen",
            "Ungültige Zellen",
            "Kodierung",
            "Trennzeichen",
        ]
    } else {
        [
            "File",
            "Rows read",
            "Rows used",
            "Rows rejected",
            "Invalid cells",
            "Encoding",
            "Delimiter",
        ]
    };
    Table {
        name: "quality".into(),
        title: if de { "Datenqualität" } else { "Data quality" }.to_string(),
        columns: cols.iter().map(|c| c.to_string()).collect(),
        rows,
        notes: Vec::new(),
    }
}

/// Trend labels in both languages.
fn trend_words(l: &Labels) -> (&'static str, &'static str, &'static str, &'static str) {
    match l.language {
        crate::questionnaire::Language::De => ("Veränderung", "signifikant", "ja", "nein"),
        crate::questionnaire::Language::En => ("Change", "significant", "yes", "no"),
    }
}

fn sig_value(c: &crate::trend::Change, l: &Labels) -> Value {
    let (_, _, yes, no) = trend_words(l);
    match c.significant {
        Some(true) => Value::Text(yes.into()),
        Some(false) => Value::Text(no.into()),
        None => Value::Text("–".into()),
    }
}

/// Notes every trend table carries: method, changed questions.
fn trend_notes(t: &crate::trend::Trend, l: &Labels) -> Vec<String> {
    let de = l.language == crate::questionnaire::Language::De;
    let mut notes = vec![if de {
        "Signifikanz: Welch-t-Test (zweiseitig, 5 %); Handlungsfelder anhand des Mittelwerts je befragter Person.".to_string()
    } else {
        "Significance: Welch's t-test (two-sided, 5 %); areas via each respondent's mean over the area.".to_string()
    }];
    if !t.only_current.is_empty() {
        notes.push(format!(
            "{}: {}",
            if de {
                "Nur in der aktuellen Befragung"
            } else {
                "Only in the current survey"
            },
            t.only_current.join(", ")
        ));
    }
    if !t.only_baseline.is_empty() {
        notes.push(format!(
            "{}: {}",
            if de {
                "Nur in der früheren Befragung"
            } else {
                "Only in the earlier survey"
            },
            t.only_baseline.join(", ")
        ));
    }
    notes
}

/// The change since the baseline wave, rows as chosen: the organisation's areas,
/// its questions, or every group's overall score.
/// `machine` keeps full-precision numbers for CSV; otherwise the change is signed text
/// with one decimal and p is cut to three decimals.
pub fn trend_table(r: &Results, by: TrendRows, l: &Labels, machine: bool) -> Option<Table> {
    let t = r.trend.as_ref()?;
    let (change, sig, _, _) = trend_words(l);
    let org = t.groups.first()?;
    let m = r.min_group_size;
    let comma = l.decimal_comma();
    let nums = |c: &crate::trend::Change, comparable: bool| -> Vec<Value> {
        if !comparable {
            return vec![
                Value::Withheld(m),
                Value::Withheld(m),
                Value::Withheld(m),
                Value::Text("–".into()),
                Value::Text("–".into()),
            ];
        }
        let delta = c.delta.map(|d| {
            format!(
                "{}{}",
                if d > 0.0 { "+" } else { "" },
                fmt_decimal(d, 1, comma)
            )
        });
        let p = c.p.map(|p| {
            if p < 0.001 {
                format!("<{}", fmt_decimal(0.001, 3, comma))
            } else {
                fmt_decimal(p, 3, comma)
            }
        });
        if machine {
            return vec![
                Value::Number(c.baseline),
                Value::Number(c.current),
                Value::Number(c.delta),
                Value::Number(c.p),
                sig_value(c, l),
            ];
        }
        vec![
            Value::Number(c.baseline),
            Value::Number(c.current),
            Value::Text(delta.unwrap_or_else(|| "–".into())),
            Value::Text(p.unwrap_or_else(|| "–".into())),
            sig_value(c, l),
        ]
    };
    let mut columns = Vec::new();
    let rows: Vec<Vec<Value>> = match by {
        TrendRows::Area => {
            columns.push(l.area.to_string());
            org.areas
                .iter()
                .map(|a| {
                    let mut row = vec![Value::Text(if a.partial {
                        format!(
                            "{} ({} {})",
                            a.name,
                            a.shared_questions,
                            if l.language == crate::questionnaire::Language::De {
                                "gemeinsame Fragen"
                            } else {
                                "shared questions"
                            }
                        )
                    } else {
                        a.name.clone()
                    })];
                    row.extend(nums(&a.change, org.comparable));
                    row.push(Value::Text(format!(
                        "{} → {}",
                        a.level_baseline.as_deref().unwrap_or("–"),
                        a.level_current.as_deref().unwrap_or("–")
                    )));
                    row
                })
                .collect()
        }
        TrendRows::Question => {
            columns.push(l.question.to_string());
            org.questions
                .iter()
                .map(|q| {
                    let mut row = vec![Value::Text(q.id.clone())];
                    row.extend(nums(
                        q,
                        org.comparable && (q.current.is_some() || q.baseline.is_some()),
                    ));
                    row
                })
                .collect()
        }
        TrendRows::Department => {
            columns.push(l.department.to_string());
            t.groups
                .iter()
                .map(|g| {
                    // the overall score has no significance test: no p, no verdict
                    let mut row = vec![Value::Text(g.name.clone())];
                    row.extend(nums(&g.overall, g.comparable).into_iter().take(3));
                    row
                })
                .collect()
        }
    };
    columns.extend([t.baseline.clone(), t.current.clone(), change.to_string()]);
    if by != TrendRows::Department {
        columns.extend(["p".to_string(), sig.to_string()]);
    }
    if by == TrendRows::Area {
        columns.push(l.level.to_string());
    }
    Some(Table {
        name: "trend".into(),
        title: format!("{change} {} → {}", t.baseline, t.current),
        columns,
        rows,
        notes: trend_notes(t, l),
    })
}

/// Rows of a trend table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrendRows {
    /// The organisation's areas.
    Area,
    /// The organisation's questions.
    Question,
    /// Every group's overall score.
    Department,
}

/// `tables/trend.csv`: every comparable group × (overall and each area), long format.
pub fn trend_csv_table(r: &Results, l: &Labels) -> Option<Table> {
    let t = r.trend.as_ref()?;
    let m = r.min_group_size;
    let (change, sig, _, _) = trend_words(l);
    let mut rows = Vec::new();
    for g in &t.groups {
        let items = std::iter::once((String::new(), l.overall.to_string(), &g.overall, None, None))
            .chain(g.areas.iter().map(|a| {
                (
                    a.change.id.clone(),
                    a.name.clone(),
                    &a.change,
                    a.level_baseline.clone(),
                    a.level_current.clone(),
                )
            }));
        for (id, name, c, lb, lc) in items {
            let mut row = vec![
                Value::Text(g.name.clone()),
                Value::Text(id),
                Value::Text(name),
            ];
            if g.comparable {
                row.extend([
                    Value::Number(c.baseline),
                    Value::Number(c.current),
                    Value::Number(c.delta),
                    Value::Number(c.t),
                    Value::Number(c.df),
                    Value::Number(c.p),
                    sig_value(c, l),
                    Value::Text(lb.unwrap_or_default()),
                    Value::Text(lc.unwrap_or_default()),
                ]);
            } else {
                row.extend((0..6).map(|_| Value::Withheld(m)));
                row.extend([
                    Value::Text(String::new()),
                    Value::Text(String::new()),
                    Value::Text(String::new()),
                ]);
            }
            rows.push(row);
        }
    }
    let columns = vec![
        l.department.to_string(),
        "id".into(),
        l.area.into(),
        t.baseline.clone(),
        t.current.clone(),
        change.into(),
        "t".into(),
        "df".into(),
        "p".into(),
        sig.into(),
        format!("{} {}", l.level, t.baseline),
        format!("{} {}", l.level, t.current),
    ];
    Some(Table {
        name: "trend".into(),
        title: change.into(),
        columns,
        rows,
        notes: trend_notes(t, l),
    })
}
