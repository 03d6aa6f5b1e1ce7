//! Generator for the synthetic sample survey of the fictional
//! "Stadtverwaltung Musterstadt" (two waves, 2023 and 2025).
//!
//! ```text
//! cargo run --example gen_musterstadt [OUT_ROOT]        # default: samples/musterstadt
//! rustc --edition 2021 -O examples/gen_musterstadt.rs -o /tmp/gen && /tmp/gen samples/musterstadt
//! ```
//!
//! Standard library only and fully deterministic: a fixed-seed splitmix64 PRNG and
//! only IEEE-exact arithmetic (+ − × ÷, no exp/ln/cos), so every platform writes
//! byte-identical files. Re-running overwrites the CSV files; it deletes nothing.
//!
//! KEEP IN STEP: the question list below (ids, LimeSurvey aliases, scales, reverse
//! flags, option texts) mirrors `questionnaires/kommune.toml`. When a question id,
//! alias, scale or option text changes there, change it here and regenerate.
//!
//! Model: every respondent has a latent maturity per area (area base, plus wave
//! effect, plus department effect in general and per area, plus a personal effect,
//! plus noise); each answer is drawn around the latent value of its area plus a
//! question offset. The OZG questions describe concrete services, so their answers
//! are drawn around the service's real OZG level in that wave (staff of the owning
//! department know it better; others say "weiß nicht" more often).
//!
//! File shapes (exercising SPEC §3 ingest rules):
//! * 2023: one `;`-delimited UTF-8 file (no BOM, LF) per department with columns
//!   `id;Fachbereich;<question ids>`.
//! * 2025: `umfrage_export.csv`, a LimeSurvey-style export of most departments
//!   (`,`-delimited, UTF-8 with BOM, CRLF, every field quoted, columns
//!   `id,submitdate,Fachbereich,<aliases>`), plus three per-department Excel files
//!   (`;`-delimited, Windows-1252, CRLF, decimal comma, columns
//!   `id;Fachbereich;<question ids>`).
//!
//! A handful of invalid cells is planted on purpose (see `INVALID`); the generator
//! prints their file, line and column.

use std::fs;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------
// PRNG: splitmix64, portable arithmetic only
// ---------------------------------------------------------------------------

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    /// Approximately standard normal (Irwin–Hall: sum of 12 uniforms − 6).
    fn normal(&mut self) -> f64 {
        let mut s = 0.0;
        for _ in 0..12 {
            s += self.unit();
        }
        s - 6.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

/// Smooth monotone map R → (0, 1) without exp(): 0.5 + 0.5·x/(1+|x|).
fn squash(x: f64) -> f64 {
    0.5 + 0.5 * x / (1.0 + x.abs())
}

fn round_clamp(x: f64, lo: i64, hi: i64) -> i64 {
    (x.round() as i64).clamp(lo, hi)
}

// ---------------------------------------------------------------------------
// Questionnaire (mirror of questionnaires/kommune.toml — keep in step!)
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq)]
enum Scale {
    Zustimmung,
    Ozg,
    JaNein,
    Anteil,
    Anzahl,
}

const ZUSTIMMUNG: [&str; 5] = [
    "trifft nicht zu",
    "trifft eher nicht zu",
    "teils/teils",
    "trifft eher zu",
    "trifft voll zu",
];
const OZG: [&str; 5] = [
    "Offline",
    "Information",
    "Formular-Assistent",
    "Online-Leistung",
    "Online-Transaktion",
];

// Area indices (order of [[area]] in kommune.toml): 0 strategie, 1 services,
// 2 prozesse, 3 infrastruktur, 4 sicherheit, 5 personal, 6 zusammenarbeit, 7 daten.

/// One question. `off` shifts the latent maturity for this question (positive =
/// more mature answers), `d25` is an extra shift in the 2025 wave, `dk` the
/// probability of a don't-know answer.
struct Q {
    id: &'static str,
    alias: &'static str,
    area: usize,
    scale: Scale,
    reverse: bool,
    off: f64,
    d25: f64,
    dk: f64,
}

#[allow(clippy::too_many_arguments)]
const fn q(
    id: &'static str,
    alias: &'static str,
    area: usize,
    scale: Scale,
    reverse: bool,
    off: f64,
    d25: f64,
    dk: f64,
) -> Q {
    Q {
        id,
        alias,
        area,
        scale,
        reverse,
        off,
        d25,
        dk,
    }
}

