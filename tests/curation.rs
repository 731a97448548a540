//! A server's own knowledge without Discord: imports checked as a whole, exports that import
//! back, damaged files that stop changes rather than lose data, and changes made after the
//! shipped knowledge was reloaded.

use std::path::Path;

use leitmotif::curation::{Actor, Change, CurationError, Curator, FilmInput, TermInput};
use leitmotif::knowledge::{self, Kind};

const GUILD: u64 = 42;

fn shipped() -> knowledge::Sources {
    knowledge::read_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge"))
        .expect("shipped knowledge reads")
}

fn alice() -> Actor {
    Actor {
        id: 7,
        name: "alice".into(),
    }
}

fn open(data: &Path) -> Curator {
    let (curator, problems) = Curator::open(data, shipped()).unwrap_or_else(|p| panic!("{p:?}"));
    assert!(problems.is_empty(), "{problems:?}");
    curator
}

fn refused(result: Result<leitmotif::curation::Applied, CurationError>) -> String {
    match result {
        Ok(applied) => panic!("accepted: {applied:?}"),
        Err(error) => error.to_string(),
    }
}

#[test]
fn an_import_is_checked_as_a_whole_before_anything_changes() {
    let data = tempfile::tempdir().expect("temp dir");
    let curator = open(data.path());
    let good_term = "terms:\n  wall-of-sound:\n    term: Wall of sound\n    definition: Dense layered production.\n";

    let unknown_field = format!("{good_term}    colour: red\n");
    assert!(
        refused(curator.apply(GUILD, &alice(), Change::Import(unknown_field))).contains("line 5")
    );
    let bad_reference = format!(
        "{good_term}films:\n  local-hero:\n    title: Local Hero\n    year: 1983\n    directors: [Bill Forsyth]\n    composers: [nobody]\n    music: original-score\n    summary: x\n"
    );
    let message = refused(curator.apply(GUILD, &alice(), Change::Import(bad_reference)));
    assert!(
        message.contains("no composer with id \"nobody\""),
        "{message}"
    );
    let escaping_id = "terms:\n  ../../etc:\n    term: Escape\n    definition: x\n";
    assert!(
        refused(curator.apply(GUILD, &alice(), Change::Import(escaping_id.into())))
            .contains("lower-case")
    );
    let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        bomb.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
    }
    let message = refused(curator.apply(GUILD, &alice(), Change::Import(bomb)));
    assert!(message.contains("budget"), "{message}");
    assert!(curator.entries(GUILD).is_empty(), "nothing was applied");
    assert!(!data.path().join("guilds").exists(), "nothing was written");

    let applied = curator
        .apply(GUILD, &alice(), Change::Import(good_term.into()))
        .expect("a good import applies");
    assert_eq!(applied.summary, "Imported 1 entries.");
    assert_eq!(
        curator
            .knowledge(Some(GUILD))
            .complete(Kind::Term, "wall of", 5)
            .len(),
        1
    );
    assert!(
        curator.knowledge(None).by_id("wall-of-sound").is_none(),
        "other places do not see it"
    );
}

#[test]
fn an_export_imports_back_into_another_deployment() {
    let data = tempfile::tempdir().expect("temp dir");
    let curator = open(data.path());
    let film = FilmInput {
        title: "Local Hero".into(),
        year: 1983,
        composers: "Mark Knopfler".into(),
        summary: "Folk-rock guitar for a Scottish village.".into(),
        ..FilmInput::default()
    };
    curator
        .apply(GUILD, &alice(), Change::AddFilm(film))
        .expect("added");
    let exported = curator.export(GUILD).expect("exports");

    let elsewhere = tempfile::tempdir().expect("temp dir");
    let other = open(elsewhere.path());
    other
        .apply(GUILD, &alice(), Change::Import(exported))
        .expect("imports");
    let knowledge = other.knowledge(Some(GUILD));
    let film = knowledge.film(knowledge.by_id("local-hero").expect("film").index);
    assert_eq!(knowledge.composer(film.composers[0]).name, "Mark Knopfler");

    // Copying the directory moves the server too.
    let copied = tempfile::tempdir().expect("temp dir");
    let from = data.path().join("guilds").join(GUILD.to_string());
    let to = copied.path().join("guilds").join(GUILD.to_string());
    std::fs::create_dir_all(&to).expect("mkdir");
    std::fs::copy(from.join("guild.yaml"), to.join("guild.yaml")).expect("copy");
    assert!(
        open(copied.path())
            .knowledge(Some(GUILD))
            .by_id("local-hero")
            .is_some()
    );
}

#[test]
fn a_damaged_file_is_reported_and_pauses_changes_instead_of_losing_them() {
    let data = tempfile::tempdir().expect("temp dir");
    let dir = data.path().join("guilds").join(GUILD.to_string());
    std::fs::create_dir_all(&dir).expect("mkdir");
    let damaged = "terms:\n  wall-of-sound:\n    term: Wall of sound\n    definition: \"unclosed\n";
    std::fs::write(dir.join("guild.yaml"), damaged).expect("write");

    let (curator, problems) = Curator::open(data.path(), shipped()).expect("opens");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("guild.yaml:4:"), "{}", problems[0]);
    assert!(
        curator.knowledge(Some(GUILD)).by_id("psycho").is_some(),
        "the server is still served"
    );
    let message = refused(curator.apply(GUILD, &alice(), Change::Remove("wall-of-sound".into())));
    assert!(message.contains("damaged"), "{message}");
    assert_eq!(
        std::fs::read_to_string(dir.join("guild.yaml")).expect("read"),
        damaged,
        "untouched"
    );
}

