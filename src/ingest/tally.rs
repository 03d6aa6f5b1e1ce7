//! The counters the ingest produces and scoring reads: per department, per question
//! (answers per option, don't know, empty, invalid) and per area (answer patterns and
//! the respondent-level area index). Their size depends on departments × questions
//! only, never on the number of rows.

use crate::questionnaire::Questionnaire;
use crate::stats::Welford;

/// Counters of one question within one department.
#[derive(Debug, Clone, Default)]
pub struct QuestionTally {
    /// Valid answers.
    pub valid: u64,
    /// Don't-know answers.
    pub dont_know: u64,
    /// Empty cells (or no column for the question in the respondent's file).
    pub empty: u64,
    /// Invalid cells.
    pub invalid: u64,
    /// Valid answers per option (categorical scales only).
    pub counts: Vec<u64>,
    /// Running mean and variance of x in [0, 1] (percent and number scales only).
    pub values: Welford,
}

impl QuestionTally {
    pub(super) fn merge(&mut self, o: &QuestionTally) {
        self.valid += o.valid;
        self.dont_know += o.dont_know;
        self.empty += o.empty;
        self.invalid += o.invalid;
        if self.counts.len() < o.counts.len() {
            self.counts.resize(o.counts.len(), 0);
        }
        for (a, b) in self.counts.iter_mut().zip(&o.counts) {
            *a += b;
        }
        self.values.merge(&o.values);
    }
}

/// Everything counted for one department.
#[derive(Debug, Clone)]
pub struct DepartmentTally {
    /// Department name (normalised display form).
    pub name: String,
    /// Rows used (respondents).
    pub respondents: u64,
    /// Per question, questionnaire order.
    pub questions: Vec<QuestionTally>,
    /// Per area: how many respondents answered exactly which of the area's questions
    /// validly (bit i = i-th question of the area; areas have at most
    /// [`crate::questionnaire::MAX_AREA_QUESTIONS`] questions). Needed for an area's `n`
    /// once some questions are withheld (SPEC §9.2); at most 2^k patterns for k questions.
    pub area_patterns: Vec<Patterns>,
    /// Per area: running mean and variance of the respondent-level area index (each
    /// respondent's question-weighted mean of x over the area's valid answers, reverse
    /// coding applied). Used to test area changes between waves.
    pub area_index: Vec<Welford>,
}

impl DepartmentTally {
    /// An empty tally shaped for the questionnaire.
    pub fn new(name: &str, q: &Questionnaire) -> Self {
        Self::with_shape(name, &Self::shape(q), q.areas.len())
    }

    /// The number of answer categories of each question (0 for numeric scales): the
    /// shape of a tally, computed once per questionnaire.
    pub fn shape(q: &Questionnaire) -> Vec<usize> {
        q.questions
            .iter()
            .map(|qu| q.scale_of(qu).categories(q.language).len())
            .collect()
    }

    /// An empty tally with `categories[i]` counters for question i and `areas` areas.
    pub fn with_shape(name: &str, categories: &[usize], areas: usize) -> Self {
        DepartmentTally {
            name: name.to_string(),
            respondents: 0,
            questions: categories
                .iter()
                .map(|&k| QuestionTally {
                    counts: vec![0; k],
                    ..QuestionTally::default()
                })
                .collect(),
            area_patterns: vec![Patterns::default(); areas],
            area_index: vec![Welford::new(); areas],
        }
    }

    /// Adds another tally of the same department.
    pub fn merge(&mut self, o: &DepartmentTally) {
        self.respondents += o.respondents;
        for (a, b) in self.questions.iter_mut().zip(&o.questions) {
            a.merge(b);
        }
        for (a, b) in self.area_index.iter_mut().zip(&o.area_index) {
            a.merge(b);
        }
        for (a, b) in self.area_patterns.iter_mut().zip(&o.area_patterns) {
            a.merge(b);
        }
    }
}

