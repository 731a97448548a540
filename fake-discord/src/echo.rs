//! The echo bot: the smallest serenity bot that answers everything with one fixed reply. It
//! measures the latency floor that serenity and loopback set, for benchmarks to compare the
//! real bot against.

use std::sync::Arc;

use serenity::all::{
    Context, CreateAllowedMentions, CreateAutocompleteResponse, CreateInteractionResponse,
    CreateInteractionResponseMessage, CreateMessage, EventHandler, GatewayIntents, Interaction,
    Message, ShardManager,
};
use serenity::async_trait;
use tokio::task::JoinHandle;

use crate::FakeDiscord;

struct Echo {
    reply: String,
}

#[async_trait]
impl EventHandler for Echo {
    async fn interaction_create(&self, ctx: Context, interaction: Interaction) {
        let message = || {
            CreateInteractionResponse::Message(
                CreateInteractionResponseMessage::new().content(&self.reply),
            )
        };
        let result = match &interaction {
            Interaction::Command(i) => i.create_response(&ctx.http, message()).await,
            Interaction::Component(i) => i.create_response(&ctx.http, message()).await,
            Interaction::Modal(i) => i.create_response(&ctx.http, message()).await,
            Interaction::Autocomplete(i) => {
                // Choice names and values are capped at 100 characters.
                let choice: String = self.reply.chars().take(100).collect();
                let answer =
                    CreateAutocompleteResponse::new().add_string_choice(choice.clone(), choice);
                i.create_response(&ctx.http, CreateInteractionResponse::Autocomplete(answer))
                    .await
            }
            _ => Ok(()),
        };
        if let Err(e) = result {
            tracing::warn!("echo bot: answering an interaction failed: {e}");
        }
    }

    async fn message(&self, ctx: Context, msg: Message) {
        let me = ctx.cache.current_user().id;
        if msg.author.bot || !msg.mentions_user_id(me) {
            return;
        }
        let reply = CreateMessage::new()
            .content(&self.reply)
            .reference_message(&msg)
            .allowed_mentions(CreateAllowedMentions::new());
        if let Err(e) = msg.channel_id.send_message(&ctx.http, reply).await {
            tracing::warn!("echo bot: replying failed: {e}");
        }
    }
}

/// A running echo bot.
pub struct EchoBot {
    shard_manager: Arc<ShardManager>,
    task: JoinHandle<Result<(), serenity::Error>>,
}

impl EchoBot {
    /// Closes the gateway connection and waits for the client to end.
    pub async fn stop(self) {
        self.shard_manager.shutdown_all().await;
        let _ = self.task.await;
    }
}

/// Starts a minimal serenity bot against `fake` that answers every interaction (message, or
/// one autocomplete choice) and every message mentioning it (a reply that pings nobody) with
/// `reply`. It asks for GUILDS, GUILD_MESSAGES and DIRECT_MESSAGES only.
///
/// For a latency floor, measure from [`crate::SentInteraction::at`] (or
/// [`crate::SentMessage::at`]) to the [`crate::Request::at`] of the answer, and start the fake
/// with [`crate::Config::check_payloads`] off.
///
/// # Errors
///
/// If serenity cannot build the client.
pub async fn spawn_echo_bot(
    fake: &FakeDiscord,
    reply: impl Into<String>,
) -> Result<EchoBot, serenity::Error> {
    start(fake.http(), reply.into()).await
}

/// [`spawn_echo_bot`] for a fake in another process, given by its [`FakeDiscord::api_url`] and
/// its bot token: a floor in a process of its own, placed as the bot it is compared with is.
///
/// # Errors
///
/// If serenity cannot build the client.
pub async fn spawn_echo_bot_at(
    api_url: &str,
    token: &str,
    reply: impl Into<String>,
) -> Result<EchoBot, serenity::Error> {
    let http = serenity::http::HttpBuilder::new(token)
        .proxy(api_url)
        .ratelimiter_disabled(true)
        .build();
    start(http, reply.into()).await
}

async fn start(http: serenity::http::Http, reply: String) -> Result<EchoBot, serenity::Error> {
    let intents =
        GatewayIntents::GUILDS | GatewayIntents::GUILD_MESSAGES | GatewayIntents::DIRECT_MESSAGES;
    let mut client = serenity::client::ClientBuilder::new_with_http(http, intents)
        .event_handler(Echo { reply })
        .await?;
    let shard_manager = Arc::clone(&client.shard_manager);
    let task = tokio::spawn(async move { client.start().await });
    Ok(EchoBot {
        shard_manager,
        task,
    })
}
