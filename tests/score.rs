//! Scoring (SPEC §4, §9.9), privacy (SPEC §5, §9.1–9.3), output shapes (SPEC §8) and
//! the shipped sample, checked through `score`.
//!
//! Scale mapping in the hand computations (SPEC §4.1), as 100·x:
//! zustimmung values 1..5: A1/"trifft nicht zu" = 0, A2 = 25, A3 = 50, A4 = 75, A5 = 100;
//! janein ja = 100, nein = 0; anteil p → p; anzahl 0..10: v → 10·v.
//! q-small.toml: area `prozesse` (weight 1, target 80, aggregate min) with p_eakte,
//! p_schulungen; area `services` (weight 2, target 75) with s_online (w 1),
//! s_papier (w 1, reverse), s_konto (w 2). Levels 0 Einstieg, 25 Grundlagen,
//! 50 Fortgeschritten, 75 Vorreiter. min_group_size 4.

mod common;

use common::*;
use serde_json::Value;

/// n and the sample standard deviation of 100·x of a question (SPEC §4.2).
#[track_caller]
fn spread(q: &Value, n: u64, sd: f64, what: &str) {
    int(&q["n"], n, what);
    close(&q["sd"], sd, &format!("{what} sd"));
}

fn basic() -> Value {
    score_json(&["-q", Q_SMALL, &fx("score-basic")]).0
}

// score-basic/umfrage.csv, 9 respondents:
// Bürgeramt  s_online          s_papier(raw)      s_konto    p_eakte  p_schulungen
//   1        trifft voll zu 100  trifft nicht zu 0  ja 100     80       10 → 100
//   2        A4 75             A2 25              ja 100     60 %     5 → 50
//   3        4 75              teils/teils 50     nein 0     37,5     2,5 → 25
//   4        Trifft eher nicht zu 25  trifft eher zu 75  j 100  50%  0 → 0
//   5        weiß nicht        kann ich nicht b.  weiß nicht (empty)  7 → 70
// Ordnungsamt
//   1        A1 0              A5 100             nein 0     0        0 → 0
//   2        trifft nicht zu 0 trifft voll zu 100 n 0        10       1 → 10
//   3        2 25              4 75               ja 100     20       2 → 20
//   4        1,0 0             5 100              nein 0     30       3 → 30

#[test]
fn question_scores_and_sd_by_hand() {
    let v = basic();
    let b = group(&v, "Bürgeramt");
    // s_online: (100 + 75 + 75 + 25)/4 = 68.75; deviations 31.25, 6.25, 6.25, −43.75,
    // squares sum 2968.75, sd = √(2968.75/3) = 31.45764348029479
    let q = question(b, "s_online");
    close(&q["score"], 68.75, "B s_online");
    int(&q["dont_know"], 1, "B s_online dont_know");
    spread(q, 4, 31.45764348029479, "B s_online");
    // s_papier reverse: raw (0 + 25 + 50 + 75)/4 = 37.5 → 100 − 37.5 = 62.5;
    // sd = √(3125/3) = 32.27486121839514 (reversing keeps the spread)
    let q = question(b, "s_papier");
    close(&q["score"], 62.5, "B s_papier");
    spread(q, 4, 32.27486121839514, "B s_papier");
    // s_konto: (100 + 100 + 0 + 100)/4 = 75; sd = √(7500/3) = 50
    let q = question(b, "s_konto");
    close(&q["score"], 75.0, "B s_konto");
    spread(q, 4, 50.0, "B s_konto");
    // p_eakte: (80 + 60 + 37.5 + 50)/4 = 56.875; squares sum 967.1875,
    // sd = √(967.1875/3) = 17.955384522012704
    let q = question(b, "p_eakte");
    close(&q["score"], 56.875, "B p_eakte");
    spread(q, 4, 17.955384522012704, "B p_eakte");
    // p_schulungen: (100 + 50 + 25 + 0 + 70)/5 = 49; squares sum 6020,
    // sd = √(6020/4) = 38.79432948254165
    let q = question(b, "p_schulungen");
    close(&q["score"], 49.0, "B p_schulungen");
    spread(q, 5, 38.79432948254165, "B p_schulungen");

    // counts per option, in scale order
    let counts = &question(b, "s_online")["counts"];
    assert_eq!(
        counts,
        &serde_json::json!({"trifft nicht zu": 0, "trifft eher nicht zu": 1,
            "teils/teils": 0, "trifft eher zu": 2, "trifft voll zu": 1})
    );
    // in the output text the options follow the scale order (serde_json's map here
    // sorts keys, so read the raw text)
    let raw = run([
        "score",
        "-q",
        Q_SMALL,
        &fx("score-basic"),
        "--format",
        "json",
    ])
    .stdout;
    let scale = [
        "trifft nicht zu",
        "trifft eher nicht zu",
        "teils/teils",
        "trifft eher zu",
        "trifft voll zu",
    ];
    let mut blocks = 0;
    for block in raw.split("\"counts\": {").skip(1) {
        let body = &block[..block.find('}').unwrap()];
        let keys: Vec<&str> = body.split('"').skip(1).step_by(2).collect();
        if keys.first() == Some(&"nein") {
            assert_eq!(keys, ["nein", "ja"], "boolean counts are [no, yes]");
        } else {
            assert_eq!(keys, scale, "counts keep the scale order");
            blocks += 1;
        }
    }
    assert_eq!(blocks, 3 * 2, "two ordinal questions in three groups");
    let total: u64 = question(b, "s_konto")["counts"]
        .as_object()
        .expect("counts of a boolean")
        .values()
        .filter_map(Value::as_u64)
        .sum();
    assert_eq!(total, 4, "counts add up to n");
}

