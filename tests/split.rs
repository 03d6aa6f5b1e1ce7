//! Reading a file in two halves (two threads) must give exactly what one pass gives:
//! the same rows used and rejected, the same problems at the same lines, the same
//! counters. Large files are split at 4 MiB of rows; these tests lower the threshold
//! so that small, tricky files are split, at many different cut positions.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use reifegrad::ingest::{ingest, IngestOptions, Ingested, SurveyFile};
use reifegrad::questionnaire::{parse_str, Questionnaire};

const Q: &str = r#"
[questionnaire]
id = "split"
title = "Split"
language = "de"

[[level]]
min = 0
name = "L0"

[scale.five]
kind = "ordinal"
options = ["nie", "selten", "manchmal", "oft", "immer"]
codes = ["1", "2", "3", "4", "5"]
dont_know = ["weiß nicht"]

[scale.pct]
kind = "percent"

[[area]]
id = "a"
name = "A"
[[area.question]]
id = "q1"
text = "Frage 1"
scale = "five"
[[area.question]]
id = "q2"
text = "Frage 2"
scale = "five"

[[area]]
id = "b"
name = "B"
[[area.question]]
id = "q3"
text = "Frage 3"
scale = "pct"
[[area.question]]
id = "q4"
text = "Frage 4"
scale = "five"
"#;

fn questionnaire() -> Questionnaire {
    parse_str(Path::new("split.toml"), Q)
        .expect("questionnaire")
        .0
}

fn read(q: &Questionnaire, path: &Path, split: bool) -> Ingested {
    let opts = IngestOptions {
        split_min_bytes: Some(if split { 1 } else { u64::MAX }),
        ..IngestOptions::default()
    };
    ingest(q, &[SurveyFile::new(path.to_path_buf())], &opts)
}

/// Everything of an ingest result that must not depend on splitting, as text (floating
/// point means compared to 1e-12).
fn summary(i: &Ingested) -> String {
    let mut s = String::new();
    for f in &i.files {
        let _ = writeln!(
            s,
            "file read={} used={} rejected={} incomplete={} invalid={} enc={} delim={} depts={:?}",
            f.rows_read,
            f.rows_used,
            f.rows_rejected,
            f.rows_incomplete,
            f.invalid_cells,
            f.encoding,
            f.delimiter,
            {
                let mut d = f.departments.clone();
                d.sort();
                d
            }
        );
    }
    for p in &i.problems {
        let _ = writeln!(s, "problem {p:?}");
    }
    for d in &i.diagnostics {
        let _ = writeln!(s, "diag {:?} {:?}", d.message, d.line);
    }
    for d in &i.tally.departments {
        let _ = writeln!(s, "dept {} {}", d.name, d.respondents);
        for t in &d.questions {
            let _ = writeln!(
                s,
                "  q valid={} dk={} empty={} invalid={} counts={:?} n={} mean={:.12?}",
                t.valid,
                t.dont_know,
                t.empty,
                t.invalid,
                t.counts,
                t.values.n(),
                t.values.mean()
            );
        }
        for (p, w) in d.area_patterns.iter().zip(&d.area_index) {
            let _ = writeln!(
                s,
                "  area {:?} n={} mean={:.12?}",
                p.iter().collect::<Vec<_>>(),
                w.n(),
                w.mean()
            );
        }
    }
    s
}

fn threads(i: &Ingested) -> u8 {
    i.files.first().map_or(0, |f| f.threads)
}

/// A survey with everything that makes cutting hard: quoted cells with line breaks and
/// delimiters, escaped quotes, blank lines, invalid cells, rows without answers,
/// duplicate ids, several departments.
fn tricky_rows(n: usize, crlf: bool) -> String {
    let nl = if crlf { "\r\n" } else { "\n" };
    let mut s = format!("id,Amt,Kommentar,q1,q2,q3,q4{nl}");
    for r in 0..n {
        let dept = ["Bauamt", "Kämmerei", "Ordnungsamt"][r % 3];
        let comment = match r % 5 {
            0 => "\"mehrzeilig\nmit \"\"Zitat\"\", und Komma\"".to_string(),
            1 => "\"\"".to_string(),
            2 => "kurz".to_string(),
            3 => format!("\"Zeile{nl}{nl}nach Leerzeile\""),
            _ => String::new(),
        };
        let q1 = ["1", "2", "3", "x", "weiß nicht", ""][r % 6];
        let q2 = ["oft", "5", "", "immer"][r % 4];
        let q3 = ["50", "12,5 %", "", "101"][r % 4];
        let q4 = ["4", "", "3", "2", "1"][r % 5];
        // every 7th row repeats an earlier id of its department
        let id = if r % 7 == 6 { r - 3 } else { r };
        let _ = write!(s, "{id},{dept},{comment},{q1},{q2},{q3},{q4}{nl}");
        if r % 11 == 4 {
            s.push_str(nl); // a blank line
        }
        if r % 13 == 9 {
            let _ = write!(s, "{},Bauamt,,,,,{nl}", 10_000 + r); // no answers
        }
    }
    s
}