use Scale::*;

#[rustfmt::skip]
const QUESTIONS: &[Q] = &[
    // G01 strategie
    q("strategie_konzept",           "G01Q01[SQ001]", 0, Zustimmung, false,  0.10,  0.00, 0.04),
    q("strategie_ziele",             "G01Q01[SQ002]", 0, Zustimmung, false, -0.35,  0.00, 0.07),
    q("strategie_fuehrung",          "G01Q01[SQ003]", 0, Zustimmung, false,  0.15,  0.00, 0.03),
    q("strategie_verantwortung",     "G01Q01[SQ004]", 0, Zustimmung, false,  0.05,  0.05, 0.04),
    q("strategie_ressourcen",        "G01Q01[SQ005]", 0, Zustimmung, false, -0.45, -0.05, 0.05),
    q("strategie_beteiligung",       "G01Q01[SQ006]", 0, Zustimmung, false, -0.10,  0.00, 0.03),
    // G02 services
    q("services_portal",             "G02Q01[SQ001]", 1, Zustimmung, false,  0.15,  0.00, 0.04),
    q("services_nutzerkonto",        "G02Q01[SQ002]", 1, Zustimmung, false, -0.20,  0.10, 0.07),
    q("services_rueckkanal",         "G02Q01[SQ003]", 1, Zustimmung, false, -0.35,  0.00, 0.05),
    q("services_termine",            "G02Q01[SQ004]", 1, Zustimmung, false,  0.30,  0.10, 0.03),
    q("services_ozg_wohnsitz",       "G02Q02[SQ001]", 1, Ozg,        false,  0.00,  0.00, 0.00),
    q("services_ozg_gewerbe",        "G02Q02[SQ002]", 1, Ozg,        false,  0.00,  0.00, 0.00),
    q("services_ozg_bauantrag",      "G02Q02[SQ003]", 1, Ozg,        false,  0.00,  0.00, 0.00),
    q("services_ozg_parken",         "G02Q02[SQ004]", 1, Ozg,        false,  0.00,  0.00, 0.00),
    // G03 prozesse
    q("prozesse_eakte",              "G03Q01[SQ001]", 2, Zustimmung, false,  0.00,  0.10, 0.03),
    q("prozesse_workflow",           "G03Q01[SQ002]", 2, Zustimmung, false, -0.20,  0.00, 0.03),
    q("prozesse_medienbrueche",      "G03Q01[SQ003]", 2, Zustimmung, true,  -0.30,  0.00, 0.02),
    q("prozesse_dokumentiert",       "G03Q01[SQ004]", 2, Zustimmung, false, -0.10,  0.00, 0.05),
    q("prozesse_erechnung",          "G03Q01[SQ005]", 2, Zustimmung, false,  0.10,  0.35, 0.08),
    q("prozesse_anteil_eakte",       "G03Q02[SQ001]", 2, Anteil,     false,  0.00,  0.00, 0.06),
    // G04 infrastruktur
    q("infra_ausstattung",           "G04Q01[SQ001]", 3, Zustimmung, false,  0.25,  0.00, 0.02),
    q("infra_mobil",                 "G04Q01[SQ002]", 3, Zustimmung, false,  0.10,  0.05, 0.03),
    q("infra_stoerungen",            "G04Q01[SQ003]", 3, Zustimmung, true,   0.20,  0.00, 0.02),
    q("infra_support",               "G04Q01[SQ004]", 3, Zustimmung, false,  0.05,  0.00, 0.03),
    q("infra_fachverfahren",         "G04Q01[SQ005]", 3, Zustimmung, false, -0.35,  0.00, 0.05),
    // G05 sicherheit
    q("sicherheit_regeln",           "G05Q01[SQ001]", 4, Zustimmung, false,  0.55,  0.00, 0.02),
    q("sicherheit_sensibilisierung", "G05Q01[SQ002]", 4, Zustimmung, false, -0.10, -0.15, 0.03),
    q("sicherheit_meldeweg",         "G05Q01[SQ003]", 4, Zustimmung, false,  0.15,  0.00, 0.04),
    q("sicherheit_datenschutz",      "G05Q01[SQ004]", 4, Zustimmung, false,  0.10,  0.00, 0.06),
    q("sicherheit_notfall",          "G05Q01[SQ005]", 4, Zustimmung, false, -0.75, -0.05, 0.08),
    q("sicherheit_mfa",              "G05Q02[SQ001]", 4, JaNein,     false,  0.35,  0.00, 0.06),
    // G06 personal
    q("personal_kompetenz",          "G06Q01[SQ001]", 5, Zustimmung, false,  0.55,  0.00, 0.02),
    q("personal_fortbildung",        "G06Q01[SQ002]", 5, Zustimmung, false, -0.25,  0.15, 0.03),
    q("personal_offenheit",          "G06Q01[SQ003]", 5, Zustimmung, false,  0.80,  0.00, 0.02),
    q("personal_einbindung",         "G06Q01[SQ004]", 5, Zustimmung, false, -0.30,  0.00, 0.04),
    q("personal_lotsen",             "G06Q01[SQ005]", 5, Zustimmung, false, -0.40,  0.35, 0.05),
    q("personal_schulungen",         "G06Q02[SQ001]", 5, Anzahl,     false,  0.00,  0.00, 0.02),
    // G07 zusammenarbeit
    q("zusammenarbeit_werkzeuge",    "G07Q01[SQ001]", 6, Zustimmung, false,  0.20,  0.00, 0.02),
    q("zusammenarbeit_ablage",       "G07Q01[SQ002]", 6, Zustimmung, false, -0.10,  0.00, 0.03),
    q("zusammenarbeit_wissen",       "G07Q01[SQ003]", 6, Zustimmung, true,  -0.15,  0.00, 0.02),
    q("zusammenarbeit_fachbereiche", "G07Q01[SQ004]", 6, Zustimmung, false, -0.10,  0.00, 0.04),
    q("zusammenarbeit_video",        "G07Q02[SQ001]", 6, JaNein,     false,  0.30,  0.10, 0.01),
    // G08 daten
    q("daten_qualitaet",             "G08Q01[SQ001]", 7, Zustimmung, false,  0.10,  0.00, 0.04),
    q("daten_once_only",             "G08Q01[SQ002]", 7, Zustimmung, false, -0.40,  0.00, 0.07),
    q("daten_kennzahlen",            "G08Q01[SQ003]", 7, Zustimmung, false, -0.20,  0.00, 0.05),
    q("daten_open_data",             "G08Q01[SQ004]", 7, Zustimmung, false, -0.80,  0.00, 0.14),
];