#[test]
fn changes_after_a_reload_build_on_the_reloaded_shipped_knowledge() {
    let data = tempfile::tempdir().expect("temp dir");
    let curator = open(data.path());
    let psycho = |summary: &str| {
        Change::EditFilm(
            "psycho".into(),
            FilmInput {
                title: "Psycho".into(),
                year: 1960,
                composers: "Bernard Herrmann".into(),
                summary: summary.into(),
                ..FilmInput::default()
            },
        )
    };
    curator
        .apply(GUILD, &alice(), psycho("Our server's first note."))
        .expect("an edit of a shipped film");

    // The shipped knowledge is edited on disk and reloaded: a film added, Vertigo's summary
    // rewritten.
    let mut reloaded = shipped();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("knowledge/films");
    knowledge::add_file(
        &mut reloaded,
        Kind::Film,
        "local-hero".into(),
        dir.join("local-hero.yaml"),
        "title: Local Hero\nyear: 1983\ndirectors: [Bill Forsyth]\ncomposers: []\nmusic: compiled-soundtrack\nsummary: Test entry.\nsources: [https://example.com/local-hero]\n",
    );
    let vertigo = reloaded
        .films
        .iter_mut()
        .find(|(id, _, _)| id == "vertigo")
        .expect("vertigo is shipped");
    vertigo.2.summary.value = "The reloaded summary.".into();
    curator.replace_shipped(reloaded).expect("reloads");

    let seen = curator.knowledge(Some(GUILD));
    let film = |id: &str| seen.film(seen.by_id(id).expect("an entry").index);
    assert_eq!(film("psycho").summary, "Our server's first note.");
    assert_eq!(film("local-hero").title, "Local Hero");
    // A shipped entry's source, as an edit form shows it, is the reloaded one.
    match curator.source(GUILD, "vertigo").expect("reads") {
        Some((leitmotif::curation::EntrySource::Film(source), false)) => {
            assert_eq!(source.summary.value, "The reloaded summary.")
        }
        other => panic!("{other:?}"),
    }

    // A change after the reload keeps the reloaded knowledge and the server's earlier edit.
    curator
        .apply(GUILD, &alice(), psycho("Our server's second note."))
        .expect("a second edit");
    let seen = curator.knowledge(Some(GUILD));
    let film = |id: &str| seen.film(seen.by_id(id).expect("an entry").index);
    assert_eq!(film("psycho").summary, "Our server's second note.");
    assert_eq!(film("local-hero").title, "Local Hero");
    assert_eq!(film("vertigo").summary, "The reloaded summary.");
    // Elsewhere, the reloaded shipped knowledge alone.
    let elsewhere = curator.knowledge(None);
    assert!(elsewhere.by_id("local-hero").is_some());
    assert_ne!(
        elsewhere
            .film(elsewhere.by_id("psycho").expect("shipped").index)
            .summary,
        "Our server's second note."
    );
}

#[test]
fn a_server_with_settings_only_shares_the_shipped_knowledge() {
    let data = tempfile::tempdir().expect("temp dir");
    let curator = open(data.path());
    let shared = |curator: &Curator| {
        std::sync::Arc::ptr_eq(&curator.knowledge(Some(GUILD)), &curator.knowledge(None))
    };
    curator
        .apply(GUILD, &alice(), Change::SetChatChannel(5, true))
        .expect("a channel opted in");
    assert!(
        shared(&curator),
        "settings alone need no knowledge of their own"
    );

    let added = curator
        .apply(
            GUILD,
            &alice(),
            Change::AddTerm(TermInput {
                term: "Wall of sound".into(),
                definition: "Dense, layered production.".into(),
                ..TermInput::default()
            }),
        )
        .expect("a term added");
    assert!(!shared(&curator));
    let own = curator.knowledge(Some(GUILD));
    curator
        .apply(GUILD, &alice(), Change::SetEditorRole(Some(9)))
        .expect("a role set");
    assert!(
        std::sync::Arc::ptr_eq(&own, &curator.knowledge(Some(GUILD))),
        "a settings change leaves the server's knowledge as it is"
    );
    drop(own);

    let id = added.id.expect("the term's id");
    curator
        .apply(GUILD, &alice(), Change::Remove(id))
        .expect("the term removed");
    assert!(
        shared(&curator),
        "its only entry gone, the server sees the shipped knowledge"
    );
    assert_eq!(curator.settings(GUILD).editor_role, Some(9));

    drop(curator);
    let curator = open(data.path());
    assert!(shared(&curator), "after a restart");
    assert!(curator.chat_enabled(GUILD, 5));
    curator.replace_shipped(shipped()).expect("reloads");
    assert!(shared(&curator), "after a reload");
}
