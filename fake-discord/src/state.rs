//! The fake's shared state: sessions with their dispatch logs, interactions, messages, and the
//! records tests read. One `std::sync::Mutex` guards it; it is never held across an `.await`,
//! so REST handlers and the gateway can both work on it synchronously.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::{Mutex, MutexGuard};
use std::time::Instant;

use serde_json::{Value, json};
use tokio::sync::{Notify, mpsc};

use crate::config::{Config, intents};
use crate::model::{self, Snowflakes};
use crate::record::{GatewayKind, GatewayRecord, Request, Violation};

/// What a connection task is told to do, in order with the frames it sends.
#[derive(Debug)]
pub(crate) enum Outbound {
    /// Send this JSON payload.
    Frame(String),
    /// Drop the TCP connection without a close frame.
    Drop,
    /// Close the websocket with this code and reason.
    Close(u16, String),
}

/// A live websocket connection as the state sees it.
#[derive(Debug, Clone)]
pub(crate) struct ConnHandle {
    pub(crate) id: u64,
    pub(crate) tx: mpsc::UnboundedSender<Outbound>,
}

/// A gateway session: outlives connections, so a RESUME on a new connection can replay what
/// the old one missed.
#[derive(Debug)]
pub(crate) struct Session {
    pub(crate) intents: u64,
    pub(crate) seq: u64,
    /// Every dispatch sent in this session, by sequence number.
    pub(crate) log: Vec<(u64, String)>,
    pub(crate) conn: Option<ConnHandle>,
}

/// An interaction the fake created, and how the bot has answered it so far.
#[derive(Debug, Clone)]
pub(crate) struct InteractionState {
    pub(crate) token: String,
    /// 2 command, 3 component, 4 autocomplete, 5 modal submit.
    pub(crate) kind: u8,
    pub(crate) created: Instant,
    pub(crate) user_id: u64,
    pub(crate) channel_id: u64,
    pub(crate) guild_id: Option<u64>,
    /// The callback type the bot answered with, once it has.
    pub(crate) acked: Option<u8>,
    /// The message that is `@original`, once there is one.
    pub(crate) original: Option<u64>,
    /// For a component click: the message the component is on.
    pub(crate) source_message: Option<u64>,
    /// For a type 9 answer: the modal the bot opened.
    pub(crate) modal: Option<Value>,
    /// The interaction's own `interaction_metadata`-style summary, for messages it creates.
    pub(crate) metadata: Value,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    pub(crate) requests: Vec<Request>,
    pub(crate) violations: Vec<Violation>,
    pub(crate) gateway: Vec<GatewayRecord>,
    pub(crate) sessions: HashMap<String, Session>,
    /// The session dispatches go to: the most recently identified one.
    pub(crate) current: Option<String>,
    pub(crate) interactions: HashMap<u64, InteractionState>,
    /// Messages by channel, in order of creation.
    pub(crate) messages: BTreeMap<u64, Vec<Value>>,
    /// DM channel id by user id.
    pub(crate) dm_channels: HashMap<u64, u64>,
    /// Registered commands by scope (`None` global, `Some(guild)`).
    pub(crate) commands: HashMap<Option<u64>, Vec<Value>>,
    pub(crate) next_conn: u64,
    pub(crate) stop_heartbeat_acks: bool,
    /// Dispatches serenity could not have deserialized: bugs of the fake itself.
    pub(crate) payload_errors: Vec<String>,
}

/// State shared by the server tasks and the [`crate::FakeDiscord`] handle.
#[derive(Debug)]
pub(crate) struct Shared {
    pub(crate) config: Config,
    pub(crate) addr: SocketAddr,
    pub(crate) ids: Snowflakes,
    pub(crate) state: Mutex<State>,
    /// Woken on every new record, so waiters re-check without polling.
    pub(crate) changed: Notify,
}

impl Shared {
    pub(crate) fn new(config: Config, addr: SocketAddr) -> Self {
        Self {
            config,
            addr,
            ids: Snowflakes::default(),
            state: Mutex::default(),
            changed: Notify::new(),
        }
    }

