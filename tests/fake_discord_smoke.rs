//! End-to-end check of the fake Discord: the real serenity 0.12.5 client (and a poise 0.7.1
//! framework) connects to `fake_discord::FakeDiscord` on loopback, gets READY, answers
//! interactions and mentions, survives RECONNECT and a dropped connection, and ends with an
//! error on a wrong token or a disallowed intent.
//!
//! Every test captures serenity's and poise's WARN and ERROR logs and fails on any it does not
//! expect: serenity drops a payload it cannot deserialize with only a WARN, so a broken fake
//! would otherwise look like a silent bot. Set RUST_LOG (e.g. `serenity=debug`) to see more.
//! Nothing sleeps: every wait is on a notification, bounded by a timeout.

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fake_discord::{
    Channel, CommandOption, Config, FakeDiscord, GatewayKind, Guild, Member, SlashCommand, User,
    UserMessage, intents as bits,
};
use serenity::all::{
    ClientBuilder, Context, CreateAllowedMentions, CreateAutocompleteResponse, CreateEmbed,
    CreateInteractionResponse, CreateInteractionResponseMessage, CreateMessage, EventHandler,
    GatewayError, GatewayIntents, GuildId, Interaction, Message, Ready, ResumedEvent,
};
use serenity::async_trait;
use tokio::sync::mpsc;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::filter::{EnvFilter, Targets};
use tracing_subscriber::layer::{Context as LayerContext, SubscriberExt};
use tracing_subscriber::{Layer, Registry};

const GUILD: u64 = 100;
const CHANNEL: u64 = 101;
const ALICE: u64 = 7;
const BOT: u64 = 1000;
const TIMEOUT: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------------------------
// Log capture

/// WARN and ERROR events from serenity, poise and fake-discord, plus serenity's DEBUG line for
/// a dispatch it could not deserialize, as `LEVEL target: message` lines.
#[derive(Clone, Default)]
struct Warnings(Arc<Mutex<Vec<String>>>);

impl Warnings {
    fn lines(&self) -> Vec<String> {
        self.0.lock().unwrap().clone()
    }

    /// Fails unless every captured line contains one of `expected`.
    fn assert_only(&self, expected: &[&str]) {
        let unexpected: Vec<_> = self
            .lines()
            .into_iter()
            .filter(|l| !expected.iter().any(|e| l.contains(e)))
            .collect();
        assert!(
            unexpected.is_empty(),
            "unexpected serenity/poise warnings:\n{}",
            unexpected.join("\n")
        );
    }
}

struct MessageVisitor(String);

impl Visit for MessageVisitor {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = if field.name() == "message" {
            write!(self.0, "{value:?}")
        } else {
            write!(self.0, " {}={value:?}", field.name())
        };
    }
}

impl<S: Subscriber> Layer<S> for Warnings {
    fn on_event(&self, event: &Event<'_>, _ctx: LayerContext<'_, S>) {
        let mut visitor = MessageVisitor(String::new());
        event.record(&mut visitor);
        // serenity 0.12.5 falls back to `Event::Unknown` for a dispatch whose payload does not
        // deserialize, and says so only at DEBUG: that line is the one to catch.
        if *event.metadata().level() > Level::WARN && !visitor.0.contains("unknown event") {
            return;
        }
        let line = format!(
            "{} {}: {}",
            event.metadata().level(),
            event.metadata().target(),
            visitor.0
        );
        self.0.lock().unwrap().push(line);
    }
}

/// Installs, for this thread, a subscriber that captures serenity/poise warnings and prints
/// what RUST_LOG asks for. The tests run on a current-thread runtime, so every task logs here.
fn capture_logs() -> (Warnings, tracing::subscriber::DefaultGuard) {
    let warnings = Warnings::default();
    let watched = Targets::new()
        .with_target("serenity", Level::WARN)
        .with_target("serenity::client::dispatch", Level::DEBUG)
        .with_target("poise", Level::WARN)
        .with_target("fake_discord", Level::WARN);
    let shown = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("serenity=warn,poise=warn,fake_discord=warn"));
    let subscriber = Registry::default()
        .with(warnings.clone().with_filter(watched))
        .with(
            tracing_subscriber::fmt::layer()
                .with_test_writer()
                .with_filter(shown),
        );
    (warnings, tracing::subscriber::set_default(subscriber))
}

