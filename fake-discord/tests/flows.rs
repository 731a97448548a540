//! The fake Discord driven by real serenity 0.12.5 clients: every REST object it answers must
//! deserialize in serenity, interaction flows (deferral, edits, follow-ups, components, modals,
//! DMs) must work end to end, and Discord's limits and deadlines must be enforced.

use std::sync::Arc;
use std::time::Duration;

use fake_discord::{
    Channel, CommandOption, Config, FakeDiscord, GatewayKind, Guild, Member, Role, SlashCommand,
    User, UserMessage, permissions, spawn_echo_bot,
};
use serde_json::json;
use serenity::all::{
    ActionRowComponent, ChannelId, ClientBuilder, Command, Context, CreateActionRow, CreateButton,
    CreateCommand, CreateEmbed, CreateInputText, CreateInteractionResponse,
    CreateInteractionResponseFollowup, CreateInteractionResponseMessage, CreateMessage,
    CreateModal, EditInteractionResponse, EventHandler, GatewayIntents, GuildId, HttpError,
    InputTextStyle, Interaction, MessageId, ReactionType, ShardManager, UserId,
};
use serenity::async_trait;
use tokio::sync::mpsc;

const GUILD: u64 = 100;
const CHANNEL: u64 = 101;
const ALICE: u64 = 7;
const BOB: u64 = 8;
const MODS: u64 = 300;
const TIMEOUT: Duration = Duration::from_secs(10);

fn config() -> Config {
    Config::new("token")
        .user(User::new(ALICE, "alice"))
        .user(User::new(BOB, "bob"))
        .guild(
            Guild::new(GUILD, "g")
                .channel(Channel::text(CHANNEL, "general"))
                .role(Role::new(MODS, "mods", permissions::MANAGE_MESSAGES))
                .member(Member::new(ALICE).roles([MODS]))
                .member(Member::new(BOB)),
        )
}

/// Checks nothing went wrong on the fake's side of the conversation.
fn assert_clean(fake: &FakeDiscord) {
    assert!(
        fake.payload_errors().is_empty(),
        "{:#?}",
        fake.payload_errors()
    );
    assert!(fake.violations().is_empty(), "{:#?}", fake.violations());
    assert!(
        fake.failed_requests().is_empty(),
        "{:#?}",
        fake.failed_requests()
    );
}