#[test]
fn organisation_pools_all_respondents() {
    let v = basic();
    let o = org(&v);
    assert_eq!(o["kind"], "organisation");
    assert_eq!(o["name"], "Gesamtorganisation");
    int(&o["respondents"], 9, "respondents");
    // s_online: B 100, 75, 75, 25 + O 0, 0, 25, 0 → 300/8 = 37.5;
    // squares sum 11250, sd = √(11250/7) = 40.08918628686366
    let q = question(o, "s_online");
    close(&q["score"], 37.5, "org s_online");
    spread(q, 8, 40.08918628686366, "org s_online");
    // s_papier raw: 0, 25, 50, 75, 100, 100, 75, 100 → 525/8 = 65.625 → 34.375;
    // sd = √(9921.875/7) = 37.64851543269288
    let q = question(o, "s_papier");
    close(&q["score"], 34.375, "org s_papier");
    spread(q, 8, 37.64851543269288, "org s_papier");
    // s_konto: 4 × 100 of 8 → 50; sd = √(20000/7) = 53.452248382484875
    let q = question(o, "s_konto");
    close(&q["score"], 50.0, "org s_konto");
    spread(q, 8, 53.452248382484875, "org s_konto");
    // p_eakte: (227.5 + 60)/8 = 35.9375; sd = √(4974.21875/7) = 26.657131851934643
    let q = question(o, "p_eakte");
    close(&q["score"], 35.9375, "org p_eakte");
    spread(q, 8, 26.657131851934643, "org p_eakte");
    // p_schulungen: (245 + 60)/9 = 33.888…; sd = √(9088.888…/8) = 33.70624736026114
    let q = question(o, "p_schulungen");
    close(&q["score"], 305.0 / 9.0, "org p_schulungen");
    spread(q, 9, 33.70624736026114, "org p_schulungen");
}

#[test]
fn ci95_uses_the_t_quantile() {
    // ci95 = t(0.975, n − 1) · sd / √n (SPEC §4.2), with the sd computed by hand in
    // the two tests above; e.g. Bürgeramt s_online: 3.18245 · 31.45764 / 2 = 50.0561,
    // organisation s_online: 2.36462 · 40.08919 / √8 = 33.5154.
    let v = basic();
    let b = group(&v, "Bürgeramt");
    let o = org(&v);
    for (g, id, n, sd) in [
        (b, "s_online", 4, 31.45764348029479),
        (b, "s_papier", 4, 32.27486121839514),
        (b, "s_konto", 4, 50.0),
        (b, "p_eakte", 4, 17.955384522012704),
        (b, "p_schulungen", 5, 38.79432948254165),
        (o, "s_online", 8, 40.08918628686366),
        (o, "s_konto", 8, 53.452248382484875),
        (o, "p_schulungen", 9, 33.70624736026114),
    ] {
        close(
            &question(g, id)["ci95"],
            ci95(sd, n),
            &format!("{} {id} ci95 = t(0.975, {}) · sd / √{n}", g["name"], n - 1),
        );
    }
}

#[test]
fn area_scores_weights_min_aggregation_and_overall() {
    let v = basic();
    // Bürgeramt services (mean, weights 1, 1, 2): (68.75 + 62.5 + 2·75)/4 = 70.3125
    // Bürgeramt prozesse (min): min(56.875, 49) = 49
    // overall (area weights 1, 2): (49 + 2·70.3125)/3 = 63.208333…
    let b = group(&v, "Bürgeramt");
    close(&area(b, "services")["score"], 70.3125, "B services");
    close(&area(b, "prozesse")["score"], 49.0, "B prozesse");
    close(&b["score"], 189.625 / 3.0, "B overall");
    assert_eq!(b["level"], "Fortgeschritten");
    assert_eq!(area(b, "services")["level"], "Fortgeschritten");
    assert_eq!(area(b, "prozesse")["level"], "Grundlagen");
    // area n: respondents with a valid answer in the area. B5 has only don't-know in
    // services (→ 4) but a valid p_schulungen (→ prozesse 5).
    int(&area(b, "services")["n"], 4, "B services n");
    int(&area(b, "prozesse")["n"], 5, "B prozesse n");
    // gap = max(0, target − score), priority = gap × weight
    close(
        &area(b, "services")["gap"],
        75.0 - 70.3125,
        "B services gap",
    );
    close(
        &area(b, "services")["priority"],
        2.0 * (75.0 - 70.3125),
        "B services priority",
    );
    close(&area(b, "prozesse")["gap"], 31.0, "B prozesse gap");

    // Ordnungsamt: services (0 + 0 + 2·25)/4 = 15.625 with s_online (0+0+25+0)/4 = 6.25,
    // s_papier raw 93.75 → 6.25, s_konto 25; prozesse min(15, 15) = 15;
    // overall (15 + 2·15.625)/3 = 15.41666…
    let o = group(&v, "Ordnungsamt");
    close(&question(o, "s_online")["score"], 6.25, "O s_online");
    close(&question(o, "s_papier")["score"], 6.25, "O s_papier");
    close(&area(o, "services")["score"], 15.625, "O services");
    close(&area(o, "prozesse")["score"], 15.0, "O prozesse");
    close(&o["score"], 46.25 / 3.0, "O overall");
    assert_eq!(o["level"], "Einstieg");

    // Organisation: services (37.5 + 34.375 + 2·50)/4 = 42.96875;
    // prozesse min(35.9375, 33.888…) = 33.888…; overall (33.888… + 2·42.96875)/3
    let g = org(&v);
    close(&area(g, "services")["score"], 42.96875, "org services");
    close(&area(g, "prozesse")["score"], 305.0 / 9.0, "org prozesse");
    close(
        &g["score"],
        (305.0 / 9.0 + 2.0 * 42.96875) / 3.0,
        "org overall",
    );
    assert_eq!(g["level"], "Grundlagen");
    int(&area(g, "services")["n"], 8, "org services n");
    int(&area(g, "prozesse")["n"], 9, "org prozesse n");
    // targets are questionnaire data
    close(&area(g, "services")["target"], 75.0, "target");
    close(&area(g, "prozesse")["target"], 80.0, "target");
}

