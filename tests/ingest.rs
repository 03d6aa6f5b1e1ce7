//! Survey CSV ingest (SPEC §3, §9.4, §9.7, §9.8, §9.10–9.15, §9.17), checked through
//! `score --format json` and the problems printed on stderr.
//!
//! All runs use `tests/fixtures/q-small.toml`. Where a test looks at figures it passes
//! `--min-group 1` so that no privacy rule hides them.
//!
//! Scale mapping used in the hand computations (SPEC §4.1):
//! zustimmung values 1..5 → x = (v − 1)/4, so A1 = 0, A2 = 25, A3 = 50, A4 = 75, A5 = 100
//! (as 100·x); janein ja = 100, nein = 0; anteil p → p; anzahl 0..10: v → 10·v.

mod common;

use common::*;

// ---------------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------------

#[test]
fn utf8_bom_is_stripped_before_the_first_header() {
    // The first column is the question s_online: with the BOM left in, the header would
    // read "\u{feff}s_online" and match nothing.
    // Bauamt: A5, A3 → (100 + 50) / 2 = 75.
    let (v, out) = score_json(&["-q", Q_SMALL, &fx("bom/umfrage.csv"), "--min-group", "1"]);
    let g = group(&v, "Bauamt");
    let q = question(g, "s_online");
    int(&q["n"], 2, "n");
    close(&q["score"], 75.0, "score");
    assert!(!out.stderr.contains("Windows-1252"), "{}", out.stderr);
}

#[test]
fn windows_1252_is_the_fallback_with_a_warning() {
    // kaemmerei.csv is Windows-1252: "K\xe4mmerei" and "wei\xdf nicht" as single bytes.
    // Row 1: s_online "weiß nicht" (don't know), s_konto ja; row 2: A4, nein.
    // s_online: n 1, dont_know 1, score 75; s_konto: n 2, (100 + 0)/2 = 50.
    let (v, out) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("cp1252/kaemmerei.csv"),
        "--min-group",
        "1",
    ]);
    out.stderr_has("kaemmerei.csv").stderr_has("Windows-1252");
    assert!(
        out.stderr.contains("warning"),
        "the fallback is a warning: {}",
        out.stderr
    );
    assert_eq!(group_names(&v), ["Gesamtorganisation", "Kämmerei"]);
    let g = group(&v, "Kämmerei");
    let q = question(g, "s_online");
    int(&q["n"], 1, "s_online n");
    int(&q["dont_know"], 1, "s_online dont_know");
    close(&q["score"], 75.0, "s_online score");
    close(&question(g, "s_konto")["score"], 50.0, "s_konto score");
    assert!(problems(&v).is_empty(), "{:?}", problems(&v));
}

#[test]
fn encoding_windows_1252_can_be_forced() {
    // Same file, forced: identical figures and no fallback warning.
    let (v, out) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("cp1252/kaemmerei.csv"),
        "--min-group",
        "1",
        "--encoding",
        "windows-1252",
    ]);
    assert!(
        !out.stderr.contains("not valid UTF-8"),
        "a forced encoding is no fallback: {}",
        out.stderr
    );
    let g = group(&v, "Kämmerei");
    int(&question(g, "s_online")["dont_know"], 1, "dont_know");
    // A valid UTF-8 file forced to Windows-1252 is decoded byte by byte: "ü" (C3 BC)
    // becomes "Ã¼" — proof that the flag really forces the encoding.
    for name in ["windows-1252", "cp1252", "latin-1"] {
        let (v, _) = score_json(&[
            "-q",
            Q_SMALL,
            &fx("enc-utf8/umfrage.csv"),
            "--min-group",
            "1",
            "--encoding",
            name,
        ]);
        assert_eq!(
            group_names(&v),
            ["Gesamtorganisation", "BÃ¼rgeramt"],
            "--encoding {name}"
        );
    }
    // ... and read as UTF-8 by default.
    let (v, _) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("enc-utf8/umfrage.csv"),
        "--min-group",
        "1",
    ]);
    assert_eq!(group_names(&v), ["Gesamtorganisation", "Bürgeramt"]);
}

// ---------------------------------------------------------------------------------
// Delimiters and line endings
// ---------------------------------------------------------------------------------

#[test]
fn delimiters_comma_semicolon_and_tab_are_detected() {
    // Each file: Bauamt A5/37,5 and A1/12.5.
    // s_online (100 + 0)/2 = 50; p_eakte (37.5 + 12.5)/2 = 25 (decimal comma and point).
    for (file, delim) in [
        ("delim/comma.csv", ","),
        ("delim/semicolon.csv", ";"),
        ("delim/tab.csv", "TAB"),
    ] {
        let (v, _) = score_json(&["-q", Q_SMALL, &fx(file), "--min-group", "1"]);
        let g = group(&v, "Bauamt");
        int(&g["respondents"], 2, file);
        close(&question(g, "s_online")["score"], 50.0, file);
        close(&question(g, "p_eakte")["score"], 25.0, file);
        assert!(problems(&v).is_empty(), "{file}: {:?}", problems(&v));
        let f = file_report(&v, file);
        if let Some(d) = f.get("delimiter") {
            assert!(
                d == delim || (delim == "TAB" && d == "\t"),
                "{file}: delimiter {d}"
            );
        }
    }
}