#[tokio::test]
async fn rest_objects_deserialize_in_serenity() {
    let fake = FakeDiscord::start(config()).await;
    let http = fake.http();
    http.set_application_id(fake.config().application_id.into());

    assert_eq!(http.get_gateway().await.unwrap().url, fake.gateway_url());
    assert_eq!(http.get_bot_gateway().await.unwrap().shards, 1);
    assert_eq!(http.get_current_user().await.unwrap().id, UserId::new(1000));
    assert_eq!(
        http.get_user(UserId::new(ALICE)).await.unwrap().name,
        "alice"
    );
    let app = http.get_current_application_info().await.unwrap();
    assert_eq!(app.owner.unwrap().id, UserId::new(1001));
    let channel = http.get_channel(ChannelId::new(CHANNEL)).await.unwrap();
    assert_eq!(channel.guild().unwrap().name, "general");
    let member = http
        .get_member(GuildId::new(GUILD), UserId::new(ALICE))
        .await
        .unwrap();
    assert_eq!(member.roles, vec![serenity::all::RoleId::new(MODS)]);
    assert_eq!(http.get_guild(GuildId::new(GUILD)).await.unwrap().name, "g");
    assert_eq!(
        http.get_guild_roles(GuildId::new(GUILD))
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        http.get_channels(GuildId::new(GUILD)).await.unwrap().len(),
        1
    );
    let dm = UserId::new(BOB).create_dm_channel(&http).await.unwrap();
    assert_eq!(dm.recipient.id, UserId::new(BOB));

    // Messages: send, reply, edit, react, type, list, delete.
    let sent = ChannelId::new(CHANNEL)
        .send_message(&http, CreateMessage::new().content("hello"))
        .await
        .unwrap();
    let reply = ChannelId::new(CHANNEL)
        .send_message(
            &http,
            CreateMessage::new()
                .content("again")
                .reference_message(&sent),
        )
        .await
        .unwrap();
    assert_eq!(reply.referenced_message.unwrap().id, sent.id);
    let edited = ChannelId::new(CHANNEL)
        .edit_message(
            &http,
            sent.id,
            serenity::all::EditMessage::new().embed(CreateEmbed::new().title("t")),
        )
        .await
        .unwrap();
    assert_eq!(edited.embeds[0].title.as_deref(), Some("t"));
    assert!(edited.edited_timestamp.is_some());
    sent.react(&http, ReactionType::Unicode("👍".into()))
        .await
        .unwrap();
    ChannelId::new(CHANNEL)
        .broadcast_typing(&http)
        .await
        .unwrap();
    assert_eq!(
        ChannelId::new(CHANNEL)
            .messages(&http, Default::default())
            .await
            .unwrap()
            .len(),
        2
    );
    ChannelId::new(CHANNEL)
        .delete_message(&http, sent.id)
        .await
        .unwrap();
    assert_eq!(fake.messages_in(CHANNEL).len(), 1);
    // A file upload (multipart): the parts are recorded and the attachment comes back.
    let file = serenity::all::CreateAttachment::bytes(b"la la".to_vec(), "theme.txt");
    let with_file = ChannelId::new(CHANNEL)
        .send_message(&http, CreateMessage::new().content("listen").add_file(file))
        .await
        .unwrap();
    assert_eq!(with_file.attachments[0].filename, "theme.txt");
    assert_eq!(with_file.attachments[0].size, 5);
    let upload = fake.requests().pop().unwrap();
    assert_eq!(upload.body.unwrap()["content"], "listen");
    assert!(
        upload
            .parts
            .iter()
            .any(|p| p.filename.as_deref() == Some("theme.txt") && p.data == b"la la")
    );
    ChannelId::new(CHANNEL)
        .delete_message(&http, with_file.id)
        .await
        .unwrap();
    dm.send_message(&http, CreateMessage::new().content("psst"))
        .await
        .unwrap();
    assert_eq!(fake.messages_in(dm.id.get()).len(), 1);

    // Commands: global and guild, with ids kept across re-registration.
    let global =
        Command::set_global_commands(&http, vec![CreateCommand::new("ping").description("Ping")])
            .await
            .unwrap();
    let again =
        Command::create_global_command(&http, CreateCommand::new("ping").description("Ping!"))
            .await
            .unwrap();
    assert_eq!(global[0].id, again.id);
    let guild = GuildId::new(GUILD)
        .set_commands(&http, vec![CreateCommand::new("ask").description("Ask")])
        .await
        .unwrap();
    assert_eq!(guild[0].guild_id, Some(GuildId::new(GUILD)));
    assert_eq!(
        GuildId::new(GUILD).get_commands(&http).await.unwrap().len(),
        1
    );
    assert_eq!(fake.commands(None)[0]["description"], "Ping!");

    assert_clean(&fake);

    // Errors come back in Discord's shape.
    let missing = http
        .get_member(GuildId::new(GUILD), UserId::new(999))
        .await
        .unwrap_err();
    let serenity::Error::Http(HttpError::UnsuccessfulRequest(e)) = missing else {
        panic!("{missing:?}")
    };
    assert_eq!((e.status_code.as_u16(), e.error.code), (404, 10007));
    let wrong = fake
        .http_with_token("nope")
        .get_current_user()
        .await
        .unwrap_err();
    assert!(
        matches!(wrong, serenity::Error::Http(HttpError::UnsuccessfulRequest(ref e)) if e.status_code == 401),
        "{wrong:?}"
    );
    assert!(http.get_user(UserId::new(424242)).await.is_err());
    assert_eq!(fake.failed_requests().len(), 3);
}

