//! What every event handler shares: the current knowledge (swapped whole on reload), the engine,
//! chat settings, and the per-channel cooldown.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use poise::serenity_prelude as serenity;

use super::Config;
use crate::curation::Curator;
use crate::engine::Engine;
use crate::knowledge::Knowledge;
use crate::question::Question;

/// Shared bot state.
pub struct State {
    curator: Curator,
    engine: Engine,
    config: Config,
    bot_user: OnceLock<serenity::UserId>,
    /// Keyed by what users type: the standard library's keyed hash, which they cannot make
    /// collide, unlike the fast unkeyed one the knowledge's maps use.
    recent: Mutex<HashMap<(u64, Question), Instant>>,
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("curator", &self.curator)
            .finish_non_exhaustive()
    }
}

impl State {
    /// State serving the curator's knowledge with `config`.
    pub fn new(curator: Curator, config: Config) -> State {
        State {
            curator,
            engine: Engine::new("/"),
            config,
            bot_user: OnceLock::new(),
            recent: Mutex::new(HashMap::new()),
        }
    }

    /// The knowledge as seen in a server (or in DMs, `None`), as it is now.
    pub fn knowledge(&self, guild: Option<serenity::GuildId>) -> Arc<Knowledge> {
        self.curator.knowledge(guild.map(serenity::GuildId::get))
    }

    /// The shipped and servers' knowledge.
    pub fn curator(&self) -> &Curator {
        &self.curator
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The settings.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Records the bot's own user id (known once connected).
    pub fn set_bot_user(&self, id: serenity::UserId) {
        let _ = self.bot_user.set(id);
    }

    /// The bot's own user id, once connected.
    pub fn bot_user(&self) -> Option<serenity::UserId> {
        self.bot_user.get().copied()
    }

    /// Whether `question`, as understood, was already answered in `channel` within the cooldown;
    /// if not, records it as answered now. Five people asking the same thing at once, in their
    /// own words, get one answer.
    pub fn already_answered(&self, channel: u64, question: Question) -> bool {
        let now = Instant::now();
        let cooldown = self.config.cooldown;
        let Ok(mut recent) = self.recent.lock() else {
            return false;
        };
        if recent.len() > 10_000 {
            recent.retain(|_, at| now.duration_since(*at) < cooldown);
        }
        let key = (channel, question);
        match recent.get(&key) {
            Some(at) if now.duration_since(*at) < cooldown => true,
            _ => {
                recent.insert(key, now);
                false
            }
        }
    }
}

/// The default cooldown for a repeated question in one channel.
pub const DEFAULT_COOLDOWN: Duration = Duration::from_secs(30);
