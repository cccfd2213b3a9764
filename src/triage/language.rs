//! Whether a message is written in another language than the English the model was trained on.

/// English function words that other languages written in Latin letters rarely use as words: one of
/// them says a message is English, whatever its nouns.
pub(super) const ENGLISH: &[&str] = &[
    "the", "with", "my", "is", "are", "you", "your", "and", "for", "to", "of", "this", "that",
    "what", "how", "can", "please", "it", "i", "me", "we", "our", "be", "was", "will", "there",
    "from", "at",
    // English chat shorthand: a message of these alone is English chatter, not another language.
    "ty", "thx", "np", "brb", "lol", "lmao", "haha", "hahaha", "bump", "gm", "gn", "kk", "yep",
    "yup", "nope", "omg", "ikr", "afk", "ttyl", "cya", "imo", "tbh",
];

/// More English words no other language in Latin letters uses as a word, counted against a detector
/// that reads a message as another language.
const ENGLISH_MORE: &[&str] = &[
    "does", "not", "have", "has", "any", "if", "why", "where", "who", "thanks", "just", "get",
    "got", "been", "would", "should", "could", "they", "them", "when",
];

/// Whether `w` (lower-cased) is an English word: a word the triage model never learned may still be
/// plain English on a topic it never met ("vacuum", "brighten", "dice"), not another language.
pub(super) fn english_word(w: &str) -> bool {
    crate::words::english_word(w)
}

/// How many of `words` (lower-cased, as `features::words` splits them) are English function words.
fn english_words(words: &[String]) -> usize {
    words
        .iter()
        .filter(|w| ENGLISH.contains(&w.as_str()) || ENGLISH_MORE.contains(&w.as_str()))
        .count()
}

/// Whether `text` is plainly written in another language: the trigram detector reads a language
/// other than English, and either it is sure and the message holds at most one English function
/// word, or the message is a sentence of which fewer than a third of the words are English words
/// and it holds at most two (Dutch writes "we" and "is" too; the detector hesitates on short
/// Spanish or Dutch). The detector alone reads some short English as French ("our contract says
/// 99.9% uptime, we want the SLA credit"); other languages share a word or two with English ("me",
/// "was", "will"), not more.
pub fn other_language(text: &str, words: &[String]) -> bool {
    let english = english_words(words);
    if english > 2 {
        return false;
    }
    // With two, only a sentence mostly of other words can be another language (below): the
    // detector, which costs more than the rest of triage, need not be asked otherwise. Nor is it
    // asked about a message made of English words alone: that is English.
    if (english == 2 && !mostly_foreign(words)) || only_english_words(words) {
        return false;
    }
    match whatlang::detect(text) {
        Some(i) if i.lang() != whatlang::Lang::Eng => {
            (english <= 1 && i.is_reliable()) || mostly_foreign(words)
        }
        _ => false,
    }
}

/// Whether every lettered word of `words` is an English word (true when none is lettered).
fn only_english_words(words: &[String]) -> bool {
    words
        .iter()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .all(|w| english_word(w))
}

/// Whether `words` make a sentence (five lettered words or more) of which fewer than a third are
/// English words: names and chat shorthand ("wikipedia page about sean connery", "lol that gif")
/// are not another language.
fn mostly_foreign(words: &[String]) -> bool {
    let lettered: Vec<&String> = words
        .iter()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .collect();
    let english = lettered.iter().filter(|w| english_word(w)).count();
    lettered.len() >= 5 && english * 3 < lettered.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triage::features::words;

    fn other(text: &str) -> bool {
        other_language(text, &words(text))
    }

    #[test]
    fn tickets_in_other_languages_are_told_from_english() {
        for text in [
            "Sehr geehrtes Support-Team, seit heute Morgen lädt unser Dashboard nicht mehr.",
            "Bonjour, je n'arrive plus à me connecter à mon compte depuis ce matin.",
            "Olá, o painel não está funcionando desde ontem, aparece uma tela em branco.",
            // The detector hesitates on these; their words are plainly not English.
            "Hola, los correos de restablecimiento de contraseña no llegan a ninguno de nuestros \
             usuarios.",
            "Hallo, sinds vanochtend kunnen wij niet meer inloggen.",
            "Goedendag, bij het inloggen krijgen we de melding dat ons wachtwoord onjuist is.",
        ] {
            assert!(other(text), "{text}");
        }
        for text in [
            "Our contract says 99.9% uptime, we want the SLA credit",
            "quick question: I'm furious, we lost a client because of your outage",
            "where do i download last months invoice",
            "Quick question: does the audit log support dark mode thanks",
            "Hilfe",
            // English words alone, however few and whatever the detector would guess.
            "pizza pasta",
            "pizza pasta salami mozzarella espresso cappuccino",
            "ok",
            "+1 👍",
        ] {
            assert!(!other(text), "{text}");
        }
    }

    #[test]
    fn english_words_are_told_from_other_languages_words() {
        for w in [
            "vacuum",
            "brighten",
            "dice",
            "recipe",
            "taxi",
            "dashboard",
            "the",
        ] {
            assert!(english_word(w), "{w}");
        }
        for w in [
            "hilfe", "ayuda", "fehler", "erreur", "kaputt", "rechnung", "nicht", "funciona",
        ] {
            assert!(!english_word(w), "{w}");
        }
    }
}