/// Latent area base in 2023 (0 ≈ score 50, area indices as above) and the change 2023 → 2025.
const AREA_BASE: [f64; 8] = [-0.10, -0.45, -0.40, 0.25, 0.15, -0.15, 0.20, -0.30];
const AREA_DELTA_2025: [f64; 8] = [0.00, 0.55, 0.40, 0.10, -0.10, 0.50, 0.12, 0.06];

/// OZG services: (question id, owning department index, real level 2023, 2025).
const SERVICES: [(&str, usize, f64, f64); 4] = [
    ("services_ozg_wohnsitz", 0, 1.8, 2.8),
    ("services_ozg_gewerbe", 1, 2.2, 3.2),
    ("services_ozg_bauantrag", 4, 1.0, 2.4),
    ("services_ozg_parken", 8, 2.4, 3.3),
];

// ---------------------------------------------------------------------------
// Departments
// ---------------------------------------------------------------------------

struct Dept {
    name: &'static str,
    slug: &'static str,
    n2023: usize,
    n2025: usize,
    general: f64,
    /// Per-area effect (area indices as above).
    area: [f64; 8],
    /// Extra per-area effect in 2025 only.
    area25: [f64; 8],
}

#[rustfmt::skip]
const DEPTS: &[Dept] = &[
    Dept { name: "Bürgeramt", slug: "buergeramt", n2023: 41, n2025: 45, general: 0.10,
           area: [0.0, 0.45, 0.10, 0.0, 0.0, 0.0, 0.0, 0.0], area25: [0.0; 8] },
    Dept { name: "Ordnungsamt", slug: "ordnungsamt", n2023: 30, n2025: 33, general: -0.05,
           area: [0.0, 0.10, 0.0, 0.0, 0.0, -0.10, 0.0, 0.0], area25: [0.0; 8] },
    Dept { name: "Jugendamt", slug: "jugendamt", n2023: 52, n2025: 55, general: -0.20,
           area: [0.0, -0.10, -0.20, 0.0, 0.10, 0.0, 0.05, 0.0], area25: [0.0; 8] },
    Dept { name: "Sozialamt", slug: "sozialamt", n2023: 46, n2025: 48, general: -0.25,
           area: [0.0, -0.20, 0.0, -0.15, 0.0, 0.0, 0.0, 0.0], area25: [0.0, 0.0, 0.10, 0.0, 0.0, 0.0, 0.0, 0.0] },
    Dept { name: "Bauordnungsamt", slug: "bauordnungsamt", n2023: 26, n2025: 28, general: -0.15,
           area: [0.0, 0.0, -0.25, 0.0, 0.0, 0.0, 0.0, 0.0], area25: [0.0, 0.25, 0.30, 0.0, 0.0, 0.0, 0.0, 0.0] },
    Dept { name: "Stadtplanungsamt", slug: "stadtplanungsamt", n2023: 18, n2025: 19, general: 0.05,
           area: [0.0, -0.10, 0.0, 0.10, 0.0, 0.0, 0.0, 0.45], area25: [0.0; 8] },
    Dept { name: "Kämmerei", slug: "kaemmerei", n2023: 24, n2025: 25, general: 0.05,
           area: [0.10, -0.30, 0.25, 0.0, 0.0, 0.0, 0.0, 0.10], area25: [0.0; 8] },
    Dept { name: "Personal- und Organisationsamt", slug: "personal_organisationsamt", n2023: 20, n2025: 22, general: 0.10,
           area: [0.0, -0.20, 0.0, 0.0, 0.0, 0.30, 0.0, 0.0], area25: [0.0; 8] },
    Dept { name: "Straßenverkehrsamt", slug: "strassenverkehrsamt", n2023: 22, n2025: 21, general: 0.0,
           area: [0.0, 0.20, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], area25: [0.0; 8] },
    Dept { name: "Hauptamt / IT und Digitalisierung", slug: "hauptamt_it", n2023: 27, n2025: 30, general: 0.45,
           area: [0.30, 0.0, 0.0, 0.10, 0.30, 0.0, 0.10, 0.0], area25: [0.0; 8] },
    Dept { name: "Standesamt", slug: "standesamt", n2023: 6, n2025: 3, general: -0.10,
           area: [0.0, -0.10, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], area25: [0.0; 8] },
];