#[test]
fn delimiters_inside_quotes_do_not_count() {
    // Header: "Leistungen, online, Kommentar, frei";s_online;Fachbereich → outside the
    // quotes there are two `;` and no `,` (SPEC §9.13).
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "q.csv",
        "\"Leistungen, online, Kommentar, frei\";s_online;Fachbereich\nx, y;A5;Bauamt\n",
    );
    let (v, _) = score_json(&["-q", Q_SMALL, &f, "--min-group", "1"]);
    close(
        &question(group(&v, "Bauamt"), "s_online")["score"],
        100.0,
        "score",
    );
}

#[test]
fn delimiter_can_be_forced() {
    // Header "Fachbereich;s_online;Bemerkung, frei, text": two `;` and two `,` → the tie
    // goes to `,` (SPEC §9.13), which splits no question column out → exit 1.
    let out = run([
        "score",
        "-q",
        Q_SMALL,
        &fx("delim-forced/umfrage.csv"),
        "--min-group",
        "1",
    ]);
    out.expect_code(1);
    // Forced `;`: A4, A2 → (75 + 25)/2 = 50.
    let (v, _) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("delim-forced/umfrage.csv"),
        "--min-group",
        "1",
        "--delimiter",
        ";",
    ]);
    let g = group(&v, "Bauamt");
    int(&g["respondents"], 2, "respondents");
    close(&question(g, "s_online")["score"], 50.0, "s_online");
}

#[test]
fn crlf_and_lf_give_the_same_results_and_lines() {
    // Rows at physical lines 2, 4 (after a blank line 3) and 5; line 5 has s_online A7.
    // s_online: A5, teils/teils → (100 + 50)/2 = 75; p_eakte (50 + 37.5 + 25)/3 = 37.5.
    let (lf, _) = score_json(&["-q", Q_SMALL, &fx("lineend/lf.csv"), "--min-group", "1"]);
    let (crlf, _) = score_json(&["-q", Q_SMALL, &fx("lineend/crlf.csv"), "--min-group", "1"]);
    for v in [&lf, &crlf] {
        let g = group(v, "Bauamt");
        int(&g["respondents"], 3, "respondents");
        close(&question(g, "s_online")["score"], 75.0, "s_online");
        close(&question(g, "p_eakte")["score"], 37.5, "p_eakte");
        let p = problems(v);
        assert_eq!(p.len(), 1, "{p:?}");
        int(&p[0]["line"], 5, "line");
        assert_eq!(p[0]["value"], "A7");
    }
    assert_eq!(lf["groups"], crlf["groups"]);
}

// ---------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------

#[test]
fn headers_match_ids_and_aliases_case_insensitively_and_trimmed() {
    // " ID ", "  FACHBEREICH  ", " g01q01[sq001] " (alias of s_online), "S_Papier",
    // "  s_KONTO  ", "g02q02[SQ001]" (alias of p_eakte), "P_SCHULUNGEN".
    // Rows: A5/A1/ja/50/5 and A4/A2/nein/30/3.
    // s_online (100+75)/2 = 87.5; s_papier reverse: raw (0+25)/2 = 12.5 → 87.5;
    // s_konto 50; p_eakte 40; p_schulungen (50+30)/2 = 40.
    let (v, out) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("headers/case-and-space.csv"),
        "--min-group",
        "1",
    ]);
    let g = group(&v, "Bauamt");
    for (id, score) in [
        ("s_online", 87.5),
        ("s_papier", 87.5),
        ("s_konto", 50.0),
        ("p_eakte", 40.0),
        ("p_schulungen", 40.0),
    ] {
        int(&question(g, id)["n"], 2, id);
        close(&question(g, id)["score"], score, id);
    }
    assert!(
        !out.stderr.contains("ignored"),
        "no column should be ignored: {}",
        out.stderr
    );
}

#[test]
fn a_text_alias_matches_with_inner_white_space_collapsed() {
    // Header "Leistungen   ONLINE  beantragbar" = alias "Leistungen online beantragbar".
    // Answers "trifft eher zu" (75) and A2 (25) → 50.
    let (v, _) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("headers/text-alias.csv"),
        "--min-group",
        "1",
    ]);
    let q = question(group(&v, "Bauamt"), "s_online");
    int(&q["n"], 2, "n");
    close(&q["score"], 50.0, "score");
}

#[test]
fn a_second_column_for_a_question_is_ignored_with_a_warning() {
    // Columns s_online, S_ONLINE, g01q01[sq001]: the first wins (SPEC §9.12).
    // First column A5, A3 → 75 (the others hold A1 → would give 0).
    let (v, out) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("headers/two-columns.csv"),
        "--min-group",
        "1",
    ]);
    close(
        &question(group(&v, "Bauamt"), "s_online")["score"],
        75.0,
        "score",
    );
    out.stderr_has("warning").stderr_has("S_ONLINE");
}

#[test]
fn unknown_columns_are_listed_once() {
    let out = run([
        "score",
        "-q",
        Q_SMALL,
        &fx("no-answers/umfrage.csv"),
        &fx("blank-lines/lf.csv"),
        "--min-group",
        "1",
    ]);
    out.expect_code(0);
    assert_eq!(
        out.stderr.matches("Bemerkung").count(),
        1,
        "the ignored column `Bemerkung` of two files is listed once:\n{}",
        out.stderr
    );
}

// ---------------------------------------------------------------------------------
// Departments
// ---------------------------------------------------------------------------------

