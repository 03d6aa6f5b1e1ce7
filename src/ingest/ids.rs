//! Respondent ids seen per department, for the duplicate check (SPEC §3, §9.11).
//!
//! The check needs every id of a wave, so this is the one structure of the ingest that
//! grows with rows. It is kept small for the ids survey tools actually write: LimeSurvey
//! and Microsoft Forms number their responses 1, 2, 3, …, so an id that is a plain
//! decimal integer is stored in a run of increasing values, delta-encoded in LEB128
//! bytes (one to three bytes an id instead of a 16-byte hash-set slot), with a sparse
//! index for look-ups. Integers that arrive out of order and all other ids go to hash
//! sets (other ids as a 64-bit hash with the department, as before).

use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use std::hash::{Hash, Hasher};

/// Values between two index entries of a run.
const BLOCK: u64 = 64;

/// An id as the duplicate check sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKey {
    /// A plain decimal integer without leading zeros (`7`, not `007` or `+7`).
    Int(u64),
    /// Any other id: a 64-bit hash of its bytes.
    Hashed(u64),
}

impl IdKey {
    /// The key of a trimmed, non-empty id cell.
    pub fn of(id: &[u8]) -> IdKey {
        let canonical = !id.is_empty()
            && id.len() <= 19
            && id.iter().all(u8::is_ascii_digit)
            && (id.len() == 1 || id[0] != b'0');
        if canonical {
            // at most 19 digits: always below u64::MAX (longer ids are hashed)
            return IdKey::Int(id.iter().fold(0u64, |v, d| v * 10 + u64::from(d - b'0')));
        }
        let mut h = FxHasher::default();
        id.hash(&mut h);
        IdKey::Hashed(h.finish())
    }
}

/// The ids of one department.
#[derive(Debug, Clone, Default)]
pub struct DeptIds {
    /// Integers in increasing order: LEB128 deltas from the previous value.
    run: Vec<u8>,
    /// Every [`BLOCK`]-th value of `run` with the byte offset of the value after it.
    index: Vec<(u64, usize)>,
    /// Values in `run`.
    len: u64,
    /// The last (largest) value of `run`.
    last: u64,
    /// Integers that were not larger than every earlier one.
    ints: FxHashSet<u64>,
    /// Hashes of the other ids.
    hashed: FxHashSet<u64>,
}

impl DeptIds {
    /// True when `key` is present.
    pub fn contains(&self, key: IdKey) -> bool {
        match key {
            IdKey::Int(v) => self.ints.contains(&v) || self.run_contains(v),
            IdKey::Hashed(h) => self.hashed.contains(&h),
        }
    }

    /// Adds `key`; false when it was present already.
    pub fn insert(&mut self, key: IdKey) -> bool {
        match key {
            IdKey::Int(v) if self.len == 0 || v > self.last => {
                self.append(v);
                true
            }
            IdKey::Int(v) => !self.run_contains(v) && self.ints.insert(v),
            IdKey::Hashed(h) => self.hashed.insert(h),
        }
    }

    /// True when no id is present.
    pub fn is_empty(&self) -> bool {
        self.len == 0 && self.ints.is_empty() && self.hashed.is_empty()
    }

    /// Every id, integers of the run in increasing order first.
    pub fn keys(&self) -> impl Iterator<Item = IdKey> + '_ {
        RunIter {
            bytes: &self.run,
            at: 0,
            value: 0,
        }
        .map(IdKey::Int)
        .chain(self.ints.iter().map(|&v| IdKey::Int(v)))
        .chain(self.hashed.iter().map(|&h| IdKey::Hashed(h)))
    }

    /// True when the two sets share an id.
    pub fn intersects(&self, other: &DeptIds) -> bool {
        let (small, large) = if self.count() <= other.count() {
            (self, other)
        } else {
            (other, self)
        };
        small.keys().any(|k| large.contains(k))
    }

    /// Adds every id of `other`.
    pub fn extend(&mut self, other: DeptIds) {
        if self.is_empty() {
            *self = other;
            return;
        }
        for k in other.keys() {
            self.insert(k);
        }
    }

    fn count(&self) -> u64 {
        self.len + self.ints.len() as u64 + self.hashed.len() as u64
    }

    fn append(&mut self, v: u64) {
        let mut delta = if self.len == 0 { v } else { v - self.last };
        loop {
            let byte = (delta & 0x7f) as u8;
            delta >>= 7;
            if delta == 0 {
                self.run.push(byte);
                break;
            }
            self.run.push(byte | 0x80);
        }
        self.len += 1;
        self.last = v;
        if self.len.is_multiple_of(BLOCK) {
            self.index.push((v, self.run.len()));
        }
    }

    fn run_contains(&self, v: u64) -> bool {
        if self.len == 0 || v > self.last {
            return false;
        }
        // start after the last index entry below v (or at the beginning)
        let i = self.index.partition_point(|&(x, _)| x < v);
        if i < self.index.len() && self.index[i].0 == v {
            return true;
        }
        let (value, at) = match i.checked_sub(1) {
            Some(j) => self.index[j],
            None => (0, 0),
        };
        let run = RunIter {
            bytes: &self.run,
            at,
            value,
        };
        for x in run.take(BLOCK as usize) {
            if x >= v {
                return x == v;
            }
        }
        false
    }
}

