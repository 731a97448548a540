//! Moderators curating their server's knowledge, end to end through the Discord server on
//! loopback: adding, editing, removing and restoring entries, who may, what persists, and what
//! survives a crash.

mod support;

use std::path::Path;
use std::time::Duration;

use fake_discord::{CommandOption, FakeDiscord, SentInteraction, SlashCommand};
use serde_json::Value;
use support::*;

/// What the user finally sees of an interaction: the message, after a deferral if there was one.
async fn outcome(fake: &FakeDiscord, sent: &SentInteraction) -> Value {
    let callback = fake
        .interaction_response(sent.id, Duration::from_secs(3))
        .await;
    match callback["type"].as_u64() {
        Some(5) => {
            let token = sent.token.clone();
            let request = fake
                .wait_for(
                    |r| {
                        r.path.contains(&token)
                            && (r.method == "PATCH" || r.method == "POST")
                            && r.path.contains("/webhooks/")
                    },
                    WAIT,
                )
                .await;
            request.body.unwrap_or_default()
        }
        _ => callback["data"].clone(),
    }
}

fn shown(message: &Value) -> String {
    format!(
        "{}\n{}",
        message["content"].as_str().unwrap_or(""),
        text_of(message)
    )
}

fn kb(guild: u64, channel: u64, user: u64, sub: &str, options: Vec<CommandOption>) -> SlashCommand {
    SlashCommand::in_guild(guild, channel, user, "kb")
        .option(CommandOption::subcommand(sub, options))
}

fn add_film(user: u64, title: &str, year: i64, composers: &str) -> SlashCommand {
    kb(
        GUILD,
        CHANNEL,
        user,
        "add-film",
        vec![
            CommandOption::string("title", title),
            CommandOption::integer("year", year),
            CommandOption::string("composers", composers),
            CommandOption::string(
                "summary",
                "A gentle score of folk and rock, with a guitar theme for the village.",
            ),
        ],
    )
}

fn add_term(user: u64, term: &str) -> SlashCommand {
    kb(
        GUILD,
        CHANNEL,
        user,
        "add-term",
        vec![
            CommandOption::string("term", term),
            CommandOption::string("definition", format!("{term} is a term this server uses.")),
        ],
    )
}

/// What Alice sees after `/kb <sub> entry:<id>` in the test server.
async fn on_entry(fake: &FakeDiscord, sub: &str, id: &str) -> String {
    let command = kb(
        GUILD,
        CHANNEL,
        ALICE,
        sub,
        vec![CommandOption::string("entry", id)],
    );
    shown(&outcome(fake, &fake.slash_command(command)).await)
}

fn score(guild: u64, channel: u64, film: &str) -> SlashCommand {
    SlashCommand::in_guild(guild, channel, ALICE, "score")
        .option(CommandOption::string("film", film))
}

