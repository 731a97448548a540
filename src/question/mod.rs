//! What a message asks. The one place that decides what a question means: slash-style commands
//! ("/score psycho"), questions in plain words ("who scored the dark knight?"), or a bare name.
//! It only reads the words; looking names up is [`crate::answer`]'s job.

mod gate;
mod templates;

use crate::text;

pub use templates::Templates;

/// A question, with the names in it as the user wrote them (folded).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Question {
    /// A film's score: who wrote it and what it is like ("/score psycho", "who scored psycho").
    Score {
        /// The film as written.
        film: String,
    },
    /// A film's songs and album ("/soundtrack pulp fiction", "what songs are in pulp fiction").
    Soundtrack {
        /// The film as written.
        film: String,
    },
    /// When a film came out ("when was jaws released").
    Released {
        /// The film as written.
        film: String,
    },
    /// A composer ("/composer zimmer", "who is hans zimmer").
    Composer {
        /// The composer as written.
        name: String,
    },
    /// What a composer scored ("what did morricone score").
    Works {
        /// The composer as written.
        composer: String,
    },
    /// A glossary term ("/define leitmotif", "what is a cue").
    Define {
        /// The term as written.
        term: String,
    },
    /// How two terms differ ("difference between a score and a soundtrack").
    Compare {
        /// The first term as written.
        first: String,
        /// The second term as written.
        second: String,
    },
    /// Awards for a film's music or a composer ("what awards did titanic win").
    Awards {
        /// The film or composer as written.
        subject: String,
    },
    /// Anything about a film, composer or term ("tell me about vertigo", or just "vertigo").
    About {
        /// The name as written.
        subject: String,
    },
    /// What the bot can do.
    Help,
    /// Nothing was asked (an empty message).
    Empty,
}

/// How the question was put, which decides how sure the bot must be before it answers unasked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// A command: "/score psycho", "!define cue".
    Command,
    /// A question in words the bot recognises: "who scored psycho?".
    Question,
    /// Just a name, or words the bot does not recognise as a question.
    Bare,
}

/// A parsed message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// What is asked.
    pub question: Question,
    /// How it was asked.
    pub form: Form,
    /// Readings to try before `question`, each taken only if its names are found: words that fit
    /// a template except that a name begins like a question ("when did how to train your dragon
    /// come out"). Usually empty.
    pub doubtful: Vec<Question>,
}

impl Parsed {
    fn new(question: Question, form: Form) -> Parsed {
        Parsed {
            question,
            form,
            doubtful: Vec::new(),
        }
    }
}

/// The commands, by the names users type after `/` or the text prefix.
pub const COMMANDS: [&str; 6] = ["score", "soundtrack", "composer", "define", "ask", "help"];

/// Parses a message or command text.
pub fn parse(templates: &Templates, message: &str) -> Parsed {
    let trimmed = message.trim();
    if let Some(rest) = trimmed
        .strip_prefix('/')
        .or_else(|| trimmed.strip_prefix('!'))
        && let Some(parsed) = parse_command(templates, rest)
    {
        return parsed;
    }
    let folded = text::fold(trimmed);
    if folded.is_empty() {
        return Parsed::new(Question::Empty, Form::Bare);
    }
    let mut readings = templates.match_question(&folded);
    let sure = match readings.sure {
        Some(question) => Some(question),
        // The best doubtful reading says better what was not found than the whole message does.
        None if !readings.doubtful.is_empty() => Some(readings.doubtful.remove(0)),
        None => None,
    };
    match sure {
        Some(question) => Parsed {
            question,
            form: Form::Question,
            doubtful: readings.doubtful,
        },
        None => Parsed::new(
            Question::About {
                subject: templates.clean_subject(&folded).to_string(),
            },
            Form::Bare,
        ),
    }
}

/// "score psycho" (the text after the slash or prefix) as a command, if it names one.
fn parse_command(templates: &Templates, text: &str) -> Option<Parsed> {
    let (name, argument) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
    let argument = argument.trim();
    let folded = || text::fold(argument);
    let question = match name.to_ascii_lowercase().as_str() {
        "score" | "film" | "movie" => Question::Score { film: folded() },
        "soundtrack" | "songs" | "ost" => Question::Soundtrack { film: folded() },
        "composer" => Question::Composer { name: folded() },
        "define" | "term" | "glossary" => Question::Define { term: folded() },
        "help" => Question::Help,
        "ask" => {
            return Some(Parsed {
                form: Form::Command,
                ..parse(templates, argument)
            });
        }
        _ => return None,
    };
    let missing = match &question {
        Question::Score { film } | Question::Soundtrack { film } => film.is_empty(),
        Question::Composer { name } => name.is_empty(),
        Question::Define { term } => term.is_empty(),
        _ => false,
    };
    let question = if missing { Question::Help } else { question };
    Some(Parsed::new(question, Form::Command))
}