#[test]
fn department_column_defaults_are_tried_in_spec_order() {
    // Header "Amt,Fachbereich,s_online": `fachbereich` comes before `amt` (SPEC §3).
    let (v, _) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("dept/column-order.csv"),
        "--min-group",
        "1",
    ]);
    assert_eq!(group_names(&v), ["Gesamtorganisation", "Bauamt"]);
}

#[test]
fn department_column_can_be_configured() {
    // "Bereich" holds Sozialamt, "Fachbereich" holds Bauamt.
    let (v, _) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("dept/configured.csv"),
        "--min-group",
        "1",
        "--department-column",
        "Bereich",
    ]);
    assert_eq!(group_names(&v), ["Gesamtorganisation", "Sozialamt"]);
    // matched like a header: case-insensitive, trimmed
    let (v, _) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("dept/configured.csv"),
        "--min-group",
        "1",
        "--department-column",
        " BEREICH ",
    ]);
    assert_eq!(group_names(&v), ["Gesamtorganisation", "Sozialamt"]);
    // without the option the default column wins
    let (v, _) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("dept/configured.csv"),
        "--min-group",
        "1",
    ]);
    assert_eq!(group_names(&v), ["Gesamtorganisation", "Bauamt"]);
}

#[test]
fn a_configured_department_column_that_is_missing_falls_back_to_the_stem() {
    let out = run([
        "score",
        "--format",
        "json",
        "-q",
        Q_SMALL,
        &fx("dept/configured.csv"),
        "--min-group",
        "1",
        "--department-column",
        "Dezernat",
    ]);
    out.expect_code(0).stderr_has("Dezernat");
    assert_eq!(
        group_names(&out.json()),
        ["Gesamtorganisation", "configured"]
    );
}

#[test]
fn department_from_a_file_stem_is_normalised() {
    // A file name in NFD (as macOS writes it) names the same department as NFC text.
    let dir = tempfile::tempdir().unwrap();
    let nfd = write(dir.path(), "Ka\u{308}mmerei.csv", "s_online\nA5\nA4\n");
    let nfc = write(
        dir.path(),
        "other.csv",
        "Fachbereich,s_online\nKämmerei,A3\n",
    );
    let (v, _) = score_json(&["-q", Q_SMALL, &nfd, &nfc, "--min-group", "1"]);
    assert_eq!(group_names(&v), ["Gesamtorganisation", "Kämmerei"]);
    int(&group(&v, "Kämmerei")["respondents"], 3, "respondents");
}

#[test]
fn department_falls_back_to_the_file_stem() {
    let (v, _) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("dept/Ordnungsamt.csv"),
        "--min-group",
        "1",
    ]);
    assert_eq!(group_names(&v), ["Gesamtorganisation", "Ordnungsamt"]);
    int(&group(&v, "Ordnungsamt")["respondents"], 2, "respondents");
}

#[test]
fn department_option_overrides_column_and_file_name() {
    for file in ["dept/configured.csv", "dept/Ordnungsamt.csv"] {
        let (v, _) = score_json(&[
            "-q",
            Q_SMALL,
            &fx(file),
            "--min-group",
            "1",
            "--department",
            "Sozialamt",
        ]);
        assert_eq!(
            group_names(&v),
            ["Gesamtorganisation", "Sozialamt"],
            "{file}"
        );
    }
}

#[test]
fn department_names_are_normalised_but_compared_with_case() {
    // "Bürgeramt" (NFC), "Bu\u{308}rgeramt" (NFD), "  Bürgeramt  " → one department of 3;
    // "bürgeramt" is another (SPEC §9.7). Scores: A5, A4, A3 → 75; A2 → 25.
    let (v, _) = score_json(&["-q", Q_SMALL, &fx("dept/nfc.csv"), "--min-group", "1"]);
    assert_eq!(
        group_names(&v),
        ["Gesamtorganisation", "Bürgeramt", "bürgeramt"]
    );
    int(&group(&v, "Bürgeramt")["respondents"], 3, "Bürgeramt");
    close(
        &question(group(&v, "Bürgeramt"), "s_online")["score"],
        75.0,
        "Bürgeramt",
    );
    int(&group(&v, "bürgeramt")["respondents"], 1, "bürgeramt");
}

#[test]
fn empty_department_cell_rejects_the_row() {
    // Lines 3 ("") and 4 ("  ") have no department. Bauamt keeps A5, A2 → 62.5.
    let (v, out) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("dept/empty-cell.csv"),
        "--min-group",
        "1",
    ]);
    let f = file_report(&v, "empty-cell.csv");
    int(&f["rows_read"], 4, "rows_read");
    int(&f["rows_used"], 2, "rows_used");
    int(&f["rows_rejected"], 2, "rows_rejected");
    let p = problems(&v);
    let lines: Vec<u64> = p.iter().filter_map(|p| p["line"].as_u64()).collect();
    assert_eq!(lines, [3, 4]);
    for p in &p {
        null(&p["column"], "column of a row problem");
        null(&p["question"], "question of a row problem");
        null(&p["value"], "value of a row problem (question cells only)");
        assert!(
            p["message"].as_str().unwrap().contains("no department"),
            "{p}"
        );
    }
    close(
        &question(group(&v, "Bauamt"), "s_online")["score"],
        62.5,
        "score",
    );
    out.stderr_has("empty-cell.csv:3")
        .stderr_has("empty-cell.csv:4");
}

// ---------------------------------------------------------------------------------
// Respondent ids
// ---------------------------------------------------------------------------------

