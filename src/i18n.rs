//! The tool's own output labels in German and English; the questionnaire's
//! `language` picks the set (SPEC §2).

use crate::questionnaire::Language;

/// Labels used in tables, charts and the report.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    /// Language.
    pub language: Language,
    /// "Area".
    pub area: &'static str,
    /// "Question".
    pub question: &'static str,
    /// "Department".
    pub department: &'static str,
    /// "Score".
    pub score: &'static str,
    /// "Level".
    pub level: &'static str,
    /// "Target".
    pub target: &'static str,
    /// "Gap".
    pub gap: &'static str,
    /// "Priority".
    pub priority: &'static str,
    /// "Respondents".
    pub respondents: &'static str,
    /// "Don't know".
    pub dont_know: &'static str,
    /// "Overall".
    pub overall: &'static str,
    /// "Weight".
    pub weight: &'static str,
    /// "Headcount".
    pub headcount: &'static str,
    /// "Response rate".
    pub response_rate: &'static str,
    /// "Rank".
    pub rank: &'static str,
    /// "Text".
    pub text: &'static str,
    /// "withheld" note.
    pub withheld_note: &'static str,
}

impl Labels {
    /// The labels for a language.
    pub fn new(language: Language) -> Labels {
        match language {
            Language::De => Labels {
                language,
                area: "Handlungsfeld",
                question: "Frage",
                department: "Fachbereich",
                score: "Wert",
                level: "Reifegrad",
                target: "Soll",
                gap: "Lücke",
                priority: "Priorität",
                respondents: "Befragte",
                dont_know: "weiß nicht",
                overall: "Gesamt",
                weight: "Gewicht",
                headcount: "Beschäftigte",
                response_rate: "Rücklauf",
                rank: "Rang",
                text: "Text",
                withheld_note:
                    "Werte unter der Mindestgruppengröße werden nicht ausgewiesen (Datenschutz).",
            },
            Language::En => Labels {
                language,
                area: "Area",
                question: "Question",
                department: "Department",
                score: "Score",
                level: "Level",
                target: "Target",
                gap: "Gap",
                priority: "Priority",
                respondents: "Respondents",
                dont_know: "don't know",
                overall: "Overall",
                weight: "Weight",
                headcount: "Headcount",
                response_rate: "Response rate",
                rank: "Rank",
                text: "Text",
                withheld_note: "Figures below the minimum group size are withheld (privacy).",
            },
        }
    }

    /// True when numbers use a decimal comma.
    pub fn decimal_comma(&self) -> bool {
        self.language == Language::De
    }
}
