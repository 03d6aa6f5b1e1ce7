//! Privacy suppression (SPEC §5, §9.2): which departments, and which questions within
//! a department, are withheld.
//!
//! Primary suppression withholds what is below the threshold. Secondary suppression
//! then protects it from subtraction: were exactly one department withheld, or the
//! withheld ones together smaller than the threshold, their figures could be recovered
//! from the organisation's minus the shown departments', so the smallest shown
//! department is withheld as well, until that no longer holds.

/// Applies the secondary rule to `withheld` in place. `sizes[i]` is department i's
/// size (respondents, or a question's valid answers); departments are in name order,
/// so the first of equal sizes is the one that sorts first.
pub fn secondary(sizes: &[u64], withheld: &mut [bool], min_group_size: u64) {
    secondary_among(sizes, withheld, min_group_size, sizes);
}

/// Department-level suppression: below the threshold, then the secondary rule.
pub fn departments(respondents: &[u64], min_group_size: u64) -> Vec<bool> {
    let mut w: Vec<bool> = respondents.iter().map(|r| *r < min_group_size).collect();
    secondary(respondents, &mut w, min_group_size);
    w
}

/// Question-level suppression for one question: a department withheld as a whole, or
/// with fewer valid answers than the threshold, then the secondary rule on valid
/// answers. A department without any valid answer to the question has nothing that
/// could be recovered, so it does not set off the secondary rule (its figures do not
/// exist anyway).
pub fn question(valid: &[u64], department_withheld: &[bool], min_group_size: u64) -> Vec<bool> {
    let primary: Vec<bool> = valid
        .iter()
        .zip(department_withheld)
        .map(|(v, d)| *d || *v < min_group_size)
        .collect();
    // the secondary rule sees the withheld departments that have answers
    let mut w: Vec<bool> = primary
        .iter()
        .zip(valid)
        .map(|(p, v)| *p && *v > 0)
        .collect();
    // departments without answers are neither protected nor candidates to withhold
    let sizes: Vec<u64> = valid
        .iter()
        .map(|v| if *v == 0 { u64::MAX } else { *v })
        .collect();
    secondary_among(&sizes, &mut w, min_group_size, valid);
    primary.iter().zip(&w).map(|(p, s)| *p || *s).collect()
}

/// The secondary rule where departments of size `u64::MAX` (no answers) are never
/// picked; `real` are the true sizes for the sum.
fn secondary_among(sizes: &[u64], withheld: &mut [bool], min_group_size: u64, real: &[u64]) {
    loop {
        let count = withheld.iter().filter(|w| **w).count();
        if count == 0 {
            return;
        }
        let total: u64 = real
            .iter()
            .zip(withheld.iter())
            .filter(|(_, w)| **w)
            .map(|(s, _)| *s)
            .sum();
        if count != 1 && total >= min_group_size {
            return;
        }
        let smallest = sizes
            .iter()
            .enumerate()
            .filter(|(i, s)| !withheld[*i] && **s != u64::MAX)
            .min_by_key(|(i, s)| (**s, *i))
            .map(|(i, _)| i);
        match smallest {
            Some(i) => withheld[i] = true,
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_small_nothing_withheld() {
        assert_eq!(departments(&[10, 5, 7], 5), vec![false, false, false]);
    }

    #[test]
    fn one_small_department_takes_the_smallest_shown_one_along() {
        // 3 < 5 withheld; exactly one withheld → smallest shown (7, index 2) too
        assert_eq!(
            departments(&[10, 3, 7, 8], 5),
            vec![false, true, true, false]
        );
    }

    #[test]
    fn two_small_departments_that_together_reach_the_threshold_are_enough() {
        assert_eq!(
            departments(&[10, 3, 2, 8], 5),
            vec![false, true, true, false]
        );
    }

    #[test]
    fn two_small_departments_below_threshold_together() {
        // 2 + 2 = 4 < 5 → smallest shown (8 at index 3) added: 12 ≥ 5, count 3 → stop
        assert_eq!(
            departments(&[10, 2, 2, 8], 5),
            vec![false, true, true, true]
        );
    }

    #[test]
    fn ties_go_to_name_order() {
        assert_eq!(departments(&[7, 3, 7], 5), vec![true, true, false]);
    }

    #[test]
    fn all_small() {
        assert_eq!(departments(&[1, 2], 5), vec![true, true]);
        assert_eq!(departments(&[4], 5), vec![true]);
    }

    #[test]
    fn exactly_threshold_is_shown() {
        assert_eq!(departments(&[5, 5], 5), vec![false, false]);
    }

    #[test]
    fn departments_without_answers_do_not_trigger_the_secondary_rule() {
        // department 1 has no answer to the question: nothing to protect
        assert_eq!(
            question(&[20, 0, 9], &[false, false, false], 5),
            vec![false, true, false]
        );
        // but a withheld department with answers still does
        assert_eq!(
            question(&[20, 0, 3, 9], &[false, false, false, false], 5),
            vec![false, true, true, true]
        );
    }

    #[test]
    fn question_level() {
        // department 1 withheld whole (3 valid), department 2 has 4 valid → withheld;
        // together 7 ≥ 5 and two withheld → stop
        assert_eq!(
            question(&[20, 3, 4, 9], &[false, true, false, false], 5),
            vec![false, true, true, false]
        );
        // one question-level withholding → smallest shown goes too
        assert_eq!(
            question(&[20, 9, 4, 12], &[false, false, false, false], 5),
            vec![false, true, true, false]
        );
    }
}