#[tokio::test]
async fn limits_and_mentions_are_checked() {
    let fake = FakeDiscord::start(config()).await;
    let http = fake.http();
    let channel = ChannelId::new(CHANNEL);

    // serenity's builders refuse more than 2000 characters (Unicode scalar values) before
    // sending; the fake counts UTF-16 code units, so 1001 emoji (2002 units) get through
    // serenity and are refused by the fake with 50035 and the field path.
    channel.say(&http, "x".repeat(2000)).await.unwrap();
    let err = channel.say(&http, "x".repeat(2001)).await.unwrap_err();
    assert!(matches!(err, serenity::Error::Model(_)), "{err:?}");
    let err = channel.say(&http, "😀".repeat(1001)).await.unwrap_err();
    let serenity::Error::Http(HttpError::UnsuccessfulRequest(e)) = err else {
        panic!("{err:?}")
    };
    assert_eq!((e.status_code.as_u16(), e.error.code), (400, 50035));
    assert_eq!(e.error.errors[0].path, "content");
    assert_eq!(e.error.errors[0].code, "BASE_TYPE_MAX_LENGTH");

    let too_many_fields = (0..26).fold(CreateEmbed::new(), |e, i| {
        e.field(format!("f{i}"), "v", false)
    });
    assert!(
        channel
            .send_message(&http, CreateMessage::new().embed(too_many_fields))
            .await
            .is_err()
    );
    let buttons = (0..6)
        .map(|i| CreateButton::new(format!("b{i}")).label("x"))
        .collect();
    let row = CreateActionRow::Buttons(buttons);
    assert!(
        channel
            .send_message(
                &http,
                CreateMessage::new().content("x").components(vec![row])
            )
            .await
            .is_err()
    );
    assert!(
        channel
            .send_message(&http, CreateMessage::new())
            .await
            .is_err()
    );

    let found: Vec<_> = fake
        .violations()
        .into_iter()
        .map(|v| format!("{} {}", v.field, v.code))
        .collect();
    assert_eq!(
        found,
        vec![
            "content BASE_TYPE_MAX_LENGTH",
            "embeds.0.fields BASE_TYPE_MAX_LENGTH",
            "components.0.components BASE_TYPE_MAX_LENGTH",
            " EMPTY_MESSAGE",
        ]
    );
    assert_eq!(
        fake.messages_in(CHANNEL).len(),
        1,
        "refused messages are not stored"
    );

    // Mentions: without allowed_mentions everything in the content pings; with an empty one
    // nothing does.
    channel
        .say(&http, format!("<@{ALICE}> @everyone"))
        .await
        .unwrap();
    let quiet = CreateMessage::new()
        .content(format!("<@{ALICE}> @everyone"))
        .allowed_mentions(serenity::all::CreateAllowedMentions::new());
    channel.send_message(&http, quiet).await.unwrap();
    let posts: Vec<_> = fake
        .requests()
        .into_iter()
        .filter(|r| r.status == 200 && r.mentions.is_some())
        .collect();
    let loud = posts[posts.len() - 2].mentions.clone().unwrap();
    assert!(loud.allowed_mentions.is_none() && loud.everyone && loud.users == vec![ALICE]);
    let silent = posts[posts.len() - 1].mentions.clone().unwrap();
    assert!(silent.allowed_mentions.is_some() && !silent.pings_anyone());
}

/// A bot that walks through the interaction features; reports failures through a channel.
struct Scripted {
    errors: mpsc::UnboundedSender<String>,
}

