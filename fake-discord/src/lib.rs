//! A Discord-compatible REST API v10 + Gateway v10 server on loopback, for end-to-end tests of
//! a serenity/poise bot: the real serenity client connects to it as it would to Discord.
//!
//! ```no_run
//! # async fn demo() {
//! use std::time::Duration;
//! use fake_discord::{Channel, Config, FakeDiscord, Guild, Member, SlashCommand, User};
//!
//! let fake = FakeDiscord::start(
//!     Config::new("token")
//!         .user(User::new(7, "alice"))
//!         .guild(Guild::new(100, "g").channel(Channel::text(101, "general")).member(Member::new(7))),
//! )
//! .await;
//! // Point serenity at it: `fake.http()` is `HttpBuilder::new(token).proxy(fake.api_url())
//! // .ratelimiter_disabled(true).build()`; hand it to `ClientBuilder::new_with_http`.
//! fake.wait_ready(Duration::from_secs(10)).await;
//! let sent = fake.slash_command(SlashCommand::in_guild(100, 101, 7, "ping"));
//! let answer = fake.interaction_response(sent.id, Duration::from_secs(3)).await;
//! assert_eq!(answer["type"], 4);
//! # }
//! ```
//!
//! Everything the bot does over REST is recorded ([`FakeDiscord::requests`]) and checked
//! against Discord's limits ([`FakeDiscord::violations`]); waits are driven by notifications,
//! never by polling.
//!
//! Not modelled: more than one shard at a time (dispatches go to the most recently identified
//! session), channel permission overwrites, rate limits (serenity must run with its
//! ratelimiter disabled anyway), and Discord's server-side heartbeat timeout.

#![warn(missing_docs)]

mod config;
mod drive;
mod echo;
mod gateway;
mod model;
mod multipart;
mod record;
mod rest;
mod state;
mod validate;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use serde_json::{Value, json};
use tokio::task::JoinHandle;

pub use config::{Channel, Config, Guild, Member, Role, User, intents, permissions};
pub use drive::{CommandOption, Place, SentInteraction, SentMessage, SlashCommand, UserMessage};
pub use echo::{EchoBot, spawn_echo_bot, spawn_echo_bot_at};
pub use record::{GatewayKind, GatewayRecord, Mentions, Part, Request, Violation};

use state::{Outbound, Shared, State};

/// Reads a Discord id out of JSON: ids are strings of digits (`"123"`), sometimes numbers.
pub fn snowflake(value: &Value) -> Option<u64> {
    model::id_of(value)
}

