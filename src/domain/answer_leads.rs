//! How far the best section stands ahead of the others, on relevance, on meaning and on its own
//! heading, and whether that clears the answer bar; `shortfall` says in words which bars it missed,
//! for `opsdesk kb eval --verbose` (so a desk sees which threshold held a right section back).

use super::answer::AnswerBar;
use super::ports::KbHit;

/// The best section's leads over every other candidate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Leads {
    /// On relevance alone, `(best - next) / best`: negative when the knowledge base's order (which
    /// weighs coverage too) disagrees with relevance.
    pub margin: f32,
    /// On meaning, `best - next` cosine (0 without word vectors).
    pub similarity_margin: f32,
    /// Its own heading names at least `min_heading_lead` more of the question's words than any
    /// other candidate's. A known issue's heading names what fails ("Webhook signature check fails
    /// for bodies with emoji"), not what it answers, so it never leads this way.
    pub heading: bool,
}

impl Leads {
    /// The leads of `hits[0]` (best first; a lone hit leads by its whole score) over the others,
    /// leaving out the sections it sits in: a subsection that comes first says specifically what
    /// its parent introduces (*Domain Names for Status Pages › Steps* and *Domain Names for Status
    /// Pages*), so running neck and neck with its parent is no doubt between two answers, as it is
    /// with a sibling (*Connect Slack*, *Disconnect Slack*) or with a child when the parent comes
    /// first (the question may be about any of its children).
    pub fn of(hits: &[KbHit], bar: &AnswerBar) -> Leads {
        let Some((a, rest)) = hits.split_first() else {
            return Leads {
                margin: 0.0,
                similarity_margin: 0.0,
                heading: false,
            };
        };
        let rest: Vec<&KbHit> = rest.iter().filter(|h| !a.is_inside(h)).collect();
        let margin = if a.score > 0.0 {
            (a.score - rest.iter().map(|h| h.score).fold(0.0, f32::max)) / a.score
        } else {
            0.0
        };
        let similarity_margin = if a.semantic_rank.is_some() {
            a.similarity - rest.iter().map(|h| h.similarity).fold(0.0, f32::max)
        } else {
            0.0
        };
        let heading = bar.min_heading_lead > 0 && !a.is_known_issue() && {
            let next = rest.iter().map(|h| h.heading_words).max().unwrap_or(0);
            a.heading_words >= next + bar.min_heading_lead
        };
        Leads {
            margin,
            similarity_margin,
            heading,
        }
    }

    /// Any lead the coverage bar accepts.
    pub fn any(&self, bar: &AnswerBar) -> bool {
        self.margin >= bar.min_margin
            || self.similarity_margin >= bar.min_similarity_margin
            || self.heading
    }

    /// A clear lead on relevance and meaning at once, which asks only `clear_coverage`.
    pub fn clear(&self, best: &KbHit, bar: &AnswerBar) -> bool {
        best.semantic_rank.is_some()
            && self.margin >= bar.clear_margin
            && self.similarity_margin >= bar.clear_similarity_margin
            && best.coverage >= bar.clear_coverage
    }
}

/// The bars the best of `hits` missed, with its values and the bars' ("coverage 0.23 < 0.40");
/// empty when it clears them (what held it back then was the tier or a rule, not the bar).
pub fn shortfall(hits: &[KbHit], bar: &AnswerBar) -> String {
    let Some(best) = hits.first() else {
        return "no section found".into();
    };
    let l = Leads::of(hits, bar);
    let mut missed = vec![];
    if best.score < bar.min_score {
        missed.push(format!(
            "relevance {:.1} < {:.1}",
            best.score, bar.min_score
        ));
    }
    if !l.clear(best, bar) {
        if best.coverage < bar.min_coverage {
            missed.push(format!(
                "coverage {:.2} < {:.2}",
                best.coverage, bar.min_coverage
            ));
        }
        if !l.any(bar) {
            missed.push(format!(
                "lead {:.2} < {:.2} on words, {:.2} < {:.2} on meaning, none on its heading",
                l.margin, bar.min_margin, l.similarity_margin, bar.min_similarity_margin
            ));
        }
    }
    missed.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: &str, score: f32, coverage: f32, similarity: f32) -> KbHit {
        KbHit {
            id: id.into(),
            title: id.into(),
            link: String::new(),
            text: String::new(),
            tags: vec![],
            score,
            coverage,
            similarity,
            lexical_rank: 0,
            semantic_rank: Some(0),
            heading_words: 0,
            elsewhere: vec![],
        }
    }

    fn bar() -> AnswerBar {
        AnswerBar {
            min_score: 6.0,
            min_coverage: 0.4,
            min_margin: 0.3,
            min_similarity_margin: 0.1,
            min_heading_lead: 1,
            clear_margin: 0.4,
            clear_similarity_margin: 0.2,
            clear_coverage: 0.05,
            candidate_coverage: 0.1,
            candidate_similarity: 0.4,
            candidates: 3,
        }
    }

    fn titled(id: &str, title: &str, score: f32, similarity: f32) -> KbHit {
        KbHit {
            title: title.into(),
            ..hit(id, score, 0.5, similarity)
        }
    }

    #[test]
    fn a_subsection_is_not_held_back_by_the_section_it_sits_in() {
        let steps = titled(
            "status#steps",
            "Status Page › Domain Names › Steps",
            10.0,
            0.60,
        );
        let parent = titled(
            "status#domain-names",
            "Status Page › Domain Names",
            9.5,
            0.58,
        );
        let other = titled("proxy#overview", "Reverse Proxy › Overview", 5.0, 0.40);
        let l = Leads::of(&[steps.clone(), parent.clone(), other.clone()], &bar());
        assert!(l.any(&bar()), "{l:?}");
        assert!((l.margin - 0.5).abs() < 1e-6, "{l:?}");
        // A sibling is a different answer: neck and neck with it is doubt.
        let sibling = titled(
            "status#multiple",
            "Status Page › Multiple Status Pages",
            9.5,
            0.58,
        );
        assert!(!Leads::of(&[steps.clone(), sibling, other.clone()], &bar()).any(&bar()));
        // A parent first, a child close behind: the question may be about any of its children.
        assert!(!Leads::of(&[parent.clone(), steps.clone(), other], &bar()).any(&bar()));
        // The same title path on another page is no parent.
        let elsewhere = titled("copy#domain-names", "Status Page › Domain Names", 9.5, 0.58);
        assert!(!steps.is_inside(&elsewhere) && steps.is_inside(&parent));
        assert!(!parent.is_inside(&steps) && !steps.is_inside(&steps));
    }

    #[test]
    fn the_missed_bars_are_named_with_their_values() {
        let neck = [hit("a", 10.0, 0.2, 0.5), hit("b", 9.0, 0.2, 0.45)];
        assert_eq!(
            shortfall(&neck, &bar()),
            "coverage 0.20 < 0.40; lead 0.10 < 0.30 on words, 0.05 < 0.10 on meaning, none on its heading"
        );
        let weak = [hit("a", 4.0, 0.5, 0.5), hit("b", 1.0, 0.1, 0.1)];
        assert_eq!(shortfall(&weak, &bar()), "relevance 4.0 < 6.0");
        // A clear lead on both asks no more coverage: nothing is missed.
        let clear = [hit("a", 20.0, 0.1, 0.6), hit("b", 10.0, 0.1, 0.3)];
        assert_eq!(shortfall(&clear, &bar()), "");
        assert_eq!(shortfall(&[], &bar()), "no section found");
    }
}
