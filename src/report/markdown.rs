//! `report.md`: the Ist-Analyse chapter a consultant pastes into the concept. Pipe
//! tables and relative image links only, so pandoc converts it to DOCX/PDF unedited.
//!
//! German or English by the questionnaire's language. Every figure comes from
//! [`Results`](crate::score::Results) through the same table builders the CSV files use, so a withheld group
//! shows the same marker here as everywhere else.

use std::fmt::Write;

use crate::analysis::Analysis;
use crate::i18n::Labels;
use crate::questionnaire::{Aggregate, Language, ScaleKind};
use crate::render::{self, escape_md, withheld_marker, Markdown, Table, Value};
use crate::score::GroupResult;
use crate::text::fmt_decimal;

/// Inputs of the chapter beyond the analysis.
pub struct Context<'a> {
    /// Chart files (relative paths like `charts/radar-organisation.png`), for links.
    pub charts: &'a [String],
}

fn t<'a>(l: &Labels, de: &'a str, en: &'a str) -> &'a str {
    if l.language == Language::De {
        de
    } else {
        en
    }
}

fn num(v: Option<f64>, l: &Labels) -> String {
    v.map(|x| fmt_decimal(x, 1, l.decimal_comma()))
        .unwrap_or_else(|| "–".into())
}

fn image(out: &mut String, charts: &[String], stem: &str, alt: &str) {
    if let Some(p) = charts.iter().find(|c| {
        c.rsplit('/')
            .next()
            .and_then(|f| f.rsplit_once('.'))
            .map(|(s, _)| s)
            == Some(stem)
    }) {
        let _ = writeln!(out, "![{}]({p})\n", escape_md(alt));
    }
}