/// All departments of a wave, sorted by name (DIN 5007-1).
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Departments.
    pub departments: Vec<DepartmentTally>,
}

/// How many respondents answered exactly which questions of one area validly (bit i =
/// the area's i-th question). Kept as sorted arrays rather than a hash map: an area
/// sees a few dozen to a few hundred distinct patterns per department, and a sorted
/// array of packed `pattern << 32 | count` words needs 8 bytes each (a hash map
/// about 20). Patterns of areas with more than 32 questions are kept apart. New
/// patterns arrive in sorted batches and are merged in one pass, so even a survey
/// where every respondent has a pattern of their own stays O(n log n).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Patterns {
    /// Patterns below 2^32, sorted: `pattern << 32 | count` (the count saturates).
    narrow: Vec<u64>,
    /// Wider patterns with their counts, sorted by pattern.
    wide: Vec<(u64, u64)>,
}

impl Patterns {
    /// Counts `count` more respondents with answer pattern `pattern` (a linear-time
    /// insert: for single additions; rows go through [`Patterns::add_batch`]).
    pub fn add(&mut self, pattern: u64, count: u64) {
        self.merge_sorted(&[(pattern, count)]);
    }

    /// Distinct patterns.
    pub fn len(&self) -> usize {
        self.narrow.len() + self.wide.len()
    }

    /// True when no respondent is counted.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Counts one respondent for each pattern in `batch` by sorting the batch and
    /// merging it in, in one pass over the arrays; empties `batch`. `runs` is scratch
    /// space reused between calls. Callers batch at least a quarter of [`Patterns::len`]
    /// patterns, so each respondent costs O(log n) however many patterns there are.
    pub fn add_batch<T: Copy + Ord + Into<u64>>(
        &mut self,
        batch: &mut Vec<T>,
        runs: &mut Vec<(u64, u64)>,
    ) {
        batch.sort_unstable();
        runs.clear();
        for p in batch.iter().map(|&p| p.into()) {
            match runs.last_mut() {
                Some((q, c)) if *q == p => *c += 1,
                _ => runs.push((p, 1)),
            }
        }
        self.merge_sorted(runs);
        batch.clear();
    }

    /// Adds (pattern, count) pairs with distinct patterns in increasing order: each
    /// array is extended by its new patterns and merged from the back, in place.
    fn merge_sorted(&mut self, runs: &[(u64, u64)]) {
        let split = runs.partition_point(|(p, _)| p >> 32 == 0);
        let (narrow, wide) = runs.split_at(split);
        merge_back(
            &mut self.narrow,
            narrow,
            |e| e >> 32,
            |p, old, c| {
                p << 32
                    | (old.map_or(0, |e| e & 0xffff_ffff))
                        .saturating_add(c)
                        .min(0xffff_ffff)
            },
        );
        merge_back(
            &mut self.wide,
            wide,
            |e| e.0,
            |p, old, c| (p, old.map_or(0, |e| e.1).saturating_add(c)),
        );
    }

    /// (pattern, respondents) pairs in increasing pattern order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, u64)> + '_ {
        self.narrow
            .iter()
            .map(|e| (e >> 32, e & 0xffff_ffff))
            .chain(self.wide.iter().copied())
    }

    /// Respondents whose pattern shares a bit with `mask`.
    pub fn respondents_with_any(&self, mask: u64) -> u64 {
        self.iter()
            .filter(|(p, _)| p & mask != 0)
            .map(|(_, c)| c)
            .fold(0u64, u64::saturating_add)
    }

    /// Adds the counts of `other` (one linear merge).
    pub fn merge(&mut self, other: &Patterns) {
        let runs: Vec<(u64, u64)> = other.iter().collect();
        self.merge_sorted(&runs);
    }
}