#[test]
fn gap_priority_and_roadmap_order() {
    // services: gap 75 − 42.96875 = 32.03125, priority ×2 = 64.0625
    // prozesse: gap 80 − 33.888… = 46.111…, priority ×1 = 46.111…
    // The roadmap goes by priority: services first, although prozesse has the larger
    // gap and comes first in the questionnaire.
    let v = basic();
    let g = org(&v);
    close(&area(g, "services")["gap"], 32.03125, "services gap");
    close(
        &area(g, "services")["priority"],
        64.0625,
        "services priority",
    );
    close(
        &area(g, "prozesse")["gap"],
        80.0 - 305.0 / 9.0,
        "prozesse gap",
    );
    close(
        &area(g, "prozesse")["priority"],
        80.0 - 305.0 / 9.0,
        "prozesse priority",
    );
    let roadmap = v["roadmap"].as_array().expect("roadmap");
    let order: Vec<&str> = roadmap
        .iter()
        .map(|r| r["area"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["services", "prozesse"]);
    // starting points: the area's weakest questions, lowest first
    let weakest: Vec<&str> = roadmap[0]["weakest"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(weakest.first(), Some(&"s_papier"), "{weakest:?}");
}

#[test]
fn areas_and_questions_keep_questionnaire_order() {
    let v = basic();
    for g in v["groups"].as_array().unwrap() {
        let areas: Vec<&str> = g["areas"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap())
            .collect();
        assert_eq!(areas, ["prozesse", "services"]);
        let qs: Vec<&str> = g["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            qs,
            ["p_eakte", "p_schulungen", "s_online", "s_papier", "s_konto"]
        );
    }
    assert_eq!(v["groups"][1]["kind"], "department");
    assert_eq!(v["questionnaire"]["id"], "klein");
    assert_eq!(v["questionnaire"]["version"], "t1");
    null(&v["wave"], "wave without a project");
}

#[test]
fn levels_at_exact_boundaries_and_n_of_one() {
    // levels/one.csv, one respondent: s_online teils/teils 50, s_papier A3 50 (reverse
    // 50), p_eakte 25, p_schulungen 2,5 → 25; s_konto missing.
    // services (50·1 + 50·1)/2 = 50 → exactly "Fortgeschritten"
    // prozesse min(25, 25) = 25 → exactly "Grundlagen"
    // overall (25 + 2·50)/3 = 41.666… → "Grundlagen"
    // roadmap: prozesse gap 55 (priority 55) before services gap 25 (priority 50).
    let (v, _) = score_json(&["-q", Q_SMALL, &fx("levels/one.csv"), "--min-group", "1"]);
    let g = group(&v, "Bauamt");
    close(&area(g, "services")["score"], 50.0, "services");
    assert_eq!(area(g, "services")["level"], "Fortgeschritten");
    close(&area(g, "prozesse")["score"], 25.0, "prozesse");
    assert_eq!(area(g, "prozesse")["level"], "Grundlagen");
    close(&g["score"], 125.0 / 3.0, "overall");
    assert_eq!(g["level"], "Grundlagen");
    // n = 1: sd and ci95 null (SPEC §9.9)
    let q = question(g, "s_online");
    int(&q["n"], 1, "n");
    null(&q["sd"], "sd at n = 1");
    null(&q["ci95"], "ci95 at n = 1");
    // n = 0: score null
    let q = question(g, "s_konto");
    null(&q["score"], "score at n = 0");
    null(&q["sd"], "sd at n = 0");
    let order: Vec<&str> = v["roadmap"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["area"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["prozesse", "services"]);
}

#[test]
fn levels_tolerate_floating_point_noise() {
    // p_eakte 0, 5, 70: the mean is exactly 25, but summed up as floating point it can
    // come out as 24.999999999999996. Levels compare min ≤ score + 1e-9 (SPEC §9.9), so
    // the area and the overall score are "Grundlagen" either way.
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "u.csv",
        "Fachbereich;p_eakte\nBauamt;0\nBauamt;5\nBauamt;70\n",
    );
    let (v, _) = score_json(&["-q", Q_SMALL, &f, "--min-group", "1"]);
    for g in [org(&v), group(&v, "Bauamt")] {
        close(&area(g, "prozesse")["score"], 25.0, "prozesse");
        assert_eq!(area(g, "prozesse")["level"], "Grundlagen", "{}", g["name"]);
        assert_eq!(g["level"], "Grundlagen", "{}", g["name"]);
    }
}

#[test]
fn an_area_without_answers_has_no_score_gap_or_priority() {
    // levels/prozesse-only.csv: one respondent, p_eakte 40, nothing else.
    // prozesse = min over the scored questions = 40; services null;
    // overall = weighted mean over areas that have a score = 40.
    let (v, _) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("levels/prozesse-only.csv"),
        "--min-group",
        "1",
    ]);
    let g = group(&v, "Bauamt");
    close(&area(g, "prozesse")["score"], 40.0, "prozesse");
    let s = area(g, "services");
    null(&s["score"], "services score");
    null(&s["gap"], "services gap");
    null(&s["priority"], "services priority");
    null(&s["level"], "services level");
    int(&s["n"], 0, "services n");
    close(&g["score"], 40.0, "overall");
    let order: Vec<&str> = v["roadmap"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["area"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["prozesse"]);
}

// ---------------------------------------------------------------------------------
// Privacy
// ---------------------------------------------------------------------------------

// privacy/umfrage.csv: Bauamt 6 (s_online A5), Jugendamt 5 (A4), Kämmerei 4 (A3),
// Standesamt 2 (A1); all other answers A3 / ja / 50 / 5.

#[track_caller]
fn assert_suppressed(g: &Value) {
    let name = &g["name"];
    assert_eq!(g["suppressed"], true, "{name} suppressed");
    for key in ["respondents", "score", "level"] {
        null(&g[key], &format!("{name} {key}"));
    }
    let areas = g["areas"].as_array().unwrap();
    assert_eq!(areas.len(), 2, "{name}: areas stay listed");
    for a in areas {
        for key in ["score", "level", "n", "gap", "priority"] {
            null(&a[key], &format!("{name} area {} {key}", a["id"]));
        }
    }
    let qs = g["questions"].as_array().unwrap();
    assert_eq!(qs.len(), 5, "{name}: questions stay listed");
    for q in qs {
        for key in ["score", "n", "dont_know", "sd", "ci95", "counts"] {
            null(&q[key], &format!("{name} question {} {key}", q["id"]));
        }
    }
}

#[track_caller]
fn assert_shown(g: &Value, respondents: u64) {
    assert_eq!(g["suppressed"], false, "{} shown", g["name"]);
    int(&g["respondents"], respondents, "respondents");
    assert!(g["score"].is_number(), "{}", g["name"]);
}

#[test]
fn small_department_and_secondary_suppression() {
    // threshold 4 (questionnaire): Standesamt (2) is withheld; it is the only one, so the
    // smallest shown department, Kämmerei (4), is withheld too (SPEC §5, §9.2).
    let (v, _) = score_json(&["-q", Q_SMALL, &fx("privacy")]);
    int(&v["min_group_size"], 4, "min_group_size");
    assert_eq!(
        group_names(&v),
        [
            "Gesamtorganisation",
            "Bauamt",
            "Jugendamt",
            "Kämmerei",
            "Standesamt"
        ]
    );
    assert_shown(group(&v, "Bauamt"), 6);
    assert_shown(group(&v, "Jugendamt"), 5);
    assert_suppressed(group(&v, "Standesamt"));
    assert_suppressed(group(&v, "Kämmerei"));
    // the withheld departments still count for the organisation:
    // s_online (6·100 + 5·75 + 4·50 + 2·0)/17 = 1175/17
    let o = org(&v);
    assert_shown(o, 17);
    close(
        &question(o, "s_online")["score"],
        1175.0 / 17.0,
        "org s_online",
    );
}

#[test]
fn min_group_option_overrides_the_questionnaire() {
    // --min-group 5: Kämmerei (4) and Standesamt (2) are below; two withheld with
    // 6 ≥ 5 respondents together → no secondary suppression; Jugendamt (exactly 5) shown.
    let (v, _) = score_json(&["-q", Q_SMALL, &fx("privacy"), "--min-group", "5"]);
    int(&v["min_group_size"], 5, "min_group_size");
    assert_shown(group(&v, "Bauamt"), 6);
    assert_shown(group(&v, "Jugendamt"), 5);
    assert_suppressed(group(&v, "Kämmerei"));
    assert_suppressed(group(&v, "Standesamt"));
    // --min-group 2: nobody is below → everything shown
    let (v, _) = score_json(&["-q", Q_SMALL, &fx("privacy"), "--min-group", "2"]);
    assert_shown(group(&v, "Standesamt"), 2);
    assert_shown(group(&v, "Kämmerei"), 4);
    // --min-group 7: every department is below, the organisation (17) is shown
    let (v, _) = score_json(&["-q", Q_SMALL, &fx("privacy"), "--min-group", "7"]);
    for d in ["Bauamt", "Jugendamt", "Kämmerei", "Standesamt"] {
        assert_suppressed(group(&v, d));
    }
    assert_shown(org(&v), 17);
}

#[test]
fn organisation_below_the_threshold_is_suppressed() {
    // 17 respondents, threshold 18
    let (v, _) = score_json(&["-q", Q_SMALL, &fx("privacy"), "--min-group", "18"]);
    assert_suppressed(org(&v));
    for d in ["Bauamt", "Jugendamt", "Kämmerei", "Standesamt"] {
        assert_suppressed(group(&v, d));
    }
    // and no figure leaks into the human outputs
    for by in ["area", "question", "department"] {
        for format in ["table", "markdown", "csv"] {
            let out = run([
                "score",
                "-q",
                Q_SMALL,
                &fx("privacy"),
                "--min-group",
                "18",
                "--by",
                by,
                "--format",
                format,
            ]);
            out.expect_code(0);
            assert!(
                !out.stdout.contains("17"),
                "--by {by} --format {format} shows the respondent count:\n{}",
                out.stdout
            );
        }
    }
}

/// The line(s) of `text` that mention `name` show no figure, only the marker.
#[track_caller]
fn no_figures_next_to(text: &str, name: &str, marker: &str, what: &str) {
    let lines: Vec<&str> = text.lines().filter(|l| l.contains(name)).collect();
    assert!(!lines.is_empty(), "{what}: {name} not listed:\n{text}");
    for l in lines {
        assert!(l.contains(marker), "{what}: {name} without {marker}: {l}");
        let rest = l.replace(marker, "");
        assert!(
            !rest.chars().any(|c| c.is_ascii_digit()),
            "{what}: a figure next to {name}: {l}"
        );
    }
}

#[test]
fn suppressed_departments_show_only_the_marker_in_tables() {
    // threshold 4 (questionnaire): Standesamt and Kämmerei (secondary) show `n<4`;
    // --min-group 5: the same two show `n<5`.
    for (extra, marker) in [(None, "n<4"), (Some("5"), "n<5")] {
        for format in ["table", "markdown", "csv"] {
            let mut args = vec![
                "score",
                "-q",
                Q_SMALL,
                "tests/fixtures/privacy",
                "--by",
                "department",
                "--format",
                format,
            ];
            if let Some(m) = extra {
                args.extend(["--min-group", m]);
            }
            let out = run(&args);
            out.expect_code(0);
            // Markdown may escape the marker as `n\<4`; it renders as n<4
            let text = out.stdout.replace("\\<", "<");
            no_figures_next_to(&text, "Standesamt", marker, format);
            no_figures_next_to(&text, "Kämmerei", marker, format);
            assert!(
                out.stdout
                    .lines()
                    .any(|l| l.contains("Bauamt") && l.chars().any(|c| c.is_ascii_digit())),
                "{format}: shown departments have figures:\n{}",
                out.stdout
            );
        }
    }
    // the other tables do not list departments at all
    for by in ["area", "question"] {
        for format in ["table", "markdown", "csv"] {
            let out = run([
                "score",
                "-q",
                Q_SMALL,
                &fx("privacy"),
                "--by",
                by,
                "--format",
                format,
            ]);
            out.expect_code(0);
            assert!(
                !out.stdout.contains("Standesamt"),
                "--by {by} --format {format}:\n{}",
                out.stdout
            );
        }
    }
    let out = run([
        "score",
        "-q",
        Q_SMALL,
        &fx("privacy"),
        "--min-group",
        "5",
        "--by",
        "department",
        "--format",
        "csv",
    ]);
    let rows = parse_csv(&out.stdout);
    let stand = rows
        .iter()
        .find(|r| r[0] == "Standesamt")
        .expect("Standesamt row");
    assert!(
        stand[1..].iter().all(|c| c == "n<5"),
        "every figure is the marker: {stand:?}"
    );
}

#[test]
fn a_question_with_few_answers_is_withheld_within_a_shown_department() {
    // question-withheld/umfrage.csv, threshold 4:
    // Amt A (5): s_online valid A5, A3 (2 valid) + 3 don't know → withheld
    // Amt B (5): s_online A2, A2, A1 (3 valid) + 2 empty → withheld
    // Two withheld with 5 valid answers together → no secondary withholding; Amt C (6)
    // shows s_online.
    let (v, _) = score_json(&["-q", Q_SMALL, &fx("question-withheld")]);
    let a = group(&v, "Amt A");
    assert_shown(a, 5);
    let q = question(a, "s_online");
    for key in ["score", "sd", "ci95", "counts"] {
        null(&q[key], &format!("Amt A s_online {key}"));
    }
    int(&q["n"], 2, "n stays shown");
    int(&q["dont_know"], 3, "dont_know stays shown");
    let q = question(group(&v, "Amt B"), "s_online");
    null(&q["score"], "Amt B s_online score");
    int(&q["n"], 3, "Amt B n");
    int(&q["dont_know"], 0, "Amt B dont_know");
    // Amt C shows it: (5·75 + 100)/6 = 79.1666…
    close(
        &question(group(&v, "Amt C"), "s_online")["score"],
        475.0 / 6.0,
        "Amt C s_online",
    );
    // The withheld question does not count in Amt A's area score:
    // s_papier raw (0 + 25 + 50 + 75)/4 = 37.5 → 62.5; s_konto (100+100+0+100)/4 = 75
    // services = (62.5·1 + 75·2)/3 = 70.8333… (with s_online (100+50)/2 = 75 it would be
    // (75 + 62.5 + 150)/4 = 71.875)
    let s = area(a, "services");
    close(&s["score"], 212.5 / 3.0, "Amt A services");
    // area n: a1 answered only s_online in services → not counted → 4
    int(&s["n"], 4, "Amt A services n");
    // prozesse: p_eakte (50..90) 70, p_schulungen (5..9) 70 → 70;
    // overall (70 + 2·70.8333…)/3
    close(&area(a, "prozesse")["score"], 70.0, "Amt A prozesse");
    close(
        &a["score"],
        (70.0 + 2.0 * 212.5 / 3.0) / 3.0,
        "Amt A overall",
    );
    // the organisation has 11 valid answers and shows the question:
    // (100 + 50 + 25 + 25 + 0 + 5·75 + 100)/11 = 675/11
    close(
        &question(org(&v), "s_online")["score"],
        675.0 / 11.0,
        "org s_online",
    );
}

#[test]
fn the_organisation_withholds_a_question_with_few_answers() {
    // 5 respondents, only 3 answer s_konto (< 4): the organisation withholds it and its
    // services score is s_online alone: A4 × 5 → 75 (with s_konto (100 + 100 + 0)/3
    // it would be (75 + 2·66.67)/3 = 69.4).
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "u.csv",
        "Fachbereich;s_online;s_konto\nBauamt;A4;ja\nBauamt;A4;ja\nBauamt;A4;nein\n\
         Bauamt;A4;\nBauamt;A4;weiß nicht\n",
    );
    let (v, _) = score_json(&["-q", Q_SMALL, &f]);
    int(&area(org(&v), "services")["n"], 5, "services n");
    for g in [org(&v), group(&v, "Bauamt")] {
        let q = question(g, "s_konto");
        null(&q["score"], "s_konto score");
        null(&q["counts"], "s_konto counts");
        int(&q["n"], 3, "s_konto n");
        int(&q["dont_know"], 1, "s_konto dont_know");
        close(&area(g, "services")["score"], 75.0, "services");
    }
    // the question table shows the marker instead of its figures
    let out = run([
        "score", "-q", Q_SMALL, &f, "--by", "question", "--format", "csv",
    ]);
    out.expect_code(0);
    let rows = parse_csv(&out.stdout);
    let header = &rows[0];
    let row = rows
        .iter()
        .find(|r| r[0] == "s_konto")
        .expect("s_konto row");
    let col = |name: &str| header.iter().position(|h| h == name);
    if let Some(sd) = col("sd") {
        assert_eq!(row[sd], "n<4", "{header:?} {row:?}");
    }
    assert!(row.iter().any(|c| c == "n<4"), "{row:?}");
    assert!(!row.iter().any(|c| c.starts_with("66")), "{row:?}");
}