/// Whether a chat message could be a question for the bot at all: the cheap test every message
/// in a channel that opted in passes through before anything else is done with it. It errs
/// towards yes; [`parse`] and the lookup decide the rest.
pub fn might_be_question(message: &str) -> bool {
    let bytes = message.as_bytes();
    if bytes.len() < 4 || bytes.len() > 300 {
        return false;
    }
    if memchr_question_mark(bytes) {
        return true;
    }
    let first_word = message
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    const OPENERS: [&str; 12] = [
        "who",
        "whos",
        "what",
        "whats",
        "which",
        "when",
        "define",
        "tell",
        "difference",
        "explain",
        "how",
        "did",
    ];
    first_word.len() <= 10 && OPENERS.iter().any(|w| w.eq_ignore_ascii_case(first_word))
}

fn memchr_question_mark(bytes: &[u8]) -> bool {
    bytes.contains(&b'?')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(text: &str) -> Parsed {
        parse(&Templates::new(), text)
    }

    fn q(text: &str) -> Question {
        ask(text).question
    }

    #[test]
    fn recognises_commands() {
        assert_eq!(
            ask("/score psycho"),
            Parsed::new(
                Question::Score {
                    film: "psycho".into()
                },
                Form::Command
            )
        );
        assert_eq!(
            q("!define Leitmotif"),
            Question::Define {
                term: "leitmotif".into()
            }
        );
        assert_eq!(
            q("/composer zimmer"),
            Question::Composer {
                name: "zimmer".into()
            }
        );
        assert_eq!(q("/score"), Question::Help);
        assert_eq!(ask("/ask who scored jaws").form, Form::Command);
    }

    #[test]
    fn recognises_questions_in_words() {
        let cases: &[(&str, Question)] = &[
            (
                "who scored Psycho?",
                Question::Score {
                    film: "psycho".into(),
                },
            ),
            (
                "Who wrote the music for The Dark Knight?",
                Question::Score {
                    film: "the dark knight".into(),
                },
            ),
            (
                "who composed the dark knight",
                Question::Score {
                    film: "dark knight".into(),
                },
            ),
            (
                "who's the composer of Jaws",
                Question::Score {
                    film: "jaws".into(),
                },
            ),
            (
                "What's the difference between a score and a soundtrack?",
                Question::Compare {
                    first: "score".into(),
                    second: "soundtrack".into(),
                },
            ),
            (
                "score vs soundtrack",
                Question::Compare {
                    first: "score".into(),
                    second: "soundtrack".into(),
                },
            ),
            (
                "what is a leitmotif",
                Question::Define {
                    term: "leitmotif".into(),
                },
            ),
            (
                "define mickey mousing",
                Question::Define {
                    term: "mickey mousing".into(),
                },
            ),
            (
                "what does diegetic mean?",
                Question::Define {
                    term: "diegetic".into(),
                },
            ),
            (
                "what did Morricone score?",
                Question::Works {
                    composer: "morricone".into(),
                },
            ),
            (
                "which films has john williams scored",
                Question::Works {
                    composer: "john williams".into(),
                },
            ),
            (
                "when was Jaws released?",
                Question::Released {
                    film: "jaws".into(),
                },
            ),
            (
                "what year is E.T. from",
                Question::Released { film: "et".into() },
            ),
            (
                "what awards did Titanic's score win?",
                Question::Awards {
                    subject: "titanics".into(),
                },
            ),
            (
                "did Zimmer win an Oscar",
                Question::Awards {
                    subject: "zimmer".into(),
                },
            ),
            (
                "what songs are in Pulp Fiction?",
                Question::Soundtrack {
                    film: "pulp fiction".into(),
                },
            ),
            (
                "pulp fiction soundtrack",
                Question::Soundtrack {
                    film: "pulp fiction".into(),
                },
            ),
            (
                "tell me about Ennio Morricone",
                Question::About {
                    subject: "ennio morricone".into(),
                },
            ),
            (
                "who is hans zimmer",
                Question::About {
                    subject: "hans zimmer".into(),
                },
            ),
            (
                "hey, can you tell me who scored jaws please",
                Question::Score {
                    film: "jaws".into(),
                },
            ),
            ("what can you do", Question::Help),
        ];
        for (text, expected) in cases {
            assert_eq!(&q(text), expected, "{text}");
            assert_eq!(ask(text).form, Form::Question, "{text}");
        }
    }

    #[test]
    fn what_is_a_soundtrack_is_a_definition_not_a_film_lookup() {
        assert_eq!(
            q("what is a soundtrack?"),
            Question::Define {
                term: "soundtrack".into()
            }
        );
        assert_eq!(
            q("what's the score?"),
            Question::Define {
                term: "score".into()
            }
        );
    }

    #[test]
    fn a_bare_name_is_about_that_name() {
        assert_eq!(
            ask("Vertigo"),
            Parsed::new(
                Question::About {
                    subject: "vertigo".into()
                },
                Form::Bare
            )
        );
        assert_eq!(q("   "), Question::Empty);
    }

    #[test]
    fn screening_lets_questions_through_and_stops_chat() {
        assert!(might_be_question("who scored the dark knight"));
        assert!(might_be_question("is this a cue?"));
        assert!(might_be_question("What's a leitmotif"));
        assert!(!might_be_question("lol that was great"));
        assert!(!might_be_question("ok"));
        assert!(!might_be_question("see you tomorrow at the cinema"));
    }
}