/// Departments that sent their own Excel file in 2025 (everyone else is in the export).
const EXCEL_2025: [&str; 3] = ["kaemmerei", "strassenverkehrsamt", "standesamt"];
/// The Excel file whose cells Excel auto-capitalised ("Trifft eher zu", "Ja").
const CAPITALISED_2025: &str = "strassenverkehrsamt";

/// Planted invalid cells: (wave, department slug, respondent number 1-based, question id, value).
#[rustfmt::skip]
const INVALID: &[(u16, &str, usize, &str, &str)] = &[
    (2023, "jugendamt", 7, "strategie_ziele", "6"),
    (2023, "sozialamt", 12, "sicherheit_mfa", "vielleicht"),
    (2023, "bauordnungsamt", 3, "prozesse_anteil_eakte", "150"),
    (2023, "kaemmerei", 10, "personal_schulungen", "12"),
    (2025, "jugendamt", 20, "strategie_ziele", "6"),
    (2025, "sozialamt", 5, "sicherheit_mfa", "vielleicht"),
    (2025, "buergeramt", 31, "prozesse_anteil_eakte", "150"),
    (2025, "kaemmerei", 8, "personal_schulungen", "ca. 5"),
    (2025, "strassenverkehrsamt", 14, "infra_ausstattung", "trifft zu"),
];

/// Respondents who dropped out after the first two areas: (wave, slug, respondent number).
const PARTIAL: &[(u16, &str, usize)] = &[
    (2023, "ordnungsamt", 5),
    (2025, "jugendamt", 33),
    (2025, "hauptamt_it", 12),
];

const SEED: u64 = 0x4D75_7374_6572_7374; // "Musterst"

// ---------------------------------------------------------------------------
// Generation
// ---------------------------------------------------------------------------

struct Resp {
    /// One cell per question, in QUESTIONS order (percent with decimal comma).
    cells: Vec<String>,
    /// Seconds since 2025-03-01 00:00 (used for the 2025 export only).
    submitted: u64,
}