fn write(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write");
    p
}

#[test]
fn halves_count_like_one_pass_at_many_cuts() {
    let q = questionnaire();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut split_files = 0;
    for crlf in [false, true] {
        for n in 8..70 {
            let content = tricky_rows(n, crlf);
            let p = write(dir.path(), "umfrage.csv", content.as_bytes());
            let one = read(&q, &p, false);
            let two = read(&q, &p, true);
            assert_eq!(threads(&one), 1);
            assert_eq!(summary(&one), summary(&two), "rows {n}, crlf {crlf}");
            if threads(&two) == 2 {
                split_files += 1;
            }
        }
    }
    // the cut is usually usable; a few fall back to one thread (shared ids)
    assert!(
        split_files > 20,
        "only {split_files} files were read in halves"
    );
}

#[test]
fn a_bom_and_a_department_from_the_file_name() {
    let q = questionnaire();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut content = vec![0xEF, 0xBB, 0xBF];
    content.extend_from_slice(b"q1;q2;q3;q4\n");
    for r in 0..200 {
        let _ = r;
        content.extend_from_slice(format!("{};oft;{};1\n", r % 5 + 1, r % 100).as_bytes());
    }
    let p = write(dir.path(), "Jugendamt.csv", &content);
    let one = read(&q, &p, false);
    let two = read(&q, &p, true);
    assert_eq!(threads(&two), 2);
    assert_eq!(summary(&one), summary(&two));
    assert_eq!(two.tally.departments[0].respondents, 200);
}

#[test]
fn an_id_repeated_across_the_cut_is_found() {
    let q = questionnaire();
    let dir = tempfile::tempdir().expect("tempdir");
    // a header with a typo: its "did you mean" warning must survive the re-read
    let mut s = String::from("id,Amt,q1,G01Q01[SQ01]\n");
    for r in 0..100 {
        let _ = writeln!(s, "{r},Bauamt,3,");
    }
    // the last row repeats the first id: the two halves share it
    s.push_str("0,Bauamt,4,\n");
    let p = write(dir.path(), "ids.csv", s.as_bytes());
    let two = read(&q, &p, true);
    let one = read(&q, &p, false);
    assert_eq!(summary(&one), summary(&two));
    assert_eq!(two.files[0].rows_used, 100);
    assert_eq!(two.problems.len(), 1);
    assert_eq!(two.problems[0].line, 102);
    assert!(two.problems[0].message.contains("duplicate respondent id"));
    // found by the single-thread re-read
    assert_eq!(threads(&two), 1);
    assert!(
        two.diagnostics
            .iter()
            .any(|d| d.message.contains("did you mean `q1`")),
        "{:?}",
        two.diagnostics
    );
}

#[test]
fn a_stray_quote_that_fools_the_cut_is_caught() {
    let q = questionnaire();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = String::from("Amt,Kommentar,q1\n");
    // a quote inside an unquoted cell is a literal character for the CSV parser but
    // makes the quote count odd, so the cut lands inside the next quoted cell
    let _ = writeln!(s, "Bauamt,5 \"Zoll,3");
    for r in 0..60 {
        let _ = writeln!(s, "Bauamt,\"a\nb\",{}", r % 5 + 1);
    }
    let p = write(dir.path(), "stray.csv", s.as_bytes());
    let one = read(&q, &p, false);
    let two = read(&q, &p, true);
    assert_eq!(summary(&one), summary(&two));
    assert_eq!(two.files[0].rows_used, 61);
    // the cut was found wanting and the file read again by one thread
    assert_eq!(threads(&two), 1);
}

#[test]
fn problems_in_the_second_half_keep_their_lines() {
    let q = questionnaire();
    let dir = tempfile::tempdir().expect("tempdir");
    // NUL bytes in the first 256 KiB are found before any row is read; these are later
    let mut base = String::from("Amt,q1\n");
    for _ in 0..40_000 {
        base.push_str("Bauamt,3\n");
    }
    // a NUL byte at line 39,001
    let mut with_nul = base.clone().into_bytes();
    let at = with_nul
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(38_999)
        .map(|(i, _)| i + 1)
        .expect("line");
    with_nul[at + 7] = 0;
    let p = write(dir.path(), "nul.csv", &with_nul);
    let two = read(&q, &p, true);
    let one = read(&q, &p, false);
    assert_eq!(summary(&one), summary(&two));
    let err = two
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("error");
    assert_eq!(err.line, Some(39_001));
    assert!(err.message.contains("NUL"), "{}", err.message);
    // invalid UTF-8 at line 39,995: the file is read again as Windows-1252
    let mut latin = base.clone().into_bytes();
    let at = latin
        .iter()
        .enumerate()
        .filter(|(_, b)| **b == b'\n')
        .nth(39_993)
        .map(|(i, _)| i + 1)
        .expect("line");
    latin[at + 2] = 0xE4; // "Baämt" in Windows-1252
    let p = write(dir.path(), "latin.csv", &latin);
    let two = read(&q, &p, true);
    assert_eq!(summary(&read(&q, &p, false)), summary(&two));
    assert!(two.diagnostics[0].message.contains("first at line 39995"));
    // an unterminated quote in the second half
    let mut open = base.clone();
    open.push_str("Bauamt,\"3\nBauamt,4\n");
    let p = write(dir.path(), "open.csv", open.as_bytes());
    let two = read(&q, &p, true);
    assert_eq!(summary(&read(&q, &p, false)), summary(&two));
    let err = two
        .diagnostics
        .iter()
        .find(|d| d.is_error())
        .expect("error");
    assert!(
        err.message.contains("unterminated quote"),
        "{}",
        err.message
    );
    assert_eq!(err.line, Some(40_002));
}

