//! Which patterns can match a text, told from its first and last words before any pattern runs.
//!
//! A pattern whose every match begins with one of a few phrases (`^who (?:scored|composed) ...`
//! begins with "who scored" or "who composed") cannot match a text that begins otherwise, and
//! the same holds for the last words. The phrases come from the patterns themselves (their
//! literal prefixes and suffixes, as `regex-syntax` extracts them, cut to whole words), so a gate
//! never turns away a text that its pattern would match: where the literals do not tell a whole
//! word, the pattern is let through whatever the words.
//!
//! Running only the patterns a message gets past the gates, instead of one automaton for all of
//! them, is what keeps a question cheap when the processor's caches are cold, as they are for a
//! bot woken by each message.

// Keyed by the templates' phrases, constants: the fast unkeyed hash is safe here.
use rustc_hash::FxHashMap;

use regex_syntax::hir::literal::{ExtractKind, Extractor};

/// A set of patterns, by position: pattern `i` is bit `i`.
pub type PatternSet = u64;

/// The most words of a phrase a gate looks at: two tell most templates apart ("what is" from
/// "what songs"), and every word more is another lookup for every message.
const PHRASE_WORDS: usize = 2;

/// The most patterns a gate tells apart.
pub const MAX_PATTERNS: usize = PatternSet::BITS as usize;

/// Which end of the text a gate looks at.
#[derive(Debug, Clone, Copy)]
pub enum End {
    /// The first words.
    First,
    /// The last words.
    Last,
}

/// The patterns that the words at one end of the text let through.
#[derive(Debug)]
pub struct WordGate {
    end: End,
    /// Patterns that may match whatever the words.
    any: PatternSet,
    /// Patterns that match only texts beginning (or ending) with one of their phrases: whole
    /// words, as many as the pattern's literals tell, up to [`PHRASE_WORDS`] ("who scored",
    /// "what songs").
    by_phrase: FxHashMap<Box<str>, PatternSet>,
    /// The most words in a phrase.
    longest: usize,
}

impl WordGate {
    /// A gate on the words at `end` for `patterns`, regular expressions anchored at both ends
    /// (`^...$`) over text whose words are separated by single spaces.
    ///
    /// # Panics
    /// If there are more than [`MAX_PATTERNS`] patterns or one does not parse: patterns are the
    /// program's own constants.
    pub fn new<'a>(patterns: impl IntoIterator<Item = &'a str>, end: End) -> WordGate {
        let mut gate = WordGate {
            end,
            any: 0,
            by_phrase: FxHashMap::default(),
            longest: 0,
        };
        for (i, pattern) in patterns.into_iter().enumerate() {
            assert!(i < MAX_PATTERNS, "at most {MAX_PATTERNS} patterns");
            let bit = 1 << i;
            match edge_phrases(pattern, end) {
                Some(phrases) => {
                    for phrase in phrases {
                        gate.longest = gate.longest.max(phrase.split(' ').count());
                        *gate.by_phrase.entry(phrase.into()).or_default() |= bit;
                    }
                }
                None => gate.any |= bit,
            }
        }
        gate
    }

    /// The patterns that may match `text`.
    pub fn admits(&self, text: &str) -> PatternSet {
        let mut admitted = self.any;
        let mut admit = |phrase: &str| {
            if let Some(set) = self.by_phrase.get(phrase) {
                admitted |= set;
            }
        };
        match self.end {
            End::First => {
                let ends = text.match_indices(' ').map(|(at, _)| at);
                for end in ends.chain([text.len()]).take(self.longest) {
                    admit(&text[..end]);
                }
            }
            End::Last => {
                let starts = text.rmatch_indices(' ').map(|(at, _)| at + 1);
                for start in starts.chain([0]).take(self.longest) {
                    admit(&text[start..]);
                }
            }
        }
        admitted
    }
}

/// Gates on both ends of the text.
#[derive(Debug)]
pub struct Gates {
    first: WordGate,
    last: WordGate,
}

impl Gates {
    /// Gates for `patterns`, as [`WordGate::new`] takes them.
    pub fn new(patterns: &[&str]) -> Gates {
        Gates {
            first: WordGate::new(patterns.iter().copied(), End::First),
            last: WordGate::new(patterns.iter().copied(), End::Last),
        }
    }

    /// The patterns that may match `text`: every pattern that does is among them.
    pub fn candidates(&self, text: &str) -> PatternSet {
        self.first.admits(text) & self.last.admits(text)
    }
}

/// The patterns in `set`, in order.
pub fn members(set: PatternSet) -> impl Iterator<Item = usize> {
    let mut rest = set;
    std::iter::from_fn(move || {
        if rest == 0 {
            return None;
        }
        let i = rest.trailing_zeros() as usize;
        rest &= rest - 1;
        Some(i)
    })
}

