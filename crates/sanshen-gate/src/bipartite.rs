//! Maximum bipartite matching of people to requirements (spec §6: an
//! article is approved when its counting approvals admit an assignment
//! of a distinct reviewer to every requirement — found whenever one
//! exists, not greedily).

/// For each requirement, the person (index) assigned to it. With
/// `distinct`, every person fills at most one requirement (maximum
/// bipartite matching, Kuhn's algorithm: requirements are few).
pub fn assign(candidates: &[Vec<usize>], people: usize, distinct: bool) -> Vec<Option<usize>> {
    if !distinct {
        return candidates.iter().map(|c| c.first().copied()).collect();
    }
    let mut owner: Vec<Option<usize>> = vec![None; people];
    for req in 0..candidates.len() {
        let mut seen = vec![false; people];
        augment(req, candidates, &mut owner, &mut seen);
    }
    let mut out = vec![None; candidates.len()];
    for (person, req) in owner.iter().enumerate() {
        if let Some(r) = req {
            out[*r] = Some(person);
        }
    }
    out
}

fn augment(
    req: usize,
    candidates: &[Vec<usize>],
    owner: &mut [Option<usize>],
    seen: &mut [bool],
) -> bool {
    for &p in &candidates[req] {
        if p >= seen.len() || seen[p] {
            continue;
        }
        seen[p] = true;
        let free = match owner[p] {
            None => true,
            Some(other) => augment(other, candidates, owner, seen),
        };
        if free {
            owner[p] = Some(req);
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kuhn_finds_the_reassignment() {
        // Person 0 can do both; person 1 only the first requirement.
        let got = assign(&[vec![0, 1], vec![0]], 2, true);
        assert_eq!(got, vec![Some(1), Some(0)]);
        // One person cannot meet two requirements.
        let got = assign(&[vec![0], vec![0]], 1, true);
        assert_eq!(got.iter().filter(|x| x.is_some()).count(), 1);
        // Unless distinct reviewers are not required.
        assert_eq!(
            assign(&[vec![0], vec![0]], 1, false),
            vec![Some(0), Some(0)]
        );
        assert_eq!(assign(&[vec![], vec![7]], 1, true), vec![None, None]);
    }
}