/// Decodes a run of LEB128 deltas.
struct RunIter<'a> {
    bytes: &'a [u8],
    at: usize,
    value: u64,
}

impl Iterator for RunIter<'_> {
    type Item = u64;

    fn next(&mut self) -> Option<u64> {
        let mut delta = 0u64;
        let mut shift = 0;
        loop {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            delta |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        // the first value is stored as its delta from zero
        self.value = self.value.wrapping_add(delta);
        Some(self.value)
    }
}

/// The ids of a wave: per department (keyed by a hash of its name).
#[derive(Debug, Clone, Default)]
pub struct IdRegistry {
    departments: FxHashMap<u64, DeptIds>,
}

impl IdRegistry {
    /// The ids of the department with this name hash.
    pub fn get(&self, dept: u64) -> Option<&DeptIds> {
        self.departments.get(&dept)
    }

    /// Adds a department's ids.
    pub fn add(&mut self, dept: u64, ids: DeptIds) {
        if ids.is_empty() {
            return;
        }
        self.departments.entry(dept).or_default().extend(ids);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        assert_eq!(IdKey::of(b"7"), IdKey::Int(7));
        assert_eq!(IdKey::of(b"0"), IdKey::Int(0));
        assert_eq!(IdKey::of(b"18446744073709551615"), {
            // 20 digits: hashed
            let mut h = FxHasher::default();
            b"18446744073709551615"[..].hash(&mut h);
            IdKey::Hashed(h.finish())
        });
        assert_eq!(
            IdKey::of(b"9999999999999999999"),
            IdKey::Int(9_999_999_999_999_999_999)
        );
        assert!(matches!(IdKey::of(b"007"), IdKey::Hashed(_)));
        assert!(matches!(IdKey::of(b"+7"), IdKey::Hashed(_)));
        assert!(matches!(IdKey::of(b"R17"), IdKey::Hashed(_)));
        assert_ne!(IdKey::of(b"007"), IdKey::of(b"7"));
    }

    #[test]
    fn increasing_decreasing_and_text_ids() {
        let mut d = DeptIds::default();
        let mut reference = std::collections::HashSet::new();
        // increasing with gaps, then a second run from the start, then text ids
        let mut seq: Vec<u64> = (1..2000).map(|i| i * 37 + (i % 7)).collect();
        seq.extend((1..500).map(|i| i * 5));
        seq.extend([0, u64::MAX, u64::MAX - 1, 1 << 40]);
        for v in seq {
            assert_eq!(d.insert(IdKey::Int(v)), reference.insert(v), "{v}");
        }
        for v in 0..80_000u64 {
            assert_eq!(d.contains(IdKey::Int(v)), reference.contains(&v), "{v}");
        }
        assert!(d.contains(IdKey::Int(u64::MAX)));
        assert!(d.insert(IdKey::of(b"abc")));
        assert!(!d.insert(IdKey::of(b"abc")));
        assert_eq!(d.keys().count(), reference.len() + 1);
    }

    #[test]
    fn intersections_and_merges() {
        let mut a = DeptIds::default();
        let mut b = DeptIds::default();
        for v in 1..=1000 {
            a.insert(IdKey::Int(v));
        }
        for v in 1001..=2000 {
            b.insert(IdKey::Int(v));
        }
        assert!(!a.intersects(&b));
        b.insert(IdKey::Int(500));
        assert!(a.intersects(&b));
        let mut reg = IdRegistry::default();
        reg.add(1, a);
        reg.add(1, b);
        let all = reg.get(1).unwrap();
        assert!((1..=2000).all(|v| all.contains(IdKey::Int(v))));
        assert!(!all.contains(IdKey::Int(2001)));
        assert!(reg.get(2).is_none());
    }
}
