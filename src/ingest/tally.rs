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
/// about 20). Patterns of areas with more than 32 questions are kept apart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Patterns {
    /// Patterns below 2^32, sorted: `pattern << 32 | count` (the count saturates).
    narrow: Vec<u64>,
    /// Wider patterns with their counts, sorted by pattern.
    wide: Vec<(u64, u64)>,
}

impl Patterns {
    /// Counts `count` more respondents with answer pattern `pattern`.
    #[inline]
    pub fn add(&mut self, pattern: u64, count: u64) {
        if pattern >> 32 == 0 {
            // most respondents answer every question: the largest pattern, kept last
            if let Some(e) = self.narrow.last_mut() {
                if *e >> 32 == pattern {
                    *e = pattern << 32 | (*e & 0xffff_ffff).saturating_add(count).min(0xffff_ffff);
                    return;
                }
            }
            match self.narrow.binary_search_by(|e| (e >> 32).cmp(&pattern)) {
                Ok(i) => {
                    let e = &mut self.narrow[i];
                    let c = (*e & 0xffff_ffff).saturating_add(count).min(0xffff_ffff);
                    *e = pattern << 32 | c;
                }
                Err(i) => self
                    .narrow
                    .insert(i, pattern << 32 | count.min(0xffff_ffff)),
            }
        } else {
            match self.wide.binary_search_by(|e| e.0.cmp(&pattern)) {
                Ok(i) => self.wide[i].1 = self.wide[i].1.saturating_add(count),
                Err(i) => self.wide.insert(i, (pattern, count)),
            }
        }
    }

    /// Counts one respondent for each pattern in `batch` (patterns below 2^32), by
    /// sorting the batch and merging it in; empties `batch`. `scratch` is reused
    /// between calls.
    pub fn add_batch(&mut self, batch: &mut Vec<u32>, scratch: &mut Vec<u64>) {
        batch.sort_unstable();
        scratch.clear();
        let mut i = 0;
        let mut j = 0;
        while j < batch.len() {
            let p = u64::from(batch[j]);
            let mut c = 0u64;
            while j < batch.len() && u64::from(batch[j]) == p {
                c += 1;
                j += 1;
            }
            while i < self.narrow.len() && self.narrow[i] >> 32 < p {
                scratch.push(self.narrow[i]);
                i += 1;
            }
            let old = match self.narrow.get(i) {
                Some(e) if e >> 32 == p => {
                    i += 1;
                    e & 0xffff_ffff
                }
                _ => 0,
            };
            scratch.push(p << 32 | old.saturating_add(c).min(0xffff_ffff));
        }
        scratch.extend_from_slice(&self.narrow[i..]);
        std::mem::swap(&mut self.narrow, scratch);
        batch.clear();
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

    /// Adds the counts of `other`.
    pub fn merge(&mut self, other: &Patterns) {
        for (p, c) in other.iter() {
            self.add(p, c);
        }
    }

    /// Gives back spare capacity (after a file is counted).
    pub fn shrink(&mut self) {
        self.narrow.shrink_to_fit();
        self.wide.shrink_to_fit();
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
        let mut batch = vec![0b101, 0b1, 0b101, 0b11];
        b.add(0b1, 1);
        b.add(0b111, 1);
        b.add_batch(&mut batch, &mut Vec::new());
        assert!(batch.is_empty());
        assert_eq!(
            b.iter().collect::<Vec<_>>(),
            vec![(0b1, 2), (0b11, 1), (0b101, 2), (0b111, 1)]
        );
        let mut q = Patterns::default();
        q.add(0b1, u64::MAX);
        q.merge(&p);
        assert_eq!(q.iter().next(), Some((0b1, 0xffff_ffff)));
    }
}
