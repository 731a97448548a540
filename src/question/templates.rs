//! The question templates: how people ask about film music in plain words, as patterns over
//! folded text (lower case, no punctuation, single spaces). A message's first and last words
//! decide which templates it can fit ([`gate`](super::gate)); of those that do, the first in
//! priority order whose captured names make sense wins.

use regex_automata::meta::Regex;
use regex_automata::util::primitives::NonMaxUsize;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, PatternID};

use super::Question;
use super::gate::{End, Gates, WordGate, members};

/// What a template asks, given its captured names.
#[derive(Debug, Clone, Copy)]
enum Asks {
    Score,
    Soundtrack,
    Released,
    Works,
    Define,
    Compare,
    Awards,
    About,
    Help,
}

impl Asks {
    /// The names of the groups its templates capture, in the order it reads them.
    fn names(self) -> &'static [&'static str] {
        match self {
            Asks::Score | Asks::Soundtrack | Asks::Released => &["f"],
            Asks::Works => &["c"],
            Asks::Define => &["t"],
            Asks::Awards | Asks::About => &["s"],
            Asks::Compare => &["a", "b"],
            Asks::Help => &[],
        }
    }
}

/// The most names a template captures.
const MAX_NAMES: usize = 2;

const ARTICLE: &str = "(?:an? |the )?";
const FILM_WORDS: &str = "(?:music|score|soundtrack|theme|themes|main theme|film score|musical score|original score|ost)";