/// Renders the chapter.
pub fn render(a: &Analysis, ctx: &Context) -> String {
    let q = &a.questionnaire;
    let r = &a.results;
    let l = Labels::new(q.language);
    let md = Markdown {
        labels: l,
        heading_level: 0,
    };
    let org = r.organisation();
    let m = r.min_group_size;
    let mut out = String::new();

    // Title
    let _ = writeln!(
        out,
        "# {} – {}\n",
        t(
            &l,
            "Ist-Analyse des digitalen Reifegrads",
            "Digital maturity: current-state analysis"
        ),
        escape_md(&org.name)
    );
    let wave = r
        .wave
        .as_deref()
        .map(|w| format!(" ({} {w})", t(&l, "Befragung", "survey")))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} **{}**{wave}. {}\n",
        t(&l, "Dieses Kapitel beschreibt den digitalen Reifegrad der Organisation", "This chapter describes the digital maturity of"),
        escape_md(&org.name),
        match org.respondents {
            Some(n) => format!("{} {n} {}", t(&l, "Grundlage sind die Antworten von", "It is based on the answers of"), t(&l, "Beschäftigten.", "staff members.")),
            None => t(&l, "Die Zahl der Antworten liegt unter der Mindestgruppengröße; es werden keine Werte ausgewiesen.", "Fewer people answered than the minimum group size; no figures are shown.").to_string(),
        }
    );

    // Method
    let _ = writeln!(out, "## {}\n", t(&l, "Methode", "Method"));
    let _ = writeln!(
        out,
        "{} „{}“ ({} `{}`, {} {}) {} {} {} {} {}.\n",
        t(&l, "Der Fragebogen", "The questionnaire"),
        escape_md(&q.title),
        t(&l, "Kennung", "id"),
        q.id,
        t(&l, "Version", "version"),
        escape_md(&q.version),
        t(&l, "umfasst", "has"),
        q.questions.len(),
        t(&l, "Fragen in", "questions in"),
        q.areas.len(),
        t(&l, "Handlungsfeldern", "areas")
    );
    let _ = writeln!(out, "{}\n", t(&l,
        "Jede gültige Antwort wird auf einen Wert x zwischen 0 und 1 abgebildet: bei Skalen mit Antwortstufen (v − kleinster Wert) / (größter − kleinster Wert), ja = 1 und nein = 0, Prozentangaben v / 100, Zahlen (v − min) / (max − min). Negativ formulierte Aussagen werden umgekehrt (1 − x). „Weiß nicht“ und leere Antworten zählen nicht.",
        "Each valid answer is mapped to a value x between 0 and 1: for scales with answer steps (v − lowest value) / (highest − lowest value), yes = 1 and no = 0, percentages v / 100, numbers (v − min) / (max − min). Negatively worded statements are reversed (1 − x). \"Don't know\" and empty answers do not count."));
    let _ = writeln!(out, "- {}\n- {}\n- {}\n- {}\n- {}\n",
        t(&l, "**Fragewert** = 100 × Mittelwert von x über die gültigen Antworten; dazu n, Standardabweichung (sd) und das 95-%-Konfidenzintervall ± t(0,975; n − 1) · sd / √n.", "**Question score** = 100 × mean of x over the valid answers; with n, standard deviation (sd) and the 95 % confidence interval ± t(0.975, n − 1) · sd / √n."),
        t(&l, "**Handlungsfeld** = gewichteter Mittelwert der Fragewerte (Fragegewichte); bei „Minimum“-Feldern bestimmt die schwächste Frage den Wert.", "**Area score** = weighted mean of the question scores (question weights); in \"minimum\" areas the weakest question sets the score."),
        t(&l, "**Gesamtwert** = gewichteter Mittelwert der Handlungsfelder (Feldgewichte).", "**Overall score** = weighted mean of the area scores (area weights)."),
        t(&l, "**Lücke** = max(0, Soll − Ist); **Priorität** = Lücke × Feldgewicht.", "**Gap** = max(0, target − score); **priority** = gap × area weight."),
        if r.weighting == "headcount" {
            t(&l, "Die Werte der Gesamtorganisation sind nach Beschäftigtenzahl gewichtete Mittel der Fachbereichswerte.", "The organisation's question scores are headcount-weighted means of the department scores.")
        } else {
            t(&l, "Die Gesamtorganisation umfasst alle Antworten gemeinsam.", "The organisation pools all answers.")
        });
    let _ = writeln!(out, "{} {m} {}\n",
        t(&l, "**Datenschutz:** Fachbereiche mit weniger als", "**Privacy:** departments with fewer than"),
        t(&l, "Antwortenden werden nicht ausgewiesen (Kennzeichnung „n<5“), zählen aber in der Gesamtorganisation. Damit ihre Werte nicht durch Differenzbildung zurückgerechnet werden können, wird gegebenenfalls zusätzlich der kleinste ausgewiesene Fachbereich zurückgehalten; dasselbe gilt für einzelne Fragen.",
           "respondents are not shown (marked \"n<5\") but count in the organisation. So that their figures cannot be recovered by subtraction, the smallest shown department may be withheld as well; the same applies to single questions.").replace("n<5", &withheld_marker(m)));
    // levels
    let level_rows: Vec<Vec<Value>> = q
        .levels
        .iter()
        .enumerate()
        .map(|(i, lv)| {
            let upper = q.levels.get(i + 1).map(|n| n.min).unwrap_or(100.0);
            vec![
                Value::Text(lv.name.clone()),
                Value::Text(format!(
                    "{} – {}",
                    num(Some(lv.min), &l),
                    num(Some(upper), &l)
                )),
            ]
        })
        .collect();
    if !level_rows.is_empty() {
        out.push_str(&md.table_body(&Table {
            name: String::new(),
            title: String::new(),
            columns: vec![l.level.into(), t(&l, "Wertebereich", "Score range").into()],
            rows: level_rows,
            notes: vec![],
        }));
        out.push('\n');
    }
    // scales
    let scale_rows: Vec<Vec<Value>> = q
        .scales
        .iter()
        .map(|s| {
            let desc = match &s.kind {
                ScaleKind::Ordinal { options, .. } => options.join(" / "),
                ScaleKind::Boolean { .. } => s
                    .categories(q.language)
                    .into_iter()
                    .map(|(o, _)| o)
                    .collect::<Vec<_>>()
                    .join(" / "),
                ScaleKind::Percent => "0 – 100 %".into(),
                ScaleKind::Number { min, max } => {
                    format!("{} – {}", num(Some(*min), &l), num(Some(*max), &l))
                }
            };
            vec![
                Value::Text(s.name.clone()),
                Value::Text(s.kind.name().into()),
                Value::Text(desc),
            ]
        })
        .collect();
    out.push_str(&md.table_body(&Table {
        name: String::new(),
        title: String::new(),
        columns: vec![
            t(&l, "Skala", "Scale").into(),
            t(&l, "Art", "Kind").into(),
            t(&l, "Antworten (aufsteigend)", "Answers (ascending)").into(),
        ],
        rows: scale_rows,
        notes: vec![],
    }));
    out.push('\n');

    // Response overview
    let _ = writeln!(out, "## {}\n", t(&l, "Rücklauf", "Response"));
    let rows: Vec<Vec<Value>> = r
        .groups
        .iter()
        .map(|g| {
            vec![
                Value::Text(g.name.clone()),
                if g.suppressed {
                    Value::Withheld(m)
                } else {
                    Value::Count(g.respondents)
                },
                Value::Count(g.headcount),
                if g.suppressed {
                    Value::Withheld(m)
                } else {
                    Value::Rate(g.response_rate)
                },
            ]
        })
        .collect();
    out.push_str(&md.table_body(&Table {
        name: String::new(),
        title: String::new(),
        columns: vec![
            l.department.into(),
            l.respondents.into(),
            l.headcount.into(),
            l.response_rate.into(),
        ],
        rows,
        notes: vec![],
    }));
    out.push('\n');

    // Organisation
    let _ = writeln!(
        out,
        "## {}\n",
        t(
            &l,
            "Ergebnisse der Gesamtorganisation",
            "Results for the organisation"
        )
    );
    if !org.suppressed {
        let _ = writeln!(
            out,
            "{} **{}** ({} **{}**).\n",
            t(&l, "Der Gesamtwert beträgt", "The overall score is"),
            num(org.score, &l),
            t(&l, "Reifegrad", "level"),
            escape_md(org.level.as_deref().unwrap_or("–"))
        );
    }
    out.push_str(&md.table_body(&render::areas_table(r, &l)));
    out.push('\n');
    image(
        &mut out,
        ctx.charts,
        "bars-organisation",
        t(
            &l,
            "Handlungsfelder der Gesamtorganisation",
            "Areas of the organisation",
        ),
    );
    image(
        &mut out,
        ctx.charts,
        "radar-organisation",
        t(
            &l,
            "Reifegradprofil der Gesamtorganisation",
            "Maturity profile of the organisation",
        ),
    );

    // Departments
    let _ = writeln!(
        out,
        "## {}\n",
        t(&l, "Ergebnisse der Fachbereiche", "Results by department")
    );
    out.push_str(&md.table_body(&render::departments_table(r, &l)));
    out.push('\n');
    let _ = writeln!(out, "*{}*\n", escape_md(l.withheld_note));
    image(
        &mut out,
        ctx.charts,
        "heatmap",
        t(
            &l,
            "Handlungsfelder nach Fachbereich",
            "Areas by department",
        ),
    );

    // Areas
    let _ = writeln!(
        out,
        "## {}\n",
        t(&l, "Handlungsfelder im Einzelnen", "Areas in detail")
    );
    for (ai, area) in q.areas.iter().enumerate() {
        let ar = &org.areas[ai];
        let _ = writeln!(out, "### {}\n", escape_md(&area.name));
        if let Some(d) = &area.description {
            let _ = writeln!(out, "{}\n", escape_md(d));
        }
        let mut facts = vec![format!(
            "{}: **{}**",
            l.score,
            if org.suppressed {
                withheld_marker(m)
            } else {
                num(ar.score, &l)
            }
        )];
        if let Some(lv) = &ar.level {
            facts.push(format!("{}: **{}**", l.level, escape_md(lv)));
        }
        if let Some(tg) = ar.target {
            facts.push(format!("{}: {}", l.target, num(Some(tg), &l)));
        }
        if ar.gap.is_some() {
            facts.push(format!("{}: {}", l.gap, num(ar.gap, &l)));
        }
        if area.aggregate == Aggregate::Min {
            facts.push(t(&l, "Wert = schwächste Frage", "score = weakest question").to_string());
        }
        let _ = writeln!(out, "{}\n", facts.join(" · "));
        out.push_str(&question_table(a, org, ai, &l));
        out.push('\n');
        image(
            &mut out,
            ctx.charts,
            &format!("likert-{}", crate::text::slug(&area.id)),
            &format!(
                "{} – {}",
                t(&l, "Antwortverteilung", "Answer distribution"),
                area.name
            ),
        );
        let mut weakest: Vec<(f64, &str)> = area
            .questions
            .clone()
            .filter_map(|i| Some((org.questions[i].score?, q.questions[i].text.as_str())))
            .collect();
        weakest.sort_by(|x, y| x.0.total_cmp(&y.0));
        if weakest.len() > 1 {
            let _ = writeln!(
                out,
                "{}\n",
                t(&l, "Schwächste Aussagen:", "Weakest statements:")
            );
            for (s, text) in weakest.iter().take(3) {
                let _ = writeln!(out, "- {} ({})", escape_md(text), num(Some(*s), &l));
            }
            out.push('\n');
        }
    }

    // Roadmap
    let _ = writeln!(
        out,
        "## {}\n",
        t(
            &l,
            "Soll-Ist-Vergleich und Prioritäten",
            "Target vs. current state and priorities"
        )
    );
    if r.roadmap.is_empty() {
        let _ = writeln!(
            out,
            "{}\n",
            t(
                &l,
                "Für keinen Handlungsfeld mit Soll-Wert liegt ein ausgewiesener Ist-Wert vor.",
                "No area with a target has a shown score."
            )
        );
    } else {
        let _ = writeln!(out, "{}\n", t(&l, "Die Handlungsfelder sind nach Priorität (Lücke × Gewicht) geordnet; die schwächsten Aussagen sind Ansatzpunkte für die Maßnahmenplanung.", "Areas are ordered by priority (gap × weight); the weakest statements are starting points for planning measures."));
        let rows: Vec<Vec<Value>> = r
            .roadmap
            .iter()
            .map(|i| {
                vec![
                    Value::Count(Some(i.rank as u64)),
                    Value::Text(i.name.clone()),
                    Value::Number(Some(i.score)),
                    Value::Number(Some(i.target)),
                    Value::Number(Some(i.gap)),
                    Value::Number(Some(i.priority)),
                    Value::Text(format!(
                        "{} → {}",
                        i.level.as_deref().unwrap_or("–"),
                        i.target_level.as_deref().unwrap_or("–")
                    )),
                ]
            })
            .collect();
        out.push_str(&md.table_body(&Table {
            name: String::new(),
            title: String::new(),
            columns: vec![
                l.rank.into(),
                l.area.into(),
                t(&l, "Ist", "Current").into(),
                l.target.into(),
                l.gap.into(),
                l.priority.into(),
                l.level.into(),
            ],
            rows,
            notes: vec![],
        }));
        out.push('\n');
        image(
            &mut out,
            ctx.charts,
            "roadmap",
            t(&l, "Soll-Ist-Vergleich", "Target vs. current state"),
        );
        for i in &r.roadmap {
            if i.weakest.is_empty() {
                continue;
            }
            let _ = writeln!(
                out,
                "**{}. {}** – {}\n",
                i.rank,
                escape_md(&i.name),
                t(&l, "Ansatzpunkte:", "starting points:")
            );
            for w in &i.weakest {
                let _ = writeln!(out, "- {} ({})", escape_md(&w.text), num(Some(w.score), &l));
            }
            out.push('\n');
        }
    }

    trend_section(&mut out, a, ctx, &l);

    // Data quality
    let _ = writeln!(
        out,
        "## {}\n",
        t(&l, "Anhang: Datenqualität", "Appendix: data quality")
    );
    out.push_str(&md.table_body(&render::quality_table(r, &l)));
    out.push('\n');
    let invalid: Vec<Vec<Value>> = r
        .quality
        .questions
        .iter()
        .filter(|qq| qq.invalid > 0)
        .map(|qq| vec![Value::Text(qq.id.clone()), Value::Count(Some(qq.invalid))])
        .collect();
    let rejected = r.quality.problems.iter().filter(|p| p.is_row()).count();
    let _ = writeln!(
        out,
        "{}: {rejected}. {}: {}.\n",
        t(&l, "Verworfene Zeilen", "Rejected rows"),
        t(&l, "Ungültige Zellen", "Invalid cells"),
        r.quality.questions.iter().map(|q| q.invalid).sum::<u64>()
    );
    if !invalid.is_empty() {
        out.push_str(&md.table_body(&Table {
            name: String::new(),
            title: String::new(),
            columns: vec![
                l.question.into(),
                t(&l, "Ungültige Zellen", "Invalid cells").into(),
            ],
            rows: invalid,
            notes: vec![],
        }));
        out.push('\n');
    }
    let _ = writeln!(out, "{}\n", t(&l, "Ungültige Zellen und verworfene Zeilen sind mit Datei und Zeile in `results.json` (quality.problems) aufgeführt und gehen nicht in die Werte ein.", "Invalid cells and rejected rows are listed with file and line in `results.json` (quality.problems) and do not enter the scores."));
    out
}