// ---------------------------------------------------------------------------------------------
// A minimal serenity bot

/// What the bot's handler saw, in order.
#[derive(Debug)]
enum Seen {
    Ready(Box<Ready>),
    Resumed,
    // Boxed: serenity's models are large and this enum is only a test's mailbox.
    Message(Box<Message>),
}

struct Bot {
    seen: mpsc::UnboundedSender<Seen>,
}

#[async_trait]
impl EventHandler for Bot {
    async fn ready(&self, _ctx: Context, ready: Ready) {
        let _ = self.seen.send(Seen::Ready(Box::new(ready)));
    }

    async fn resume(&self, _ctx: Context, _: ResumedEvent) {
        let _ = self.seen.send(Seen::Resumed);
    }

    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let Interaction::Command(cmd) = interaction else {
            return;
        };
        let text = cmd
            .data
            .options
            .first()
            .and_then(|o| o.value.as_str())
            .unwrap_or("nothing")
            .to_owned();
        let embed = CreateEmbed::new()
            .title("Pong")
            .description(format!("you sent {text}"))
            .field("user", cmd.user.name.clone(), true);
        let answer = CreateInteractionResponseMessage::new()
            .embed(embed)
            .allowed_mentions(CreateAllowedMentions::new());
        cmd.create_response(&ctx.http, CreateInteractionResponse::Message(answer))
            .await
            .expect("interaction answer");
    }

    async fn message(&self, ctx: Context, msg: Message) {
        if msg.author.bot {
            return;
        }
        if msg.mentions_user_id(ctx.cache.current_user().id) {
            let reply = CreateMessage::new()
                .content(format!("you said: {}", msg.content))
                .reference_message(&msg)
                .allowed_mentions(CreateAllowedMentions::new());
            msg.channel_id
                .send_message(&ctx.http, reply)
                .await
                .expect("reply");
        }
        let _ = self.seen.send(Seen::Message(Box::new(msg)));
    }
}

fn config() -> Config {
    Config::new("test-token")
        .user(User::new(ALICE, "alice"))
        .guild(
            Guild::new(GUILD, "film-music")
                .channel(Channel::text(CHANNEL, "general"))
                .member(Member::new(ALICE)),
        )
}

async fn next(seen: &mut mpsc::UnboundedReceiver<Seen>) -> Seen {
    tokio::time::timeout(TIMEOUT, seen.recv())
        .await
        .expect("bot event in time")
        .expect("bot still running")
}

/// Runs a slash command and checks the bot answered it with the embed.
async fn ping(fake: &FakeDiscord, text: &str) {
    let sent = fake.slash_command(
        SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "ping")
            .option(CommandOption::string("text", text)),
    );
    let answer = fake.interaction_response(sent.id, TIMEOUT).await;
    assert_eq!(answer["type"], 4, "{answer}");
    assert_eq!(answer["data"]["embeds"][0]["title"], "Pong");
    assert_eq!(
        answer["data"]["embeds"][0]["description"],
        format!("you sent {text}")
    );
    assert_eq!(answer["data"]["embeds"][0]["fields"][0]["value"], "alice");
}

fn resumes(fake: &FakeDiscord) -> usize {
    fake.gateway_log()
        .iter()
        .filter(|g| matches!(g.kind, GatewayKind::Resume { accepted: true, .. }))
        .count()
}

async fn wait_resumes(fake: &FakeDiscord, n: usize) {
    fake.wait_for_gateway(
        |g| matches!(g.kind, GatewayKind::Resume { accepted: true, .. }) && resumes(fake) >= n,
        TIMEOUT,
    )
    .await;
}

