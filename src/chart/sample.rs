//! A realistic sample input (a German city administration) for tests,
//! previews and benchmarks. Not used by the program itself.

use super::{AreaInfo, ChartInput, GroupScores, LevelDef, QuestionDist, TrendArea, TrendInput};
use crate::questionnaire::Language;

/// Deterministic pseudo-random numbers (LCG), so the sample never changes.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64) / ((1u64 << 53) as f64)
    }
}

const AGREE: [&str; 5] = [
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
const YES_NO: [&str; 2] = ["nein", "ja"];
const FREQUENCY: [&str; 4] = ["nie", "selten", "häufig", "täglich"];

/// 8 areas, 10 departments (one suppressed), 5 levels, 3 waves.
pub fn sample_input(language: Language) -> ChartInput {
    let levels = [
        (0.0, "Einstieg"),
        (20.0, "Grundlagen"),
        (40.0, "Fortgeschritten"),
        (60.0, "Etabliert"),
        (80.0, "Führend"),
    ]
    .iter()
    .map(|&(min, name)| LevelDef {
        min,
        name: name.to_string(),
    })
    .collect();

    // (id, name, target, weight, organisation score)
    let areas_def: [(&str, &str, Option<f64>, f64, f64); 8] = [
        (
            "services",
            "Bürgerservices & Online-Zugang",
            Some(75.0),
            1.5,
            61.0,
        ),
        (
            "prozesse",
            "Digitale Prozesse & E-Akte",
            Some(70.0),
            1.0,
            44.3,
        ),
        (
            "infrastruktur",
            "IT-Infrastruktur & Arbeitsplatz",
            Some(80.0),
            1.0,
            68.2,
        ),
        (
            "sicherheit",
            "Informationssicherheit & Datenschutz",
            Some(85.0),
            1.0,
            59.4,
        ),
        (
            "kompetenzen",
            "Personal & digitale Kompetenzen",
            Some(65.0),
            1.0,
            47.8,
        ),
        (
            "steuerung",
            "Strategie, Steuerung & Governance",
            Some(70.0),
            1.0,
            38.5,
        ),
        ("daten", "Daten & Schnittstellen", None, 0.5, 33.1),
        (
            "zusammenarbeit",
            "Kommunikation & Zusammenarbeit",
            Some(55.0),
            1.0,
            58.6,
        ),
    ];
    let areas: Vec<AreaInfo> = areas_def
        .iter()
        .map(|&(id, name, target, weight, score)| {
            let gap = target.map(|t: f64| (t - score).max(0.0));
            AreaInfo {
                id: id.to_string(),
                name: name.to_string(),
                target,
                weight,
                gap,
                priority: gap.map(|g| g * weight),
            }
        })
        .collect();
    let org_scores: Vec<f64> = areas_def.iter().map(|a| a.4).collect();
    let weights: Vec<f64> = areas_def.iter().map(|a| a.3).collect();
    let overall = |s: &[Option<f64>]| {
        let (mut sum, mut w) = (0.0, 0.0);
        for (v, wt) in s.iter().zip(&weights) {
            if let Some(v) = v {
                sum += v * wt;
                w += wt;
            }
        }
        (w > 0.0).then(|| sum / w)
    };

    let org_name = match language {
        Language::De => "Stadtverwaltung Musterstadt",
        Language::En => "City of Musterstadt",
    };
    let org_areas: Vec<Option<f64>> = org_scores.iter().map(|&s| Some(s)).collect();
    let mut groups = vec![GroupScores {
        name: org_name.to_string(),
        suppressed: false,
        respondents: Some(412),
        overall: overall(&org_areas),
        areas: org_areas,
    }];

    // (name, respondents, offset)
    let depts: [(&str, u64, f64); 10] = [
        ("Amt für Informationstechnik und Digitalisierung", 24, 17.0),
        ("Bürgeramt", 31, 6.0),
        ("Jugendamt", 18, -7.0),
        ("Kämmerei", 12, 2.0),
        ("Ordnungsamt", 15, -4.0),
        ("Personal- und Organisationsamt", 14, 1.0),
        ("Sozialamt", 21, -9.0),
        ("Stadtplanungs- und Bauordnungsamt", 16, -2.0),
        ("Standesamt", 3, 0.0),
        ("Straßenverkehrsamt", 9, -12.0),
    ];
    let mut rng = Lcg(20250917);
    for (name, n, offset) in depts {
        let suppressed = n < 5;
        let areas: Vec<Option<f64>> = org_scores
            .iter()
            .enumerate()
            .map(|(i, &s)| {
                let jitter = (rng.next() - 0.5) * 24.0;
                let v = (s + offset + jitter).clamp(3.0, 97.0);
                if suppressed || (name == "Kämmerei" && i == 6) {
                    None
                } else {
                    Some((v * 10.0).round() / 10.0)
                }
            })
            .collect();
        groups.push(GroupScores {
            name: name.to_string(),
            suppressed,
            respondents: if suppressed { None } else { Some(n) },
            overall: if suppressed { None } else { overall(&areas) },
            areas,
        });
    }

    // (area, text, options, mean position 0..1; None = not categorical / withheld)
    let qs: Vec<(usize, &str, &[&str], Option<f64>)> = vec![
        (0, "Die wichtigsten Verwaltungsleistungen sind vollständig online beantragbar.", &AGREE, Some(0.55)),
        (0, "Online-Anträge werden ohne Medienbruch in die Fachverfahren übernommen.", &AGREE, Some(0.38)),
        (0, "Reifegrad der meistgenutzten Verwaltungsleistung nach dem OZG-Reifegradmodell", &OZG, Some(0.62)),
        (0, "Bürgerinnen und Bürger können Termine online buchen.", &YES_NO, Some(0.81)),
        (0, "Anteil der Leistungen mit Online-Bezahlfunktion", &[], None),
        (1, "Eingehende Post wird zentral digitalisiert und elektronisch verteilt.", &AGREE, Some(0.41)),
        (1, "Die E-Akte ist in meinem Bereich eingeführt und wird im Arbeitsalltag tatsächlich genutzt.", &AGREE, Some(0.36)),
        (1, "Genehmigungs- und Freigabeprozesse laufen über digitale Workflows mit elektronischer Signatur, ohne dass Unterlagen ausgedruckt, unterschrieben und wieder eingescannt werden müssen.", &AGREE, Some(0.3)),
        (2, "Mein Arbeitsplatz ist technisch so ausgestattet, dass ich mobil arbeiten kann.", &AGREE, Some(0.72)),
        (2, "Störungen der IT werden schnell und zuverlässig behoben.", &AGREE, Some(0.61)),
        (2, "Videokonferenzen sind ohne technische Probleme möglich.", &AGREE, Some(0.7)),
        (3, "Ich weiß, wie ich mit einer verdächtigen E-Mail umgehen soll.", &AGREE, Some(0.78)),
        (3, "Für meine Fachverfahren liegt ein aktuelles Informationssicherheitskonzept vor.", &AGREE, Some(0.45)),
        (3, "Ich habe im letzten Jahr an einer Schulung zu Informationssicherheit und Datenschutz teilgenommen.", &YES_NO, Some(0.52)),
        (4, "Ich fühle mich sicher im Umgang mit den digitalen Werkzeugen meines Arbeitsplatzes.", &AGREE, Some(0.6)),
        (4, "Für neue Software werden rechtzeitig Schulungen angeboten.", &AGREE, Some(0.35)),
        (4, "Digitale Kompetenzen werden bei der Personalentwicklung systematisch berücksichtigt.", &AGREE, Some(0.32)),
        (5, "Es gibt eine verabschiedete Digitalisierungsstrategie, die mir bekannt ist.", &AGREE, Some(0.4)),
        (5, "Digitalisierungsvorhaben werden zentral priorisiert und gesteuert.", &AGREE, Some(0.33)),
        (5, "Die Wirkung von Digitalisierungsprojekten wird gemessen.", &AGREE, None),
        (6, "Daten werden zwischen Fachverfahren automatisch über Schnittstellen ausgetauscht.", &AGREE, Some(0.3)),
        (6, "Es ist geregelt, wer für welche Daten verantwortlich ist.", &AGREE, Some(0.37)),
        (7, "Dokumente werden gemeinsam und gleichzeitig in digitalen Werkzeugen bearbeitet.", &AGREE, Some(0.5)),
        (7, "Die Zusammenarbeit mit anderen Ämtern funktioniert überwiegend digital.", &AGREE, Some(0.58)),
        (7, "Wie häufig nutzen Sie das Intranet, um sich über Neuigkeiten zu informieren?", &FREQUENCY, Some(0.66)),
    ];
    let mut per_area = [0usize; 8];
    let questions = qs
        .into_iter()
        .map(|(area, text, options, mean)| {
            per_area[area] += 1;
            let id = format!("{}_{}", areas_def[area].0, per_area[area]);
            let counts = mean.map(|m| {
                let k = options.len();
                let total = 300.0 + rng.next() * 100.0;
                let weights: Vec<f64> = (0..k)
                    .map(|j| {
                        let pos = j as f64 / (k - 1) as f64;
                        let d = (pos - m) / 0.32;
                        (-d * d).exp() + 0.04
                    })
                    .collect();
                let sum: f64 = weights.iter().sum();
                weights
                    .iter()
                    .map(|w| (w / sum * total).round() as u64)
                    .collect()
            });
            let dont_know = mean.map(|_| (rng.next() * 40.0).round() as u64);
            QuestionDist {
                id,
                text: text.to_string(),
                area,
                options: options.iter().map(|s| s.to_string()).collect(),
                counts,
                dont_know,
            }
        })
        .collect();

    let deltas: [(f64, f64, Option<bool>); 8] = [
        (-9.5, -4.2, Some(true)),
        (-12.0, -6.1, Some(true)),
        (-3.0, -1.2, Some(false)),
        (-6.0, 2.3, Some(false)),
        (-5.0, -3.9, Some(true)),
        (f64::NAN, -2.0, Some(false)),
        (-2.0, 0.8, None),
        (-8.0, -5.5, Some(true)),
    ];
    let trend = TrendInput {
        waves: vec!["2021".into(), "2023".into(), "2025".into()],
        areas: deltas
            .iter()
            .enumerate()
            .map(|(i, &(d1, d2, significant))| {
                let s = org_scores[i];
                TrendArea {
                    area: i,
                    scores: vec![
                        if d1.is_nan() { None } else { Some(s + d1 + d2) },
                        Some(s + d2),
                        Some(s),
                    ],
                    significant,
                }
            })
            .collect(),
    };

    ChartInput {
        language,
        organisation: org_name.to_string(),
        levels,
        areas,
        groups,
        questions,
        trend: Some(trend),
    }
}