fn dont_know(rng: &mut Rng, scale: Scale) -> String {
    let s = if scale == Anzahl {
        if rng.chance(0.5) {
            "weiß nicht"
        } else {
            "keine Angabe"
        }
    } else if rng.chance(0.7) {
        "weiß nicht"
    } else {
        "kann ich nicht beurteilen"
    };
    s.to_string()
}

fn percent_cell(rng: &mut Rng, value: f64) -> String {
    let v = value.clamp(0.0, 100.0);
    let r = rng.unit();
    if r < 0.65 {
        format!("{}", round_clamp(v / 5.0, 0, 20) * 5)
    } else if r < 0.82 {
        // a half-step estimate such as 37,5 (stays within 2,5 .. 97,5)
        let k = round_clamp((v - 2.5) / 5.0, 0, 19);
        format!("{},5", k * 5 + 2)
    } else if r < 0.92 {
        format!("{} %", round_clamp(v / 10.0, 0, 10) * 10)
    } else {
        format!("{}%", round_clamp(v / 10.0, 0, 10) * 10)
    }
}

const WORKDAYS_MARCH_2025: [u64; 20] = [
    3, 4, 5, 6, 7, 10, 11, 12, 13, 14, 17, 18, 19, 20, 21, 24, 25, 26, 27, 28,
];

fn generate_respondent(rng: &mut Rng, wave: u16, di: usize) -> Resp {
    let d = &DEPTS[di];
    let late = wave == 2025;
    let person = 0.35 * rng.normal();
    let mut latent = [0.0f64; 8];
    for (a, l) in latent.iter_mut().enumerate() {
        *l = AREA_BASE[a]
            + if late {
                AREA_DELTA_2025[a] + d.area25[a]
            } else {
                0.0
            }
            + d.general
            + d.area[a]
            + person
            + 0.30 * rng.normal();
    }
    let mut cells = Vec::with_capacity(QUESTIONS.len());
    for qu in QUESTIONS {
        let mu = latent[qu.area] + qu.off + if late { qu.d25 } else { 0.0 };
        let cell = match qu.scale {
            Ozg => {
                let &(_, owner, l23, l25) = SERVICES.iter().find(|s| s.0 == qu.id).unwrap();
                let owner = owner == di;
                let dk = if owner { 0.04 } else { 0.20 };
                let noise = if owner { 0.45 } else { 0.80 };
                let level = if late { l25 } else { l23 };
                if rng.chance(dk) {
                    dont_know(rng, Ozg)
                } else {
                    // a little optimism in departments that are mature overall
                    let v = level + 0.3 * d.general + noise * rng.normal();
                    OZG[round_clamp(v, 0, 4) as usize].to_string()
                }
            }
            _ if rng.chance(qu.dk) => dont_know(rng, qu.scale),
            Zustimmung => {
                let v = round_clamp(3.0 + 1.15 * mu + 0.75 * rng.normal(), 1, 5);
                let v = if qu.reverse { 6 - v } else { v };
                ZUSTIMMUNG[(v - 1) as usize].to_string()
            }
            JaNein => {
                let yes = rng.chance(squash(1.6 * mu));
                (if yes { "ja" } else { "nein" }).to_string()
            }
            Anteil => {
                let estimate = 100.0 * squash(1.5 * mu) + 10.0 * rng.normal();
                percent_cell(rng, estimate)
            }
            Anzahl => {
                // binomial(10, p): naturally 0..10
                let p = (0.06 + 0.28 * squash(2.0 * mu)).clamp(0.0, 1.0);
                let mut k = 0;
                for _ in 0..10 {
                    if rng.chance(p) {
                        k += 1;
                    }
                }
                k.to_string()
            }
        };
        // ~3 % unanswered cells
        cells.push(if rng.chance(0.03) {
            String::new()
        } else {
            cell
        });
    }
    let day = WORKDAYS_MARCH_2025[rng.below(WORKDAYS_MARCH_2025.len() as u64) as usize];
    let submitted = day * 86_400 + 7 * 3600 + rng.below(11 * 3600);
    Resp { cells, submitted }
}