#[test]
fn a_header_the_csv_parser_reads_past_the_middle_does_not_hang() {
    // found by fuzzing: the header sniffer ends the header at the first line break,
    // while the CSV parser, seeing a quote open in the last header cell, reads on to the
    // end of the file; the first half must not wait for a cut no thread will send
    let content = b"id\tils\"\t\"Onli\"\t\"3\"\t\"mehrzS\x06gidG\n\x9d\xef,q".to_vec();
    let dir = tempfile::tempdir().expect("tempdir");
    let p = write(dir.path(), "Amt.csv", &content);
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let q = questionnaire();
        let _ = tx.send(summary(&read(&q, &p, true)) == summary(&read(&q, &p, false)));
    });
    let same = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("reading in halves hangs");
    assert!(same);
}

#[test]
fn files_read_two_at_a_time_commit_in_input_order() {
    let q = questionnaire();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for k in 0..12 {
        let mut s = String::from("id,Amt,Bemerkung,q1,q4\n");
        // an invalid cell on line 2 of every file
        let _ = writeln!(s, "{},Bauamt,,x,1", 1000 * k + 1);
        for r in 2..=(5 + k * 7) {
            let _ = writeln!(
                s,
                "{},Bauamt,,{},{}",
                1000 * k + r,
                r % 5 + 1,
                (r + k) % 5 + 1
            );
        }
        if k == 9 {
            // repeats an id of file 2 (same department): found although the files are
            // read by different workers
            let _ = writeln!(s, "2003,Bauamt,,3,3");
        }
        files.push(SurveyFile::new(write(
            dir.path(),
            &format!("f{k:02}.csv"),
            s.as_bytes(),
        )));
    }
    let ing = ingest(&q, &files, &IngestOptions::default());
    let paths: Vec<String> = ing.files.iter().map(|f| f.path.clone()).collect();
    let expected: Vec<String> = files.iter().map(|f| f.shown()).collect();
    assert_eq!(paths, expected);
    let lines: Vec<(String, u64)> = ing
        .problems
        .iter()
        .map(|p| (p.file.clone(), p.line))
        .collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted, "problems in file and line order");
    let dups: Vec<_> = ing
        .problems
        .iter()
        .filter(|p| p.message.contains("duplicate respondent id"))
        .collect();
    assert_eq!(dups.len(), 1);
    assert!(dups[0].file.ends_with("f09.csv"));
    assert_eq!(dups[0].line, 2 + (5 + 9 * 7) - 1 + 1);
    let ignored: Vec<_> = ing
        .diagnostics
        .iter()
        .filter(|d| d.message.contains("ignored"))
        .collect();
    assert_eq!(ignored.len(), 1, "{:?}", ing.diagnostics);
    assert!(ignored[0].message.contains("ignored 1 column(s)"));
    let used: u64 = ing.files.iter().map(|f| f.rows_used).sum();
    assert_eq!(ing.tally.departments[0].respondents, used);
    assert_eq!(used, (0..12).map(|k| 5 + k * 7).sum::<u64>());
}

#[test]
fn a_department_with_more_rows_than_a_small_counter_holds() {
    // the row loop counts in 16-bit counters, moved into 64-bit totals every 65,535 rows
    let q = questionnaire();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = String::from("q1,q3\n");
    let rows = 140_000;
    for r in 0..rows {
        let _ = writeln!(s, "{},{}", r % 5 + 1, if r % 3 == 0 { "" } else { "50" });
    }
    let p = write(dir.path(), "Bauamt.csv", s.as_bytes());
    for split in [false, true] {
        let ing = read(&q, &p, split);
        let d = &ing.tally.departments[0];
        assert_eq!(d.respondents, rows as u64);
        assert_eq!(d.questions[0].counts, vec![rows as u64 / 5; 5]);
        assert_eq!(d.questions[0].valid, rows as u64);
        assert_eq!(d.questions[2].empty, (rows as u64).div_ceil(3));
        assert_eq!(
            d.questions[2].valid,
            rows as u64 - (rows as u64).div_ceil(3)
        );
        assert_eq!(d.questions[1].empty, rows as u64);
    }
}
