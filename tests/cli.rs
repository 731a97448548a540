//! The command line as a user drives it: `ask` (text and JSON), the console, `check`, and exit
//! statuses.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn leitmotif() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_leitmotif"));
    command
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("DISCORD_TOKEN")
        .env_remove("LEITMOTIF_KNOWLEDGE_DIR");
    command
}

fn run(args: &[&str]) -> Output {
    leitmotif().args(args).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn ask_prints_the_answer_and_exits_zero() {
    let output = run(&["ask", "who scored Psycho?"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let text = stdout(&output);
    assert!(text.starts_with("Psycho (1960)"), "{text}");
    assert!(text.contains("Bernard Herrmann"), "{text}");
    assert!(!text.contains("**"), "plain text has no Markdown: {text}");
}

#[test]
fn ask_json_prints_the_discord_message() {
    let output = run(&["ask", "--json", "/score", "psycho"]);
    assert_eq!(output.status.code(), Some(0));
    let message: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    assert_eq!(message["embeds"][0]["title"], "Psycho (1960)");
    assert!(
        message["embeds"][0]["description"]
            .as_str()
            .is_some_and(|d| d.contains("Bernard Herrmann"))
    );
    assert_eq!(
        message["allowed_mentions"]["parse"],
        serde_json::json!([]),
        "nothing may ping"
    );
    assert_eq!(
        message["components"][0]["components"][0]["custom_id"],
        "lm:composer:bernard-herrmann"
    );
}

#[test]
fn no_answer_exits_one_with_suggestions() {
    let output = run(&["ask", "/composer newman"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stdout(&output).contains("Did you mean"),
        "{}",
        stdout(&output)
    );
    let output = run(&["ask", "what is the capital of france"]);
    assert_eq!(output.status.code(), Some(1));
}

#[test]
fn usage_and_knowledge_errors_exit_two() {
    assert_eq!(run(&["ask"]).status.code(), Some(2));
    let output = run(&[
        "--knowledge",
        "/nonexistent/knowledge",
        "ask",
        "who scored psycho",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/knowledge"));
}

#[test]
fn the_knowledge_directory_can_come_from_the_environment() {
    let output = leitmotif()
        .env("LEITMOTIF_KNOWLEDGE_DIR", "/nonexistent/from-env")
        .args(["ask", "psycho"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/nonexistent/from-env"));
}

#[test]
fn console_answers_each_line_until_end_of_input() {
    let mut child = leitmotif()
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawns");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"who scored psycho\n\n/define leitmotif\n")
        .expect("writes");
    let output = child.wait_with_output().expect("ends at end of input");
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("Bernard Herrmann"), "{text}");
    assert!(text.contains("Leitmotif"), "{text}");
}

#[test]
fn check_accepts_the_shipped_knowledge() {
    let output = run(&["check", "knowledge"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("ok"));
}

/// A copy of the shipped knowledge to break, in a temporary directory kept alive by the first
/// value.
fn shipped_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let kb = dir.path().join("kb");
    support::copy_dir(&support::shipped_knowledge(), &kb);
    (dir, kb)
}

#[test]
fn check_lists_every_problem_with_file_line_and_column() {
    let (_dir, kb) = shipped_copy();
    let psycho = kb.join("films/psycho.yaml");
    let text = std::fs::read_to_string(&psycho).expect("read");
    let broken = text
        .replace("year: 1960", "year: 1760")
        .replace(
            "composers: [bernard-herrmann]",
            "composers: [bernard-hermann]",
        )
        .replace(
            "music: original-score",
            "music: original-score\ncomposer: oops",
        );
    std::fs::write(&psycho, broken).expect("write");
    std::fs::write(
        kb.join("terms/Bad Name.yaml"),
        "term: Cue\ndefinition: dup\nsources: [https://example.com]\n",
    )
    .expect("write");
    std::fs::write(
        kb.join("terms/broken.yaml"),
        "term: \"unclosed\ndefinition: x\n",
    )
    .expect("write");

    let output = run(&["check", kb.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let psycho_shown = psycho.display().to_string();
    let line_of = |needle: &str| {
        let text = std::fs::read_to_string(&psycho).expect("read");
        text.lines()
            .position(|l| l.starts_with(needle))
            .expect("line")
            + 1
    };
    // The unknown field stops the typed parse of that file, so it is the one problem there.
    let unknown = format!(
        "{psycho_shown}:{}:1: unknown field `composer`",
        line_of("composer: oops")
    );
    assert!(text.contains(&unknown), "{text}");
    assert!(
        text.contains("Bad Name.yaml:1:1: id \"Bad Name\""),
        "{text}"
    );
    assert!(text.contains("\"Cue\" is also a name of"), "{text}");
    assert!(text.contains("broken.yaml:1:"), "{text}");
    for line in text.lines() {
        let mut parts = line.splitn(4, ':');
        let (_file, line_no, column) = (parts.next(), parts.next(), parts.next());
        assert!(
            line_no.is_some_and(|l| l.parse::<u32>().is_ok()),
            "not file:line:column: {line}"
        );
        assert!(
            column.is_some_and(|c| c.parse::<u32>().is_ok()),
            "not file:line:column: {line}"
        );
    }

    // Semantic problems are all reported at their place.
    std::fs::write(
        &psycho,
        text_without_unknown_field(&std::fs::read_to_string(&psycho).expect("read")),
    )
    .expect("write");
    let text = stdout(&run(&["check", kb.to_str().expect("utf-8 path")]));
    let year = format!(
        "{psycho_shown}:{}:7: year 1760 is out of range",
        line_of("year:")
    );
    assert!(text.contains(&year), "{text}");
    let composer = format!(
        "{psycho_shown}:{}:13: no composer with id \"bernard-hermann\"",
        line_of("composers:")
    );
    assert!(text.contains(&composer), "{text}");
}

fn text_without_unknown_field(text: &str) -> String {
    text.lines()
        .filter(|l| !l.starts_with("composer: oops"))
        .map(|l| format!("{l}\n"))
        .collect()
}

#[test]
fn the_published_schemas_match_the_loader() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = run(&["schema", dir.path().to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(0));
    for name in [
        "film.schema.json",
        "composer.schema.json",
        "term.schema.json",
    ] {
        let fresh = std::fs::read_to_string(dir.path().join(name)).expect("generated");
        let committed = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("knowledge/schema")
                .join(name),
        )
        .unwrap_or_default();
        assert_eq!(
            fresh, committed,
            "knowledge/schema/{name} is stale: run `cargo run -- schema`"
        );
    }
}

#[test]
fn check_reports_broken_files_anywhere_in_a_large_folder_in_file_order() {
    // Files are parsed on every core, in chunks: a broken file in any chunk is reported, and
    // the report reads in file order whatever the chunks were.
    let (_dir, kb) = shipped_copy();
    let mut films: Vec<PathBuf> = std::fs::read_dir(kb.join("films"))
        .expect("films")
        .map(|e| e.expect("entry").path())
        .collect();
    films.sort();
    assert!(films.len() > 100, "enough files for several chunks");
    let broken: Vec<&PathBuf> = films.iter().step_by(films.len() / 6).collect();
    for file in &broken {
        std::fs::write(file, "title: \"unclosed\nyear: 2000\n").expect("write");
    }

    let output = run(&["check", kb.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    let reported: Vec<&str> = text
        .lines()
        .filter(|line| line.contains("/films/"))
        .collect();
    let expected: Vec<String> = broken
        .iter()
        .map(|file| format!("{}:", file.display()))
        .collect();
    assert_eq!(reported.len(), expected.len(), "{text}");
    for (line, file) in reported.iter().zip(&expected) {
        assert!(line.starts_with(file.as_str()), "{line} for {file}\n{text}");
    }
}