#[test]
fn withheld_departments_together_below_the_threshold_take_the_next_one_along() {
    // threshold 5: A 10, B 2, C 2, D 8 respondents. B and C are withheld but have only 4
    // together, so the smallest shown department, D, is withheld too (SPEC §5).
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Fachbereich;s_online\n");
    for (d, n) in [("A", 10), ("B", 2), ("C", 2), ("D", 8)] {
        for _ in 0..n {
            text.push_str(&format!("Amt {d};A4\n"));
        }
    }
    let f = write(dir.path(), "u.csv", text);
    let (v, _) = score_json(&["-q", Q_SMALL, &f, "--min-group", "5"]);
    let suppressed: Vec<bool> = v["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["suppressed"].as_bool().unwrap())
        .collect();
    assert_eq!(suppressed, [false, false, true, true, true]);
}

#[test]
fn question_level_secondary_suppression() {
    // Amt A withholds s_online (2 valid), Amt B (5 valid) and Amt C (6 valid) show it.
    // One withheld → the department with the fewest valid answers, Amt B, withholds too.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("Fachbereich;s_online;s_konto\n");
    for (dept, n, answer) in [("Amt A", 5, ""), ("Amt B", 5, "A4"), ("Amt C", 6, "A5")] {
        for i in 0..n {
            let a = if dept == "Amt A" && i < 2 {
                "A3"
            } else {
                answer
            };
            csv.push_str(&format!("{dept};{a};ja\n"));
        }
    }
    let f = write(dir.path(), "umfrage.csv", csv);
    let (v, _) = score_json(&["-q", Q_SMALL, &f]);
    null(
        &question(group(&v, "Amt A"), "s_online")["score"],
        "Amt A s_online",
    );
    null(
        &question(group(&v, "Amt B"), "s_online")["score"],
        "Amt B s_online (secondary)",
    );
    close(
        &question(group(&v, "Amt C"), "s_online")["score"],
        100.0,
        "Amt C s_online",
    );
    // s_konto has 5/5/6 valid answers: shown everywhere
    for d in ["Amt A", "Amt B", "Amt C"] {
        close(&question(group(&v, d), "s_konto")["score"], 100.0, d);
    }
}

#[test]
fn ids_and_free_text_never_appear_in_any_output() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "umfrage.csv",
        "id;Fachbereich;Kommentar;s_online;s_konto\n\
         RID-4711-GEHEIM;Bauamt;Frau Erika Mustermann meint;A5;ja\n\
         RID-4711-GEHEIM;Bauamt;erika@example.org;A4;ja\n\
         RID-0815-GEHEIM;Bauamt;noch ein Kommentar;A3;nein\n",
    );
    for format in ["json", "table", "markdown", "csv"] {
        for by in ["area", "question", "department"] {
            let out = run([
                "score",
                "-q",
                Q_SMALL,
                &f,
                "--min-group",
                "1",
                "--format",
                format,
                "--by",
                by,
            ]);
            out.expect_code(0);
            // (the header of the ignored column may be named, its cells not)
            for secret in ["RID-", "Mustermann", "erika@"] {
                assert!(
                    !out.stdout.contains(secret) && !out.stderr.contains(secret),
                    "{format}/{by}: {secret} leaked\n{}\n{}",
                    out.stdout,
                    out.stderr
                );
            }
        }
    }
    let out = run(["validate", "-q", Q_SMALL, &f]);
    assert!(!out.stdout.contains("RID-") && !out.stderr.contains("RID-"));
    assert!(!out.stderr.contains("Mustermann"));
}

