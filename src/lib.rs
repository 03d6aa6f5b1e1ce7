//! reifegrad: the Ist-Analyse of a public administration's digital maturity.
//!
//! The flow is visible in the module layout:
//! [`questionnaire`] (model + validation) → [`ingest`] (survey CSV → tallies) →
//! [`score`] (pure aggregation and privacy suppression) → [`render`] (tables) and
//! `chart` (images) → `report` (files). [`cli`] holds one module per subcommand
//! and is the only place that knows about the command line.

pub mod analysis;
pub mod chart;
pub mod cli;
pub mod diag;
pub mod i18n;
pub mod ingest;
pub mod par;
pub mod project;
pub mod questionnaire;
pub mod render;
pub mod report;
pub mod score;
pub mod stats;
pub mod template;
pub mod text;
pub mod tomlread;
pub mod trend;