#[test]
fn duplicate_id_within_a_department_rejects_the_later_row() {
    // line 2: 1 Bauamt A5 | line 3: 1 Ordnungsamt A4 (other department: allowed)
    // line 4: 2 Bauamt A3 | line 5: 1 Bauamt A1 (duplicate → rejected)
    // lines 6, 7: empty ids, A2 twice (empty ids are not checked)
    // Bauamt: A5, A3, A2, A2 → (100 + 50 + 25 + 25)/4 = 50; Ordnungsamt: 75.
    let (v, out) = score_json(&["-q", Q_SMALL, &fx("ids/umfrage.csv"), "--min-group", "1"]);
    int(&group(&v, "Bauamt")["respondents"], 4, "Bauamt");
    int(&group(&v, "Ordnungsamt")["respondents"], 1, "Ordnungsamt");
    close(
        &question(group(&v, "Bauamt"), "s_online")["score"],
        50.0,
        "Bauamt",
    );
    let p = problems(&v);
    assert_eq!(p.len(), 1, "{p:?}");
    int(&p[0]["line"], 5, "line");
    null(&p[0]["column"], "column");
    assert!(p[0]["message"].as_str().unwrap().contains("duplicate"));
    out.stderr_has("ids/umfrage.csv:5");
}

#[test]
fn duplicate_ids_are_checked_across_the_files_of_a_department() {
    // a.csv: ID 7, 8 (Bauamt); b.csv: 9 Bauamt, 7 Bauamt (line 3, duplicate), 7 Jugendamt.
    // The header "ID" is the id column (matched like headers, SPEC §9.11).
    let (v, _) = score_json(&["-q", Q_SMALL, &fx("ids-files"), "--min-group", "1"]);
    int(&group(&v, "Bauamt")["respondents"], 3, "Bauamt");
    int(&group(&v, "Jugendamt")["respondents"], 1, "Jugendamt");
    let p = problems(&v);
    assert_eq!(p.len(), 1, "{p:?}");
    assert!(p[0]["file"].as_str().unwrap().ends_with("b.csv"), "{p:?}");
    int(&p[0]["line"], 3, "line");
}

// ---------------------------------------------------------------------------------
// Cells and rows
// ---------------------------------------------------------------------------------

#[test]
fn invalid_cells_are_reported_with_file_line_column_and_value() {
    // invalid/umfrage.csv (lines):
    // 2: A6 ja 50 5                → s_online "A6" invalid
    // 3: A5 vielleicht 1e2 11      → s_konto, p_eakte (exponent), p_schulungen (> 10) invalid
    // 4: 6 ja "150 %" 1.000        → s_online 6 (no such value), p_eakte 150 invalid;
    //                                1.000 is 1 (SPEC §9.8)
    // 5: 3,0 Y "100 %" +10         → all valid: 3,0 matches value 3
    // 6: A1 0 0% 0                 → all valid
    // 7: "  xxx…(150)  " ja        → s_online invalid, value trimmed and cut to 100
    // Valid: s_online A5, 3, A1 → (100 + 50 + 0)/3 = 50
    //        s_konto ja, ja, Y, 0, ja → 4/5 = 80
    //        p_eakte 50, 100, 0 → 50
    //        p_schulungen 5, 1, 10, 0 → (50 + 10 + 100 + 0)/4 = 40
    let file = fx("invalid/umfrage.csv");
    let (v, out) = score_json(&["-q", Q_SMALL, &file, "--min-group", "1"]);
    let g = group(&v, "Bauamt");
    int(&g["respondents"], 6, "respondents");
    for (id, n, score) in [
        ("s_online", 3, 50.0),
        ("s_konto", 5, 80.0),
        ("p_eakte", 3, 50.0),
        ("p_schulungen", 4, 40.0),
    ] {
        int(&question(g, id)["n"], n, id);
        close(&question(g, id)["score"], score, id);
    }
    let f = file_report(&v, "invalid/umfrage.csv");
    int(&f["invalid_cells"], 7, "invalid_cells");
    int(&f["rows_rejected"], 0, "rows_rejected");

    let p = problems(&v);
    let got: Vec<(u64, String, String)> = p
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["column"].as_str().unwrap_or("-").to_string(),
                p["value"].as_str().unwrap_or("-").to_string(),
            )
        })
        .collect();
    let long = "x".repeat(100);
    let want: Vec<(u64, String, String)> = [
        (2, "s_online", "A6"),
        (3, "s_konto", "vielleicht"),
        (3, "p_eakte", "1e2"),
        (3, "p_schulungen", "11"),
        (4, "s_online", "6"),
        (4, "p_eakte", "150 %"),
        (7, "s_online", long.as_str()),
    ]
    .iter()
    .map(|(l, c, v)| (*l, c.to_string(), v.to_string()))
    .collect();
    assert_eq!(got, want);
    for p in &p {
        assert_eq!(p["file"], file.as_str());
        assert_eq!(p["question"], p["column"], "question id = header here");
        assert!(!p["message"].as_str().unwrap().is_empty(), "{p}");
        for key in ["file", "line", "column", "question", "value", "message"] {
            assert!(p.get(key).is_some(), "problem lacks `{key}`: {p}");
        }
    }
    // stderr names file, line and column of each
    for (line, col) in [(2, "s_online"), (3, "p_schulungen"), (4, "p_eakte")] {
        let loc = format!("{file}:{line}");
        assert!(
            out.stderr
                .lines()
                .any(|l| l.contains(&loc) && l.contains(col)),
            "stderr should name {loc} and {col}:\n{}",
            out.stderr
        );
    }
}