fn guild_file(data: &Path, guild: u64) -> std::path::PathBuf {
    data.join("guilds")
        .join(guild.to_string())
        .join("guild.yaml")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_moderator_adds_a_film_that_answers_autocompletes_and_survives_a_restart() {
    let fake = FakeDiscord::start(discord_config()).await;
    let data = tempfile::tempdir().expect("temp dir");
    let mut bot = start(&fake, data.path()).await;

    let added = outcome(
        &fake,
        &fake.slash_command(add_film(ALICE, "Local Hero", 1983, "Mark Knopfler")),
    )
    .await;
    assert!(
        shown(&added).contains("Added the film “Local Hero” (1983)"),
        "{}",
        shown(&added)
    );
    assert!(
        shown(&added).contains("Also added the composer “Mark Knopfler”"),
        "{}",
        shown(&added)
    );

    let answer = outcome(
        &fake,
        &fake.slash_command(score(GUILD, CHANNEL, "local hero")),
    )
    .await;
    let text = text_of(&answer);
    assert!(
        text.contains("Local Hero (1983)") && text.contains("Mark Knopfler"),
        "{text}"
    );
    let typed = fake.autocomplete(
        SlashCommand::in_guild(GUILD, CHANNEL, BOB, "score")
            .option(CommandOption::string("film", "local h").focused()),
    );
    let choices = fake
        .interaction_response(typed.id, Duration::from_secs(3))
        .await;
    assert_eq!(choices["data"]["choices"][0]["name"], "Local Hero (1983)");
    let mention = fake.message_create(
        fake_discord::UserMessage::in_guild(
            GUILD,
            CHANNEL,
            BOB,
            format!("<@{BOT}> who scored local hero?"),
        )
        .mention(BOT),
    );
    assert!(text_of(&reply_to(&fake, CHANNEL, mention.id).await).contains("Mark Knopfler"));

    // Another server does not see it.
    let elsewhere = outcome(
        &fake,
        &fake.slash_command(score(OTHER_GUILD, OTHER_CHANNEL, "local hero")),
    )
    .await;
    assert!(
        text_of(&elsewhere).contains("I don't know"),
        "{}",
        text_of(&elsewhere)
    );

    // A shipped entry corrected for this server only, its answer shown before the correction:
    // an answer given once is not given again once the entry has changed.
    let before =
        text_of(&outcome(&fake, &fake.slash_command(score(GUILD, CHANNEL, "psycho"))).await);
    assert!(
        before.contains("Bernard Herrmann") && !before.contains("Our server's note"),
        "{before}"
    );
    let opened = fake.slash_command(kb(
        GUILD,
        CHANNEL,
        ALICE,
        "edit",
        vec![CommandOption::string("entry", "psycho")],
    ));
    let form = fake
        .interaction_response(opened.id, Duration::from_secs(3))
        .await;
    assert_eq!(form["type"], 9, "an edit opens a pre-filled form: {form}");
    assert!(
        form.to_string().contains("for string orchestra alone"),
        "the form holds the shipped summary: {form}"
    );
    let submitted = fake.modal_submit(
        &opened,
        &[
            ("title", "Psycho"),
            ("year", "1960"),
            ("composers", "Bernard Herrmann"),
            (
                "summary",
                "Our server's note: strings only, and the shower cue screams.",
            ),
            ("aliases", ""),
        ],
    );
    let edited = outcome(&fake, &submitted).await;
    assert!(
        shown(&edited).contains("Updated the film `psycho`"),
        "{}",
        shown(&edited)
    );
    let here = text_of(&outcome(&fake, &fake.slash_command(score(GUILD, CHANNEL, "psycho"))).await);
    assert!(here.contains("Our server's note"), "{here}");
    // What the form does not hold is kept from the shipped entry.
    assert!(here.contains("The Murder"), "{here}");
    let there = text_of(
        &outcome(
            &fake,
            &fake.slash_command(score(OTHER_GUILD, OTHER_CHANNEL, "psycho")),
        )
        .await,
    );
    assert!(
        !there.contains("Our server's note") && there.contains("Bernard Herrmann"),
        "{there}"
    );
    let history = on_entry(&fake, "history", "psycho").await;
    assert!(history.contains("edited by alice"), "{history}");

    let shipped = on_entry(&fake, "show", "bernard-herrmann").await;
    assert!(
        shipped.contains("From the shipped knowledge")
            && shipped.contains("name: Bernard Herrmann"),
        "{shipped}"
    );

    // Removed and restored.
    let removed = on_entry(&fake, "remove", "local-hero").await;
    assert!(removed.contains("Removed `local-hero`"), "{removed}");
    assert!(
        text_of(
            &outcome(
                &fake,
                &fake.slash_command(score(GUILD, CHANNEL, "local hero"))
            )
            .await
        )
        .contains("I don't know")
    );
    let restored = on_entry(&fake, "restore", "local-hero").await;
    assert!(restored.contains("Restored `local-hero`"), "{restored}");

    // Everything survives a restart.
    assert_eq!(bot.terminate().await, Some(0));
    drop(bot);
    let fake = FakeDiscord::start(discord_config()).await;
    let _bot = start(&fake, data.path()).await;
    let text = text_of(
        &outcome(
            &fake,
            &fake.slash_command(score(GUILD, CHANNEL, "local hero")),
        )
        .await,
    );
    assert!(text.contains("Local Hero (1983)"), "{text}");
    let text = text_of(&outcome(&fake, &fake.slash_command(score(GUILD, CHANNEL, "psycho"))).await);
    assert!(text.contains("Our server's note"), "{text}");
    assert_no_pings(&fake);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_moderators_or_the_editor_role_may_change_anything() {
    let fake = FakeDiscord::start(discord_config()).await;
    let data = tempfile::tempdir().expect("temp dir");
    let _bot = start(&fake, data.path()).await;

    for user in [BOB, CAROL] {
        let refused = outcome(&fake, &fake.slash_command(add_term(user, "Wall of sound"))).await;
        assert!(
            shown(&refused).contains("Only members with the Manage Server permission"),
            "{}",
            shown(&refused)
        );
        assert_eq!(
            refused["flags"].as_u64().map(|f| f & 64),
            Some(64),
            "refusals are private"
        );
    }
    assert!(
        !guild_file(data.path(), GUILD).exists(),
        "nothing was written"
    );

    // Bad input changes nothing either.
    for (term, why) in [
        ("@everyone come look", "mass mention"),
        (&"x".repeat(101)[..], "at most 100"),
    ] {
        let refused = outcome(&fake, &fake.slash_command(add_term(ALICE, term))).await;
        assert!(
            shown(&refused).contains("Nothing was changed") && shown(&refused).contains(why),
            "{}",
            shown(&refused)
        );
    }
    let duplicate = outcome(
        &fake,
        &fake.slash_command(add_film(ALICE, "Psycho", 1960, "Bernard Herrmann")),
    )
    .await;
    assert!(
        shown(&duplicate).contains("Nothing was changed"),
        "{}",
        shown(&duplicate)
    );
    assert!(
        !guild_file(data.path(), GUILD).exists(),
        "nothing was written"
    );

    // A moderator lets the helpers role edit.
    let role = SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "kb").option(
        CommandOption::subcommand_group(
            "settings",
            vec![CommandOption::subcommand(
                "role",
                vec![CommandOption::role("role", HELPERS)],
            )],
        ),
    );
    let set = outcome(&fake, &fake.slash_command(role)).await;
    assert!(shown(&set).contains("may now edit"), "{}", shown(&set));
    let added = outcome(&fake, &fake.slash_command(add_term(BOB, "Wall of sound"))).await;
    assert!(
        shown(&added).contains("Added the term"),
        "{}",
        shown(&added)
    );
    let refused = outcome(
        &fake,
        &fake.slash_command(add_term(CAROL, "Mickey mouse march")),
    )
    .await;
    assert!(
        shown(&refused).contains("Only members with"),
        "{}",
        shown(&refused)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_adds_all_persist() {
    let fake = FakeDiscord::start(discord_config()).await;
    let data = tempfile::tempdir().expect("temp dir");
    let _bot = start(&fake, data.path()).await;

    let sent: Vec<SentInteraction> = (0..100)
        .map(|i| fake.slash_command(add_term(ALICE, &format!("Local term {i}"))))
        .collect();
    for s in &sent {
        let result = outcome(&fake, s).await;
        assert!(
            shown(&result).contains("Added the term"),
            "{}",
            shown(&result)
        );
    }
    let file = std::fs::read_to_string(guild_file(data.path(), GUILD)).expect("written");
    for i in 0..100 {
        assert!(
            file.contains(&format!("term: Local term {i}\n")),
            "term {i} persisted"
        );
    }
    let answer = outcome(
        &fake,
        &fake.slash_command(
            SlashCommand::in_guild(GUILD, CHANNEL, BOB, "define")
                .option(CommandOption::string("term", "local term 57")),
        ),
    )
    .await;
    assert!(
        text_of(&answer).contains("Local term 57"),
        "{}",
        text_of(&answer)
    );
    assert!(fake.violations().is_empty(), "{:?}", fake.violations());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_bot_while_it_writes_loses_no_acknowledged_change() {
    let data = tempfile::tempdir().expect("temp dir");
    let mut acknowledged: Vec<String> = Vec::new();
    for round in 0..4 {
        let fake = FakeDiscord::start(discord_config()).await;
        let mut bot = start(&fake, data.path()).await;
        let sent: Vec<(String, SentInteraction)> = (0..30)
            .map(|i| {
                let term = format!("Crash term {round} {i}");
                let sent = fake.slash_command(add_term(ALICE, &term));
                (term, sent)
            })
            .collect();
        let mut acknowledged_now = 0;
        for (term, sent) in &sent {
            let result = outcome(&fake, sent).await;
            assert!(
                shown(&result).contains("Added the term"),
                "{}",
                shown(&result)
            );
            acknowledged.push(term.clone());
            acknowledged_now += 1;
            if acknowledged_now == 8 {
                // The other changes are still being written.
                bot.kill().await;
                break;
            }
        }
        let file = leitmotif::curation::store::read(&guild_file(data.path(), GUILD))
            .unwrap_or_else(|e| panic!("round {round}: the file still parses: {e}"));
        for term in &acknowledged {
            assert!(
                file.terms.values().any(|t| &t.term.value == term),
                "round {round}: {term} was acknowledged but lost"
            );
        }
    }
    // A write the kill cut short may leave its temporary copy; a partly written copy must never be
    // taken for the file, and the next start clears it away.
    let guild_dir = data.path().join("guilds").join(GUILD.to_string());
    std::fs::write(
        guild_dir.join(".guild.yaml.Xy12Zw"),
        "terms:\n  - term: Half writ",
    )
    .expect("plant an interrupted write");
    // And the bot starts on what the crashes left.
    let fake = FakeDiscord::start(discord_config()).await;
    let _bot = start(&fake, data.path()).await;
    let leftovers: Vec<_> = std::fs::read_dir(&guild_dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .filter(|name| name != "guild.yaml")
        .collect();
    assert!(
        leftovers.is_empty(),
        "temporary files cleared at start: {leftovers:?}"
    );
    let answer = outcome(
        &fake,
        &fake.slash_command(
            SlashCommand::in_guild(GUILD, CHANNEL, BOB, "define")
                .option(CommandOption::string("term", "crash term 3 0")),
        ),
    )
    .await;
    assert!(
        text_of(&answer).contains("Crash term 3 0"),
        "{}",
        text_of(&answer)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moderators_turn_on_unasked_answers_in_a_channel() {
    let fake = FakeDiscord::start(
        discord_config().privileged_intents(fake_discord::intents::MESSAGE_CONTENT),
    )
    .await;
    let data = tempfile::tempdir().expect("temp dir");
    let mut command = bot_command(&fake, TOKEN, &shipped_knowledge(), data.path());
    command.env("LEITMOTIF_MESSAGE_CONTENT", "true");
    let bot = start_with(&fake, command).await;

    let before = fake.message_create(fake_discord::UserMessage::in_guild(
        GUILD,
        CHANNEL,
        BOB,
        "who scored jaws?",
    ));
    let turn_on = SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "kb").option(
        CommandOption::subcommand_group(
            "settings",
            vec![CommandOption::subcommand(
                "chat",
                vec![
                    CommandOption::channel("channel", CHANNEL),
                    CommandOption::boolean("answer", true),
                ],
            )],
        ),
    );
    let on = outcome(&fake, &fake.slash_command(turn_on)).await;
    assert!(
        shown(&on).contains("I now answer film-music questions"),
        "{}",
        shown(&on)
    );
    let after = fake.message_create(fake_discord::UserMessage::in_guild(
        GUILD,
        CHANNEL,
        BOB,
        "who scored vertigo?",
    ));
    assert!(text_of(&reply_to(&fake, CHANNEL, after.id).await).contains("Bernard Herrmann"));
    assert!(
        replies_to(&fake, CHANNEL, before.id).is_empty(),
        "not before it was turned on"
    );
    bot.assert_no_serenity_warnings();
}