impl Scripted {
    async fn run(&self, ctx: &Context, interaction: Interaction) -> serenity::Result<()> {
        let message = |text: &str| {
            CreateInteractionResponse::Message(
                CreateInteractionResponseMessage::new().content(text),
            )
        };
        match interaction {
            Interaction::Command(cmd) if cmd.data.name == "defer" => {
                cmd.defer(&ctx.http).await?;
                cmd.edit_response(&ctx.http, EditInteractionResponse::new().content("done"))
                    .await?;
                let more = cmd
                    .create_followup(
                        &ctx.http,
                        CreateInteractionResponseFollowup::new().content("more"),
                    )
                    .await?;
                cmd.edit_followup(
                    &ctx.http,
                    more.id,
                    CreateInteractionResponseFollowup::new().content("more!"),
                )
                .await?;
                let extra = cmd
                    .create_followup(
                        &ctx.http,
                        CreateInteractionResponseFollowup::new().content("extra"),
                    )
                    .await?;
                cmd.delete_followup(&ctx.http, extra.id).await?;
                assert_eq!(cmd.get_response(&ctx.http).await?.content, "done");
            }
            Interaction::Command(cmd) if cmd.data.name == "buttons" => {
                let row = CreateActionRow::Buttons(vec![
                    CreateButton::new("a").label("A"),
                    CreateButton::new("b").label("B"),
                ]);
                let answer = CreateInteractionResponseMessage::new()
                    .content("pick")
                    .components(vec![row]);
                cmd.create_response(&ctx.http, CreateInteractionResponse::Message(answer))
                    .await?;
            }
            Interaction::Command(cmd) if cmd.data.name == "dm" => {
                cmd.create_response(&ctx.http, message("check your DMs"))
                    .await?;
                cmd.user
                    .direct_message(&ctx.http, CreateMessage::new().content("hi in private"))
                    .await?;
            }
            Interaction::Command(cmd) => cmd.create_response(&ctx.http, message("unknown")).await?,
            Interaction::Component(click) if click.data.custom_id == "a" => {
                let update = CreateInteractionResponseMessage::new()
                    .content("picked a")
                    .components(vec![]);
                click
                    .create_response(&ctx.http, CreateInteractionResponse::UpdateMessage(update))
                    .await?;
            }
            Interaction::Component(click) => {
                let input = CreateInputText::new(InputTextStyle::Short, "Name", "name");
                let modal = CreateModal::new("form", "Tell me")
                    .components(vec![CreateActionRow::InputText(input)]);
                click
                    .create_response(&ctx.http, CreateInteractionResponse::Modal(modal))
                    .await?;
            }
            Interaction::Modal(submit) => {
                let value = submit
                    .data
                    .components
                    .iter()
                    .flat_map(|row| &row.components)
                    .find_map(|c| match c {
                        ActionRowComponent::InputText(t) if t.custom_id == "name" => {
                            t.value.clone()
                        }
                        _ => None,
                    })
                    .unwrap_or_default();
                submit
                    .create_response(&ctx.http, message(&format!("hello {value}")))
                    .await?;
            }
            _ => {}
        }
        Ok(())
    }
}

#[async_trait]
impl EventHandler for Scripted {
    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        if let Err(e) = self.run(&ctx, interaction).await {
            let _ = self.errors.send(e.to_string());
        }
    }
}

async fn start_scripted(
    fake: &FakeDiscord,
) -> (Arc<ShardManager>, mpsc::UnboundedReceiver<String>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let mut client = ClientBuilder::new_with_http(fake.http(), GatewayIntents::GUILDS)
        .event_handler(Scripted { errors: tx })
        .await
        .unwrap();
    let shards = Arc::clone(&client.shard_manager);
    tokio::spawn(async move { client.start().await });
    fake.wait_ready(TIMEOUT).await;
    (shards, rx)
}