#[tokio::test(flavor = "current_thread")]
async fn serenity_bot_end_to_end() {
    let (warnings, _guard) = capture_logs();
    let fake = FakeDiscord::start(config()).await;
    let (tx, mut seen) = mpsc::unbounded_channel();
    let intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES;
    let mut client = ClientBuilder::new_with_http(fake.http(), intents)
        .event_handler(Bot { seen: tx })
        .await
        .expect("client");
    let shards = Arc::clone(&client.shard_manager);
    let run = tokio::spawn(async move { client.start().await });

    // READY: the bot user, the guild (unavailable until GUILD_CREATE), the application id.
    let Seen::Ready(ready) = next(&mut seen).await else {
        panic!("expected READY first")
    };
    assert_eq!(ready.user.id.get(), BOT);
    assert_eq!(
        ready.guilds.iter().map(|g| g.id.get()).collect::<Vec<_>>(),
        vec![GUILD]
    );
    let identify = fake
        .wait_for_gateway(|g| matches!(g.kind, GatewayKind::Identify { .. }), TIMEOUT)
        .await;
    let GatewayKind::Identify {
        intents: asked,
        shard,
        compress,
        session,
    } = identify.kind
    else {
        unreachable!()
    };
    assert_eq!(asked, intents.bits());
    assert_eq!(shard, Some([0, 1]));
    assert!(
        compress,
        "serenity asks for compress: true (and accepts the text frames sent back)"
    );
    assert!(session.is_some());

    // A slash command answered with an embed through the interaction callback.
    ping(&fake, "first").await;

    // A guild message that mentions the bot: the bot sees its content (no MESSAGE_CONTENT
    // intent needed when mentioned) and replies without pinging anyone.
    let asked = fake.message_create(UserMessage::in_guild(
        GUILD,
        CHANNEL,
        ALICE,
        format!("<@{BOT}> which theme?"),
    ));
    let Seen::Message(m) = next(&mut seen).await else {
        panic!("expected the message")
    };
    assert_eq!(m.content, format!("<@{BOT}> which theme?"));
    let reply = fake
        .wait_for_message(
            CHANNEL,
            |m| fake_discord::snowflake(&m["message_reference"]["message_id"]) == Some(asked.id),
            TIMEOUT,
        )
        .await;
    assert_eq!(reply["content"], format!("you said: <@{BOT}> which theme?"));
    assert_eq!(reply["type"], 19);
    let post = fake
        .wait_for(|r| r.is("POST", "/channels/{channel.id}/messages"), TIMEOUT)
        .await;
    let mentions = post.mentions.expect("mentions recorded");
    assert!(
        mentions.allowed_mentions.is_some() && !mentions.pings_anyone(),
        "{mentions:?}"
    );

    // Without the MESSAGE_CONTENT intent, a message that does not mention the bot arrives
    // empty.
    fake.message_create(UserMessage::in_guild(
        GUILD,
        CHANNEL,
        ALICE,
        "no mention here",
    ));
    let Seen::Message(m) = next(&mut seen).await else {
        panic!("expected the message")
    };
    assert_eq!(m.content, "");

    // Op 7 RECONNECT: serenity reconnects and RESUMEs; a command sent meanwhile is replayed.
    assert!(fake.send_reconnect());
    ping(&fake, "after reconnect").await;
    wait_resumes(&fake, 1).await;
    assert!(matches!(next(&mut seen).await, Seen::Resumed));

    // A dropped TCP connection: resumed as well, and the command sent while the bot was
    // away is replayed on RESUME.
    assert!(fake.drop_connection());
    ping(&fake, "after drop").await;
    wait_resumes(&fake, 2).await;
    assert!(matches!(next(&mut seen).await, Seen::Resumed));
    let log = fake.gateway_log();
    let replayed: Vec<usize> = log
        .iter()
        .filter_map(|g| match g.kind {
            GatewayKind::Resume { replayed, .. } => Some(replayed),
            _ => None,
        })
        .collect();
    assert!(
        replayed[1] >= 1,
        "the command sent while away was replayed: {replayed:?}"
    );
    assert_eq!(
        log.iter()
            .filter(|g| matches!(g.kind, GatewayKind::Identify { .. }))
            .count(),
        1,
        "never re-identified"
    );
    assert!(log.iter().any(|g| g.kind == GatewayKind::ServerDropped));

    // Nothing unexpected: no unknown route, no error answer, no limit broken, no payload
    // serenity would drop, no warning.
    assert!(
        fake.payload_errors().is_empty(),
        "{:#?}",
        fake.payload_errors()
    );
    assert!(
        fake.failed_requests().is_empty(),
        "{:#?}",
        fake.failed_requests()
    );
    assert!(fake.violations().is_empty(), "{:#?}", fake.violations());
    shards.shutdown_all().await;
    let ended = tokio::time::timeout(TIMEOUT, run)
        .await
        .expect("client ends")
        .expect("client task");
    assert!(ended.is_ok(), "{ended:?}");
    warnings.assert_only(&[]);
}