// ---------------------------------------------------------------------------------
// Output formats
// ---------------------------------------------------------------------------------

#[test]
fn csv_output_parses_and_keeps_full_precision() {
    let out = run([
        "score",
        "-q",
        Q_SMALL,
        &fx("score-basic"),
        "--by",
        "area",
        "--format",
        "csv",
    ]);
    out.expect_code(0);
    let rows = parse_csv(&out.stdout);
    assert!(rows.len() >= 3, "{rows:?}");
    let width = rows[0].len();
    assert!(rows.iter().all(|r| r.len() == width), "{rows:?}");
    let services = rows
        .iter()
        .find(|r| r[0] == "Bürgerservices")
        .expect("services row");
    assert!(
        services.iter().any(|c| c == "42.96875"),
        "full precision 42.96875: {services:?}"
    );
    // --by department: header + organisation + 2 departments
    let out = run([
        "score",
        "-q",
        Q_SMALL,
        &fx("score-basic"),
        "--by",
        "department",
        "--format",
        "csv",
    ]);
    let rows = parse_csv(&out.stdout);
    let names: Vec<&str> = rows.iter().skip(1).map(|r| r[0].as_str()).collect();
    assert_eq!(names, ["Gesamtorganisation", "Bürgeramt", "Ordnungsamt"]);
    // --excel: BOM, `;`, decimal comma
    let out = run([
        "score",
        "-q",
        Q_SMALL,
        &fx("score-basic"),
        "--by",
        "area",
        "--format",
        "csv",
        "--excel",
    ]);
    out.expect_code(0);
    let text = out
        .stdout
        .strip_prefix('\u{feff}')
        .expect("--excel starts with a BOM");
    let rows = parse_csv_with(text, b';');
    let services = rows.iter().find(|r| r[0] == "Bürgerservices").unwrap();
    assert!(services.iter().any(|c| c == "42,96875"), "{services:?}");
}