/// Merges `runs` (distinct keys, increasing) into the sorted array `v` in place:
/// `key` reads an entry's pattern, `make(pattern, existing entry, count)` builds the
/// merged entry.
fn merge_back<E: Copy + Default>(
    v: &mut Vec<E>,
    runs: &[(u64, u64)],
    key: impl Fn(&E) -> u64,
    make: impl Fn(u64, Option<&E>, u64) -> E,
) {
    if runs.is_empty() {
        return;
    }
    // how many patterns are new
    let (mut i, mut new) = (0, 0);
    for &(p, _) in runs {
        while i < v.len() && key(&v[i]) < p {
            i += 1;
        }
        if i < v.len() && key(&v[i]) == p {
            i += 1;
        } else {
            new += 1;
        }
    }
    let old_len = v.len();
    // exact growth: a merge copies the array anyway, and spare room would be held by
    // every department × area
    v.reserve_exact(new);
    v.resize(old_len + new, E::default());
    let (mut i, mut j, mut w) = (old_len, runs.len(), old_len + new);
    while j > 0 {
        let (p, c) = runs[j - 1];
        w -= 1;
        if i > 0 && key(&v[i - 1]) > p {
            v[w] = v[i - 1];
            i -= 1;
        } else if i > 0 && key(&v[i - 1]) == p {
            v[w] = make(p, Some(&v[i - 1]), c);
            i -= 1;
            j -= 1;
        } else {
            v[w] = make(p, None, c);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_count_narrow_and_wide() {
        let mut p = Patterns::default();
        for (pat, c) in [
            (0b101, 1),
            (0b1, 2),
            (1 << 40, 3),
            (0b101, 4),
            (1 << 40 | 1, 1),
        ] {
            p.add(pat, c);
        }
        assert_eq!(
            p.iter().collect::<Vec<_>>(),
            vec![(0b1, 2), (0b101, 5), (1 << 40, 3), (1 << 40 | 1, 1)]
        );
        assert_eq!(p.respondents_with_any(0b100), 5);
        assert_eq!(p.respondents_with_any(0b1), 8);
        assert_eq!(p.respondents_with_any(1 << 40), 4);
        let mut b = Patterns::default();
        let mut batch: Vec<u64> = vec![0b101, 0b1, 0b101, 0b11, 1 << 40];
        b.add(0b1, 1);
        b.add(0b111, 1);
        b.add_batch(&mut batch, &mut Vec::new());
        assert!(batch.is_empty());
        assert_eq!(
            b.iter().collect::<Vec<_>>(),
            vec![(0b1, 2), (0b11, 1), (0b101, 2), (0b111, 1), (1 << 40, 1)]
        );
        let mut q = Patterns::default();
        q.add(0b1, u64::MAX);
        q.merge(&p);
        assert_eq!(q.iter().next(), Some((0b1, 0xffff_ffff)));
    }

    #[test]
    fn batches_and_merges_count_like_a_map() {
        use std::collections::BTreeMap;
        // SplitMix64: reproducible patterns, narrow and wide, many repeated
        let mut state = 7u64;
        let mut next = move || {
            state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        let mut reference: BTreeMap<u64, u64> = BTreeMap::new();
        let (mut a, mut b) = (Patterns::default(), Patterns::default());
        let (mut batch, mut runs) = (Vec::<u64>::new(), Vec::new());
        for round in 0..200 {
            let target = if round % 2 == 0 { &mut a } else { &mut b };
            for _ in 0..(next() % 300) {
                let r = next();
                let p = match r % 4 {
                    0 => r >> 54,                 // few narrow patterns, often repeated
                    1 => (r >> 20) & 0xffff_ffff, // many narrow ones
                    2 => (r >> 2) | (1 << 63),    // wide ones
                    _ => 0b1011,
                };
                batch.push(p);
                *reference.entry(p).or_default() += 1;
            }
            target.add_batch(&mut batch, &mut runs);
            assert!(batch.is_empty());
        }
        a.merge(&b);
        let got: BTreeMap<u64, u64> = a.iter().collect();
        assert_eq!(got, reference);
        let sorted: Vec<u64> = a.iter().map(|(p, _)| p).collect();
        assert!(sorted.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(a.len(), reference.len());
    }
}
