//! The printable questionnaire for paper surveys (Pandoc Markdown).

use super::{department_column, fmt_number, min_group_size};
use crate::questionnaire::{Language, Questionnaire, Scale, ScaleKind};
use crate::text::normalize_display;

/// A blank line for handwritten numbers.
const BLANK: &str = "____";
/// Check box before every answer option.
const BOX: char = '☐';
/// Between two answer options: an em space, which keeps options apart and still
/// lets a line wrap there.
const GAP: char = '\u{2003}';
/// Inside one answer option: a no-break space, so that an option stays on one line.
const NBSP: char = '\u{a0}';

/// The printable questionnaire for `q` as Markdown, made to be converted without
/// edits (`pandoc fragebogen.md -o fragebogen.docx`), and readable as it is.
///
/// Layout, all texts in the questionnaire's language: the title and version, a
/// field for the department ([`department_column`]), short instructions with the
/// anonymity note (results only for groups of at least `min_group_size`), then per
/// area (that has questions) a numbered `##` heading with the description, and per
/// question a paragraph `**n.** text` followed by the question id as inline code
/// (so answers can be typed into the CSV template), and a paragraph with the answer
/// options as check boxes `☐ trifft nicht zu  ☐ trifft eher nicht zu …` in scale
/// order, plus a box for the scale's first don't-know token; percent questions get
/// `____ %`, number questions `____ (min–max)`, each with the don't-know box when
/// the scale has one. Questions are numbered 1…n through the whole questionnaire.
///
/// Questionnaire texts are escaped for Pandoc Markdown (`\*`, `\_`, `\[`, `\<`,
/// `\#`, `\|`, `\$`, `\@`, `\{`, a leading list marker, …) and their white space
/// is collapsed, so no text can turn into markup.
pub fn markdown(q: &Questionnaire) -> String {
    let t = Texts::of(q.language);
    let mut out = String::new();

    para(&mut out, &format!("# {}", escape(&q.title)));
    para(&mut out, &format!("{} {}", t.version, escape(&q.version)));
    para(
        &mut out,
        &format!(
            "**{}:** ______________________________",
            department_column(q.language)
        ),
    );

    let mut instructions = t.instructions.to_string();
    // the don't-know token of the first categorical question as the example
    if let Some(dk) = q
        .questions
        .iter()
        .map(|x| q.scale_of(x))
        .filter(|s| s.is_categorical())
        .find_map(|s| s.dont_know.first())
    {
        instructions.push(' ');
        instructions.push_str(&t.dont_know.replace("{dk}", &escape(dk)));
    }
    if q.questions.iter().any(|x| !q.scale_of(x).is_categorical()) {
        instructions.push(' ');
        instructions.push_str(t.numbers);
    }
    para(&mut out, &format!("## {}", t.instructions_heading));
    para(&mut out, &instructions);
    para(
        &mut out,
        &t.anonymity.replace("{n}", &min_group_size(q).to_string()),
    );

    let mut number = 0usize;
    let mut area_number = 0usize;
    for area in &q.areas {
        if area.questions.is_empty() {
            continue;
        }
        area_number += 1;
        para(
            &mut out,
            &format!("## {area_number}. {}", escape(&area.name)),
        );
        if let Some(d) = area.description.as_deref().filter(|d| !d.trim().is_empty()) {
            para(&mut out, &escape_block(d));
        }
        for question in &q.questions[area.questions.clone()] {
            number += 1;
            para(
                &mut out,
                &format!(
                    "**{number}.** {} {}",
                    escape(&question.text),
                    code_span(&question.id)
                ),
            );
            para(&mut out, &answer_line(q.scale_of(question), q.language, &t));
        }
    }
    out.push_str(t.thanks);
    out.push('\n');
    out
}

/// Appends one paragraph.
fn para(out: &mut String, s: &str) {
    out.push_str(s);
    out.push_str("\n\n");
}

/// The answer options of one question.
fn answer_line(scale: &Scale, language: Language, t: &Texts) -> String {
    let dont_know = scale.dont_know.first().map(|d| option(d));
    let mut parts: Vec<String> = match &scale.kind {
        ScaleKind::Ordinal { .. } | ScaleKind::Boolean { .. } => scale
            .categories(language)
            .iter()
            .map(|(text, _)| option(text))
            .collect(),
        ScaleKind::Percent => vec![format!("{BLANK}{NBSP}%")],
        ScaleKind::Number { min, max } => {
            let comma = language == Language::De;
            let (lo, hi) = (fmt_number(*min, comma), fmt_number(*max, comma));
            let range = if *min < 0.0 || *max < 0.0 {
                format!("{lo} {} {hi}", t.to)
            } else {
                format!("{lo}–{hi}")
            };
            vec![format!("{BLANK}{NBSP}({})", escape(&range))]
        }
    };
    parts.extend(dont_know);
    parts.join(&GAP.to_string())
}