    pub(crate) fn lock(&self) -> MutexGuard<'_, State> {
        // A panic in a handler poisons the lock; the state is still consistent enough for tests
        // to read what happened, which is more useful than a second panic.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub(crate) fn gateway_url(&self) -> String {
        format!("ws://{}/gateway", self.addr)
    }

    pub(crate) fn record_gateway(&self, st: &mut State, conn: u64, kind: GatewayKind) {
        st.gateway.push(GatewayRecord {
            conn,
            at: Instant::now(),
            kind,
        });
        self.changed.notify_waiters();
    }

    /// Checks a dispatch against serenity's model when `Config::check_payloads` asks for it,
    /// recording and logging a failure.
    pub(crate) fn check_payload(&self, st: &mut State, event: &str, data: &Value) {
        if !self.config.check_payloads {
            return;
        }
        if let Err(e) = model::check_dispatch(event, data) {
            tracing::error!(target: "fake_discord", "{event} payload would not deserialize in serenity: {e}");
            st.payload_errors.push(format!("{event}: {e}"));
        }
    }

    /// Sends a dispatch on the current session: assigns the next sequence number, keeps it in
    /// the session log for RESUME, and hands it to the live connection if there is one.
    /// Returns false when no session exists.
    pub(crate) fn dispatch(&self, st: &mut State, event: &str, data: Value) -> bool {
        self.check_payload(st, event, &data);
        let Some(sid) = st.current.clone() else {
            return false;
        };
        let Some(session) = st.sessions.get_mut(&sid) else {
            return false;
        };
        dispatch_to(session, event, data);
        true
    }

    /// The current session's intents, if there is a session.
    pub(crate) fn current_intents(&self, st: &State) -> Option<u64> {
        st.current
            .as_ref()
            .and_then(|s| st.sessions.get(s))
            .map(|s| s.intents)
    }

    /// Stores a message and sends MESSAGE_CREATE when the session's intents ask for it, with
    /// the content blanked as Discord blanks it for bots without MESSAGE_CONTENT.
    pub(crate) fn create_message(&self, st: &mut State, message: Value) {
        let channel_id = message["channel_id"]
            .as_str()
            .and_then(|s| s.parse().ok())
            .unwrap_or(0);
        st.messages
            .entry(channel_id)
            .or_default()
            .push(message.clone());
        if let Some(intents) = self.current_intents(st) {
            let guild = message.get("guild_id").is_some();
            let wanted = if guild {
                intents::GUILD_MESSAGES
            } else {
                intents::DIRECT_MESSAGES
            };
            if intents & wanted != 0 {
                let payload = self.as_seen_by_bot(message, intents);
                self.dispatch(st, "MESSAGE_CREATE", payload);
            }
        }
        self.changed.notify_waiters();
    }

    /// Applies Discord's MESSAGE_CONTENT rule: without the intent, content, embeds,
    /// attachments, components and polls arrive empty, except in DMs, in messages that mention
    /// the bot and in the bot's own messages.
    pub(crate) fn as_seen_by_bot(&self, mut message: Value, intents: u64) -> Value {
        if intents & intents::MESSAGE_CONTENT != 0 {
            return message;
        }
        let bot = self.config.bot.id.to_string();
        let is_dm = message.get("guild_id").is_none();
        let by_bot = message["author"]["id"].as_str() == Some(bot.as_str());
        let mentions_bot = message["mentions"]
            .as_array()
            .is_some_and(|m| m.iter().any(|u| u["id"].as_str() == Some(bot.as_str())));
        if !(is_dm || by_bot || mentions_bot) {
            message["content"] = json!("");
            message["embeds"] = json!([]);
            message["attachments"] = json!([]);
            message["components"] = json!([]);
            if let Some(m) = message.as_object_mut() {
                m.remove("poll");
            }
        }
        if let Some(referenced) = message.get_mut("referenced_message")
            && referenced.is_object()
        {
            *referenced = self.as_seen_by_bot(referenced.take(), intents);
        }
        message
    }

    pub(crate) fn find_message(
        &self,
        st: &State,
        channel_id: u64,
        message_id: u64,
    ) -> Option<Value> {
        let id = message_id.to_string();
        st.messages
            .get(&channel_id)?
            .iter()
            .find(|m| m["id"].as_str() == Some(id.as_str()))
            .cloned()
    }

    /// Finds a message by id in any channel, with its channel id.
    pub(crate) fn find_message_anywhere(
        &self,
        st: &State,
        message_id: u64,
    ) -> Option<(u64, Value)> {
        let id = message_id.to_string();
        st.messages.iter().find_map(|(c, msgs)| {
            msgs.iter()
                .find(|m| m["id"].as_str() == Some(id.as_str()))
                .map(|m| (*c, m.clone()))
        })
    }

    /// Replaces a stored message by id; returns false when it is not stored.
    pub(crate) fn replace_message(&self, st: &mut State, channel_id: u64, message: Value) -> bool {
        let id = message["id"].clone();
        let Some(slot) = st
            .messages
            .get_mut(&channel_id)
            .and_then(|m| m.iter_mut().find(|m| m["id"] == id))
        else {
            return false;
        };
        *slot = message.clone();
        // Only the invoking user sees an ephemeral message: the bot gets no events for it.
        let ephemeral = message["flags"].as_u64().unwrap_or(0) & 64 != 0;
        if let Some(intents) = self.current_intents(st).filter(|_| !ephemeral) {
            let guild = message.get("guild_id").is_some();
            let wanted = if guild {
                intents::GUILD_MESSAGES
            } else {
                intents::DIRECT_MESSAGES
            };
            if intents & wanted != 0 {
                let payload = self.as_seen_by_bot(message, intents);
                self.dispatch(st, "MESSAGE_UPDATE", payload);
            }
        }
        self.changed.notify_waiters();
        true
    }

    /// Deletes a stored message; returns false when it is not stored.
    pub(crate) fn delete_message(&self, st: &mut State, channel_id: u64, message_id: u64) -> bool {
        let id = message_id.to_string();
        let Some(msgs) = st.messages.get_mut(&channel_id) else {
            return false;
        };
        let Some(pos) = msgs
            .iter()
            .position(|m| m["id"].as_str() == Some(id.as_str()))
        else {
            return false;
        };
        let removed = msgs.remove(pos);
        let ephemeral = removed["flags"].as_u64().unwrap_or(0) & 64 != 0;
        if let Some(intents) = self.current_intents(st).filter(|_| !ephemeral) {
            let guild = removed.get("guild_id").cloned();
            let wanted = if guild.is_some() {
                intents::GUILD_MESSAGES
            } else {
                intents::DIRECT_MESSAGES
            };
            if intents & wanted != 0 {
                let mut data = json!({"id": id, "channel_id": channel_id.to_string()});
                if let Some(g) = guild {
                    data["guild_id"] = g;
                }
                self.dispatch(st, "MESSAGE_DELETE", data);
            }
        }
        self.changed.notify_waiters();
        true
    }

    /// The DM channel with a user, created on first use.
    pub(crate) fn dm_channel(&self, st: &mut State, user_id: u64) -> u64 {
        *st.dm_channels
            .entry(user_id)
            .or_insert_with(|| self.ids.next())
    }

    /// The user a DM channel belongs to.
    pub(crate) fn dm_user(&self, st: &State, channel_id: u64) -> Option<u64> {
        st.dm_channels
            .iter()
            .find(|(_, c)| **c == channel_id)
            .map(|(u, _)| *u)
    }

    /// The channel object for `GET /channels/{id}` and interaction payloads.
    pub(crate) fn channel_json(&self, st: &State, channel_id: u64) -> Option<Value> {
        if let Some((g, c)) = self.config.find_guild_channel(channel_id) {
            let pos = g.channels.iter().position(|x| x.id == c.id).unwrap_or(0);
            return Some(model::guild_channel(g, c, pos));
        }
        let user = self.dm_user(st, channel_id)?;
        Some(model::dm_channel(channel_id, self.config.find_user(user)?))
    }
}

/// Sends one dispatch on a session (see [`Shared::dispatch`]).
pub(crate) fn dispatch_to(session: &mut Session, event: &str, data: Value) {
    session.seq += 1;
    let frame = json!({"op": 0, "t": event, "s": session.seq, "d": data}).to_string();
    session.log.push((session.seq, frame.clone()));
    if let Some(conn) = &session.conn {
        // A closed receiver means the connection is ending; the frame stays in the log and a
        // RESUME will replay it.
        let _ = conn.tx.send(Outbound::Frame(frame));
    }
}