#[test]
fn number_syntax_follows_the_spec() {
    // SPEC §9.8: [+-]digits[(.|,)digits], `.` always the decimal point, percent may end
    // in `%`; no exponents, NaN, infinity or thousands separators; ranges inclusive.
    let valid = [
        ("0", 0.0),
        ("10", 10.0),
        ("+5", 5.0),
        ("2,5", 2.5),
        ("2.5", 2.5),
        ("1.000", 1.0),
        ("-0", 0.0),
        (" 7 ", 7.0),
    ];
    let invalid = [
        "1e1", "NaN", "inf", "1 000", "1.000,5", "5,", ",5", "--1", "10,01", "-1", "zwei",
    ];
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("Fachbereich;p_schulungen;s_konto\n");
    for (cell, _) in valid {
        text.push_str(&format!("Bauamt;{cell};ja\n"));
    }
    for cell in invalid {
        text.push_str(&format!("Bauamt;{cell};ja\n"));
    }
    let f = write(dir.path(), "u.csv", text);
    let (v, _) = score_json(&["-q", Q_SMALL, &f, "--min-group", "1"]);
    let q = question(group(&v, "Bauamt"), "p_schulungen");
    int(&q["n"], valid.len() as u64, "valid numbers");
    // (0 + 10 + 5 + 2.5 + 2.5 + 1 + 0 + 7)/8 = 28/8 = 3.5 → 35
    let mean = valid.iter().map(|(_, x)| x).sum::<f64>() / valid.len() as f64;
    close(&q["score"], 10.0 * mean, "score");
    let values: Vec<String> = problems(&v)
        .iter()
        .map(|p| p["value"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(values, invalid, "the invalid cells, in order");
    // percent
    let mut text = String::from("Fachbereich;p_eakte;s_konto\n");
    for cell in [
        "0%", "100 %", "37,5%", "12.5 %", "101", "-1 %", "50 %%", "%",
    ] {
        text.push_str(&format!("Bauamt;{cell};ja\n"));
    }
    let f = write(dir.path(), "p.csv", text);
    let (v, _) = score_json(&["-q", Q_SMALL, &f, "--min-group", "1"]);
    let q = question(group(&v, "Bauamt"), "p_eakte");
    int(&q["n"], 4, "valid percentages");
    // (0 + 100 + 37.5 + 12.5)/4 = 37.5
    close(&q["score"], 37.5, "score");
    assert_eq!(problems(&v).len(), 4);
}

#[test]
fn an_alias_header_is_reported_as_written() {
    // The `column` of a problem is the header as written, `question` the id (SPEC §9.17).
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "alias.csv",
        "Fachbereich;G01Q01[SQ001];s_konto\nBauamt;A9;ja\n",
    );
    let (v, _) = score_json(&["-q", Q_SMALL, &f, "--min-group", "1"]);
    let p = problems(&v);
    assert_eq!(p.len(), 1, "{p:?}");
    assert_eq!(p[0]["column"], "G01Q01[SQ001]");
    assert_eq!(p[0]["question"], "s_online");
    assert_eq!(p[0]["value"], "A9");
    int(&p[0]["line"], 2, "line");
}

#[test]
fn rows_with_the_wrong_field_count_are_rejected() {
    // line 3 has 2 fields, line 4 has 4; header has 3. Kept: A5/ja, A2/nein.
    let (v, out) = score_json(&["-q", Q_SMALL, &fx("fields/umfrage.csv"), "--min-group", "1"]);
    let f = file_report(&v, "fields/umfrage.csv");
    int(&f["rows_read"], 4, "rows_read");
    int(&f["rows_used"], 2, "rows_used");
    int(&f["rows_rejected"], 2, "rows_rejected");
    let p = problems(&v);
    let lines: Vec<u64> = p.iter().filter_map(|p| p["line"].as_u64()).collect();
    assert_eq!(lines, [3, 4]);
    for p in &p {
        null(&p["column"], "column");
        null(&p["question"], "question");
        null(&p["value"], "value");
        assert!(p["message"].as_str().unwrap().contains("field"), "{p}");
    }
    // (100 + 25)/2 = 62.5
    close(
        &question(group(&v, "Bauamt"), "s_online")["score"],
        62.5,
        "score",
    );
    out.stderr_has("fields/umfrage.csv:3")
        .stderr_has("fields/umfrage.csv:4");
}

#[test]
fn a_row_without_any_answer_is_rejected() {
    // line 3: all question cells empty; line 4: only invalid cells → both rejected
    // ("no answers", SPEC §9.4). line 5 has only "weiß nicht" and counts as respondent.
    // Bauamt: 2 respondents; s_online n 1 (A5 → 100), dont_know 1; s_konto n 1, empty 1.
    let (v, _) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("no-answers/umfrage.csv"),
        "--min-group",
        "1",
    ]);
    let g = group(&v, "Bauamt");
    int(&g["respondents"], 2, "respondents");
    let q = question(g, "s_online");
    int(&q["n"], 1, "n");
    int(&q["dont_know"], 1, "dont_know");
    close(&q["score"], 100.0, "score");
    let p = problems(&v);
    let rows: Vec<&serde_json::Value> = p.iter().filter(|p| p["question"].is_null()).collect();
    let lines: Vec<u64> = rows.iter().filter_map(|p| p["line"].as_u64()).collect();
    assert_eq!(lines, [3, 4], "{p:?}");
    for r in rows {
        assert!(r["message"].as_str().unwrap().contains("no answers"), "{r}");
    }
    let f = file_report(&v, "no-answers/umfrage.csv");
    int(&f["rows_rejected"], 2, "rows_rejected");
    int(&f["rows_used"], 2, "rows_used");
    // the rejected row's cells are not counted (SPEC §9.17)
    let qq = v["quality"]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "s_online")
        .unwrap();
    int(&qq["invalid"], 0, "invalid cells of a rejected row");
}