/// Starts a client and returns how `client.start()` ended.
async fn start_and_end(
    fake: &FakeDiscord,
    token: &str,
    intents: GatewayIntents,
) -> serenity::Result<()> {
    let (tx, _seen) = mpsc::unbounded_channel();
    let mut client = ClientBuilder::new_with_http(fake.http_with_token(token), intents)
        .event_handler(Bot { seen: tx })
        .await
        .expect("client");
    tokio::time::timeout(TIMEOUT, client.start())
        .await
        .expect("client.start() ends instead of spinning")
}

#[tokio::test(flavor = "current_thread")]
async fn wrong_token_ends_the_client_with_4004() {
    let (warnings, _guard) = capture_logs();
    let fake = FakeDiscord::start(config()).await;
    let ended = start_and_end(&fake, "wrong-token", GatewayIntents::GUILDS).await;
    assert!(
        matches!(
            ended,
            Err(serenity::Error::Gateway(
                GatewayError::InvalidAuthentication
            ))
        ),
        "{ended:?}"
    );
    assert!(
        fake.gateway_log()
            .iter()
            .any(|g| g.kind == GatewayKind::ServerClosed { code: 4004 })
    );
    // serenity reports the close at ERROR level; nothing else may appear.
    warnings.assert_only(&["Sent invalid authentication", "Shard handler received err"]);
}

#[tokio::test(flavor = "current_thread")]
async fn disallowed_intent_ends_the_client_with_4014() {
    let (warnings, _guard) = capture_logs();
    let fake = FakeDiscord::start(config()).await;
    let intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::MESSAGE_CONTENT;
    let ended = start_and_end(&fake, "test-token", intents).await;
    assert!(
        matches!(
            ended,
            Err(serenity::Error::Gateway(
                GatewayError::DisallowedGatewayIntents
            ))
        ),
        "{ended:?}"
    );
    assert!(
        fake.gateway_log()
            .iter()
            .any(|g| g.kind == GatewayKind::ServerClosed { code: 4014 })
    );
    warnings.assert_only(&["Disallowed gateway intents", "Shard handler received err"]);

    // The same intents pass once the application has them enabled.
    let fake = FakeDiscord::start(config().privileged_intents(bits::MESSAGE_CONTENT)).await;
    let (tx, mut seen) = mpsc::unbounded_channel();
    let mut client = ClientBuilder::new_with_http(fake.http(), intents)
        .event_handler(Bot { seen: tx })
        .await
        .expect("client");
    let shards = Arc::clone(&client.shard_manager);
    let run = tokio::spawn(async move { client.start().await });
    assert!(matches!(next(&mut seen).await, Seen::Ready(_)));
    // With MESSAGE_CONTENT the content of a message that does not mention the bot arrives.
    fake.message_create(UserMessage::in_guild(
        GUILD,
        CHANNEL,
        ALICE,
        "no mention here",
    ));
    let Seen::Message(m) = next(&mut seen).await else {
        panic!("expected the message")
    };
    assert_eq!(m.content, "no mention here");
    shards.shutdown_all().await;
    let _ = tokio::time::timeout(TIMEOUT, run).await;
}