/// One check box with its option text; short texts are kept on one line.
fn option(text: &str) -> String {
    let text = escape(text);
    let text = if text.chars().count() <= 40 {
        text.replace(' ', &NBSP.to_string())
    } else {
        text
    };
    format!("{BOX}{NBSP}{text}")
}

/// Escapes a text for use inside a paragraph or heading (not at a line start):
/// white space collapsed, control characters dropped, Markdown-significant ASCII
/// punctuation backslash-escaped.
fn escape(text: &str) -> String {
    let text: String = normalize_display(text)
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let special = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '~' | '^' | '$' | '@'
            | '{' | '}' => true,
            // `&name;` / `&#123;` would be read as an entity
            '&' => chars
                .get(i + 1)
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#'),
            _ => false,
        };
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Escapes a text that starts a paragraph: like [`escape`], and a leading list,
/// quote or table marker is escaped too (`- x`, `1. x`, `a) x`, `: x`, …).
fn escape_block(text: &str) -> String {
    let text = escape(text);
    let first = text.chars().next();
    if first.is_some_and(|c| c.is_ascii_punctuation() && c != '\\') {
        return format!("\\{text}");
    }
    // `2025. …`, `a) …`, `iv. …`: an enumerator followed by `.` or `)`
    let run = text
        .char_indices()
        .find(|(_, c)| !c.is_ascii_alphanumeric())
        .map(|(i, _)| i);
    if let Some(i) = run.filter(|i| *i > 0) {
        if text[i..].starts_with(['.', ')']) {
            return format!("{}\\{}", &text[..i], &text[i..]);
        }
    }
    text
}

