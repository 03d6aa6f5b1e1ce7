//! Blank survey templates made from a questionnaire (`reifegrad template`, SPEC §7).
//!
//! Three pure generators, each a function of the validated [`Questionnaire`](crate::questionnaire::Questionnaire) only
//! (no I/O, no clock, no randomness: the same questionnaire always gives the same
//! bytes):
//!
//! - [`csv()`]: the empty survey table to fill in a spreadsheet or to compare an
//!   export against: `id`, the department column and one column per question id.
//! - [`markdown()`]: a printable questionnaire for paper surveys (convertible with
//!   `pandoc -o fragebogen.docx`), with check boxes for the answer options.
//! - [`limesurvey()`]: a LimeSurvey "Tab Separated Values" survey structure (`.txt`)
//!   to import as a new survey; [`limesurvey_codes`], [`limesurvey_answer_codes`]
//!   and [`limesurvey_dont_know_code`] tell the ingest which response-export
//!   headers and answer codes that survey produces (see the [`limesurvey()`] docs
//!   for the exact header strings).
//!
//! The department column is called [`department_column`] everywhere (CSV header,
//! LimeSurvey question code, the field on paper), so that the ingest finds it
//! among its default department column names (SPEC §3).

mod csv;
mod limesurvey;
mod markdown;

pub use self::csv::csv;
pub use self::limesurvey::{
    limesurvey, limesurvey_answer_codes, limesurvey_codes, limesurvey_dont_know_code, LimeCode,
};
pub use self::markdown::markdown;

use crate::questionnaire::Language;

/// The department column the templates write: "Fachbereich" (de) or "Department"
/// (en); both are default department column names of the ingest (SPEC §3).
pub fn department_column(language: Language) -> &'static str {
    match language {
        Language::De => "Fachbereich",
        Language::En => "Department",
    }
}

/// Formats a number for display: integers without decimals, others in Rust's
/// shortest round-trip form, with a decimal comma when `comma` is set.
fn fmt_number(v: f64, comma: bool) -> String {
    let s = if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    };
    if comma {
        s.replace('.', ",")
    } else {
        s
    }
}

/// The smallest group size shown in results, for the anonymity note.
fn min_group_size(q: &crate::questionnaire::Questionnaire) -> u64 {
    q.min_group_size.unwrap_or(5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_format_without_trailing_zeros() {
        assert_eq!(fmt_number(10.0, false), "10");
        assert_eq!(fmt_number(-3.0, true), "-3");
        assert_eq!(fmt_number(0.5, true), "0,5");
        assert_eq!(fmt_number(2.25, false), "2.25");
    }

    #[test]
    fn department_column_is_a_default_ingest_name() {
        assert_eq!(department_column(Language::De), "Fachbereich");
        assert_eq!(department_column(Language::En), "Department");
    }
}