/// Templates in priority order: earlier ones win when several fit.
fn templates() -> Vec<(Asks, String)> {
    let a = ARTICLE;
    let fw = FILM_WORDS;
    vec![
        (Asks::Help, "^(?:help|commands|what can you do|what do you do|what do you know|how do i use (?:you|this|this bot|leitmotif)|who are you|what are you|usage|how does this work)$".into()),
        // Comparisons.
        (Asks::Compare, format!("^(?:whats |what is |what are |whats is )?(?:the )?(?:main |real )?differences? between {a}(?P<a>.+?) and {a}(?P<b>.+)$")),
        (Asks::Compare, format!("^how (?:is|are|does|do) {a}(?P<a>.+?) differ(?:ent)? (?:from|to|than) {a}(?P<b>.+)$")),
        (Asks::Compare, format!("^(?:is|are) {a}(?P<a>.+?) (?:the same as|the same thing as|different from|different than|different to) {a}(?P<b>.+)$")),
        (Asks::Compare, format!("^(?:compare|comparing) {a}(?P<a>.+?) (?:and|with|to) {a}(?P<b>.+)$")),
        (Asks::Compare, format!("^{a}(?P<a>.+?) (?:vs|versus|v) {a}(?P<b>.+)$")),
        // Who wrote a film's music.
        (Asks::Score, format!("^who (?:composed|scored|composes|scores) (?:the )?(?:{fw} )?(?:for |of |to |in |on )?(?P<f>.+)$")),
        (Asks::Score, format!("^who (?:wrote|did|made|created|writes|does|was behind|is behind|produced|is responsible for|was responsible for) (?:the )?{fw} (?:for|of|in|to|on|from) (?P<f>.+)$")),
        (Asks::Score, format!("^who (?:did|wrote|composed|made) (?:the )?(?P<f>.+?) {fw}$")),
        (Asks::Score, "^(?:who is|who was|whos|who s) (?:the )?(?:composer|music composer|film composer|composers) (?:of|for|on|behind|in) (?P<f>.+)$".into()),
        (Asks::Score, "^(?:what|which) composer (?:scored|did|wrote|composed|worked on|made) (?P<f>.+)$".into()),
        (Asks::Score, "^(?:the )?(?:composer|composers|music|score|film score) (?:of|for|to|in) (?P<f>.+)$".into()),
        (Asks::Score, "^(?P<f>.+?) (?:composer|composers|score composer)$".into()),
        // What a composer scored.
        (Asks::Works, "^(?:what|which) (?:other )?(?:films?|movies?|scores?|soundtracks?|music|works?|pictures?)? ?(?:did|has|have|does) (?P<c>.+?) (?:compose|composed|score|scored|write|written|wrote|do|done|work on|worked on|make|made)(?: (?:the )?(?:music|score|scores|soundtracks?))?(?: for)?$".into()),
        (Asks::Works, "^(?:films?|movies?|scores?|works?|soundtracks?|music) (?:scored |composed |written )?by (?P<c>.+)$".into()),
        (Asks::Works, "^(?:list |show )?(?:all )?(?:of )?(?P<c>.+?) (?:filmography|scores|film scores|soundtracks|films|movies|works)$".into()),
        // When a film came out.
        (Asks::Released, "^when (?:was|did|is|were) (?P<f>.+?) (?:released|come out|came out|made|scored|composed|premiered|out|released in cinemas|first released|from)$".into()),
        (Asks::Released, "^(?:what|which) year (?:was|did|is|were) (?P<f>.+?)(?: released| come out| made| scored| from| out)?$".into()),
        (Asks::Released, "^(?:release date|release year|year) (?:of|for) (?P<f>.+)$".into()),
        (Asks::Released, "^(?P<f>.+?) (?:release date|release year)$".into()),
        // Awards.
        (Asks::Awards, "^(?:what|which) (?:awards?|oscars?|academy awards?|prizes?|honou?rs?) (?:did|has|have|does) (?P<s>.+?) (?:win|won|get|got|receive|received|earn|earned)(?: for .*)?$".into()),
        (Asks::Awards, "^(?:did|has|have|does) (?P<s>.+?) (?:win|won|get|got|receive|received|have) (?:an? |any )?(?:oscars?|awards?|academy awards?|grammys?|golden globes?|baftas?)(?: for .*)?$".into()),
        (Asks::Awards, "^how many (?:oscars|awards|academy awards) (?:did|has|have|does) (?P<s>.+?) (?:win|won|get|got|have)$".into()),
        (Asks::Awards, "^(?:awards?|oscars?|academy awards?) (?:for|of|won by) (?P<s>.+)$".into()),
        (Asks::Awards, "^(?P<s>.+?) (?:awards|oscars|oscar wins|academy awards)$".into()),
        // Songs.
        (Asks::Soundtrack, "^(?:what|which) (?:songs?|tracks?) (?:are|is|were|was|plays?|played|features?|featured|appears?|appeared|do you hear|can you hear|can i hear)? ?(?:in|on|from|used in|featured in|during) (?P<f>.+)$".into()),
        (Asks::Soundtrack, "^(?:songs?|tracks?|tracklist|track list) (?:in|from|on|of|used in) (?P<f>.+)$".into()),
        (Asks::Soundtrack, "^(?:whats|what is|what s) (?:on |in )?(?:the )?soundtrack (?:of|for|to|on|in) (?P<f>.+)$".into()),
        (Asks::Soundtrack, "^(?:the )?soundtrack (?:of|for|to) (?P<f>.+)$".into()),
        (Asks::Soundtrack, "^(?:whats|what is|what are) (?:the )?(?:songs (?:in|on|from) )?(?P<f>.+?) (?:soundtrack|songs|ost|tracklist|soundtrack album)$".into()),
        (Asks::Soundtrack, "^(?P<f>.+?) (?:soundtrack|songs|ost|tracklist|track list|soundtrack album|playlist)$".into()),
        // Definitions.
        (Asks::Define, format!("^(?:whats|what is|what are|what was|what were|what s|wat is|wats|whats an?) {a}(?:term |word |meaning of |definition of )?(?P<t>.+?)(?: in (?:film|films|movies?|film music|music|cinema|soundtracks?|scoring))?$")),
        (Asks::Define, format!("^(?:define|definition of|definition for|meaning of|explain|describe)(?: the term| the word)? {a}(?P<t>.+)$")),
        (Asks::Define, format!("^what (?:does|do) (?:the (?:term|word) )?{a}(?P<t>.+?) mean(?: in .*)?$")),
        (Asks::Define, "^what (?:is|are) meant by (?P<t>.+)$".into()),
        // Anything about a name.
        (Asks::About, "^(?:tell me|tell us|talk|teach me|info|information|facts|anything|what do you know|what can you tell me|more|learn) (?:more )?(?:about|on|regarding) (?:the (?:film|movie|composer) )?(?P<s>.+)$".into()),
        // "tell me about x" after "tell me" was taken as politeness.
        (Asks::About, "^(?:about|regarding) (?:the (?:film|movie|composer) )?(?P<s>.+)$".into()),
        (Asks::About, "^(?:who is|who was|whos|who s|who are|who were) (?P<s>.+)$".into()),
        (Asks::About, "^(?:what|which) (?:film|movie) is (?P<s>.+)$".into()),
    ]
}