fn generate_wave(wave: u16) -> Vec<Vec<Resp>> {
    let mut out = Vec::new();
    for (di, d) in DEPTS.iter().enumerate() {
        // one independent stream per (wave, department): editing one does not move the others
        let mut rng = Rng::new(SEED ^ ((wave as u64) << 32) ^ ((di as u64 + 1) * 0x1_0001));
        rng.next_u64();
        let n = if wave == 2023 { d.n2023 } else { d.n2025 };
        let mut rs: Vec<Resp> = (0..n)
            .map(|_| generate_respondent(&mut rng, wave, di))
            .collect();
        for &(w, slug, num) in PARTIAL {
            if w == wave && slug == d.slug {
                let r = &mut rs[num - 1];
                for (qi, qu) in QUESTIONS.iter().enumerate() {
                    if qu.area >= 2 {
                        r.cells[qi].clear();
                    }
                }
                // make sure the row still counts as a respondent
                if r.cells.iter().all(|c| c.is_empty()) {
                    r.cells[0] = ZUSTIMMUNG[2].to_string();
                }
            }
        }
        for &(w, slug, num, qid, value) in INVALID {
            if w == wave && slug == d.slug {
                let qi = QUESTIONS
                    .iter()
                    .position(|q| q.id == qid)
                    .expect("INVALID names a known question");
                rs[num - 1].cells[qi] = value.to_string();
            }
        }
        out.push(rs);
    }
    out
}

// ---------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------