/// Inline code with a fence longer than any backtick run in the text.
fn code_span(text: &str) -> String {
    let text = normalize_display(text);
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

/// The tool's own texts on the paper form.
struct Texts {
    version: &'static str,
    instructions_heading: &'static str,
    instructions: &'static str,
    dont_know: &'static str,
    numbers: &'static str,
    anonymity: &'static str,
    thanks: &'static str,
    to: &'static str,
}

impl Texts {
    fn of(language: Language) -> Texts {
        match language {
            Language::De => Texts {
                version: "Fragebogen-Version",
                instructions_heading: "Hinweise zum Ausfüllen",
                instructions: "Bitte beantworten Sie die Fragen aus Sicht Ihres Arbeitsbereichs und kreuzen Sie bei jeder Frage genau ein Kästchen an.",
                dont_know: "Wenn Sie eine Frage nicht beurteilen können, kreuzen Sie die Ausweichantwort an (z. B. „{dk}“).",
                numbers: "Bei Fragen nach einer Zahl tragen Sie die Zahl bitte auf der Linie ein.",
                anonymity: "Die Befragung ist anonym: Bitte tragen Sie keinen Namen ein. Ergebnisse werden nur für Gruppen mit mindestens {n} Antwortenden ausgewiesen.",
                thanks: "Vielen Dank für Ihre Teilnahme!",
                to: "bis",
            },
            Language::En => Texts {
                version: "Questionnaire version",
                instructions_heading: "How to fill in this form",
                instructions: "Please answer from the point of view of your own work area and tick exactly one box for each question.",
                dont_know: "If you cannot judge a question, tick the opt-out answer (e.g. “{dk}”).",
                numbers: "Where a question asks for a number, please write it on the line.",
                anonymity: "The survey is anonymous: please do not write your name on this form. Results are only shown for groups of at least {n} respondents.",
                thanks: "Thank you for taking part!",
                to: "to",
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::questionnaire::parse_str;
    use std::path::Path;

    const TRICKY: &str = r#"
[questionnaire]
id = "tricky"
title = "Title with *stars* and #hash"
version = "1"
language = "en"

[reporting]
min_group_size = 7

[scale.agree]
kind = "ordinal"
options = ["not at all", "a <b> lot", "very much so, indeed, without any doubt at all"]
dont_know = ["don't know"]

[scale.yn]
kind = "boolean"

[scale.temp]
kind = "number"
min = -5
max = 2.5
dont_know = ["no idea"]

[[area]]
id = "a"
name = "Area [one] | {two}"
description = "1. starts like a list\nwith a line break"

[[area.question]]
id = "q_one"
text = "Uses `code`, _under_ and $5 @home &amp; more"
scale = "agree"

[[area.question]]
id = "q`two"
text = "Yes or no?"
scale = "yn"

[[area.question]]
id = "q3"
text = "Temperature"
scale = "temp"

[[area]]
id = "c"
name = "Third"
description = "a) lettered"

[[area.question]]
id = "q4"
text = "Last"
scale = "agree"
"#;

    fn kommune() -> Questionnaire {
        parse_str(
            Path::new("kommune.toml"),
            include_str!("../../questionnaires/kommune.toml"),
        )
        .expect("kommune.toml parses")
        .0
    }

    #[test]
    fn kommune_contains_every_question_and_area() {
        let q = kommune();
        let md = markdown(&q);
        assert!(md.starts_with(&format!("# {}\n\n", q.title)));
        assert!(md.contains("**Fachbereich:** ____"));
        assert!(md.contains("mindestens 5 Antwortenden"));
        assert!(md.contains("(z. B. „weiß nicht“)"));
        for area in &q.areas {
            assert!(md.contains(&escape(&area.name)), "{}", area.id);
            assert!(md.contains(&escape_block(area.description.as_deref().unwrap())));
        }
        for (i, question) in q.questions.iter().enumerate() {
            let line = format!(
                "**{}.** {} `{}`\n\n",
                i + 1,
                escape(&question.text),
                question.id
            );
            assert!(md.contains(&line), "{line}");
        }
        // the texts of kommune.toml need no escaping except `&` before letters
        assert!(md.contains("**1.** Unsere Verwaltung hat eine schriftlich festgelegte"));
        assert!(md.contains("## 1. Strategie & Steuerung\n"));
        assert!(md.contains("## 8. Daten & Open Data\n"));
        assert!(md.ends_with("Vielen Dank für Ihre Teilnahme!\n"));
    }

    #[test]
    fn kommune_answer_lines() {
        let md = markdown(&kommune());
        let nb = |s: &str| s.replace(' ', "\u{a0}");
        let agree = [
            "trifft nicht zu",
            "trifft eher nicht zu",
            "teils/teils",
            "trifft eher zu",
            "trifft voll zu",
            "weiß nicht",
        ]
        .map(|o| format!("☐\u{a0}{}", nb(o)))
        .join("\u{2003}");
        assert!(md.contains(&format!("\n\n{agree}\n\n")));
        assert!(md.contains("\n\n☐\u{a0}nein\u{2003}☐\u{a0}ja\u{2003}☐\u{a0}weiß\u{a0}nicht\n\n"));
        assert!(md.contains("\n\n____\u{a0}%\u{2003}☐\u{a0}weiß\u{a0}nicht\n\n"));
        assert!(md.contains("\n\n____\u{a0}(0–10)\u{2003}☐\u{a0}weiß\u{a0}nicht\n\n"));
        // only the first don't-know token is offered
        assert!(!md.contains("kann ich nicht beurteilen"));
    }

    #[test]
    fn tricky_texts_are_escaped() {
        let (q, _) = parse_str(Path::new("q.toml"), TRICKY).expect("parses");
        let md = markdown(&q);
        assert!(md.starts_with("# Title with \\*stars\\* and \\#hash\n\n"));
        assert!(md.contains("**Department:** ____"));
        assert!(md.contains("at least 7 respondents"));
        assert!(md.contains(
            "## 1. Area \\[one\\] \\| \\{two\\}\n\n1\\. starts like a list with a line break\n\n"
        ));
        assert!(md.contains(
            "**1.** Uses \\`code\\`, \\_under\\_ and \\$5 \\@home \\&amp; more `q_one`\n\n"
        ));
        assert!(md.contains("**2.** Yes or no? ``q`two``\n\n"));
        // long options keep normal spaces, short ones get no-break spaces
        assert!(md.contains("☐\u{a0}a\u{a0}\\<b\\>\u{a0}lot"));
        assert!(md.contains("☐\u{a0}very much so, indeed, without any doubt at all"));
        // boolean without options: default English texts, no don't-know box
        assert!(md.contains("\n\n☐\u{a0}no\u{2003}☐\u{a0}yes\n\n"));
        // negative bounds are written with "to"
        assert!(md.contains("\n\n____\u{a0}(-5 to 2.5)\u{2003}☐\u{a0}no\u{a0}idea\n\n"));
        assert!(md.contains("## 2. Third\n\na\\) lettered\n\n**4.** Last"));
        assert!(md.contains("tick the opt-out answer (e.g. “don't know”)"));
        assert!(md.contains("write it on the line"));
    }

    #[test]
    fn escape_block_handles_list_markers() {
        assert_eq!(escape_block("- x"), "\\- x");
        assert_eq!(escape_block("+ x"), "\\+ x");
        assert_eq!(escape_block("> x"), "\\> x");
        assert_eq!(escape_block("2025. x"), "2025\\. x");
        assert_eq!(escape_block("iv) x"), "iv\\) x");
        assert_eq!(escape_block(": x"), "\\: x");
        assert_eq!(escape_block("Normal text. Ok"), "Normal text. Ok");
        assert_eq!(escape_block("# h"), "\\# h");
    }

    #[test]
    fn output_is_deterministic() {
        let q = kommune();
        assert_eq!(markdown(&q), markdown(&q));
    }
}