/// A pattern over folded text, which is ASCII only: matched byte by byte, without the
/// automaton Unicode would need for each `.`. Matched by the one-pass DFA where the pattern
/// allows it, else the bounded backtracker (the PikeVM for a text too long for it), all built
/// up front: a lazy DFA would build its states for each new question, as nearly every question
/// in chat is, and a search through it then a second engine for the captures touches more
/// memory than one engine does, which matters because a message seldom finds the bot's memory
/// in the processor's caches.
///
/// The patterns are constants, compiled by the tests below: one that fails is a bug, not input.
fn ascii(pattern: &str) -> Regex {
    Regex::builder()
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .configure(Regex::config().hybrid(false).dfa(false))
        .build(pattern)
        .unwrap_or_else(|error| panic!("the pattern {pattern:?} compiles: {error}"))
}

/// Words a name seldom starts with: if a capture starts with one, the template has probably
/// misread the question.
const NOT_A_NAME_START: [&str; 16] = [
    "what", "whats", "who", "whos", "which", "how", "when", "why", "is", "are", "does", "do",
    "did", "can", "could", "was",
];

/// Words said before a question ("hey", "ok so"), each followed by a space or the end.
const GREETING: &str = "(?:hey|hi|hello|ok|okay|so|and|also|but|then|um|yo|please|pls|quick question|question|leitmotif|bot)";
/// Ways of asking that come before the question itself ("can you tell me").
const ASKING: &str = "(?:(?:can|could|would|will) you (?:please |pls )?(?:tell me |explain |say )|do you know |does anyone know |anyone know |i (?:want|would like|wanna|d like) to know |i wonder |i was wondering |tell me )";
/// Words after a question that are not part of it, each after a space.
const TRAILING: [&str; 5] = [" please", " pls", " thanks", " thank you", " thx"];

/// A compiled template.
#[derive(Debug)]
struct Template {
    asks: Asks,
    regex: Regex,
    /// The capture group of each of `asks.names()`, in that order.
    groups: [usize; MAX_NAMES],
}

impl Template {
    fn new(asks: Asks, pattern: &str) -> Template {
        let regex = ascii(pattern);
        let mut groups = [0; MAX_NAMES];
        for (group, name) in groups.iter_mut().zip(asks.names()) {
            *group = regex
                .group_info()
                .to_index(PatternID::ZERO, name)
                .expect("a template captures the names its question reads");
        }
        Template {
            asks,
            regex,
            groups,
        }
    }

    /// The `n`th name of `asks.names()` in `text`, from the `slots` a search of `text` filled.
    fn captured<'a>(
        &self,
        text: &'a str,
        slots: &[Option<NonMaxUsize>],
        n: usize,
    ) -> Option<&'a str> {
        let group = self.groups[n];
        let start = slots.get(group * 2).copied().flatten()?.get();
        let end = slots.get(group * 2 + 1).copied().flatten()?.get();
        text.get(start..end)
    }
}

/// Room for the whole match and every name.
const SLOTS: usize = 2 * (1 + MAX_NAMES);

/// The compiled templates. Build once and share: compiling takes milliseconds, matching microseconds.
#[derive(Debug)]
pub struct Templates {
    patterns: Vec<Template>,
    /// Which of `patterns` a question can fit, by its first and last words.
    gates: Gates,
    politeness: Regex,
    /// The first words politeness can start with: other messages have none.
    politeness_openers: WordGate,
}

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

