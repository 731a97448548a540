//! How the bot is configured: from flags and environment variables (see README).

use std::collections::HashSet;
use std::path::PathBuf;

use poise::serenity_prelude as serenity;

/// The bot's settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// The bot token.
    pub token: String,
    /// The knowledge directory (watched for edits).
    pub knowledge_dir: PathBuf,
    /// Register commands in this guild only (instant, for development).
    pub dev_guild: Option<u64>,
    /// Base URL of a Discord-compatible API (a rate-limiting proxy, or a test server).
    pub api_url: Option<String>,
    /// Text prefix for commands in chat ("!score psycho").
    pub prefix: String,
    /// Channels where the bot answers questions it is sure about without being mentioned.
    pub chat_channels: HashSet<u64>,
    /// Guilds where it does so in every channel.
    pub chat_guilds: HashSet<u64>,
    /// Whether to ask for the privileged Message Content intent.
    pub message_content: bool,
    /// How long the same question in the same channel gets no second answer.
    pub cooldown: std::time::Duration,
    /// Shards this process runs: (first, count, total); autosharding when absent.
    pub shards: Option<(u32, u32, u32)>,
}

impl Config {
    /// The gateway intents the bot needs. Without Message Content it still receives the text of
    /// DMs and of messages that mention it, which is all the default chat behaviour needs.
    pub fn intents(&self) -> serenity::GatewayIntents {
        let mut intents = serenity::GatewayIntents::GUILDS
            | serenity::GatewayIntents::GUILD_MESSAGES
            | serenity::GatewayIntents::DIRECT_MESSAGES;
        if self.message_content {
            intents |= serenity::GatewayIntents::MESSAGE_CONTENT;
        }
        intents
    }
}