#[test]
fn human_formats_print_one_decimal() {
    for format in ["table", "markdown"] {
        let out = run([
            "score",
            "-q",
            Q_SMALL,
            &fx("score-basic"),
            "--by",
            "area",
            "--format",
            format,
        ]);
        out.expect_code(0);
        let line = out
            .stdout
            .lines()
            .find(|l| l.contains("Bürgerservices"))
            .expect("services line");
        // 42.96875 → 43,0 (German labels use the decimal comma)
        assert!(
            line.contains("43,0") || line.contains("43.0"),
            "{format}: {line}"
        );
        assert!(!line.contains("42.96875"), "{format}: {line}");
    }
}

#[test]
fn csv_cells_are_guarded_against_formulas() {
    let out = run([
        "score",
        "-q",
        Q_SMALL,
        &fx("files/good.csv"),
        "--min-group",
        "1",
        "--department",
        "=HYPERLINK(\"x\")",
        "--by",
        "department",
        "--format",
        "csv",
    ]);
    out.expect_code(0);
    let rows = parse_csv(&out.stdout);
    assert!(
        rows.iter().any(|r| r[0] == "'=HYPERLINK(\"x\")"),
        "{rows:?}"
    );
    assert!(rows.iter().all(|r| !r[0].starts_with('=')), "{rows:?}");
}

