//! Whether a knowledge-base section is *the* answer to a question. A wrong quote is worse than none,
//! so a section is presented as the answer only when several signals agree: its relevance score, how
//! much of the question's content it covers, and how far it is ahead of the next section, on shared
//! words (BM25) or on meaning (word-vector similarity). Sections
//! that fall short but still relate are candidates: shown to the team, offered as "pages that may help".

use super::ports::KbHit;

/// The bar a section must clear to be quoted (`kb.*` in config/default.toml).
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerBar {
    /// Least relevance score (BM25) for an answer or a candidate.
    pub min_score: f32,
    /// Least share of the question's content words (weighted by rarity) the answer must contain.
    pub min_coverage: f32,
    /// Least lead of the answer over the next section on relevance: `(best - next) / best`.
    pub min_margin: f32,
    /// Or least lead on similarity of meaning: `best - next` cosine (with word vectors only).
    pub min_similarity_margin: f32,
    /// Or least lead on the question's words its own heading names over every other section's
    /// heading (0: off). Sections of one page share words; their headings tell them apart.
    pub min_heading_lead: u32,
    /// A clear lead on both at once — relevance `(best - next) / best` and meaning `best - next` —
    /// asks only `clear_coverage` of the question's content: a long message says much else
    /// ("…a freelancer finally clicked the invite and it says expired"), but both rankings single
    /// the section out.
    pub clear_margin: f32,
    pub clear_similarity_margin: f32,
    pub clear_coverage: f32,
    /// Least coverage for a candidate.
    pub candidate_coverage: f32,
    /// Or least similarity of meaning for a candidate (with word vectors only).
    pub candidate_similarity: f32,
    /// How many candidates at most.
    pub candidates: usize,
}

/// What retrieval found for a question.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Grounding {
    /// The section presented as the answer, when one clears the bar.
    pub answer: Option<KbHit>,
    /// Related sections that are not the answer (the answer excluded), best first.
    pub candidates: Vec<KbHit>,
}

/// Phrases that say the customer already tried and it failed: a how-to quote is what they followed.
const TRIED_AND_FAILED: &[&str] = &[
    "still does not",
    "still doesn t",
    "still doesnt",
    "still not",
    "still fails",
    "still failing",
    "still get",
    "still getting",
    "still no",
    "still can t",
    "does not work",
    "doesn t work",
    "doesnt work",
    "not working",
    "stopped working",
    "no longer works",
    "isn t working",
    "won t work",
    "didn t work",
    "did not work",
    "didn t help",
    "did not help",
    "tried everything",
];

/// Whether a message reports that something the customer tried does not work ("I did X and it still
/// does not work"): the section describing X is then no answer, only a page that may help.
pub fn tried_and_failed(text: &str) -> bool {
    super::phrases::any_in(&super::phrases::words(text), TRIED_AND_FAILED)
}

/// Whether a section is about what the question rules out: "change the port *without Docker*"
/// against *How to Install › Docker › Changing Port or Volume*. The word after "without", "no",
/// "not" or "non" (past "using", "in", "a", "the"…) names a heading of the section's title path that
/// does not rule it out itself ("Non-Docker" is fine).
pub fn rules_out(question: &str, title: &str) -> bool {
    const NEGATORS: &[&str] = &["without", "no", "not", "non"];
    const SKIP: &[&str] = &[
        "a", "an", "the", "using", "use", "in", "on", "via", "with", "through",
    ];
    let (q, t) = (
        super::phrases::words(question),
        super::phrases::words(title),
    );
    let negated = q.iter().enumerate().filter_map(|(i, w)| {
        NEGATORS.contains(&w.as_str()).then(|| {
            q[i + 1..]
                .iter()
                .find(|n| !SKIP.contains(&n.as_str()))
                .cloned()
        })?
    });
    negated.into_iter().any(|n| {
        t.iter().enumerate().any(|(i, w)| {
            let same = *w == n || *w == format!("{n}s") || format!("{w}s") == n;
            same && (i == 0 || !NEGATORS.contains(&t[i - 1].as_str()))
        })
    })
}