fn field(s: &str, delim: char, quote_all: bool) -> String {
    if quote_all || s.contains(delim) || s.contains('"') || s.contains('\n') || s.contains('\r') {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn record(fields: &[String], delim: char, quote_all: bool, eol: &str) -> String {
    let mut line = fields
        .iter()
        .map(|f| field(f, delim, quote_all))
        .collect::<Vec<_>>()
        .join(&delim.to_string());
    line.push_str(eol);
    line
}

fn to_cp1252(s: &str) -> Vec<u8> {
    s.chars()
        .map(|c| match c {
            c if c.is_ascii() => c as u8,
            'ä' => 0xE4,
            'ö' => 0xF6,
            'ü' => 0xFC,
            'ß' => 0xDF,
            'Ä' => 0xC4,
            'Ö' => 0xD6,
            'Ü' => 0xDC,
            other => panic!("no Windows-1252 mapping for {other:?} in this generator"),
        })
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut cs = s.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().collect::<String>() + cs.as_str(),
        None => String::new(),
    }
}

fn write(path: &Path, bytes: &[u8]) {
    fs::write(path, bytes).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

struct Located {
    file: String,
    line: usize,
    column: String,
    value: String,
}

fn planted(wave: u16, slug: &str, num: usize) -> Vec<(&'static str, &'static str)> {
    INVALID
        .iter()
        .filter(|i| i.0 == wave && i.1 == slug && i.2 == num)
        .map(|i| (i.3, i.4))
        .collect()
}

/// Per-department `;` file: `id;Fachbereich;<question ids>`.
fn dept_file(
    wave: u16,
    di: usize,
    rs: &[Resp],
    eol: &str,
    located: &mut Vec<Located>,
    capital: bool,
) -> String {
    let d = &DEPTS[di];
    let mut header = vec!["id".to_string(), "Fachbereich".to_string()];
    header.extend(QUESTIONS.iter().map(|q| q.id.to_string()));
    let mut out = record(&header, ';', false, eol);
    for (i, r) in rs.iter().enumerate() {
        let mut row = vec![(i + 1).to_string(), d.name.to_string()];
        row.extend(
            r.cells
                .iter()
                .map(|c| if capital { capitalise(c) } else { c.clone() }),
        );
        out.push_str(&record(&row, ';', false, eol));
        for (qid, value) in planted(wave, d.slug, i + 1) {
            located.push(Located {
                file: format!("{wave}/{}.csv", d.slug),
                line: i + 2,
                column: qid.to_string(),
                value: if capital {
                    capitalise(value)
                } else {
                    value.to_string()
                },
            });
        }
    }
    out
}

fn main() {
    let root: PathBuf = match std::env::args_os().nth(1) {
        Some(a) => PathBuf::from(a),
        None => match option_env!("CARGO_MANIFEST_DIR") {
            Some(dir) => Path::new(dir).join("samples").join("musterstadt"),
            None => PathBuf::from("samples/musterstadt"),
        },
    };
    let mut located: Vec<Located> = Vec::new();

    // ---- 2023: one UTF-8 file per department (no BOM, LF) ----
    let w23 = generate_wave(2023);
    let dir23 = root.join("2023");
    fs::create_dir_all(&dir23).expect("create output folder");
    println!("2023 -> {}", dir23.display());
    for (di, rs) in w23.iter().enumerate() {
        let text = dept_file(2023, di, rs, "\n", &mut located, false);
        write(
            &dir23.join(format!("{}.csv", DEPTS[di].slug)),
            text.as_bytes(),
        );
        println!(
            "  {:<36} {:>3} respondents  {}.csv",
            DEPTS[di].name,
            rs.len(),
            DEPTS[di].slug
        );
    }
    println!("  total {}", w23.iter().map(Vec::len).sum::<usize>());

    // ---- 2025: LimeSurvey export + Excel files ----
    let w25 = generate_wave(2025);
    let dir25 = root.join("2025");
    fs::create_dir_all(&dir25).expect("create output folder");
    println!("2025 -> {}", dir25.display());

    // export rows in submission order, LimeSurvey-like ascending ids with gaps
    let mut order: Vec<(u64, usize, usize)> = Vec::new();
    for (di, rs) in w25.iter().enumerate() {
        if EXCEL_2025.contains(&DEPTS[di].slug) {
            continue;
        }
        for (i, r) in rs.iter().enumerate() {
            order.push((r.submitted, di, i));
        }
    }
    order.sort();
    let mut rng = Rng::new(SEED ^ 0xE7B0);
    let mut next_id = 1u64;
    let mut header = vec![
        "id".to_string(),
        "submitdate".to_string(),
        "Fachbereich".to_string(),
    ];
    header.extend(QUESTIONS.iter().map(|q| q.alias.to_string()));
    let mut export = String::from("\u{FEFF}");
    export.push_str(&record(&header, ',', true, "\r\n"));
    for (row_no, &(ts, di, i)) in order.iter().enumerate() {
        // incomplete responses were deleted before the export: ids have gaps
        if rng.chance(0.08) {
            next_id += 1 + rng.below(2);
        }
        let (day, rest) = (ts / 86_400, ts % 86_400);
        let submit = format!(
            "2025-03-{:02} {:02}:{:02}:{:02}",
            day,
            rest / 3600,
            rest % 3600 / 60,
            rest % 60
        );
        let mut row = vec![next_id.to_string(), submit, DEPTS[di].name.to_string()];
        next_id += 1;
        for (qi, c) in w25[di][i].cells.iter().enumerate() {
            // the survey tool writes a decimal point
            row.push(if QUESTIONS[qi].scale == Anteil {
                c.replace(',', ".")
            } else {
                c.clone()
            });
        }
        export.push_str(&record(&row, ',', true, "\r\n"));
        for (qid, value) in planted(2025, DEPTS[di].slug, i + 1) {
            let alias = QUESTIONS.iter().find(|q| q.id == qid).unwrap().alias;
            located.push(Located {
                file: "2025/umfrage_export.csv".to_string(),
                line: row_no + 2,
                column: alias.to_string(),
                value: value.to_string(),
            });
        }
    }
    write(&dir25.join("umfrage_export.csv"), export.as_bytes());
    for (di, rs) in w25.iter().enumerate() {
        if !EXCEL_2025.contains(&DEPTS[di].slug) {
            println!(
                "  {:<36} {:>3} respondents  umfrage_export.csv",
                DEPTS[di].name,
                rs.len()
            );
        }
    }
    for (di, rs) in w25.iter().enumerate() {
        let slug = DEPTS[di].slug;
        if EXCEL_2025.contains(&slug) {
            let text = dept_file(2025, di, rs, "\r\n", &mut located, slug == CAPITALISED_2025);
            write(&dir25.join(format!("{slug}.csv")), &to_cp1252(&text));
            println!(
                "  {:<36} {:>3} respondents  {slug}.csv (Windows-1252)",
                DEPTS[di].name,
                rs.len()
            );
        }
    }
    println!("  total {}", w25.iter().map(Vec::len).sum::<usize>());

    located.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
    println!("planted invalid cells:");
    for l in &located {
        println!(
            "  {}:{}  column {}  value {:?}",
            l.file, l.line, l.column, l.value
        );
    }
    assert_eq!(
        located.len(),
        INVALID.len(),
        "every planted invalid cell was written"
    );
}
