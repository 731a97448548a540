//! What the fake Discord records for tests to assert on: REST requests, limit violations and
//! gateway happenings.

use std::time::Instant;

use serde_json::Value;

/// One REST call the bot made, with what the fake answered.
#[derive(Clone, Debug)]
pub struct Request {
    /// Arrival order, from 1.
    pub id: u64,
    /// When it arrived.
    pub at: Instant,
    /// HTTP method, upper case.
    pub method: String,
    /// Path as received, e.g. `/api/v10/channels/5/messages`.
    pub path: String,
    /// The Discord route it matched, e.g. `/channels/{channel.id}/messages`; `None` when the
    /// fake does not know it (it then answered 404 or 405).
    pub route: Option<&'static str>,
    /// Query string, if any (serenity writes `?&key=value`).
    pub query: Option<String>,
    /// JSON body, or the `payload_json` part of a multipart body.
    pub body: Option<Value>,
    /// Every part of a multipart body (files and `payload_json`); empty otherwise.
    pub parts: Vec<Part>,
    /// Status code answered.
    pub status: u16,
    /// Body answered, if any.
    pub response: Option<Value>,
    /// For a call that posts or edits message content: its `allowed_mentions` and who the
    /// message would ping.
    pub mentions: Option<Mentions>,
}

impl Request {
    /// Whether this is `method` on `route` (as in [`Request::route`]).
    pub fn is(&self, method: &str, route: &str) -> bool {
        self.method == method && self.route == Some(route)
    }

    /// Path relative to `/api/v10`, e.g. `/channels/5/messages`.
    pub fn api_path(&self) -> &str {
        self.path.strip_prefix("/api/v10").unwrap_or(&self.path)
    }
}

/// One part of a multipart body.
#[derive(Clone, Debug)]
pub struct Part {
    /// Form field name (`payload_json`, `files[0]`, ...).
    pub name: String,
    /// File name, for a file.
    pub filename: Option<String>,
    /// Declared content type.
    pub content_type: Option<String>,
    /// Raw bytes.
    pub data: Vec<u8>,
}

/// Who a message would ping, worked out as Discord does from its content, its reply reference
/// and its `allowed_mentions`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mentions {
    /// The `allowed_mentions` object sent, or `None` when the body had none (then everything
    /// mentioned in the content pings, and so does a reply).
    pub allowed_mentions: Option<Value>,
    /// `@everyone` or `@here` would ping.
    pub everyone: bool,
    /// Users that would be pinged through `<@id>` in the content.
    pub users: Vec<u64>,
    /// Roles that would be pinged through `<@&id>` in the content.
    pub roles: Vec<u64>,
    /// The author of the replied-to message, when the reply would ping them.
    pub replied_user: Option<u64>,
}

impl Mentions {
    /// Whether the message would ping anyone at all.
    pub fn pings_anyone(&self) -> bool {
        self.everyone
            || !self.users.is_empty()
            || !self.roles.is_empty()
            || self.replied_user.is_some()
    }
}

/// A body that broke one of Discord's limits; the fake answered 400 code 50035 (or 50006 for
/// an empty message), as Discord would, so the user would have seen nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// The [`Request::id`] of the offending call.
    pub request_id: u64,
    /// Its method.
    pub method: String,
    /// Its route.
    pub route: &'static str,
    /// Dotted path of the offending field in the body, e.g. `data.embeds.0.title`.
    pub field: String,
    /// Discord's error code, e.g. `BASE_TYPE_MAX_LENGTH`.
    pub code: &'static str,
    /// Discord's message, e.g. `Must be 256 or fewer in length.`.
    pub message: String,
}

/// Something that happened on the gateway.
#[derive(Clone, Debug)]
pub struct GatewayRecord {
    /// The websocket connection it happened on, numbered from 1 in order of opening.
    pub conn: u64,
    /// When.
    pub at: Instant,
    /// What.
    pub kind: GatewayKind,
}

/// What happened on the gateway.
#[derive(Clone, Debug, PartialEq)]
pub enum GatewayKind {
    /// A websocket connection was opened (HELLO was sent).
    Connected,
    /// The client sent IDENTIFY. `session` is the new session id, or `None` when IDENTIFY was
    /// refused (the connection was then closed; see the [`GatewayKind::ServerClosed`] code).
    Identify {
        /// New session id, if accepted.
        session: Option<String>,
        /// Intent bits asked for.
        intents: u64,
        /// `[shard_id, shard_count]`, if sent.
        shard: Option<[u64; 2]>,
        /// Whether the client asked for `compress: true`.
        compress: bool,
    },
    /// The client sent RESUME.
    Resume {
        /// Session id it named.
        session: String,
        /// Last sequence number it had seen.
        seq: u64,
        /// Whether the session was resumed (otherwise op 9 was sent).
        accepted: bool,
        /// Dispatches replayed before RESUMED.
        replayed: usize,
    },
    /// The client sent a heartbeat carrying this sequence number.
    Heartbeat {
        /// The sequence number, or `None` for `null`.
        seq: Option<u64>,
    },
    /// The client sent another opcode (3 presence, 4 voice, 8 request members, ...).
    Other {
        /// Opcode.
        op: u64,
        /// Its `d`.
        data: Value,
    },
    /// The server sent op 7 RECONNECT.
    ReconnectSent,
    /// The server sent op 9 INVALID SESSION.
    InvalidSessionSent {
        /// Whether it said the session could be resumed.
        resumable: bool,
    },
    /// The server closed the websocket with this code.
    ServerClosed {
        /// Close code.
        code: u16,
    },
    /// The server dropped the TCP connection without a close frame.
    ServerDropped,
    /// The client closed the websocket (code from its close frame) or the connection ended.
    ClientClosed {
        /// Close code, if a close frame came.
        code: Option<u16>,
    },
}