/// The question table of one area: text, score, n, don't know and the answer
/// distribution in percent of valid answers.
fn question_table(a: &Analysis, org: &GroupResult, ai: usize, l: &Labels) -> String {
    let q = &a.questionnaire;
    let m = a.results.min_group_size;
    let md = Markdown {
        labels: *l,
        heading_level: 0,
    };
    let rows: Vec<Vec<Value>> = q.areas[ai]
        .questions
        .clone()
        .map(|i| {
            let qr = &org.questions[i];
            let dist = match (&qr.counts, qr.withheld) {
                (_, true) => withheld_marker(m),
                (Some(c), false) => {
                    let n: u64 = c.values.iter().sum();
                    if n == 0 {
                        "–".into()
                    } else {
                        c.values
                            .iter()
                            .map(|v| format!("{:.0}", 100.0 * *v as f64 / n as f64))
                            .collect::<Vec<_>>()
                            .join(" / ")
                            + " %"
                    }
                }
                (None, false) => "–".into(),
            };
            vec![
                Value::Text(
                    q.questions[i].text.clone()
                        + if q.questions[i].reverse {
                            t(l, " (umgekehrt gewertet)", " (reversed)")
                        } else {
                            ""
                        },
                ),
                if qr.withheld {
                    Value::Withheld(m)
                } else {
                    Value::Number(qr.score)
                },
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
                Value::Text(dist),
            ]
        })
        .collect();
    md.table_body(&Table {
        name: String::new(),
        title: String::new(),
        columns: vec![
            l.question.into(),
            l.score.into(),
            "n".into(),
            l.dont_know.into(),
            t(
                l,
                "Verteilung (niedrig → hoch)",
                "Distribution (low → high)",
            )
            .into(),
        ],
        rows,
        notes: vec![],
    })
}