impl Templates {
    /// Compiles the templates.
    pub fn new() -> Templates {
        let list = templates();
        let gates = Gates::new(&list.iter().map(|(_, p)| p.as_str()).collect::<Vec<_>>());
        let patterns = list
            .into_iter()
            .map(|(asks, p)| Template::new(asks, &p))
            .collect();
        let politeness = ascii(&format!("^(?:{GREETING}(?: |$))*{ASKING}?"));
        // Politeness that is there starts with a greeting or a way of asking: the messages
        // that begin so are the ones to look for it in.
        let politeness_openers = WordGate::new(
            [
                format!("^{GREETING}(?: .*)?$").as_str(),
                format!("^{ASKING}.*$").as_str(),
            ],
            End::First,
        );
        Templates {
            patterns,
            gates,
            politeness,
            politeness_openers,
        }
    }

    /// The readings of a folded message that fit a template, in priority order: any doubtful
    /// ones first, then the first sure one.
    pub fn match_question(&self, folded: &str) -> Readings {
        let mut readings = Readings::default();
        let start = if self.politeness_openers.admits(folded) != 0 {
            self.politeness
                .find(folded.as_bytes())
                .map_or(0, |m| m.end())
        } else {
            0
        };
        let mut core = &folded[start..];
        if let Some(rest) = TRAILING.iter().find_map(|t| core.strip_suffix(t)) {
            core = rest;
        }
        let core = core.trim();
        if core.is_empty() {
            return readings;
        }
        for i in members(self.gates.candidates(core)) {
            let template = &self.patterns[i];
            // On the stack: a search allocates nothing.
            let mut slots = [None; SLOTS];
            let input = Input::new(core).anchored(Anchored::Yes);
            if template.regex.search_slots(&input, &mut slots).is_none() {
                continue;
            }
            let mut doubtful = false;
            let mut name = |n: usize| {
                let name = self.clean_subject(template.captured(core, &slots, n)?);
                match judge(name) {
                    Capture::Name => {}
                    Capture::Doubtful => doubtful = true,
                    Capture::NotAName => return None,
                }
                Some(name.to_string())
            };
            let question = match template.asks {
                Asks::Help => Some(Question::Help),
                Asks::Score => name(0).map(|film| Question::Score { film }),
                Asks::Soundtrack => name(0).map(|film| Question::Soundtrack { film }),
                Asks::Released => name(0).map(|film| Question::Released { film }),
                Asks::Works => name(0).map(|composer| Question::Works { composer }),
                Asks::Define => name(0).map(|term| Question::Define { term }),
                Asks::Awards => name(0).map(|subject| Question::Awards { subject }),
                Asks::About => name(0).map(|subject| Question::About { subject }),
                Asks::Compare => match (name(0), name(1)) {
                    (Some(first), Some(second)) => Some(Question::Compare { first, second }),
                    _ => None,
                },
            };
            match question {
                Some(question) if doubtful => readings.doubtful.push(question),
                Some(question) => {
                    readings.sure = Some(question);
                    break;
                }
                None => {}
            }
        }
        readings
    }

    /// A captured name without the words around it that are not part of it: a leading article
    /// or "film", a trailing "score" or "music" ("psychos score" -> "psychos").
    pub fn clean_subject<'a>(&self, subject: &'a str) -> &'a str {
        let mut s = subject.trim();
        for prefix in [
            "the film ",
            "the movie ",
            "film ",
            "movie ",
            "the composer ",
            "composer ",
        ] {
            if let Some(rest) = s.strip_prefix(prefix) {
                s = rest;
            }
        }
        for suffix in [
            " film score",
            " score",
            " music",
            " soundtrack",
            " film",
            " movie",
        ] {
            if let Some(rest) = s.strip_suffix(suffix)
                && !rest.is_empty()
            {
                s = rest;
            }
        }
        s
    }
}

/// The readings of a message that fit templates.
#[derive(Debug, Default)]
pub struct Readings {
    /// Readings whose names begin with a question word: usually the template misread the
    /// question ("who is who scored psycho"), but titles begin that way too ("How to Train Your
    /// Dragon", "When Harry Met Sally...").
    pub doubtful: Vec<Question>,
    /// The first reading whose names look like names.
    pub sure: Option<Question>,
}

/// What a template captured where a name should be.
enum Capture {
    Name,
    Doubtful,
    NotAName,
}