// ---------------------------------------------------------------------------------------------
// A minimal poise bot

type PoiseError = Box<dyn std::error::Error + Send + Sync>;
type PoiseContext<'a> = poise::Context<'a, (), PoiseError>;

async fn topics(_ctx: PoiseContext<'_>, partial: &str) -> CreateAutocompleteResponse {
    ["horns", "strings", "choir"]
        .iter()
        .filter(|t| t.starts_with(partial))
        .fold(CreateAutocompleteResponse::new(), |r, t| {
            r.add_string_choice(*t, *t)
        })
}

/// Tells about a topic.
#[poise::command(slash_command)]
async fn ask(
    ctx: PoiseContext<'_>,
    #[description = "What to ask about"]
    #[autocomplete = "topics"]
    topic: String,
) -> Result<(), PoiseError> {
    ctx.say(format!("topic: {topic}")).await?;
    Ok(())
}

#[tokio::test(flavor = "current_thread")]
async fn poise_registers_and_answers() {
    let (warnings, _guard) = capture_logs();
    let fake = FakeDiscord::start(config()).await;
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: vec![ask()],
            ..Default::default()
        })
        .setup(|ctx, _ready, framework| {
            Box::pin(async move {
                poise::builtins::register_in_guild(
                    ctx,
                    &framework.options().commands,
                    GuildId::new(GUILD),
                )
                .await?;
                Ok(())
            })
        })
        .build();
    let mut client = ClientBuilder::new_with_http(fake.http(), GatewayIntents::non_privileged())
        .framework(framework)
        .await
        .expect("client");
    let shards = Arc::clone(&client.shard_manager);
    let run = tokio::spawn(async move { client.start().await });

    // Registration: PUT the guild's commands; the fake answers with ids.
    let put = fake
        .wait_for(
            |r| {
                r.is(
                    "PUT",
                    "/applications/{application.id}/guilds/{guild.id}/commands",
                )
            },
            TIMEOUT,
        )
        .await;
    assert_eq!(put.status, 200);
    let registered = fake.commands(Some(GUILD));
    assert_eq!(registered.len(), 1);
    assert_eq!(registered[0]["name"], "ask");
    assert_eq!(registered[0]["options"][0]["autocomplete"], true);
    assert!(
        registered[0]["id"]
            .as_str()
            .is_some_and(|id| !id.is_empty())
    );

    // Autocomplete: the focused option's text comes back as choices.
    let typing = fake.autocomplete(
        SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "ask")
            .option(CommandOption::string("topic", "ho").focused()),
    );
    let answer = fake.interaction_response(typing.id, TIMEOUT).await;
    assert_eq!(answer["type"], 8, "{answer}");
    assert_eq!(answer["data"]["choices"][0]["value"], "horns");

    // The command itself.
    let sent = fake.slash_command(
        SlashCommand::in_guild(GUILD, CHANNEL, ALICE, "ask")
            .option(CommandOption::string("topic", "horns")),
    );
    let answer = fake.interaction_response(sent.id, TIMEOUT).await;
    assert_eq!(answer["type"], 4, "{answer}");
    assert_eq!(answer["data"]["content"], "topic: horns");

    assert!(
        fake.requests()
            .iter()
            .any(|r| r.is("GET", "/oauth2/applications/@me")),
        "poise asks for the owners"
    );
    assert!(
        fake.failed_requests().is_empty(),
        "{:#?}",
        fake.failed_requests()
    );
    assert!(fake.violations().is_empty(), "{:#?}", fake.violations());
    shards.shutdown_all().await;
    let _ = tokio::time::timeout(TIMEOUT, run).await;
    warnings.assert_only(&[]);
}