#[test]
fn row_checks_run_in_spec_order_and_rejected_rows_claim_no_id() {
    // id,Fachbereich,s_online
    // 2: "1,,"         no department and no answers → "no department"
    // 3: "2,"          2 fields and no department  → field count
    // 4: "3,Bauamt,A5" used
    // 5: "3,Bauamt,"   no answers and duplicate id → "no answers"
    // 6: "3,Bauamt,A4" duplicate id
    // 7: "5,Bauamt,"   no answers (claims no id)
    // 8: "5,Bauamt,A3" used
    let (v, _) = score_json(&[
        "-q",
        Q_SMALL,
        &fx("row-order/umfrage.csv"),
        "--min-group",
        "1",
    ]);
    let p = problems(&v);
    let got: Vec<(u64, String)> = p
        .iter()
        .map(|p| {
            (
                p["line"].as_u64().unwrap(),
                p["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(got.len(), 5, "{got:?}");
    let expect = [
        (2, "no department"),
        (3, "field"),
        (5, "no answers"),
        (6, "duplicate"),
        (7, "no answers"),
    ];
    for ((line, msg), (want_line, want)) in got.iter().zip(expect) {
        assert_eq!(*line, want_line, "{got:?}");
        assert!(
            msg.contains(want),
            "line {line}: {msg:?} should say {want:?}"
        );
    }
    let g = group(&v, "Bauamt");
    int(&g["respondents"], 2, "respondents");
    // A5, A3 → 75
    close(&question(g, "s_online")["score"], 75.0, "score");
}

#[test]
fn blank_lines_are_not_rows_and_lines_stay_physical() {
    // lf.csv / crlf.csv:
    // 1 header | 2-3 record 1 with a quoted two-line cell | 4 blank
    // 5 record 2 with "" quotes | 6, 7 blank | 8-10 record 3 (quoted cell with an empty
    // line inside), s_online A9 | 11 record 4, s_online A7.
    for file in ["blank-lines/lf.csv", "blank-lines/crlf.csv"] {
        let path = fx(file);
        let (v, out) = score_json(&["-q", Q_SMALL, &path, "--min-group", "1"]);
        let f = file_report(&v, file);
        int(&f["rows_read"], 4, "rows_read");
        int(&f["rows_used"], 4, "rows_used");
        let p = problems(&v);
        let got: Vec<(u64, String)> = p
            .iter()
            .map(|p| {
                (
                    p["line"].as_u64().unwrap(),
                    p["value"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [(8, "A9".to_string()), (11, "A7".to_string())],
            "{file}"
        );
        out.stderr_has(&format!("{path}:8"))
            .stderr_has(&format!("{path}:11"));
        // A5, A4 → (100 + 75)/2 = 87.5
        close(
            &question(group(&v, "Bauamt"), "s_online")["score"],
            87.5,
            file,
        );
    }
}

#[test]
fn boolean_options_and_codes_are_no_then_yes() {
    // SPEC §9.5: a boolean scale's `options`/`codes` are [no, yes], next to the fixed
    // ja/nein, yes/no, true/false, j/n, y/n, 1/0 spellings.
    let dir = tempfile::tempdir().unwrap();
    let q = std::fs::read_to_string(root().join(Q_SMALL)).unwrap().replace(
        "[scale.janein]\nkind = \"boolean\"\n",
        "[scale.janein]\nkind = \"boolean\"\noptions = [\"fehlt\", \"vorhanden\"]\ncodes = [\"B0\", \"B1\"]\n",
    );
    assert!(q.contains("vorhanden"));
    let q = write(dir.path(), "q.toml", q);
    let f = write(
        dir.path(),
        "u.csv",
        "Fachbereich;s_konto\nBauamt;vorhanden\nBauamt;FEHLT\nBauamt;b1\nBauamt;B0\n\
         Bauamt;Yes\nBauamt;false\nBauamt;1\nBauamt;n\nBauamt;TRUE\nBauamt;vielleicht\n",
    );
    // yes: vorhanden, b1, Yes, 1, TRUE = 5; no: FEHLT, B0, false, n = 4 → 500/9
    let (v, _) = score_json(&["-q", &q, &f, "--min-group", "1"]);
    let s = question(group(&v, "Bauamt"), "s_konto");
    int(&s["n"], 9, "n");
    close(&s["score"], 500.0 / 9.0, "score");
    assert_eq!(s["counts"], serde_json::json!({"fehlt": 4, "vorhanden": 5}));
    assert_eq!(problems(&v).len(), 1);
}

#[test]
fn line_numbers_stay_right_in_a_long_file() {
    // 20 000 rows; every 7th has a two-line quoted cell, every 11th is preceded by a
    // blank line; an invalid cell in the last row. Its physical line is counted here.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("id;Fachbereich;Bemerkung;s_online;s_konto\n");
    for i in 1..=20_000 {
        if i % 7 == 0 {
            text.push_str(&format!("{i};Bauamt;\"mehr\nzeilig\";A3;ja\n"));
        } else if i % 11 == 0 {
            text.push_str(&format!("\n{i};Bauamt;x;A4;nein\n"));
        } else {
            text.push_str(&format!("{i};Bauamt;x;A5;ja\n"));
        }
    }
    let line = text.matches('\n').count() as u64 + 1;
    text.push_str("99999;Bauamt;x;A9;ja\n");
    let f = write(dir.path(), "long.csv", &text);
    let (v, _) = score_json(&["-q", Q_SMALL, &f, "--min-group", "1"]);
    let p = problems(&v);
    assert_eq!(p.len(), 1, "{p:?}");
    int(&p[0]["line"], line, "line of the last row");
    int(&org(&v)["respondents"], 20_001, "respondents");
    // The same file with one Windows-1252 byte at its end (far beyond the first read
    // buffer): read as Windows-1252, nothing counted twice.
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(b"100000;K\xe4mmerei;x;A1;ja\n");
    let f = write(dir.path(), "long1252.csv", &bytes);
    let (v, out) = score_json(&["-q", Q_SMALL, &f, "--min-group", "1"]);
    out.stderr_has("Windows-1252");
    int(&org(&v)["respondents"], 20_002, "respondents");
    int(&group(&v, "Kämmerei")["respondents"], 1, "Kämmerei");
    let p = problems(&v);
    assert_eq!(p.len(), 1, "{p:?}");
    int(&p[0]["line"], line, "line of the invalid cell");
}

// ---------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------

#[test]
fn an_empty_file_is_an_error() {
    let out = run(["score", "-q", Q_SMALL, &fx("files/empty.csv")]);
    out.expect_code(1).stderr_has("empty.csv");
    // also next to a good file
    let out = run([
        "score",
        "-q",
        Q_SMALL,
        &fx("files/good.csv"),
        &fx("files/empty.csv"),
    ]);
    out.expect_code(1).stderr_has("empty.csv");
    assert!(out.stdout.is_empty(), "no results on error: {}", out.stdout);
}

#[test]
fn a_header_only_file_is_a_warning() {
    let out = run([
        "score",
        "--format",
        "json",
        "-q",
        Q_SMALL,
        &fx("files/header-only.csv"),
        &fx("files/good.csv"),
        "--min-group",
        "1",
    ]);
    out.expect_code(0).stderr_has("header-only.csv");
    assert!(
        out.stderr
            .lines()
            .any(|l| l.contains("warning") && l.contains("header-only.csv")),
        "{}",
        out.stderr
    );
    let v = out.json();
    let f = file_report(&v, "header-only.csv");
    int(&f["rows_read"], 0, "rows_read");
    int(&org(&v)["respondents"], 2, "respondents");
    // alone it leaves the wave without respondents: error
    run(["score", "-q", Q_SMALL, &fx("files/header-only.csv")]).expect_code(1);
}

#[test]
fn a_file_without_question_columns_names_the_closest_expected_columns() {
    // Header "Fachbereich,s_onlin,p_eakt,Bemerkung".
    let out = run(["score", "-q", Q_SMALL, &fx("files/no-questions.csv")]);
    out.expect_code(1)
        .stderr_has("no-questions.csv")
        .stderr_has("s_online")
        .stderr_has("p_eakte");
}

#[test]
fn an_unterminated_quote_is_an_error() {
    let out = run(["score", "-q", Q_SMALL, &fx("files/open-quote.csv")]);
    out.expect_code(1).stderr_has("open-quote.csv");
    assert!(out.stderr.contains("quote"), "{}", out.stderr);
    run(["validate", "-q", Q_SMALL, &fx("files/open-quote.csv")]).expect_code(1);
}

#[test]
fn a_nul_byte_means_not_a_text_file() {
    let out = run(["score", "-q", Q_SMALL, &fx("files/nul.csv")]);
    out.expect_code(1)
        .stderr_has("nul.csv")
        .stderr_has("not a text file");
    // NUL in the header, and a binary blob
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "h.csv", b"Fachbereich,s_on\0line\nBauamt,A5\n");
    run(["score", "-q", Q_SMALL, &f])
        .expect_code(1)
        .stderr_has("not a text file");
    let f = write(
        dir.path(),
        "bin.csv",
        [0x89u8, b'P', b'N', b'G', 0, 0, 0, 13, 1, 2, 3, b'\n', 0, 0],
    );
    run(["score", "-q", Q_SMALL, &f])
        .expect_code(1)
        .stderr_has("not a text file");
}

#[test]
fn a_folder_expands_to_its_csv_files() {
    // folder/: a.csv (Bauamt A5), b.CSV (Jugendamt A4), notes.txt (not a survey).
    let (v, _) = score_json(&["-q", Q_SMALL, &fx("folder"), "--min-group", "1"]);
    let paths: Vec<&str> = v["quality"]["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths.len(), 2, "{paths:?}");
    assert!(paths.iter().any(|p| p.ends_with("a.csv")), "{paths:?}");
    assert!(paths.iter().all(|p| !p.ends_with(".txt")), "{paths:?}");
    assert_eq!(
        group_names(&v),
        ["Gesamtorganisation", "Bauamt", "Jugendamt"]
    );
    // a folder without CSV files is an error
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.txt", "nothing here");
    let d = dir.path().to_string_lossy().into_owned();
    run(["score", "-q", Q_SMALL, &d]).expect_code(1);
}

#[test]
fn a_missing_file_is_an_error() {
    let out = run(["score", "-q", Q_SMALL, "tests/fixtures/nope/missing.csv"]);
    out.expect_code(1).stderr_has("missing.csv");
    let out = run([
        "validate",
        "-q",
        Q_SMALL,
        &fx("files/good.csv"),
        "tests/fixtures/nope/missing.csv",
    ]);
    out.expect_code(1).stderr_has("missing.csv");
    // a missing questionnaire as well
    run([
        "score",
        "-q",
        "tests/fixtures/nope.toml",
        &fx("files/good.csv"),
    ])
    .expect_code(1)
    .stderr_has("nope.toml");
}

// ---------------------------------------------------------------------------------
// Nothing lost
// ---------------------------------------------------------------------------------

/// rows_read = rows_used + rows_rejected per file; valid + dont_know + empty + invalid =
/// respondents per question (SPEC §3).
#[track_caller]
fn assert_nothing_lost(v: &serde_json::Value) {
    let files = v["quality"]["files"].as_array().expect("files");
    let mut used = 0;
    for f in files {
        let read = f["rows_read"].as_u64().unwrap();
        let u = f["rows_used"].as_u64().unwrap();
        let r = f["rows_rejected"].as_u64().unwrap();
        assert_eq!(read, u + r, "file {}", f["path"]);
        used += u;
    }
    let respondents = org(v)["respondents"].as_u64().expect("org respondents");
    assert_eq!(used, respondents, "rows used = respondents");
    let questions = v["quality"]["questions"].as_array().expect("questions");
    assert_eq!(questions.len(), 5);
    for q in questions {
        let sum: u64 = ["valid", "dont_know", "empty", "invalid"]
            .iter()
            .map(|k| q[k].as_u64().unwrap_or_else(|| panic!("{k} in {q}")))
            .sum();
        assert_eq!(sum, respondents, "question {}", q["id"]);
    }
    let invalid_cells: u64 = files
        .iter()
        .map(|f| f["invalid_cells"].as_u64().unwrap())
        .sum();
    let invalid_q: u64 = questions
        .iter()
        .map(|q| q["invalid"].as_u64().unwrap())
        .sum();
    assert_eq!(
        invalid_cells, invalid_q,
        "invalid cells per file vs question"
    );
    let cell_problems = problems(v)
        .iter()
        .filter(|p| !p["question"].is_null())
        .count() as u64;
    let row_problems = problems(v)
        .iter()
        .filter(|p| p["question"].is_null())
        .count() as u64;
    assert_eq!(cell_problems, invalid_cells, "one problem per invalid cell");
    let rejected: u64 = files
        .iter()
        .map(|f| f["rows_rejected"].as_u64().unwrap())
        .sum();
    assert_eq!(row_problems, rejected, "one problem per rejected row");
}

#[test]
fn nothing_is_lost_in_messy_input() {
    let dir = tempfile::tempdir().unwrap();
    // m1: all columns; invalid cells, don't know, empty cells and every kind of rejected row
    write(
        dir.path(),
        "m1.csv",
        "id;Fachbereich;s_online;s_papier;s_konto;p_eakte;p_schulungen\n\
         1;Bauamt;A5;A1;ja;50;5\n\
         2;Bauamt;A9;weiß nicht;;x;3\n\
         3;Bauamt;;;;;\n\
         4;;A4;A2;ja;10;1\n\
         5;Bauamt;A4;A2\n\
         \n\
         1;Bauamt;A3;A3;nein;20;2\n\
         6;Jugendamt;kann ich nicht beurteilen;A3;vielleicht;200;\n\
         7;Jugendamt;A2;A4;nein;;11\n",
    );
    // m2: a subset of the columns (the others count as empty for its rows)
    write(
        dir.path(),
        "m2.csv",
        "Fachbereich,s_online,s_konto\nJugendamt,A1,ja\nBauamt,,weiß nicht\nBauamt,,\n",
    );
    // m3: Windows-1252
    write(
        dir.path(),
        "m3.csv",
        b"Fachbereich;s_papier\nK\xe4mmerei;A5\nK\xe4mmerei;wei\xdf nicht\nK\xe4mmerei;zz\n",
    );
    let d = dir.path().to_string_lossy().into_owned();
    let (v, _) = score_json(&["-q", Q_SMALL, &d, "--min-group", "1"]);
    assert_nothing_lost(&v);
    // spot checks: m1 has 8 rows (the blank line is none); rejected: no answers,
    // no department, field count, duplicate id
    let m1 = file_report(&v, "m1.csv");
    int(&m1["rows_read"], 8, "m1 rows_read");
    int(&m1["rows_rejected"], 4, "m1 rows_rejected");
    let m2 = file_report(&v, "m2.csv");
    int(&m2["rows_rejected"], 1, "m2 rows_rejected");
}

#[test]
fn nothing_is_lost_in_the_fixtures() {
    for dir in [
        "invalid",
        "fields",
        "no-answers",
        "row-order",
        "ids",
        "ids-files",
        "score-basic",
        "blank-lines",
    ] {
        let (v, _) = score_json(&["-q", Q_SMALL, &fx(dir), "--min-group", "1"]);
        assert_nothing_lost(&v);
    }
}