/// The trend section: what changed since the baseline wave, and whether it is more
/// than noise.
fn trend_section(out: &mut String, a: &Analysis, ctx: &Context, l: &Labels) {
    let r = &a.results;
    let Some(tr) = &r.trend else {
        return;
    };
    let md = Markdown {
        labels: *l,
        heading_level: 0,
    };
    let _ = writeln!(
        out,
        "## {} {} → {}\n",
        t(l, "Entwicklung", "Development"),
        escape_md(&tr.baseline),
        escape_md(&tr.current)
    );
    let org = tr.groups.first();
    if let Some(o) = org.filter(|o| o.comparable) {
        let delta = o
            .overall
            .delta
            .map(|d| {
                format!(
                    "{}{}",
                    if d > 0.0 { "+" } else { "" },
                    fmt_decimal(d, 1, l.decimal_comma())
                )
            })
            .unwrap_or_else(|| "–".into());
        let _ = writeln!(
            out,
            "{} {} {} {} ({} {}).\n",
            t(
                l,
                "Der Gesamtwert veränderte sich von",
                "The overall score moved from"
            ),
            num(o.overall.baseline, l),
            t(l, "auf", "to"),
            num(o.overall.current, l),
            delta,
            t(l, "Punkte", "points")
        );
        let up: Vec<&str> = o
            .areas
            .iter()
            .filter(|x| x.change.significant == Some(true) && x.change.delta.unwrap_or(0.0) > 0.0)
            .map(|x| x.name.as_str())
            .collect();
        let down: Vec<&str> = o
            .areas
            .iter()
            .filter(|x| x.change.significant == Some(true) && x.change.delta.unwrap_or(0.0) < 0.0)
            .map(|x| x.name.as_str())
            .collect();
        if !up.is_empty() {
            let _ = writeln!(
                out,
                "- {} {}",
                t(l, "Signifikant verbessert:", "Significantly improved:"),
                escape_md(&up.join(", "))
            );
        }
        if !down.is_empty() {
            let _ = writeln!(
                out,
                "- {} {}",
                t(l, "Signifikant verschlechtert:", "Significantly worse:"),
                escape_md(&down.join(", "))
            );
        }
        if !up.is_empty() || !down.is_empty() {
            out.push('\n');
        }
    }
    if let Some(table) = render::trend_table(r, render::TrendRows::Area, l, false) {
        out.push_str(&md.table_body(&table));
        out.push('\n');
        for n in &table.notes {
            let _ = writeln!(out, "*{}*\n", escape_md(n));
        }
    }
    image(
        out,
        ctx.charts,
        "trend",
        t(
            l,
            "Entwicklung der Handlungsfelder",
            "Development of the areas",
        ),
    );
    if let Some(table) = render::trend_table(r, render::TrendRows::Department, l, false) {
        let _ = writeln!(out, "### {}\n", t(l, "Fachbereiche", "Departments"));
        out.push_str(&md.table_body(&table));
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "{}\n",
        t(
            l,
            "Ein Unterschied gilt als signifikant, wenn der Welch-t-Test für zwei unabhängige Stichproben einen p-Wert unter 0,05 ergibt. Der Test setzt unabhängige Befragungsrunden voraus; nehmen dieselben Personen zweimal teil, ist er eher zurückhaltend. Fachbereiche, die in einer der beiden Runden unter der Mindestgruppengröße liegen, werden nicht verglichen.",
            "A difference counts as significant when Welch's two-sample t-test gives a p-value below 0.05. The test assumes independent survey rounds; where the same people answer twice it is conservative. Departments below the minimum group size in either round are not compared."
        )
    );
}