/// The phrases (whole words, at most [`PHRASE_WORDS`]) one of which every match of `pattern` has
/// at `end`, or `None` when its literals do not tell a whole word (it starts or ends with a
/// capture of anything, say).
fn edge_phrases(pattern: &str, end: End) -> Option<Vec<String>> {
    let hir = regex_syntax::Parser::new()
        .parse(pattern)
        .unwrap_or_else(|error| panic!("pattern {pattern:?} parses: {error}"));
    let kind = match end {
        End::First => ExtractKind::Prefix,
        End::Last => ExtractKind::Suffix,
    };
    let literals = Extractor::new().kind(kind).extract(&hir);
    literals
        .literals()?
        .iter()
        .map(|literal| {
            let text = std::str::from_utf8(literal.as_bytes()).ok()?;
            if literal.is_exact() {
                // The whole match.
                return Some(text.to_string());
            }
            // Only part of a match, which may stop inside a word: the words it holds whole.
            let whole = match end {
                End::First => text.rsplit_once(' ').map(|(words, _)| words),
                End::Last => text.split_once(' ').map(|(_, words)| words),
            };
            whole.filter(|words| !words.is_empty()).map(str::to_string)
        })
        .map(|phrase| phrase.map(|phrase| at_most_words(&phrase, end).to_string()))
        .collect()
}

/// `phrase` cut to its [`PHRASE_WORDS`] words at `end`.
fn at_most_words(phrase: &str, end: End) -> &str {
    let cut = match end {
        End::First => phrase
            .match_indices(' ')
            .nth(PHRASE_WORDS - 1)
            .map(|(at, _)| &phrase[..at]),
        End::Last => phrase
            .rmatch_indices(' ')
            .nth(PHRASE_WORDS - 1)
            .map(|(at, _)| &phrase[at + 1..]),
    };
    cut.unwrap_or(phrase)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidates(patterns: &[&str], text: &str) -> Vec<usize> {
        members(Gates::new(patterns).candidates(text)).collect()
    }

    #[test]
    fn words_at_either_end_decide() {
        let patterns = [
            "^who (?:scored|composed) (?P<f>.+)$",
            "^(?P<f>.+?) (?:soundtrack|songs)$",
            "^(?:help|commands)$",
            "^(?P<a>.+?) vs (?P<b>.+)$",
        ];
        assert_eq!(candidates(&patterns, "who scored psycho"), [0, 3]);
        assert_eq!(candidates(&patterns, "psycho soundtrack"), [1, 3]);
        assert_eq!(candidates(&patterns, "who scored psycho songs"), [0, 1, 3]);
        assert_eq!(candidates(&patterns, "help"), [2, 3]);
        assert_eq!(candidates(&patterns, "helpful"), [3]);
        assert_eq!(candidates(&patterns, "whom scored psycho"), [3]);
        assert_eq!(candidates(&patterns, "who wrote psycho"), [3]);
    }

    #[test]
    fn the_first_two_words_decide() {
        let patterns = [
            "^what (?:is|are) meant by (?P<t>.+)$",
            "^what is (?:an? )?(?P<t>.+)$",
        ];
        assert_eq!(candidates(&patterns, "what is meant by underscore"), [0, 1]);
        assert_eq!(candidates(&patterns, "what are meant by cues"), [0]);
        // "what is" starts both; the third word is not looked at.
        assert_eq!(candidates(&patterns, "what is a cue"), [0, 1]);
        assert_eq!(candidates(&patterns, "what was a cue"), [0; 0]);
    }

    #[test]
    fn optional_letters_make_words_of_their_own() {
        let patterns = ["^films? by (?P<c>.+)$"];
        assert_eq!(candidates(&patterns, "films by herrmann"), [0]);
        assert_eq!(candidates(&patterns, "film by herrmann"), [0]);
        assert_eq!(candidates(&patterns, "filmss by herrmann"), [0; 0]);
    }

    #[test]
    fn a_pattern_that_starts_with_anything_is_let_through_by_its_first_word() {
        let patterns = ["^(?P<f>.+?) composer$", "^(?P<a>.+?) (?:.+)$"];
        assert_eq!(candidates(&patterns, "psycho composer"), [0, 1]);
        assert_eq!(candidates(&patterns, "composer of psycho"), [1]);
    }

    #[test]
    fn members_are_listed_in_order() {
        assert_eq!(members(0b1010_0001).collect::<Vec<_>>(), [0, 5, 7]);
        assert_eq!(members(0).count(), 0);
        assert_eq!(members(1 << 63).collect::<Vec<_>>(), [63]);
    }
}
