//! The Discord layer: connects to Discord with serenity and poise, turns commands, autocomplete,
//! button clicks and chat messages into questions for the [`Engine`], and sends its replies back.
//! It only carries text in and replies out; everything else happens in the library.

mod chat;
mod commands;
mod components;
mod config;
mod convert;
mod kb;
mod reload;
mod state;

pub use state::DEFAULT_COOLDOWN;

use std::sync::Arc;

use anyhow::Context as _;
use poise::serenity_prelude as serenity;

pub use config::Config;
pub use reload::read_knowledge;
pub use state::State;

/// The error type of commands.
pub type Error = anyhow::Error;
/// The poise context of commands.
pub type Context<'a> = poise::Context<'a, Arc<State>, Error>;

/// Why the bot stopped, when it did not stop because it was asked to.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// Discord refused the token (gateway close 4004).
    #[error(
        "Discord rejected the bot token (gateway close 4004). Check DISCORD_TOKEN: copy the token again from the Discord developer portal (Bot > Reset Token)."
    )]
    BadToken,
    /// The bot asked for a privileged intent it is not allowed (gateway close 4014).
    #[error(
        "Discord refused the requested gateway intents (gateway close 4014). Enable the Message Content intent for the bot in the developer portal (Bot > Privileged Gateway Intents), or run without LEITMOTIF_MESSAGE_CONTENT."
    )]
    DisallowedIntents,
    /// Anything else.
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// Runs the bot until it is stopped (SIGTERM, Ctrl-C) or fails.
pub async fn run(config: Config, state: Arc<State>) -> Result<(), RunError> {
    let mut http = serenity::HttpBuilder::new(&config.token);
    if let Some(api_url) = &config.api_url {
        // A proxy base URL replaces https://discord.com for every REST call; serenity's own rate
        // limiter bypasses the proxy, so it is off and the proxy is trusted to limit.
        http = http
            .proxy(api_url.trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    let http = http.build();
    let intents = config.intents();
    let framework = poise::Framework::builder()
        .options(commands::framework_options())
        .setup({
            let state = state.clone();
            let dev_guild = config.dev_guild;
            move |ctx, ready, framework| {
                Box::pin(async move {
                    let commands = &framework.options().commands;
                    match dev_guild {
                        Some(guild) => {
                            poise::builtins::register_in_guild(ctx, commands, serenity::GuildId::new(guild))
                                .await
                                .context("registering commands in the development guild")?;
                            tracing::info!(guild, "registered commands in the development guild");
                        }
                        None => {
                            poise::builtins::register_globally(ctx, commands)
                                .await
                                .context("registering commands globally")?;
                            tracing::info!("registered commands globally");
                        }
                    }
                    tracing::info!(user = %ready.user.name, guilds = ready.guilds.len(), "connected");
                    state.set_bot_user(ready.user.id);
                    Ok(state)
                })
            }
        })
        .build();

    let _watch = match reload::watch(config.knowledge_dir.clone(), state.clone()) {
        Ok(watch) => Some(watch),
        Err(error) => {
            tracing::warn!("{error:#}; edits to the knowledge need a restart");
            None
        }
    };
    let mut client = serenity::ClientBuilder::new_with_http(http, intents)
        .framework(framework)
        .await
        .context("building the Discord client")?;
    let shard_manager = client.shard_manager.clone();
    tokio::spawn(async move {
        wait_for_shutdown_signal().await;
        tracing::info!("shutting down");
        shard_manager.shutdown_all().await;
    });
    let result = match config.shards {
        // serenity takes the end of the range as the last shard, inclusive.
        Some((first, count, total)) => {
            client
                .start_shard_range(first..first + count - 1, total)
                .await
        }
        None => client.start_autosharded().await,
    };
    match result {
        Ok(()) => Ok(()),
        Err(serenity::Error::Gateway(serenity::GatewayError::InvalidAuthentication)) => {
            Err(RunError::BadToken)
        }
        Err(serenity::Error::Gateway(
            serenity::GatewayError::DisallowedGatewayIntents
            | serenity::GatewayError::InvalidGatewayIntents,
        )) => Err(RunError::DisallowedIntents),
        Err(error) => Err(RunError::Other(
            anyhow::Error::new(error).context("the Discord connection failed"),
        )),
    }
}

async fn wait_for_shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(term) => term,
                Err(error) => {
                    tracing::warn!(%error, "cannot listen for SIGTERM");
                    let _ = tokio::signal::ctrl_c().await;
                    return;
                }
            };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