#[tokio::test]
async fn interaction_flows() {
    let fake = FakeDiscord::start(config()).await;
    let (shards, mut errors) = start_scripted(&fake).await;

    // Deferral, edit of the original, follow-ups edited and deleted.
    let sent = fake.slash_command(SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "defer"));
    assert_eq!(fake.interaction_response(sent.id, TIMEOUT).await["type"], 5);
    let more = fake
        .wait_for_message(CHANNEL, |m| m["content"] == "more!", TIMEOUT)
        .await;
    assert!(more["edited_timestamp"].is_string());
    let original = fake
        .wait_for_message(CHANNEL, |m| m["content"] == "done", TIMEOUT)
        .await;
    assert_eq!(
        original["flags"], 0,
        "the thinking placeholder became the answer"
    );
    fake.wait_for(
        |r| r.method == "GET" && r.path.ends_with("/messages/@original"),
        TIMEOUT,
    )
    .await;
    assert!(
        !fake
            .messages_in(CHANNEL)
            .iter()
            .any(|m| m["content"] == "extra")
    );

    // Buttons: one updates the message, the other opens a modal whose submission is answered.
    let sent = fake.slash_command(SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "buttons"));
    fake.interaction_response(sent.id, TIMEOUT).await;
    let pick = fake
        .wait_for_message(CHANNEL, |m| m["content"] == "pick", TIMEOUT)
        .await;
    let pick_id = fake_discord::snowflake(&pick["id"]).unwrap();
    let opened = fake.component_click(BOB, pick_id, "b");
    assert_eq!(
        fake.interaction_response(opened.id, TIMEOUT).await["type"],
        9
    );
    let submitted = fake.modal_submit(&opened, &[("name", "Bob")]);
    assert_eq!(
        fake.interaction_response(submitted.id, TIMEOUT).await["data"]["content"],
        "hello Bob"
    );
    let click = fake.component_click(ALICE, pick_id, "a");
    assert_eq!(
        fake.interaction_response(click.id, TIMEOUT).await["type"],
        7
    );
    let updated = fake
        .wait_for_message(CHANNEL, |m| m["content"] == "picked a", TIMEOUT)
        .await;
    assert_eq!(updated["id"], pick["id"]);

    // A command in DMs, and a DM the bot sends.
    let sent = fake.slash_command(SlashCommand::in_dm(BOB, "dm"));
    fake.interaction_response(sent.id, TIMEOUT).await;
    let dm = fake.dm_channel_id(BOB);
    fake.wait_for_message(dm, |m| m["content"] == "hi in private", TIMEOUT)
        .await;

    // A second callback for the same interaction is refused, as on Discord.
    let http = fake.http();
    let again = http
        .create_interaction_response(
            sent.id.into(),
            &sent.token,
            &json!({"type": 4, "data": {"content": "x"}}),
            vec![],
        )
        .await
        .unwrap_err();
    assert!(
        again.to_string().contains("already been acknowledged"),
        "{again}"
    );

    shards.shutdown_all().await;
    assert!(errors.try_recv().is_err(), "the bot hit an error");
    assert!(
        fake.payload_errors().is_empty(),
        "{:#?}",
        fake.payload_errors()
    );
    assert!(fake.violations().is_empty(), "{:#?}", fake.violations());
    assert_eq!(
        fake.failed_requests().len(),
        1,
        "only the double answer failed"
    );
}

#[tokio::test]
async fn echo_bot_answers_everything() {
    let fake = FakeDiscord::start(config()).await;
    let bot = spawn_echo_bot(&fake, "echo").await.unwrap();
    fake.wait_ready(TIMEOUT).await;

    let sent = fake.slash_command(SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "anything"));
    assert_eq!(
        fake.interaction_response(sent.id, TIMEOUT).await["data"]["content"],
        "echo"
    );
    let typed = fake.autocomplete(
        SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "anything")
            .option(CommandOption::integer("n", 4).focused()),
    );
    assert_eq!(
        fake.interaction_response(typed.id, TIMEOUT).await["data"]["choices"][0]["value"],
        "echo"
    );
    let asked = fake.message_create(UserMessage::in_guild(GUILD, CHANNEL, ALICE, "<@1000> hi"));
    let reply = fake
        .wait_for_message(
            CHANNEL,
            |m| fake_discord::snowflake(&m["message_reference"]["message_id"]) == Some(asked.id),
            TIMEOUT,
        )
        .await;
    assert_eq!(reply["content"], "echo");
    let dm = fake.message_create(UserMessage::in_dm(BOB, "<@1000> psst"));
    fake.wait_for_message(dm.channel_id, |m| m["content"] == "echo", TIMEOUT)
        .await;
    bot.stop().await;
    assert_clean(&fake);
}