#[test]
fn departments_sort_in_german_dictionary_order() {
    // DIN 5007-1: ä = a, ö = o, ß = ss, case-insensitive (SPEC §9.16)
    let dir = tempfile::tempdir().unwrap();
    let names = [
        "Zentrale",
        "Öffentlichkeitsarbeit",
        "Straßenbau",
        "Ordnungsamt",
        "Amt für Soziales",
        "bürgerbüro",
        "Älteste",
        "Strasse",
        "Bauamt",
    ];
    let mut csv = String::from("Fachbereich;s_online\n");
    for n in names {
        csv.push_str(&format!("{n};A3\n"));
    }
    let f = write(dir.path(), "umfrage.csv", csv);
    let (v, _) = score_json(&["-q", Q_SMALL, &f, "--min-group", "1"]);
    assert_eq!(
        group_names(&v),
        [
            "Gesamtorganisation",
            "Älteste",
            "Amt für Soziales",
            "Bauamt",
            "bürgerbüro",
            "Öffentlichkeitsarbeit",
            "Ordnungsamt",
            "Strasse",
            "Straßenbau",
            "Zentrale",
        ]
    );
}

#[test]
fn same_input_same_output() {
    let a = run([
        "score",
        "-q",
        Q_SMALL,
        &fx("score-basic"),
        "--format",
        "json",
    ]);
    let b = run([
        "score",
        "-q",
        Q_SMALL,
        &fx("score-basic"),
        "--format",
        "json",
    ]);
    a.expect_code(0);
    assert_eq!(a.stdout, b.stdout);
}

// ---------------------------------------------------------------------------------
// The shipped sample
// ---------------------------------------------------------------------------------

