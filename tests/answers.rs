//! The question engine against the shipped knowledge: real questions and what their answers must
//! say, typos, questions it must not answer, and replies that always fit Discord's limits.

use std::sync::OnceLock;

use leitmotif::answer::{Answer, ComposerView, FilmView};
use leitmotif::engine::Engine;
use leitmotif::knowledge::{self, EntryRef, Kind, Knowledge, Match};
use leitmotif::reply::{self, Reply};
use leitmotif::text::discord_len;

fn knowledge() -> &'static Knowledge {
    static KNOWLEDGE: OnceLock<Knowledge> = OnceLock::new();
    KNOWLEDGE.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
        knowledge::load_dir(&dir).unwrap_or_else(|e| panic!("the shipped knowledge loads: {e}"))
    })
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new("/"))
}

/// Everything a user sees of a reply, as one string.
fn shown(reply: &Reply) -> String {
    let mut text = format!("{}\n{}\n", reply.embed.title, reply.embed.description);
    for field in &reply.embed.fields {
        text.push_str(&format!("{}\n{}\n", field.name, field.value));
    }
    text.push_str(&reply.embed.footer);
    for link in &reply.links {
        text.push_str(&format!("\n[{}]", link.label));
    }
    text
}

fn ask(question: &str) -> (Answer, Reply) {
    let exchange = engine().ask(knowledge(), question);
    assert_fits(&exchange.reply, question);
    (exchange.answer, exchange.reply)
}

fn assert_fits(reply: &Reply, context: &str) {
    let e = &reply.embed;
    assert!(
        discord_len(&e.title) <= reply::MAX_TITLE,
        "{context}: title"
    );
    assert!(
        discord_len(&e.description) <= reply::MAX_DESCRIPTION,
        "{context}: description"
    );
    assert!(e.fields.len() <= reply::MAX_FIELDS, "{context}: fields");
    for f in &e.fields {
        assert!(
            discord_len(&f.name) <= reply::MAX_FIELD_NAME,
            "{context}: field name"
        );
        assert!(
            discord_len(&f.value) <= reply::MAX_FIELD_VALUE,
            "{context}: field value {}",
            f.name
        );
        assert!(!f.value.is_empty(), "{context}: empty field {}", f.name);
    }
    assert!(
        discord_len(&e.footer) <= reply::MAX_FOOTER,
        "{context}: footer"
    );
    assert!(
        e.total_len() <= reply::MAX_TOTAL,
        "{context}: total {}",
        e.total_len()
    );
    assert!(
        reply.links.len() <= reply::MAX_BUTTONS,
        "{context}: buttons"
    );
    for link in &reply.links {
        assert!(
            discord_len(&link.label) <= reply::MAX_BUTTON_LABEL,
            "{context}: label"
        );
        assert!(link.target.custom_id().len() <= 100, "{context}: custom id");
    }
}