/// Judges `hits` (best first, as the knowledge base ranks them; a lone hit leads by its whole score).
pub fn judge(hits: Vec<KbHit>, bar: &AnswerBar) -> Grounding {
    let leads = super::answer_leads::Leads::of(&hits, bar);
    let mut hits = hits.into_iter();
    let mut answer = None;
    let mut candidates = vec![];
    if let Some(best) = hits.next() {
        let covered = best.coverage >= bar.min_coverage && leads.any(bar);
        if best.score >= bar.min_score && (covered || leads.clear(&best, bar)) {
            answer = Some(best);
        } else {
            candidates.push(best);
        }
    }
    candidates.extend(hits);
    // A page that may help need not be the answer: sharing enough of the question's words, or being
    // close enough in meaning, makes it worth a look.
    candidates.retain(|h| {
        h.coverage >= bar.candidate_coverage
            || (h.semantic_rank.is_some() && h.similarity >= bar.candidate_similarity)
    });
    candidates.truncate(bar.candidates);
    Grounding { answer, candidates }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(id: &str, score: f32, coverage: f32) -> KbHit {
        KbHit {
            id: id.into(),
            title: id.into(),
            link: format!("https://docs/{id}"),
            text: String::new(),
            tags: vec![],
            score,
            coverage,
            similarity: 0.0,
            lexical_rank: 0,
            semantic_rank: None,
            heading_words: 0,
            elsewhere: vec![],
        }
    }

    fn bar() -> AnswerBar {
        AnswerBar {
            min_score: 6.0,
            min_coverage: 0.4,
            min_margin: 0.2,
            min_similarity_margin: 0.1,
            min_heading_lead: 1,
            clear_margin: 0.4,
            clear_similarity_margin: 0.2,
            clear_coverage: 0.05,
            candidate_coverage: 0.2,
            candidate_similarity: 0.4,
            candidates: 2,
        }
    }

    #[test]
    fn a_report_that_something_tried_fails_is_told_apart_from_a_question() {
        for t in [
            "I did -v /run/docker.sock:/run/docker.sock, and it still does not work.",
            "Reset link doesn't work",
            "the webhook stopped working yesterday",
            "followed the guide, didn’t help",
        ] {
            assert!(tried_and_failed(t), "{t}");
        }
        for t in [
            "How do I reset my password?",
            "does it work with google sheets?",
            "is the still image export available",
        ] {
            assert!(!tried_and_failed(t), "{t}");
        }
    }

    #[test]
    fn a_section_on_what_the_question_rules_out_is_told_apart() {
        let install = "How to Install › Docker › Changing Port or Volume";
        assert!(rules_out(
            "How to change port 3001 WITHOUT docker?",
            install
        ));
        assert!(rules_out("change the port, not using docker", install));
        assert!(!rules_out("How to change port 3001 in docker?", install));
        assert!(!rules_out("without docker?", "How to Install › Non-Docker"));
        assert!(!rules_out("no idea how to change the port", install));
    }

    #[test]
    fn a_section_ahead_that_covers_the_question_is_the_answer() {
        let g = judge(vec![hit("a", 20.0, 0.6), hit("b", 10.0, 0.3)], &bar());
        assert_eq!(g.answer.map(|h| h.id), Some("a".into()));
        assert_eq!(g.candidates.len(), 1);
    }

    #[test]
    fn each_signal_alone_can_withhold_the_answer() {
        // One shared common word scores high but covers little of the question.
        let g = judge(vec![hit("a", 25.0, 0.2), hit("b", 5.0, 0.1)], &bar());
        assert!(g.answer.is_none());
        assert_eq!(g.candidates.len(), 1);
        // Two sections neck and neck: neither is clearly the answer.
        let g = judge(vec![hit("a", 20.0, 0.6), hit("b", 19.0, 0.6)], &bar());
        assert!(g.answer.is_none());
        assert_eq!(g.candidates.len(), 2);
        // A weak match: no answer, but a page that may help.
        let g = judge(vec![hit("a", 4.0, 0.9)], &bar());
        assert!(g.answer.is_none());
        assert_eq!(g.candidates.len(), 1);
    }

    #[test]
    fn a_lead_on_meaning_stands_in_for_a_lead_on_words() {
        let near = |id: &str, similarity: f32, rank: u32| KbHit {
            similarity,
            semantic_rank: Some(rank),
            ..hit(id, 20.0, 0.6)
        };
        // Neck and neck on BM25, but the first is clearly closer in meaning.
        let g = judge(vec![near("a", 0.62, 0), near("b", 0.41, 1)], &bar());
        assert_eq!(g.answer.map(|h| h.id), Some("a".into()));
        // Close on both: no answer.
        let g = judge(vec![near("a", 0.62, 0), near("b", 0.58, 1)], &bar());
        assert!(g.answer.is_none());
        // Without word vectors a similarity of 0 everywhere is no lead.
        let g = judge(vec![hit("a", 20.0, 0.6), hit("b", 19.0, 0.6)], &bar());
        assert!(g.answer.is_none());
    }

    #[test]
    fn a_heading_that_names_more_of_the_question_tells_siblings_apart() {
        let named = |id: &str, heading_words: u32| KbHit {
            heading_words,
            ..hit(id, 20.0, 0.6)
        };
        // Neck and neck on BM25, but only the first's heading names what is asked.
        let g = judge(vec![named("generate", 2), named("authenticate", 1)], &bar());
        assert_eq!(g.answer.map(|h| h.id), Some("generate".into()));
        // Headings naming as much: no lead (Connect Slack / Disconnect Slack).
        let g = judge(vec![named("connect", 1), named("disconnect", 1)], &bar());
        assert!(g.answer.is_none());
        // A heading lead does not stand in for covering the question.
        let g = judge(
            vec![
                KbHit {
                    heading_words: 2,
                    ..hit("a", 20.0, 0.2)
                },
                named("b", 0),
            ],
            &bar(),
        );
        assert!(g.answer.is_none());
        // A known issue's heading names a symptom, not an answer: no lead for it.
        let symptom = KbHit {
            tags: vec!["known-issue".into()],
            ..named("signature-check-fails", 3)
        };
        assert!(
            judge(vec![symptom, named("verify", 2)], &bar())
                .answer
                .is_none()
        );
        // A clear lead on both relevance and meaning asks little coverage; a lead on one does not.
        let sem = |h: KbHit, rank: u32, similarity: f32| KbHit {
            semantic_rank: Some(rank),
            similarity,
            ..h
        };
        let wordy = |similarity_lead: f32| {
            judge(
                vec![
                    sem(hit("a", 20.0, 0.15), 0, 0.5),
                    sem(hit("b", 10.0, 0.1), 1, 0.5 - similarity_lead),
                ],
                &bar(),
            )
            .answer
            .map(|h| h.id)
        };
        assert_eq!(wordy(0.25), Some("a".to_string()));
        assert_eq!(wordy(0.15), None, "meaning alone does not lead clearly");
        assert!(
            judge(vec![hit("a", 20.0, 0.15), hit("b", 10.0, 0.1)], &bar())
                .answer
                .is_none(),
            "without word vectors there is no lead on meaning"
        );
        let g = judge(
            vec![
                sem(hit("a", 20.0, 0.03), 0, 0.5),
                sem(hit("b", 10.0, 0.1), 1, 0.1),
            ],
            &bar(),
        );
        assert!(
            g.answer.is_none(),
            "it still covers something of the question"
        );
        // Off at 0.
        let off = AnswerBar {
            min_heading_lead: 0,
            ..bar()
        };
        assert!(
            judge(vec![named("a", 2), named("b", 0)], &off)
                .answer
                .is_none()
        );
    }

    #[test]
    fn candidates_are_capped_and_unrelated_sections_dropped() {
        let hits = vec![
            hit("a", 20.0, 0.3),
            hit("b", 18.0, 0.3),
            hit("c", 17.0, 0.3),
            hit("d", 16.0, 0.05),
        ];
        let g = judge(hits, &bar());
        let ids: Vec<String> = g.candidates.into_iter().map(|h| h.id).collect();
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(judge(vec![], &bar()), Grounding::default());
    }
}