#[test]
fn musterstadt_2025_json() {
    let (v, _) = score_json(&["-q", Q_KOMMUNE, "samples/musterstadt/2025"]);
    assert_eq!(
        group_names(&v),
        [
            "Gesamtorganisation",
            "Bauordnungsamt",
            "Bürgeramt",
            "Hauptamt / IT und Digitalisierung",
            "Jugendamt",
            "Kämmerei",
            "Ordnungsamt",
            "Personal- und Organisationsamt",
            "Sozialamt",
            "Stadtplanungsamt",
            "Standesamt",
            "Straßenverkehrsamt",
        ]
    );
    let groups = v["groups"].as_array().unwrap();
    assert_eq!(groups[0]["kind"], "organisation");
    assert!(groups[1..].iter().all(|g| g["kind"] == "department"));
    int(&org(&v)["respondents"], 329, "respondents");
    // Standesamt (3) is below 5 and the only one: Stadtplanungsamt (19) goes too
    assert_suppressed_any(group(&v, "Standesamt"));
    assert_suppressed_any(group(&v, "Stadtplanungsamt"));
    for g in &groups[1..] {
        let name = g["name"].as_str().unwrap();
        if name != "Standesamt" && name != "Stadtplanungsamt" {
            assert_eq!(g["suppressed"], false, "{name}");
        }
    }
    // the five invalid cells of the sample (README)
    let p = problems(&v);
    assert_eq!(p.len(), 5, "{p:?}");
    let at: Vec<(String, u64)> = p
        .iter()
        .map(|p| {
            let f = p["file"].as_str().unwrap();
            (
                f.rsplit('/').next().unwrap().to_string(),
                p["line"].as_u64().unwrap(),
            )
        })
        .collect();
    for want in [
        ("kaemmerei.csv", 9),
        ("strassenverkehrsamt.csv", 15),
        ("umfrage_export.csv", 26),
        ("umfrage_export.csv", 172),
        ("umfrage_export.csv", 177),
    ] {
        assert!(
            at.contains(&(want.0.to_string(), want.1)),
            "{want:?} in {at:?}"
        );
    }
}

fn assert_suppressed_any(g: &Value) {
    assert_eq!(g["suppressed"], true, "{}", g["name"]);
    null(&g["respondents"], "respondents");
    null(&g["score"], "score");
}

#[test]
fn musterstadt_2025_departments_csv() {
    let out = run([
        "score",
        "-q",
        Q_KOMMUNE,
        "samples/musterstadt/2025",
        "--by",
        "department",
        "--format",
        "csv",
    ]);
    out.expect_code(0);
    let rows = parse_csv(&out.stdout);
    assert_eq!(rows.len(), 13, "header + 12 groups");
    let header = &rows[0];
    assert!(header.len() >= 4 + 8, "{header:?}");
    assert!(
        header.iter().all(|h| !h.is_empty()),
        "header row: {header:?}"
    );
    assert!(rows.iter().all(|r| r.len() == header.len()));
    let stand = rows.iter().find(|r| r[0] == "Standesamt").unwrap();
    assert!(stand[1..].iter().all(|c| c == "n<5"), "{stand:?}");
    let bau = rows.iter().find(|r| r[0] == "Bauordnungsamt").unwrap();
    assert_eq!(bau[1], "28");
}

#[test]
fn musterstadt_2023_validates() {
    // four invalid cells (README): fine without --strict, exit 1 with it
    let out = run(["validate", "-q", Q_KOMMUNE, "samples/musterstadt/2023"]);
    out.expect_code(0);
    for at in [
        "bauordnungsamt.csv:4",
        "jugendamt.csv:8",
        "kaemmerei.csv:11",
        "sozialamt.csv:13",
    ] {
        out.stderr_has(at);
    }
    run([
        "validate",
        "-q",
        Q_KOMMUNE,
        "samples/musterstadt/2023",
        "--strict",
    ])
    .expect_code(1);
}

#[test]
fn json_has_the_documented_shape() {
    // SPEC §8: more keys may be added, none of these renamed
    let v = basic();
    let has = |obj: &Value, keys: &[&str], what: &str| {
        for k in keys {
            assert!(obj.get(k).is_some(), "{what} lacks `{k}`: {obj}");
        }
    };
    has(
        &v,
        &["questionnaire", "wave", "groups", "quality"],
        "results",
    );
    has(&v["questionnaire"], &["id", "version"], "questionnaire");
    for g in v["groups"].as_array().unwrap() {
        has(
            g,
            &[
                "kind",
                "name",
                "respondents",
                "suppressed",
                "score",
                "level",
                "areas",
                "questions",
            ],
            "group",
        );
        for a in g["areas"].as_array().unwrap() {
            has(
                a,
                &["id", "score", "level", "n", "target", "gap", "priority"],
                "area",
            );
        }
        for q in g["questions"].as_array().unwrap() {
            has(
                q,
                &["id", "score", "n", "dont_know", "sd", "ci95", "counts"],
                "question",
            );
        }
    }
    has(&v["quality"], &["files", "problems"], "quality");
    for f in v["quality"]["files"].as_array().unwrap() {
        has(
            f,
            &[
                "path",
                "rows_read",
                "rows_used",
                "rows_rejected",
                "invalid_cells",
            ],
            "file",
        );
    }
    // numbers are JSON numbers, not strings
    assert!(org(&v)["score"].is_f64() || org(&v)["score"].is_u64());
    assert!(org(&v)["respondents"].is_u64());
}
