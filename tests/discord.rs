//! The bot end to end, as Discord drives it: the real binary, with the real serenity client,
//! against a Discord-compatible REST + gateway server on 127.0.0.1.

mod support;

use std::time::Duration;

use fake_discord::{CommandOption, FakeDiscord, GatewayKind, SlashCommand, UserMessage};
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slash_commands_autocomplete_and_chat_as_a_user_sees_them() {
    let fake = FakeDiscord::start(discord_config()).await;
    let data = tempfile::tempdir().expect("temp dir");
    let bot = start(&fake, data.path()).await;

    let registered: Vec<String> = fake
        .commands(Some(GUILD))
        .iter()
        .filter_map(|c| c["name"].as_str().map(str::to_string))
        .collect();
    for name in ["score", "soundtrack", "composer", "define", "ask", "help"] {
        assert!(
            registered.iter().any(|n| n == name),
            "{name} registered: {registered:?}"
        );
    }

    // /score psycho answers with an embed naming Herrmann.
    let sent = fake.slash_command(
        SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "score")
            .option(CommandOption::string("film", "psycho")),
    );
    let response = fake
        .interaction_response(sent.id, Duration::from_secs(3))
        .await;
    assert_eq!(response["type"], 4);
    let text = text_of(&response["data"]);
    assert!(
        text.contains("Psycho (1960)") && text.contains("Bernard Herrmann"),
        "{text}"
    );

    // Autocomplete for "psy" offers Psycho first, within Discord's 3 s.
    let typed = fake.autocomplete(
        SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "score")
            .option(CommandOption::string("film", "psy").focused()),
    );
    let response = fake
        .interaction_response(typed.id, Duration::from_secs(3))
        .await;
    assert_eq!(response["type"], 8);
    let choices = response["data"]["choices"].as_array().expect("choices");
    assert_eq!(choices[0]["name"], "Psycho (1960)");
    assert_eq!(choices[0]["value"], "psycho");
    for partial in ["", "s"] {
        let typed = fake.autocomplete(
            SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "score")
                .option(CommandOption::string("film", partial).focused()),
        );
        let response = fake
            .interaction_response(typed.id, Duration::from_secs(3))
            .await;
        assert_eq!(
            response["data"]["choices"].as_array().map(Vec::len),
            Some(25),
            "{partial:?}"
        );
    }

    // A name it does not know gets a private "did you mean".
    let sent = fake.slash_command(
        SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "composer")
            .option(CommandOption::string("name", "newman")),
    );
    let response = fake
        .interaction_response(sent.id, Duration::from_secs(3))
        .await;
    assert_eq!(
        response["data"]["flags"].as_u64().map(|f| f & 64),
        Some(64),
        "ephemeral"
    );
    assert!(text_of(&response["data"]).contains("Did you mean"));

    // A question that mentions the bot gets a reply in the channel.
    let asked = fake.message_create(
        UserMessage::in_guild(
            GUILD,
            CHANNEL,
            ALICE,
            format!("<@{BOT}> who scored the dark knight?"),
        )
        .mention(BOT),
    );
    let reply = reply_to(&fake, CHANNEL, asked.id).await;
    let text = text_of(&reply);
    assert!(
        text.contains("Hans Zimmer") && text.contains("James Newton Howard"),
        "{text}"
    );

    // A DM question gets a reply in the DM.
    let dm = fake.message_create(UserMessage::in_dm(
        BOB,
        "what's the difference between a score and a soundtrack?",
    ));
    let reply = reply_to(&fake, dm.channel_id, dm.id).await;
    assert!(
        text_of(&reply).contains("Score vs soundtrack"),
        "{}",
        text_of(&reply)
    );

    // Ordinary chat gets nothing; @everyone in a question pings no one.
    let chatter = fake.message_create(UserMessage::in_guild(
        GUILD,
        CHANNEL,
        BOB,
        "lol that movie was great",
    ));
    let sneaky = fake.message_create(
        UserMessage::in_guild(
            GUILD,
            CHANNEL,
            BOB,
            format!("<@{BOT}> @everyone who scored psycho"),
        )
        .mention(BOT),
    );
    reply_to(&fake, CHANNEL, sneaky.id).await;
    assert!(
        replies_to(&fake, CHANNEL, chatter.id).is_empty(),
        "ordinary chat was answered"
    );
    assert_no_pings(&fake);
    bot.assert_no_serenity_warnings();
    assert_eq!(
        bot.warnings(),
        Vec::<String>::new(),
        "questions logged warnings"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reconnects_and_dropped_connections_are_resumed() {
    let fake = FakeDiscord::start(discord_config()).await;
    let data = tempfile::tempdir().expect("temp dir");
    let _bot = start(&fake, data.path()).await;

    for (i, disrupt) in [
        FakeDiscord::send_reconnect as fn(&FakeDiscord) -> bool,
        FakeDiscord::drop_connection,
    ]
    .into_iter()
    .enumerate()
    {
        let resumes_before = fake
            .gateway_log()
            .iter()
            .filter(|r| matches!(r.kind, GatewayKind::Resume { .. }))
            .count();
        assert!(disrupt(&fake), "the bot was connected");
        loop {
            let resumes = fake
                .gateway_log()
                .iter()
                .filter(|r| matches!(r.kind, GatewayKind::Resume { .. }))
                .count();
            if resumes > resumes_before {
                break;
            }
            fake.wait_for_gateway(|r| matches!(r.kind, GatewayKind::Resume { .. }), WAIT)
                .await;
        }
        let sent = fake.slash_command(
            SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "define")
                .option(CommandOption::string("term", "leitmotif")),
        );
        let response = fake.interaction_response(sent.id, WAIT).await;
        assert!(
            text_of(&response["data"]).contains("Leitmotif"),
            "after disruption {i}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_token_ends_the_bot_with_a_clear_error() {
    let fake = FakeDiscord::start(discord_config()).await;
    let data = tempfile::tempdir().expect("temp dir");
    let child = bot_command(&fake, "wrong-token", &shipped_knowledge(), data.path())
        .spawn()
        .expect("starts");
    let output = tokio::time::timeout(WAIT, child.wait_with_output())
        .await
        .expect("exits, not a retry loop")
        .expect("output");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("rejected the bot token"), "{stderr}");
    assert!(
        !stderr.contains("wrong-token"),
        "the token is never logged: {stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_can_be_deleted_by_their_asker_and_link_to_related_entries() {
    let fake = FakeDiscord::start(discord_config()).await;
    let data = tempfile::tempdir().expect("temp dir");
    let bot = start(&fake, data.path()).await;

    let asked = fake.message_create(
        UserMessage::in_guild(GUILD, CHANNEL, ALICE, format!("<@{BOT}> who scored psycho"))
            .mention(BOT),
    );
    let answer = reply_to(&fake, CHANNEL, asked.id).await;
    let answer_id: u64 = answer["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("message id");
    let buttons = answer["components"][0]["components"]
        .as_array()
        .expect("buttons")
        .clone();
    let custom_id = |label: &str| {
        buttons
            .iter()
            .find(|b| b["label"] == label)
            .and_then(|b| b["custom_id"].as_str())
            .map(str::to_string)
    };

    // "More by Herrmann" opens the composer, for the one who clicked.
    let more = custom_id("More by Herrmann").expect("a link to the composer");
    let click = fake.component_click(BOB, answer_id, &more);
    let response = fake
        .interaction_response(click.id, Duration::from_secs(3))
        .await;
    assert_eq!(response["data"]["flags"].as_u64().map(|f| f & 64), Some(64));
    assert!(text_of(&response["data"]).contains("Bernard Herrmann (1911–1975)"));

    // Someone else cannot delete Alice's answer; Alice can.
    let delete = custom_id("Delete").expect("a delete button");
    let click = fake.component_click(BOB, answer_id, &delete);
    let response = fake
        .interaction_response(click.id, Duration::from_secs(3))
        .await;
    assert!(
        response["data"]["content"]
            .as_str()
            .is_some_and(|c| c.contains("Only the person who asked"))
    );
    assert!(
        !fake.requests().iter().any(|r| r.method == "DELETE"),
        "nothing deleted for Bob"
    );
    let click = fake.component_click(ALICE, answer_id, &delete);
    fake.interaction_response(click.id, Duration::from_secs(3))
        .await;
    let deleted = fake
        .wait_for(
            |r| {
                r.method == "DELETE"
                    && r.api_path() == format!("/channels/{CHANNEL}/messages/{answer_id}")
            },
            WAIT,
        )
        .await;
    assert_eq!(deleted.status / 100, 2);
    assert_no_pings(&fake);
    bot.assert_no_serenity_warnings();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_to_answers_are_questions_and_a_crowd_gets_one_answer() {
    let fake = FakeDiscord::start(discord_config()).await;
    let data = tempfile::tempdir().expect("temp dir");
    let bot = start(&fake, data.path()).await;

    let asked = fake.message_create(
        UserMessage::in_guild(
            GUILD,
            CHANNEL,
            ALICE,
            format!("<@{BOT}> what is a leitmotif"),
        )
        .mention(BOT),
    );
    let answer = reply_to(&fake, CHANNEL, asked.id).await;
    let answer_id: u64 = answer["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("id");
    let follow_up = fake.message_create(
        UserMessage::in_guild(GUILD, CHANNEL, BOB, "and what is an ostinato?").reply_to(answer_id),
    );
    let reply = reply_to(&fake, CHANNEL, follow_up.id).await;
    assert!(text_of(&reply).contains("Ostinato"), "{}", text_of(&reply));

    // Five people ask the same thing at once, in their own words: one answer.
    let crowd: Vec<u64> = [
        (ALICE, "who scored jaws?"),
        (BOB, "Who composed Jaws"),
        (ALICE, "who scored jaws?"),
        (BOB, "jaws composer"),
        (ALICE, "who wrote the music for Jaws?"),
    ]
    .iter()
    .map(|&(who, question)| {
        fake.message_create(
            UserMessage::in_guild(GUILD, CHANNEL, who, format!("<@{BOT}> {question}")).mention(BOT),
        )
        .id
    })
    .collect();
    let crowd_ids: Vec<String> = crowd.iter().map(u64::to_string).collect();
    fake.wait_for_message(
        CHANNEL,
        |m| {
            m["message_reference"]["message_id"]
                .as_str()
                .is_some_and(|id| crowd_ids.iter().any(|c| c == id))
        },
        WAIT,
    )
    .await;
    let later = fake.message_create(
        UserMessage::in_guild(GUILD, CHANNEL, BOB, format!("<@{BOT}> who scored vertigo?"))
            .mention(BOT),
    );
    reply_to(&fake, CHANNEL, later.id).await;
    let answers: usize = crowd
        .iter()
        .map(|&id| replies_to(&fake, CHANNEL, id).len())
        .sum();
    assert_eq!(
        answers, 1,
        "the same question in one channel is answered once"
    );
    bot.assert_no_serenity_warnings();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_opted_in_channel_gets_answers_it_is_sure_of_and_silence_otherwise() {
    let fake = FakeDiscord::start(
        discord_config().privileged_intents(fake_discord::intents::MESSAGE_CONTENT),
    )
    .await;
    let data = tempfile::tempdir().expect("temp dir");
    let mut command = bot_command(&fake, TOKEN, &shipped_knowledge(), data.path());
    command
        .env("LEITMOTIF_MESSAGE_CONTENT", "true")
        .env("LEITMOTIF_CHAT_CHANNELS", CHANNEL.to_string());
    let bot = start_with(&fake, command).await;

    let silent: Vec<u64> = [
        "what time is the screening?",
        "who scored avatar 3?",
        "lol what",
        "ok see you",
    ]
    .iter()
    .map(|text| {
        fake.message_create(UserMessage::in_guild(GUILD, CHANNEL, BOB, *text))
            .id
    })
    .collect();
    let sure = fake.message_create(UserMessage::in_guild(
        GUILD,
        CHANNEL,
        ALICE,
        "who scored jaws?",
    ));
    let reply = reply_to(&fake, CHANNEL, sure.id).await;
    assert!(text_of(&reply).contains("John Williams"));
    let command = fake.message_create(UserMessage::in_guild(GUILD, CHANNEL, ALICE, "!define cue"));
    let reply = reply_to(&fake, CHANNEL, command.id).await;
    assert!(text_of(&reply).contains("Cue"), "{}", text_of(&reply));
    for id in silent {
        assert!(
            replies_to(&fake, CHANNEL, id).is_empty(),
            "answered ordinary chat"
        );
    }
    bot.assert_no_serenity_warnings();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disallowed_intent_ends_the_bot_with_a_clear_error() {
    let fake = FakeDiscord::start(discord_config()).await;
    let data = tempfile::tempdir().expect("temp dir");
    let mut command = bot_command(&fake, TOKEN, &shipped_knowledge(), data.path());
    command.env("LEITMOTIF_MESSAGE_CONTENT", "true");
    let child = command.spawn().expect("starts");
    let output = tokio::time::timeout(WAIT, child.wait_with_output())
        .await
        .expect("exits, not a retry loop")
        .expect("output");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("4014") && stderr.contains("Message Content"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn knowledge_edits_are_served_without_a_restart_and_broken_edits_are_not() {
    let fake = FakeDiscord::start(discord_config()).await;
    let data = tempfile::tempdir().expect("temp dir");
    let knowledge = shipped_knowledge_copy();
    let bot = start_with(
        &fake,
        bot_command(&fake, TOKEN, knowledge.path(), data.path()),
    )
    .await;

    let score = |film: &str| {
        fake.slash_command(
            SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "score")
                .option(CommandOption::string("film", film)),
        )
    };
    let film = "title: Local Hero\nyear: 1983\ndirectors: [Bill Forsyth]\ncomposers: []\nmusic: compiled-soundtrack\nsummary: Test entry.\nsources: [https://example.com/local-hero]\n";
    // A burst of changes, as a `git pull` makes, is read once when it is over.
    std::fs::write(knowledge.path().join("films/local-hero.yaml"), film).expect("write");
    for other in ["films/psycho.yaml", "films/vertigo.yaml"] {
        let path = knowledge.path().join(other);
        let text = std::fs::read_to_string(&path).expect("read");
        std::fs::write(&path, text + "\n").expect("write");
    }
    bot.wait_for_log("knowledge reloaded").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let reloads = bot
        .log()
        .iter()
        .filter(|line| line.contains("knowledge reloaded"))
        .count();
    assert_eq!(reloads, 1, "{:#?}", bot.log());
    let response = fake
        .interaction_response(score("local hero").id, Duration::from_secs(3))
        .await;
    assert!(text_of(&response["data"]).contains("Local Hero (1983)"));

    std::fs::write(knowledge.path().join("films/psycho.yaml"), "title: [broken").expect("write");
    bot.wait_for_log("knowledge not reloaded").await;
    let response = fake
        .interaction_response(score("psycho").id, Duration::from_secs(3))
        .await;
    assert!(
        text_of(&response["data"]).contains("Bernard Herrmann"),
        "the last good knowledge keeps serving"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_closes_the_connection_and_exits_cleanly() {
    let fake = FakeDiscord::start(discord_config()).await;
    let data = tempfile::tempdir().expect("temp dir");
    let mut bot = start(&fake, data.path()).await;
    assert_eq!(bot.terminate().await, Some(0), "{:#?}", bot.log());
    assert!(
        fake.gateway_log()
            .iter()
            .any(|r| matches!(r.kind, GatewayKind::ClientClosed { .. })),
        "the shard closed its connection: {:?}",
        fake.gateway_log()
    );
    assert!(bot.log().iter().any(|l| l.contains("shutting down")));
}

/// The number logged for `field` in a log line (`from_cache=265`), colours or not.
fn logged_number(line: &str, field: &str) -> usize {
    let mut plain = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            // An escape sequence, up to its final letter.
            chars.by_ref().find(|c| c.is_ascii_alphabetic());
        } else {
            plain.push(c);
        }
    }
    let at = plain
        .find(&format!("{field}="))
        .unwrap_or_else(|| panic!("no {field} in {plain:?}"));
    plain[at + field.len() + 1..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("no number for {field} in {plain:?}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_parses_only_what_changed_while_the_bot_was_down() {
    let fake = FakeDiscord::start(discord_config()).await;
    let data = tempfile::tempdir().expect("temp dir");
    let knowledge = shipped_knowledge_copy();
    let files = ["films", "composers", "terms"]
        .iter()
        .flat_map(|folder| std::fs::read_dir(knowledge.path().join(folder)).expect("a folder"))
        .flatten()
        .filter(|entry| entry.path().extension().is_some_and(|e| e == "yaml"))
        .count();
    // Files changed moments ago are never taken from the cache.
    tokio::time::sleep(Duration::from_millis(2_100)).await;
    let command = |fake: &FakeDiscord| bot_command(fake, TOKEN, knowledge.path(), data.path());

    let mut bot = start_with(&fake, command(&fake)).await;
    let read = bot.wait_for_log("knowledge files read").await;
    assert_eq!(logged_number(&read, "from_cache"), 0, "{read}");
    assert_eq!(logged_number(&read, "parsed"), files, "{read}");
    assert_eq!(bot.terminate().await, Some(0));

    let psycho = knowledge.path().join("films/psycho.yaml");
    let text = std::fs::read_to_string(&psycho).expect("read");
    let edited = text.replace("for string orchestra alone", "while the bot was down");
    assert_ne!(text, edited);
    std::fs::write(&psycho, edited).expect("write");

    drop(bot);
    let fake = FakeDiscord::start(discord_config()).await;
    let bot = start_with(&fake, command(&fake)).await;
    let read = bot.wait_for_log("knowledge files read").await;
    assert_eq!(logged_number(&read, "from_cache"), files - 1, "{read}");
    assert_eq!(logged_number(&read, "parsed"), 1, "{read}");
    let response = fake
        .interaction_response(
            fake.slash_command(
                SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "score")
                    .option(CommandOption::string("film", "psycho")),
            )
            .id,
            Duration::from_secs(3),
        )
        .await;
    let shown = text_of(&response["data"]);
    assert!(shown.contains("while the bot was down"), "{shown}");
    assert!(shown.contains("Bernard Herrmann"), "{shown}");
}