/// A running fake Discord. Dropping it stops the server.
#[derive(Debug)]
pub struct FakeDiscord {
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

impl Drop for FakeDiscord {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl FakeDiscord {
    /// Binds 127.0.0.1 on a free port and serves REST (`/api/v10/...`) and the gateway
    /// (`/gateway`) on it, on the current tokio runtime.
    ///
    /// # Panics
    ///
    /// If no loopback port can be bound.
    pub async fn start(config: Config) -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("fake-discord: bind 127.0.0.1:0");
        let addr = listener.local_addr().expect("fake-discord: local address");
        let mut config = config;
        config.bot.bot = true;
        let shared = Arc::new(Shared::new(config, addr));
        let app = Router::new()
            .route("/gateway", get(gateway::upgrade))
            .fallback(rest::handle)
            .with_state(Arc::clone(&shared));
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!("fake-discord server stopped: {e}");
            }
        });
        FakeDiscord { shared, server }
    }

    /// The base URL to give serenity's `HttpBuilder::proxy`: `http://127.0.0.1:PORT`.
    pub fn api_url(&self) -> String {
        format!("http://{}", self.shared.addr)
    }

    /// The gateway URL `GET /api/v10/gateway` answers: `ws://127.0.0.1:PORT/gateway`.
    pub fn gateway_url(&self) -> String {
        self.shared.gateway_url()
    }

    /// The configuration it was started with.
    pub fn config(&self) -> &Config {
        &self.shared.config
    }

    /// A serenity HTTP client pointed at this server with the configured token:
    /// `HttpBuilder::new(token).proxy(api_url).ratelimiter_disabled(true)`. The ratelimiter
    /// must be off: serenity's ratelimiter ignores the proxy and would call discord.com.
    pub fn http(&self) -> serenity::http::Http {
        self.http_with_token(&self.shared.config.token)
    }

    /// Like [`FakeDiscord::http`] with another token (to test a wrong one).
    pub fn http_with_token(&self, token: &str) -> serenity::http::Http {
        serenity::http::HttpBuilder::new(token)
            .proxy(self.api_url())
            .ratelimiter_disabled(true)
            .build()
    }

    // -----------------------------------------------------------------------------------------
    // Driving the bot

    /// A user runs a slash command: sends INTERACTION_CREATE type 2.
    ///
    /// # Panics
    ///
    /// If no bot session exists yet (see [`FakeDiscord::wait_ready`]), or the user, guild,
    /// channel or membership is not in the config.
    pub fn slash_command(&self, command: SlashCommand) -> SentInteraction {
        drive::command(&self.shared, &command, 2)
    }

    /// A user types into an autocomplete option: sends INTERACTION_CREATE type 4. One option
    /// must be marked with [`CommandOption::focused`].
    ///
    /// # Panics
    ///
    /// As [`FakeDiscord::slash_command`], and if no option is focused.
    pub fn autocomplete(&self, command: SlashCommand) -> SentInteraction {
        drive::command(&self.shared, &command, 4)
    }

    /// A user clicks the button `custom_id` on a stored message: sends INTERACTION_CREATE
    /// type 3 carrying the message.
    ///
    /// # Panics
    ///
    /// If there is no session, no such message, or no such component on it.
    pub fn component_click(
        &self,
        user_id: u64,
        message_id: u64,
        custom_id: &str,
    ) -> SentInteraction {
        drive::component(&self.shared, user_id, message_id, custom_id, None)
    }

    /// A user picks `values` in the select menu `custom_id` on a stored message.
    ///
    /// # Panics
    ///
    /// As [`FakeDiscord::component_click`].
    pub fn select_menu(
        &self,
        user_id: u64,
        message_id: u64,
        custom_id: &str,
        values: &[&str],
    ) -> SentInteraction {
        drive::component(&self.shared, user_id, message_id, custom_id, Some(values))
    }

    /// The user submits the modal the bot opened (callback type 9) in answer to `opened_by`,
    /// with `(text input custom_id, value)` pairs; inputs left out are sent empty. Sends
    /// INTERACTION_CREATE type 5 with the modal's `custom_id`.
    ///
    /// # Panics
    ///
    /// If the bot did not answer `opened_by` with a modal, or a field is not in the modal.
    pub fn modal_submit(
        &self,
        opened_by: &SentInteraction,
        fields: &[(&str, &str)],
    ) -> SentInteraction {
        drive::modal_submit(&self.shared, opened_by.id, fields)
    }

    /// A user posts a message. It is stored, and MESSAGE_CREATE is sent if the bot's session
    /// asked for GUILD_MESSAGES (guild) or DIRECT_MESSAGES (DM); without MESSAGE_CONTENT the
    /// content arrives empty unless it is a DM or mentions the bot. Without a session the
    /// message is only stored (history the bot can fetch later).
    ///
    /// # Panics
    ///
    /// If the author, guild, channel or membership is unknown.
    pub fn message_create(&self, message: UserMessage) -> SentMessage {
        drive::message(&self.shared, &message)
    }

    // -----------------------------------------------------------------------------------------
    // Gateway events on demand

    /// Sends op 7 RECONNECT on the live connection; serenity then reconnects and RESUMEs.
    /// Returns false when no connection is live.
    pub fn send_reconnect(&self) -> bool {
        self.control(|st, conn| {
            let _ = conn.tx.send(Outbound::Frame(
                json!({"op": 7, "s": null, "t": null, "d": null}).to_string(),
            ));
            self.shared
                .record_gateway(st, conn.id, GatewayKind::ReconnectSent);
        })
    }

    /// Drops the live TCP connection without a close frame (a network failure); serenity
    /// reconnects and RESUMEs. Returns false when no connection is live.
    pub fn drop_connection(&self) -> bool {
        self.control(|_, conn| {
            let _ = conn.tx.send(Outbound::Drop);
        })
    }

    /// Sends op 9 INVALID SESSION. With `resumable` false the session is forgotten and the
    /// client must IDENTIFY again (serenity waits about 5 s first). Returns false when no
    /// connection is live.
    pub fn invalidate_session(&self, resumable: bool) -> bool {
        self.control(|st, conn| {
            let _ = conn.tx.send(Outbound::Frame(
                json!({"op": 9, "s": null, "t": null, "d": resumable}).to_string(),
            ));
            self.shared
                .record_gateway(st, conn.id, GatewayKind::InvalidSessionSent { resumable });
            if !resumable && let Some(sid) = st.current.take() {
                st.sessions.remove(&sid);
            }
        })
    }

    /// Closes the live websocket with `code` (e.g. 4000 resumable, 4009 session timed out,
    /// 4004 authentication failed). Returns false when no connection is live.
    pub fn close_connection(&self, code: u16) -> bool {
        self.control(|_, conn| {
            let _ = conn
                .tx
                .send(Outbound::Close(code, "closed by fake-discord".into()));
        })
    }

    /// Stops (false) or resumes (true) answering heartbeats with op 11, to simulate a zombie
    /// connection.
    pub fn set_heartbeat_acks(&self, on: bool) {
        self.shared.lock().stop_heartbeat_acks = !on;
    }

    fn control(&self, f: impl FnOnce(&mut State, &state::ConnHandle)) -> bool {
        let mut st = self.shared.lock();
        let conn = st
            .current
            .as_ref()
            .and_then(|s| st.sessions.get(s))
            .and_then(|s| s.conn.clone());
        match conn {
            Some(conn) => {
                f(&mut st, &conn);
                true
            }
            None => false,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Records

    /// Every REST call so far, in arrival order.
    pub fn requests(&self) -> Vec<Request> {
        self.shared.lock().requests.clone()
    }

    /// Calls that hit an unknown route or got an error status: what a test usually wants to
    /// be empty.
    pub fn failed_requests(&self) -> Vec<Request> {
        self.shared
            .lock()
            .requests
            .iter()
            .filter(|r| r.route.is_none() || r.status >= 400)
            .cloned()
            .collect()
    }

    /// Every limit violation so far.
    pub fn violations(&self) -> Vec<Violation> {
        self.shared.lock().violations.clone()
    }

    /// Dispatches the fake sent that serenity 0.12.5 could not have deserialized (see
    /// [`Config::check_payloads`]); empty unless the fake itself has a bug.
    pub fn payload_errors(&self) -> Vec<String> {
        self.shared.lock().payload_errors.clone()
    }

    /// Everything that happened on the gateway so far.
    pub fn gateway_log(&self) -> Vec<GatewayRecord> {
        self.shared.lock().gateway.clone()
    }

    /// The messages of a channel (bot's and users', ephemeral ones included), oldest first,
    /// as full Discord message objects.
    pub fn messages_in(&self, channel_id: u64) -> Vec<Value> {
        self.shared
            .lock()
            .messages
            .get(&channel_id)
            .cloned()
            .unwrap_or_default()
    }

    /// The commands registered globally (`None`) or in a guild.
    pub fn commands(&self, guild_id: Option<u64>) -> Vec<Value> {
        self.shared
            .lock()
            .commands
            .get(&guild_id)
            .cloned()
            .unwrap_or_default()
    }

    /// The id of a user's DM channel with the bot (created on first use).
    pub fn dm_channel_id(&self, user_id: u64) -> u64 {
        let mut st = self.shared.lock();
        self.shared.dm_channel(&mut st, user_id)
    }

    // -----------------------------------------------------------------------------------------
    // Waiting

    /// Waits until `check` finds something; wakes on every change, never polls. `snapshot`
    /// copies what to look at out of the lock, so `check` (which runs the caller's predicate)
    /// may call back into the `FakeDiscord` without deadlocking.
    async fn wait_until<S, T>(
        &self,
        timeout: Duration,
        snapshot: impl Fn(&State) -> S,
        mut check: impl FnMut(S) -> Option<T>,
    ) -> Option<T> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.shared.changed.notified();
            tokio::pin!(notified);
            // Registering before checking means a change between the check and the await
            // still wakes us.
            notified.as_mut().enable();
            let seen = snapshot(&self.shared.lock());
            if let Some(found) = check(seen) {
                return Some(found);
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return None;
            }
        }
    }

    /// A summary of what was recorded, for timeout messages.
    fn summary(&self) -> String {
        let st = self.shared.lock();
        let mut out = String::from("REST calls:\n");
        for r in &st.requests {
            out += &format!("  #{} {} {} -> {}\n", r.id, r.method, r.path, r.status);
        }
        out += "violations:\n";
        for v in &st.violations {
            out += &format!(
                "  #{} {}: {} {}\n",
                v.request_id, v.field, v.code, v.message
            );
        }
        out += "payloads serenity would drop:\n";
        for e in &st.payload_errors {
            out += &format!("  {e}\n");
        }
        out += "gateway:\n";
        for g in &st.gateway {
            out += &format!("  conn {}: {:?}\n", g.conn, g.kind);
        }
        out
    }

    /// The first REST call (from the start of the recording) that matches, waiting up to
    /// `timeout` for it.
    ///
    /// # Panics
    ///
    /// On timeout, with a summary of what was recorded.
    pub async fn wait_for(&self, what: impl Fn(&Request) -> bool, timeout: Duration) -> Request {
        match self
            .wait_until(
                timeout,
                |st| st.requests.clone(),
                |all| all.into_iter().find(|r| what(r)),
            )
            .await
        {
            Some(r) => r,
            None => panic!(
                "fake-discord: no matching REST call within {timeout:?}\n{}",
                self.summary()
            ),
        }
    }

    /// The first gateway record (from the start) that matches, waiting up to `timeout`.
    ///
    /// # Panics
    ///
    /// On timeout, with a summary of what was recorded.
    pub async fn wait_for_gateway(
        &self,
        what: impl Fn(&GatewayRecord) -> bool,
        timeout: Duration,
    ) -> GatewayRecord {
        match self
            .wait_until(
                timeout,
                |st| st.gateway.clone(),
                |all| all.into_iter().find(|g| what(g)),
            )
            .await
        {
            Some(g) => g,
            None => panic!(
                "fake-discord: no matching gateway event within {timeout:?}\n{}",
                self.summary()
            ),
        }
    }

    /// Waits until the bot has an identified session (READY and GUILD_CREATE are queued ahead
    /// of anything sent after this returns); returns the session id.
    ///
    /// # Panics
    ///
    /// On timeout.
    pub async fn wait_ready(&self, timeout: Duration) -> String {
        match self
            .wait_until(timeout, |st| st.current.clone(), |current| current)
            .await
        {
            Some(s) => s,
            None => panic!(
                "fake-discord: the bot did not identify within {timeout:?}\n{}",
                self.summary()
            ),
        }
    }

    /// The body of the bot's callback for an interaction (its `type` and `data`), waiting up
    /// to `timeout`. The callback may have been refused (late, invalid): check
    /// [`FakeDiscord::violations`] or the request's status through [`FakeDiscord::wait_for`].
    ///
    /// # Panics
    ///
    /// On timeout.
    pub async fn interaction_response(&self, interaction_id: u64, timeout: Duration) -> Value {
        let prefix = format!("/api/v10/interactions/{interaction_id}/");
        let r = self
            .wait_for(
                |r| r.method == "POST" && r.path.starts_with(&prefix),
                timeout,
            )
            .await;
        r.body.unwrap_or(Value::Null)
    }

    /// The first message in `channel_id` that matches, waiting up to `timeout`.
    ///
    /// # Panics
    ///
    /// On timeout.
    pub async fn wait_for_message(
        &self,
        channel_id: u64,
        what: impl Fn(&Value) -> bool,
        timeout: Duration,
    ) -> Value {
        let found = self
            .wait_until(
                timeout,
                |st| st.messages.get(&channel_id).cloned().unwrap_or_default(),
                |all| all.into_iter().find(|m| what(m)),
            )
            .await;
        match found {
            Some(m) => m,
            None => panic!(
                "fake-discord: no matching message in {channel_id} within {timeout:?}\n{}",
                self.summary()
            ),
        }
    }
}
