//! No panics on any input (SPEC §7): malformed surveys and questionnaires end with exit
//! code 0, 1 or 2 and a message, never with a panic.

mod common;

use common::*;

/// Deterministic pseudo-random bytes (xorshift), so failures can be reproduced.
fn noise(seed: u64, len: usize, printable: bool) -> Vec<u8> {
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let b = (x >> 24) as u8;
            if printable {
                // CSV-ish alphabet: letters, digits, quotes, delimiters, line breaks
                const ALPHABET: &[u8] = b"abcXYZ019 \",;\t\r\n%-.\xc3\xa4";
                ALPHABET[(b as usize) % ALPHABET.len()]
            } else {
                b
            }
        })
        .collect()
}

#[test]
fn random_bytes_as_survey() {
    let dir = tempfile::tempdir().unwrap();
    for seed in 1..=6u64 {
        let printable = seed % 2 == 0;
        let mut bytes = b"Fachbereich,s_online\n".to_vec();
        bytes.extend(noise(seed, 4000, printable));
        let f = write(dir.path(), &format!("r{seed}.csv"), &bytes);
        for cmd in ["score", "validate"] {
            run([cmd, "-q", Q_SMALL, &f, "--min-group", "1"]).no_panic();
        }
        // without a valid header at all
        let f = write(
            dir.path(),
            &format!("h{seed}.csv"),
            noise(seed + 100, 3000, printable),
        );
        run(["score", "-q", Q_SMALL, &f, "--format", "json"]).no_panic();
    }
}

#[test]
fn random_bytes_as_questionnaire() {
    let dir = tempfile::tempdir().unwrap();
    for seed in 1..=4u64 {
        let f = write(
            dir.path(),
            &format!("q{seed}.toml"),
            noise(seed, 2000, seed % 2 == 0),
        );
        let out = run(["validate", "-q", &f]);
        out.no_panic().expect_code(1);
        run(["score", "-q", &f, &fx("files/good.csv")])
            .no_panic()
            .expect_code(1);
    }
}

#[test]
fn a_five_megabyte_field() {
    let dir = tempfile::tempdir().unwrap();
    let big = "x".repeat(5 * 1024 * 1024);
    // a quoted 5 MB cell in a question column
    let f = write(
        dir.path(),
        "big.csv",
        format!("Fachbereich,s_online,s_konto\nBauamt,\"{big}\",ja\nBauamt,A5,nein\n"),
    );
    let out = run([
        "score",
        "-q",
        Q_SMALL,
        &f,
        "--min-group",
        "1",
        "--format",
        "json",
    ]);
    out.no_panic().expect_code(0);
    let v = out.json();
    let p = problems(&v);
    assert_eq!(p.len(), 1, "one invalid cell");
    let value = p[0]["value"].as_str().unwrap_or("");
    assert_eq!(value.chars().count(), 100, "value cut to 100 characters");
    // SPEC §9.17 cuts the value to 100 characters; a message that repeats the whole
    // cell would undo that
    let message = p[0]["message"].as_str().unwrap_or("");
    assert!(
        message.len() < 1000,
        "the message repeats the 5 MB cell ({} bytes)",
        message.len()
    );
    assert!(
        out.stderr.len() < 100_000,
        "stderr echoes the 5 MB cell ({} bytes)",
        out.stderr.len()
    );
    // a 5 MB unquoted header cell next to no question column
    let f = write(
        dir.path(),
        "bighead.csv",
        format!("Fachbereich,{big}\nBauamt,A5\n"),
    );
    let out = run(["score", "-q", Q_SMALL, &f]);
    out.no_panic().expect_code(1);
    assert!(out.stderr.len() < 100_000, "stderr echoes the 5 MB header");
}

#[test]
fn twenty_thousand_columns() {
    let dir = tempfile::tempdir().unwrap();
    let cols: Vec<String> = (0..20_000).map(|i| format!("spalte_{i}")).collect();
    // with one question column among them
    let header = format!("Fachbereich,s_online,{}\n", cols.join(","));
    let row = format!("Bauamt,A5,{}\n", vec!["1"; 20_000].join(","));
    let f = write(dir.path(), "wide.csv", format!("{header}{row}{row}"));
    let out = run([
        "score",
        "-q",
        Q_SMALL,
        &f,
        "--min-group",
        "1",
        "--format",
        "json",
    ]);
    out.no_panic().expect_code(0);
    assert!(
        out.stderr.len() < 200_000,
        "the ignored columns are summarised"
    );
    let v = out.json();
    close(
        &question(group(&v, "Bauamt"), "s_online")["score"],
        100.0,
        "score",
    );
    // without any question column
    let f = write(
        dir.path(),
        "wide2.csv",
        format!("{}\n{}\n", cols.join(";"), vec!["A5"; 20_000].join(";")),
    );
    let out = run(["score", "-q", Q_SMALL, &f]);
    out.no_panic().expect_code(1);
    assert!(out.stderr.len() < 200_000);
}

#[test]
fn deeply_nested_toml() {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in [
        (
            "arrays.toml",
            format!("x = {}{}\n", "[".repeat(50_000), "]".repeat(50_000)),
        ),
        (
            "inline.toml",
            format!("x = {}{}\n", "{a = ".repeat(20_000), "}".repeat(20_000)),
        ),
        (
            "keys.toml",
            format!("[{}]\nx = 1\n", vec!["a"; 20_000].join(".")),
        ),
        (
            "tail.toml",
            format!(
                "{}\n[[area]]\nid = {}\n",
                std::fs::read_to_string(root().join(Q_SMALL)).unwrap(),
                "[".repeat(100_000)
            ),
        ),
    ] {
        let f = write(dir.path(), name, text);
        run(["validate", "-q", &f]).no_panic().expect_code(1);
    }
}

#[test]
fn odd_small_files() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8]); 9] = [
        ("newlines.csv", b"\n\n\n\n"),
        ("crs.csv", b"\r\r\r"),
        ("bom-only.csv", b"\xef\xbb\xbf"),
        ("utf16.csv", b"\xff\xfeF\0a\0c\0h\0\n\0"),
        ("quote.csv", b"\""),
        ("quotes.csv", b"\"\"\"\n\"\"\n"),
        ("delims.csv", b",;\t,;\t\n,;\t\n"),
        ("header-quote.csv", b"\"Fachbereich,s_online\nBauamt,A5\n"),
        (
            "invalid-utf8-header.csv",
            b"Fachbereich,s_\xffonline\nBauamt,A5\n",
        ),
    ];
    for (name, bytes) in cases {
        let f = write(dir.path(), name, bytes);
        for cmd in ["score", "validate"] {
            for enc in ["utf-8", "windows-1252"] {
                run([cmd, "-q", Q_SMALL, &f, "--encoding", enc]).no_panic();
            }
            run([cmd, "-q", Q_SMALL, &f]).no_panic();
        }
    }
    // a questionnaire that is a directory, a survey that is the questionnaire
    run(["validate", "-q", "tests/fixtures"])
        .no_panic()
        .expect_code(1);
    run(["score", "-q", Q_SMALL, Q_SMALL]).no_panic();
    // empty questionnaire
    let f = write(dir.path(), "empty.toml", b"");
    run(["validate", "-q", &f]).no_panic().expect_code(1);
}