#[tokio::test]
async fn late_answers_are_unknown_interactions() {
    // A deadline of zero makes every answer late, without waiting 3 s.
    let fake = FakeDiscord::start(Config {
        interaction_deadline: Duration::ZERO,
        ..config()
    })
    .await;
    let bot = spawn_echo_bot(&fake, "echo").await.unwrap();
    fake.wait_ready(TIMEOUT).await;
    let sent = fake.slash_command(SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "anything"));
    let r = fake
        .wait_for(
            |r| r.path.contains(&format!("/interactions/{}/", sent.id)),
            TIMEOUT,
        )
        .await;
    assert_eq!(
        (r.status, r.response.unwrap()["code"].clone()),
        (404, json!(10062))
    );
    bot.stop().await;
}

#[tokio::test]
async fn gateway_survives_closes_and_invalid_sessions() {
    // Compressed frames, as Discord sends when IDENTIFY asks for them.
    let fake = FakeDiscord::start(Config {
        compress: true,
        ..config()
    })
    .await;
    let bot = spawn_echo_bot(&fake, "echo").await.unwrap();
    let first = fake.wait_ready(TIMEOUT).await;
    let ping = |text: &str| fake.slash_command(SlashCommand::in_guild(GUILD, CHANNEL, ALICE, text));

    // A resumable close code: serenity resumes the same session.
    assert!(fake.close_connection(4000));
    fake.wait_for_gateway(
        |g| matches!(g.kind, GatewayKind::Resume { accepted: true, .. }),
        TIMEOUT,
    )
    .await;
    let sent = ping("after-close");
    fake.interaction_response(sent.id, TIMEOUT).await;

    // Op 9 not resumable: serenity identifies again (after its ~5 s pause) with a new session.
    assert!(fake.invalidate_session(false));
    let second = fake
        .wait_for_gateway(
            |g| matches!(&g.kind, GatewayKind::Identify { session: Some(s), .. } if *s != first),
            TIMEOUT,
        )
        .await;
    let sent = ping("after-invalid-session");
    fake.interaction_response(sent.id, TIMEOUT).await;
    assert!(second.conn > 1);

    bot.stop().await;
    assert_eq!(fake.messages_in(CHANNEL).len(), 2);
    assert_clean(&fake);
}

#[tokio::test]
async fn unknown_message_reply_is_refused_unless_allowed() {
    let fake = FakeDiscord::start(config()).await;
    let http = fake.http();
    let channel = ChannelId::new(CHANNEL);
    let user = fake.message_create(UserMessage::in_guild(GUILD, CHANNEL, BOB, "hello"));
    let to_user = CreateMessage::new()
        .content("hi")
        .reference_message((channel, MessageId::new(user.id)));
    channel.send_message(&http, to_user).await.unwrap();
    // A user's reply to a message that is gone carries `referenced_message: null`.
    let orphan = fake.message_create(UserMessage::in_guild(GUILD, CHANNEL, BOB, "re").reply_to(5));
    let stored = fake
        .messages_in(CHANNEL)
        .into_iter()
        .find(|m| fake_discord::snowflake(&m["id"]) == Some(orphan.id));
    let stored = stored.unwrap();
    assert!(
        stored["referenced_message"].is_null() && stored["message_reference"]["message_id"] == "5"
    );
    let ghost = CreateMessage::new()
        .content("hi")
        .reference_message((channel, MessageId::new(5)));
    assert!(channel.send_message(&http, ghost).await.is_err());
    assert_eq!(
        fake.violations()[0].code,
        "MESSAGE_REFERENCE_UNKNOWN_MESSAGE"
    );
}
