//! The reference loop of the benchmark: the plain csv crate over the same file (reused
//! `ByteRecord`), each Likert cell (values 1–5) mapped to its option by a byte comparison and
//! counted per department × question. reifegrad's `score` is measured against it, so
//! results are ratios that survive a noisy machine.
//!
//! Usage: `cargo run --release --example bench_reference -- FILE`

use std::collections::HashMap;

const OPTIONS: [&[u8]; 5] = [b"1", b"2", b"3", b"4", b"5"];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: bench_reference FILE")?;
    let start = std::time::Instant::now();
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(&path)?;
    let width = rdr.byte_headers()?.len();
    let questions = width - 2;
    let mut counts: HashMap<Vec<u8>, Vec<[u64; 6]>> = HashMap::new();
    let mut rec = csv::ByteRecord::new();
    let mut rows = 0u64;
    while rdr.read_byte_record(&mut rec)? {
        rows += 1;
        let dept = rec.get(1).unwrap_or_default();
        let slot = match counts.get_mut(dept) {
            Some(s) => s,
            None => counts
                .entry(dept.to_vec())
                .or_insert_with(|| vec![[0; 6]; questions]),
        };
        for (q, cell) in rec.iter().skip(2).enumerate() {
            let k = OPTIONS.iter().position(|o| *o == cell).unwrap_or(5);
            slot[q][k] += 1;
        }
    }
    let total: u64 = counts
        .values()
        .flat_map(|v| v.iter().map(|c| c[..5].iter().sum::<u64>()))
        .sum();
    println!(
        "reference: {rows} rows, {} departments, {total} answers in {:.3} s",
        counts.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