#[test]
fn real_questions_get_the_right_answers() {
    // (question, texts the reply must contain)
    let table: &[(&str, &[&str])] = &[
        ("who scored Psycho?", &["Psycho (1960)", "Bernard Herrmann"]),
        ("/score psycho", &["Psycho (1960)", "Bernard Herrmann"]),
        (
            "Who wrote the music for The Dark Knight?",
            &[
                "The Dark Knight (2008)",
                "Hans Zimmer",
                "James Newton Howard",
            ],
        ),
        ("who scored the dark knight", &["James Newton Howard"]),
        ("dark knight", &["The Dark Knight (2008)"]),
        (
            "What's the difference between a score and a soundtrack?",
            &["Score vs soundtrack", "Pulp Fiction"],
        ),
        ("score vs soundtrack", &["Score vs soundtrack"]),
        (
            "what is the difference between diegetic and non-diegetic music",
            &["Diegetic music", "Non-diegetic music"],
        ),
        ("what is a leitmotif?", &["Leitmotif", "Wagner"]),
        ("/define leitmotif", &["Leitmotif"]),
        ("define leitmotifs", &["Leitmotif"]),
        ("what does OST mean", &["soundtrack"]),
        ("what's a needle drop?", &["Needle drop"]),
        ("what is mickey mousing", &["Mickey-mousing"]),
        (
            "who composed The Good, the Bad and the Ugly?",
            &["The Good, the Bad and the Ugly (1966)", "Ennio Morricone"],
        ),
        ("who scored good bad ugly", &["Ennio Morricone"]),
        ("when was Once Upon a Time in the West released?", &["1968"]),
        (
            "Once Upon a Time in the West",
            &["Once Upon a Time in the West (1968)", "Ennio Morricone"],
        ),
        (
            "who did the music for E.T.?",
            &["E.T. the Extra-Terrestrial (1982)", "John Williams"],
        ),
        ("who scored ET", &["John Williams"]),
        (
            "what awards did E.T. win?",
            &["Academy Award", "Best Original Score", "1983"],
        ),
        (
            "who scored Star Wars",
            &["Star Wars (1977)", "John Williams"],
        ),
        (
            "who composed the nightmare before christmas",
            &["Danny Elfman"],
        ),
        (
            "/soundtrack pulp fiction",
            &[
                "Pulp Fiction (1994)",
                "no original score",
                "Urge Overkill",
                "Neil Diamond",
                "Girl, You'll Be a Woman Soon",
            ],
        ),
        ("who scored Pulp Fiction?", &["no original score"]),
        ("what songs are in Pulp Fiction?", &["Urge Overkill"]),
        ("who scored titanic", &["James Horner"]),
        ("who scored inception", &["Hans Zimmer"]),
        ("who composed the lion king", &["Hans Zimmer"]),
        (
            "/composer zimmer",
            &["Hans Zimmer", "The Lion King", "Dune"],
        ),
        ("how many oscars has hans zimmer won", &["2 Academy Awards"]),
        (
            "what did Morricone score?",
            &["Ennio Morricone", "The Good, the Bad and the Ugly"],
        ),
        ("tell me about Ennio Morricone", &["Ennio Morricone"]),
        ("ennio morricone", &["Ennio Morricone"]),
        ("who is bernard herrmann", &["Bernard Herrmann", "Psycho"]),
        ("Miklos Rozsa", &["Miklós Rózsa"]),
        ("/help", &["/score", "/define"]),
    ];
    let mut failures = Vec::new();
    for (question, needles) in table {
        let (answer, reply) = ask(question);
        let text = shown(&reply);
        if !answer.is_answered() {
            failures.push(format!("{question:?} was not answered:\n{text}"));
            continue;
        }
        for needle in *needles {
            if !text.contains(needle) {
                failures.push(format!("{question:?}: reply lacks {needle:?}:\n{text}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn typos_are_forgiven_and_said_to_be_guesses() {
    for (typo, expected) in [
        ("pyscho", "Psycho (1960)"),
        ("the drak knight", "The Dark Knight"),
        ("interstelar", "Interstellar"),
    ] {
        let (answer, reply) = ask(&format!("/score {typo}"));
        assert!(
            matches!(
                answer,
                Answer::Film {
                    how: Match::Close,
                    ..
                }
            ),
            "{typo}: {answer:?}"
        );
        assert!(
            reply.embed.title.contains(expected),
            "{typo}: {}",
            reply.embed.title
        );
        assert!(reply.embed.description.contains("Closest match"), "{typo}");
    }
    let (answer, reply) = ask("what did zimer compose");
    assert!(
        matches!(
            answer,
            Answer::Composer {
                view: ComposerView::Works,
                ..
            }
        ),
        "{answer:?}"
    );
    assert!(reply.embed.title.contains("Hans Zimmer"));
}

#[test]
fn ambiguous_names_get_did_you_mean_not_a_guess() {
    let (answer, reply) = ask("/composer newman");
    let Answer::Unknown { suggestions, .. } = &answer else {
        panic!("guessed: {answer:?}")
    };
    assert!(!suggestions.is_empty() && suggestions.len() <= 3);
    assert!(shown(&reply).contains("Did you mean"));
    assert!(reply.private, "a did-you-mean is shown only to the asker");
    assert!(!reply.answered);
}

#[test]
fn unknown_and_off_topic_questions_are_not_answered() {
    for question in [
        "who scored Avatar: The Way of Water",
        "what's the weather like tomorrow",
        "asdfgh qwerty",
        "who won the world cup",
    ] {
        let (answer, reply) = ask(question);
        assert!(!answer.is_answered(), "{question:?} got {answer:?}");
        let text = shown(&reply);
        assert!(
            text.contains("don't know") || text.contains("outside"),
            "{question:?}: {text}"
        );
    }
}

#[test]
fn views_follow_the_question() {
    assert!(matches!(
        ask("when was jaws released").0,
        Answer::Film {
            view: FilmView::Released,
            ..
        }
    ));
    assert!(matches!(
        ask("what songs are in titanic").0,
        Answer::Film {
            view: FilmView::Soundtrack,
            ..
        }
    ));
    assert!(matches!(
        ask("did titanic win an oscar").0,
        Answer::Film {
            view: FilmView::Awards,
            ..
        }
    ));
}

#[test]
fn titles_that_begin_like_questions_are_understood() {
    // "How to Train Your Dragon" begins like a question: the question around it still decides
    // which side of the film is shown.
    let cases = [
        (
            "when did How to Train Your Dragon come out",
            FilmView::Released,
        ),
        (
            "which songs play in How to Train Your Dragon",
            FilmView::Soundtrack,
        ),
        (
            "what's on the soundtrack of how to train your dragon",
            FilmView::Soundtrack,
        ),
        ("who scored how to train your dragon?", FilmView::Score),
    ];
    for (question, expected) in cases {
        let (answer, reply) = ask(question);
        match answer {
            Answer::Film { view, .. } => assert_eq!(view, expected, "{question}"),
            other => panic!("{question}: {other:?}"),
        }
        assert!(
            shown(&reply).contains("How to Train Your Dragon (2010)"),
            "{question}: {}",
            shown(&reply)
        );
    }
    // A name that begins like a question and is not known is still said to be unknown, as
    // the name the question asked about.
    let (answer, _) = ask("when did how the west was sung come out");
    match answer {
        Answer::Unknown { asked, .. } => assert_eq!(asked, "how the west was sung"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn chat_nobody_addressed_is_answered_only_when_sure() {
    let k = knowledge();
    let sure = engine().answer_unasked(k, "who scored the dark knight?");
    assert!(
        sure.is_some_and(|exchange| shown(&exchange.reply).contains("James Newton Howard")),
        "a question in words about a known film"
    );
    for chat in [
        "who scored the drak knight?",
        "the dark knight",
        "who won the game last night?",
        "what is love?",
    ] {
        assert!(
            engine().answer_unasked(k, chat).is_none(),
            "{chat:?} is not answered unasked"
        );
    }
}

#[test]
fn the_known_traps_are_right() {
    let k = knowledge();
    let film = |id: &str| k.film(k.by_id(id).expect(id).index);
    assert_eq!(film("once-upon-a-time-in-the-west").year, 1968);
    let dark_knight: Vec<&str> = film("the-dark-knight")
        .composers
        .iter()
        .map(|&c| k.composer(c).id.as_str())
        .collect();
    assert_eq!(dark_knight, ["hans-zimmer", "james-newton-howard"]);
    assert!(film("pulp-fiction").composers.is_empty());
    let zimmer = k.composer(k.by_id("hans-zimmer").expect("zimmer").index);
    let oscars: Vec<(String, u16)> = zimmer
        .awards
        .iter()
        .filter(|a| a.award.starts_with("Academy Award") && a.result == knowledge::AwardResult::Won)
        .map(|a| (k.film(a.film.expect("on a film")).id.clone(), a.year))
        .collect();
    assert_eq!(
        oscars,
        [
            ("the-lion-king".to_string(), 1995),
            ("dune-2021".to_string(), 2022)
        ]
    );
}

#[test]
fn every_entry_renders_within_discord_limits_in_every_view() {
    let k = knowledge();
    let e = engine();
    let asked = String::from("x");
    for (i, _) in k.films().iter().enumerate() {
        for view in [
            FilmView::Score,
            FilmView::Soundtrack,
            FilmView::Released,
            FilmView::Awards,
        ] {
            let answer = Answer::Film {
                film: i as u32,
                view,
                how: Match::Exact,
                asked: asked.clone(),
            };
            assert_fits(&e.render(k, &answer), &k.films()[i].id);
        }
    }
    for (i, c) in k.composers().iter().enumerate() {
        for view in [
            ComposerView::Profile,
            ComposerView::Works,
            ComposerView::Awards,
        ] {
            let answer = Answer::Composer {
                composer: i as u32,
                view,
                how: Match::Exact,
                asked: asked.clone(),
            };
            assert_fits(&e.render(k, &answer), &c.id);
        }
    }
    for (i, t) in k.terms().iter().enumerate() {
        let answer = Answer::Term {
            term: i as u32,
            how: Match::Close,
            asked: "a".repeat(300),
        };
        assert_fits(&e.render(k, &answer), &t.id);
    }
}

#[test]
fn autocomplete_ranks_prefixes_first_and_forgives_typos() {
    let k = knowledge();
    let labels = |kind: Kind, partial: &str| -> Vec<String> {
        let choices: Vec<EntryRef> = k.complete(kind, partial, 25);
        assert!(choices.len() <= 25);
        choices.into_iter().map(|e| k.label(e)).collect()
    };
    assert_eq!(
        labels(Kind::Film, "psy").first().map(String::as_str),
        Some("Psycho (1960)")
    );
    assert!(
        labels(Kind::Film, "dark")
            .iter()
            .any(|l| l == "The Dark Knight (2008)")
    );
    assert_eq!(labels(Kind::Film, "").len(), 25);
    assert_eq!(labels(Kind::Film, "s").len(), 25);
    assert_eq!(
        labels(Kind::Composer, "zimer").first().map(String::as_str),
        Some("Hans Zimmer")
    );
    assert_eq!(
        labels(Kind::Composer, "morr").first().map(String::as_str),
        Some("Ennio Morricone")
    );
    assert_eq!(
        labels(Kind::Term, "leit").first().map(String::as_str),
        Some("Leitmotif")
    );
}

/// Knowledge filled to every limit the loader allows, with emoji (two UTF-16 units each), still
/// renders within Discord's limits.
#[test]
fn knowledge_at_every_limit_still_fits() {
    let dir = tempfile::tempdir().expect("temp dir");
    for folder in ["films", "composers", "terms"] {
        std::fs::create_dir(dir.path().join(folder)).expect("folder");
    }
    let long = |n: usize| {
        "🎻 word"
            .repeat(n / 7)
            .chars()
            .take(n / 2)
            .collect::<String>()
    };
    let quoted = |s: String| format!("{s:?}");
    let mut film = format!(
        "title: {}\nyear: 2001\ndirectors: [{}]\ncomposers: [big-composer]\nmusic: both\nsummary: {}\nsources: [{}]\ncues:\n",
        quoted(long(100)),
        quoted(long(100)),
        quoted(long(1200)),
        quoted(format!("https://example.com/{}", "a".repeat(250)))
    );
    for i in 0..25 {
        film.push_str(&format!(
            "  - title: {}\n    note: {}\n",
            quoted(format!("{i} {}", long(90))),
            quoted(long(300))
        ));
    }
    film.push_str("songs:\n");
    for i in 0..50 {
        film.push_str(&format!(
            "  - title: {}\n    performer: {}\n    writer: {}\n    note: {}\n",
            quoted(format!("{i} {}", long(90))),
            quoted(long(100)),
            quoted(long(100)),
            quoted(long(300))
        ));
    }
    film.push_str(&format!("album: {}\nawards:\n", quoted(long(150))));
    for i in 0..25 {
        film.push_str(&format!(
            "  - award: {}\n    year: 2002\n    result: won\n    for: {}\n",
            quoted(format!("{i} {}", long(140))),
            quoted(long(100))
        ));
    }
    std::fs::write(dir.path().join("films/big-film.yaml"), film).expect("write");
    let composer = format!(
        "name: {}\nborn: 1950\nbio: {}\nsources: [https://example.com]\nother_scores:\n{}",
        quoted(long(100)),
        quoted(long(1200)),
        (0..25)
            .map(|i| format!(
                "  - title: {}\n    year: 1990\n",
                quoted(format!("{i} {}", long(90)))
            ))
            .collect::<String>()
    );
    std::fs::write(dir.path().join("composers/big-composer.yaml"), composer).expect("write");
    let term = format!(
        "term: {}\ndefinition: {}\nsources: [https://example.com]\nexamples: [big-film]\n",
        quoted(long(100)),
        quoted(long(1200))
    );
    std::fs::write(dir.path().join("terms/big-term.yaml"), term).expect("write");

    let k = knowledge::load_dir(dir.path())
        .unwrap_or_else(|e| panic!("limit-sized knowledge loads: {e}"));
    let e = Engine::new("/");
    for view in [
        FilmView::Score,
        FilmView::Soundtrack,
        FilmView::Released,
        FilmView::Awards,
    ] {
        let reply = e.render(
            &k,
            &Answer::Film {
                film: 0,
                view,
                how: Match::Close,
                asked: long(2000),
            },
        );
        assert_fits(&reply, &format!("big film {view:?}"));
    }
    for view in [
        ComposerView::Profile,
        ComposerView::Works,
        ComposerView::Awards,
    ] {
        let reply = e.render(
            &k,
            &Answer::Composer {
                composer: 0,
                view,
                how: Match::Exact,
                asked: String::new(),
            },
        );
        assert_fits(&reply, &format!("big composer {view:?}"));
    }
    assert_fits(
        &e.render(
            &k,
            &Answer::Term {
                term: 0,
                how: Match::Exact,
                asked: String::new(),
            },
        ),
        "big term",
    );
    assert_fits(
        &e.ask(&k, &format!("/score {}", long(3000))).reply,
        "long question",
    );
}

#[test]
fn knowledge_built_from_kept_sources_answers_as_knowledge_built_from_owned_ones() {
    // The bot builds from the sources it keeps (`build_from`); loading consumes them (`build`).
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge");
    let sources = knowledge::read_dir(&dir).expect("the shipped knowledge reads");
    let kept = knowledge::build_from(&sources).expect("builds from kept sources");
    let owned = knowledge::build(sources.clone()).expect("builds from owned sources");
    let questions = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/data/questions.txt"),
    )
    .expect("the benchmark questions");
    let mut asked = 0;
    for question in questions
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        assert_eq!(
            engine().ask(&kept, question).reply,
            engine().ask(&owned, question).reply,
            "{question}"
        );
        asked += 1;
    }
    assert!(asked >= 1000, "{asked} questions");

    // And a broken source is reported the same way by both.
    let mut broken = sources;
    broken.films[0].2.year.value = 1500;
    let from_kept = knowledge::build_from(&broken).expect_err("a year of 1500 is refused");
    let from_owned = knowledge::build(broken).expect_err("a year of 1500 is refused");
    assert_eq!(from_kept, from_owned);
    assert!(
        from_kept.iter().any(|p| p.message.contains("1500")),
        "{from_kept:?}"
    );
}