fn judge(subject: &str) -> Capture {
    let stripped = crate::text::strip_article(subject);
    let first = stripped.split(' ').next().unwrap_or("");
    if stripped.is_empty() || ["a", "an", "the"].contains(&stripped) {
        Capture::NotAName
    } else if NOT_A_NAME_START.contains(&first) {
        Capture::Doubtful
    } else {
        Capture::Name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        let templates = Templates::new();
        assert_eq!(templates.patterns.len(), self::templates().len());
    }

    #[test]
    fn every_template_captures_the_names_its_question_reads_and_no_more() {
        for template in Templates::new().patterns {
            let names: Vec<&str> = template
                .regex
                .group_info()
                .pattern_names(PatternID::ZERO)
                .flatten()
                .collect();
            assert_eq!(names, template.asks.names(), "{:?}", template.regex);
            assert_eq!(
                template.regex.group_info().group_len(PatternID::ZERO),
                names.len() + 1,
                "every group but the whole match is a named one"
            );
        }
    }

    #[test]
    fn every_template_is_anchored_at_both_ends() {
        // The gates read a template's literal first and last words as the message's.
        for (_, pattern) in self::templates() {
            assert!(
                pattern.starts_with('^') && pattern.ends_with('$'),
                "{pattern}"
            );
        }
        assert!(self::templates().len() <= crate::question::gate::MAX_PATTERNS);
    }

    /// Every template a message fits, and whether it has politeness, found without the gates.
    fn ungated(templates: &Templates, folded: &str) -> (Vec<usize>, bool) {
        let polite = templates
            .politeness
            .find(folded.as_bytes())
            .is_some_and(|m| m.end() > 0);
        let start = templates
            .politeness
            .find(folded.as_bytes())
            .map_or(0, |m| m.end());
        let core = folded[start..].trim();
        let fits = templates
            .patterns
            .iter()
            .enumerate()
            .filter(|(_, template)| template.regex.is_match(core.as_bytes()))
            .map(|(i, _)| i)
            .collect();
        (fits, polite)
    }

    #[test]
    fn the_gates_let_through_every_template_a_message_fits() {
        let templates = Templates::new();
        let data = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data/");
        let mut messages: Vec<String> = ["questions.txt", "chat.txt"]
            .iter()
            .flat_map(|file| {
                let text = std::fs::read_to_string(format!("{data}{file}"))
                    .unwrap_or_else(|e| panic!("{file}: {e}"));
                text.lines().map(str::to_string).collect::<Vec<_>>()
            })
            .collect();
        // One message made for each template from the words its gates know.
        messages.extend(
            [
                "help",
                "psycho vs vertigo",
                "score vs soundtrack please",
                "hey can you tell me who scored psycho thanks",
                "ok so what is a leitmotif",
                "i wonder who composed jaws",
                "psycho composer",
                "john williams filmography",
                "list all of hans zimmers film scores",
                "jaws release date",
                "did john williams win any oscars for jaws",
                "ennio morricone academy awards",
                "what songs are in pulp fiction",
                "pulp fiction track list",
                "whats the difference between score and soundtrack",
                "what does diegetic mean in film",
                "tell me about vertigo",
                "about the film vertigo",
                "which film is psycho",
                "academy awards won by john williams",
                "the soundtrack of jaws",
                "what is meant by underscore",
                "info on ennio morricone",
            ]
            .map(str::to_string),
        );
        let mut fitted = vec![0; templates.patterns.len()];
        for message in &messages {
            let folded = crate::text::fold(message);
            let (fits, polite) = ungated(&templates, &folded);
            let start = templates
                .politeness
                .find(folded.as_bytes())
                .map_or(0, |m| m.end());
            let candidates = templates.gates.candidates(folded[start..].trim());
            for i in &fits {
                assert!(
                    candidates & (1 << i) != 0,
                    "{message:?}: template {i} fits but its gates turned it away"
                );
            }
            for i in fits {
                fitted[i] += 1;
            }
            assert!(
                !polite || templates.politeness_openers.admits(&folded) != 0,
                "{message:?}: its politeness was not let through"
            );
        }
        let unchecked: Vec<usize> = (0..fitted.len()).filter(|&i| fitted[i] == 0).collect();
        assert!(
            unchecked.is_empty(),
            "no message fits templates {unchecked:?}"
        );
    }
}
