//! Deterministic synthetic survey for benchmarks: a questionnaire with 8 areas × 10
//! five-point Likert questions and a CSV with ROWS respondents in 400 departments;
//! answers are the values 1–5 (about 3 % empty, 3 % "weiß nicht"), so 1,000,000 rows
//! make about 190 MB.
//!
//! Usage: `cargo run --release --example bench_data -- DIR ROWS [files]`
//! writes DIR/questionnaire.toml and DIR/survey-ROWS.csv (skipped when present); with
//! `files`, the same rows go to one file per department in DIR/survey-ROWS-files/ instead
//! (the shape of a survey pooled from many offices).

use std::fmt::Write as _;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

const AREAS: usize = 8;
const PER_AREA: usize = 10;
const DEPARTMENTS: usize = 400;
const OPTIONS: [&str; 5] = [
    "trifft nicht zu",
    "trifft eher nicht zu",
    "teils/teils",
    "trifft eher zu",
    "trifft voll zu",
];

/// SplitMix64: small, fast, reproducible everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn questionnaire() -> String {
    let mut s = String::from("[questionnaire]\nid = \"bench\"\ntitle = \"Benchmark\"\nversion = \"1\"\nlanguage = \"de\"\n\n");
    for (i, name) in [
        "Einstieg",
        "Grundlagen",
        "Fortgeschritten",
        "Etabliert",
        "Führend",
    ]
    .iter()
    .enumerate()
    {
        let _ = write!(s, "[[level]]\nmin = {}\nname = \"{name}\"\n", i * 20);
    }
    s.push_str("\n[scale.z]\nkind = \"ordinal\"\noptions = [");
    s.push_str(
        &OPTIONS
            .iter()
            .map(|o| format!("\"{o}\""))
            .collect::<Vec<_>>()
            .join(", "),
    );
    s.push_str("]\ndont_know = [\"weiß nicht\"]\n\n");
    for a in 0..AREAS {
        let _ = write!(
            s,
            "[[area]]\nid = \"a{a}\"\nname = \"Handlungsfeld {a}\"\ntarget = 70\n\n"
        );
        for q in 0..PER_AREA {
            let _ = write!(s, "[[area.question]]\nid = \"q{a}_{q}\"\ntext = \"Aussage {a}.{q}\"\nscale = \"z\"\n\n");
        }
    }
    s
}

fn main() -> std::io::Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().unwrap_or_else(|| "target/bench-data".into()));
    let rows: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(10_000);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("questionnaire.toml"), questionnaire())?;
    let per_department = args.next().as_deref() == Some("files");
    let path = if per_department {
        dir.join(format!("survey-{rows}-files"))
    } else {
        dir.join(format!("survey-{rows}.csv"))
    };
    if path.exists() {
        return Ok(());
    }
    let mut header = String::from("id,Fachbereich");
    for a in 0..AREAS {
        for q in 0..PER_AREA {
            let _ = write!(header, ",q{a}_{q}");
        }
    }
    let mut writers = Vec::new();
    if per_department {
        std::fs::create_dir_all(&path)?;
        for d in 0..DEPARTMENTS {
            let f = std::fs::File::create(path.join(format!("amt-{d:03}.csv")))?;
            writers.push(BufWriter::with_capacity(64 << 10, f));
        }
    } else {
        writers.push(BufWriter::with_capacity(
            1 << 20,
            std::fs::File::create(&path)?,
        ));
    }
    for w in &mut writers {
        writeln!(w, "{header}")?;
    }
    let mut rng = Rng(42);
    let mut line = String::with_capacity(2048);
    for r in 0..rows {
        line.clear();
        let dept = rng.below(DEPARTMENTS as u64);
        let _ = write!(line, "{},Amt {dept:03}", r + 1);
        let base = (dept % 5) as i64;
        for _ in 0..AREAS * PER_AREA {
            line.push(',');
            let roll = rng.below(100);
            if roll < 3 {
                continue; // empty
            }
            if roll < 6 {
                line.push_str("weiß nicht");
                continue;
            }
            // answer values 1..5 (as survey tools export codes), like the 195 MB file
            let v = (base + rng.below(3) as i64 - 1).clamp(0, 4) as u8;
            line.push(char::from(b'1' + v));
        }
        line.push('\n');
        let w = if per_department {
            &mut writers[dept as usize]
        } else {
            &mut writers[0]
        };
        w.write_all(line.as_bytes())?;
    }
    for w in &mut writers {
        w.flush()?;
    }
    Ok(())
}
