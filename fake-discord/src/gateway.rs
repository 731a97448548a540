//! Gateway v10 over a websocket: HELLO, IDENTIFY, READY and GUILD_CREATE, heartbeats, RESUME
//! with replay, and the server-side events tests trigger (op 7, op 9, close, drop).

use std::io::Write;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::response::Response;
use flate2::Compression;
use flate2::write::ZlibEncoder;
use serde_json::{Value, json};
use tokio::sync::mpsc;

use crate::config::intents;
use crate::model;
use crate::record::GatewayKind;
use crate::state::{ConnHandle, Outbound, Session, Shared, dispatch_to};

/// How long to wait for the client's answer to a close frame before dropping the socket.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// `GET /gateway`: upgrades to a websocket.
pub(crate) async fn upgrade(State(shared): State<Arc<Shared>>, ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(move |socket| run(shared, socket))
}

/// Close codes after which Discord forgets the session: the client must IDENTIFY again (or, for
/// 4004 and 4010–4014, give up).
pub(crate) fn invalidates_session(code: u16) -> bool {
    matches!(code, 4004 | 4007 | 4009 | 4010..=4014)
}

/// Whether an IDENTIFY/RESUME token is the configured one (with or without `Bot `).
pub(crate) fn token_ok(shared: &Shared, token: &str) -> bool {
    let want = shared
        .config
        .token
        .strip_prefix("Bot ")
        .unwrap_or(&shared.config.token);
    token.strip_prefix("Bot ").unwrap_or(token) == want
}

enum Flow {
    Continue,
    Stop,
}

struct Conn {
    shared: Arc<Shared>,
    socket: WebSocket,
    handle: ConnHandle,
    /// The session this connection serves, once IDENTIFY or RESUME succeeded.
    session: Option<String>,
    /// Whether frames go out as zlib binary frames.
    compress: bool,
}

async fn run(shared: Arc<Shared>, socket: WebSocket) {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let id = {
        let mut st = shared.lock();
        st.next_conn += 1;
        let id = st.next_conn;
        shared.record_gateway(&mut st, id, GatewayKind::Connected);
        id
    };
    let interval = shared.config.heartbeat_interval.as_millis() as u64;
    let mut conn = Conn {
        shared,
        socket,
        handle: ConnHandle { id, tx },
        session: None,
        compress: false,
    };
    let hello = json!({"op": 10, "s": null, "t": null, "d": {"heartbeat_interval": interval}});
    if conn.send(hello.to_string()).await.is_err() {
        conn.client_gone(None);
        return;
    }
    loop {
        let flow = tokio::select! {
            out = rx.recv() => match out {
                Some(out) => conn.outbound(out).await,
                // Unreachable while `conn.handle` holds a sender, but ending is the safe answer.
                None => Flow::Stop,
            },
            msg = conn.socket.recv() => conn.inbound(msg).await,
        };
        if let Flow::Stop = flow {
            return;
        }
    }
}

impl Conn {
    async fn send(&mut self, payload: String) -> Result<(), axum::Error> {
        let msg = if self.compress {
            // One complete zlib stream per frame, as Discord's payload compression sends.
            let mut enc = ZlibEncoder::new(Vec::new(), Compression::fast());
            let bytes = enc
                .write_all(payload.as_bytes())
                .and_then(|()| enc.finish())
                .unwrap_or_default();
            Message::Binary(bytes.into())
        } else {
            Message::Text(payload.into())
        };
        self.socket.send(msg).await
    }

    async fn outbound(&mut self, out: Outbound) -> Flow {
        tracing::trace!(conn = self.handle.id, ?out, "gateway: sending");
        match out {
            Outbound::Frame(frame) => {
                if self.send(frame).await.is_err() {
                    self.client_gone(None);
                    return Flow::Stop;
                }
                Flow::Continue
            }
            Outbound::Drop => {
                let mut st = self.shared.lock();
                self.shared
                    .record_gateway(&mut st, self.handle.id, GatewayKind::ServerDropped);
                drop(st);
                self.detach();
                // Returning drops the socket: the TCP connection ends without a close frame.
                Flow::Stop
            }
            Outbound::Close(code, reason) => {
                self.close(code, &reason).await;
                Flow::Stop
            }
        }
    }

    async fn inbound(&mut self, msg: Option<Result<Message, axum::Error>>) -> Flow {
        tracing::trace!(conn = self.handle.id, ?msg, "gateway: inbound");
        match msg {
            None | Some(Err(_)) => {
                self.client_gone(None);
                Flow::Stop
            }
            Some(Ok(Message::Text(text))) => self.payload(text.as_str()).await,
            Some(Ok(Message::Binary(_))) => {
                self.close(4002, "Error while decoding payload.").await;
                Flow::Stop
            }
            Some(Ok(Message::Close(frame))) => {
                let code = frame.map(|f| f.code);
                self.client_gone(code);
                if matches!(code, Some(1000 | 1001)) {
                    // Discord forgets a session its client closed normally.
                    self.forget_session();
                }
                // Keep reading so the websocket layer sends the answering close frame: serenity
                // waits for it when it restarts a shard.
                let _ = tokio::time::timeout(CLOSE_GRACE, async {
                    while self.socket.recv().await.is_some() {}
                })
                .await;
                Flow::Stop
            }
            Some(Ok(_)) => Flow::Continue,
        }
    }

    async fn payload(&mut self, text: &str) -> Flow {
        let Ok(v) = serde_json::from_str::<Value>(text) else {
            self.close(4002, "Error while decoding payload.").await;
            return Flow::Stop;
        };
        let op = v["op"].as_u64();
        tracing::debug!(conn = self.handle.id, ?op, "gateway: received");
        match op {
            Some(1) => self.heartbeat(&v["d"]).await,
            Some(2) => self.identify(&v["d"]).await,
            Some(6) => self.resume(&v["d"]).await,
            Some(3 | 4 | 8 | 31) if self.session.is_some() => {
                let mut st = self.shared.lock();
                let data = v["d"].clone();
                self.shared.record_gateway(
                    &mut st,
                    self.handle.id,
                    GatewayKind::Other {
                        op: op.unwrap_or(0),
                        data,
                    },
                );
                Flow::Continue
            }
            Some(3 | 4 | 8 | 31) => {
                self.close(4003, "Not authenticated.").await;
                Flow::Stop
            }
            _ => {
                self.close(4001, "Unknown opcode.").await;
                Flow::Stop
            }
        }
    }

    async fn heartbeat(&mut self, d: &Value) -> Flow {
        let ack = {
            let mut st = self.shared.lock();
            self.shared.record_gateway(
                &mut st,
                self.handle.id,
                GatewayKind::Heartbeat { seq: d.as_u64() },
            );
            !st.stop_heartbeat_acks
        };
        if ack
            && self
                .send(json!({"op": 11, "s": null, "t": null, "d": null}).to_string())
                .await
                .is_err()
        {
            self.client_gone(None);
            return Flow::Stop;
        }
        Flow::Continue
    }

    async fn identify(&mut self, d: &Value) -> Flow {
        if self.session.is_some() {
            self.close(4005, "Already authenticated.").await;
            return Flow::Stop;
        }
        let token = d["token"].as_str().unwrap_or_default();
        let asked = d["intents"].as_u64().unwrap_or(0);
        let compress = d["compress"].as_bool().unwrap_or(false);
        let shard = d["shard"]
            .as_array()
            .and_then(|s| Some([s.first()?.as_u64()?, s.get(1)?.as_u64()?]));
        let refusal = if !token_ok(&self.shared, token) {
            Some((4004, "Authentication failed."))
        } else if asked & !intents::ALL != 0 {
            Some((4013, "Invalid intent(s)."))
        } else if asked & intents::PRIVILEGED & !self.shared.config.privileged_intents != 0 {
            Some((4014, "Disallowed intent(s)."))
        } else if shard.is_some_and(|[id, count]| count == 0 || id >= count) {
            Some((4010, "Invalid shard."))
        } else {
            None
        };
        let record = |session| GatewayKind::Identify {
            session,
            intents: asked,
            shard,
            compress,
        };
        if let Some((code, reason)) = refusal {
            {
                let mut st = self.shared.lock();
                self.shared
                    .record_gateway(&mut st, self.handle.id, record(None));
            }
            self.close(code, reason).await;
            return Flow::Stop;
        }

        self.compress = compress && self.shared.config.compress;
        let sid = format!(
            "{:032x}",
            u128::from(self.shared.ids.next()) << 64 | u128::from(self.handle.id)
        );
        let cfg = &self.shared.config;
        let [shard_id, shard_count] = shard.unwrap_or([0, 1]);
        // A guild belongs to shard (guild_id >> 22) % shard_count, as Discord assigns it.
        let guilds: Vec<_> = cfg
            .guilds
            .iter()
            .filter(|g| (g.id >> 22) % shard_count == shard_id)
            .collect();
        let ready = json!({
            "v": 10,
            "user": model::current_user(&cfg.bot),
            "guilds": guilds.iter().map(|g| json!({"id": g.id.to_string(), "unavailable": true})).collect::<Vec<_>>(),
            "session_id": sid,
            "resume_gateway_url": self.shared.gateway_url(),
            "shard": [shard_id, shard_count],
            "application": {"id": cfg.application_id.to_string(), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "session_type": "normal",
            "user_settings": {},
            "auth": {},
        });
        let mut events = vec![("READY", ready)];
        if asked & intents::GUILDS != 0 {
            let all_members = asked & intents::GUILD_PRESENCES != 0;
            events.extend(
                guilds
                    .iter()
                    .map(|g| ("GUILD_CREATE", model::guild_create(cfg, g, all_members))),
            );
        }
        let mut session = Session {
            intents: asked,
            seq: 0,
            log: Vec::new(),
            conn: Some(self.handle.clone()),
        };
        let mut st = self.shared.lock();
        for (event, data) in events {
            self.shared.check_payload(&mut st, event, &data);
            dispatch_to(&mut session, event, data);
        }
        st.sessions.insert(sid.clone(), session);
        st.current = Some(sid.clone());
        self.shared
            .record_gateway(&mut st, self.handle.id, record(Some(sid.clone())));
        self.session = Some(sid);
        Flow::Continue
    }

    async fn resume(&mut self, d: &Value) -> Flow {
        let token = d["token"].as_str().unwrap_or_default();
        if !token_ok(&self.shared, token) {
            self.close(4004, "Authentication failed.").await;
            return Flow::Stop;
        }
        let sid = d["session_id"].as_str().unwrap_or_default().to_owned();
        let seq = d["seq"].as_u64().unwrap_or(0);
        if self.resume_session(sid, seq) {
            return Flow::Continue;
        }
        let invalid = json!({"op": 9, "s": null, "t": null, "d": false});
        if self.send(invalid.to_string()).await.is_err() {
            self.client_gone(None);
            return Flow::Stop;
        }
        Flow::Continue
    }

    /// Attaches this connection to a session and replays what it missed, then RESUMED.
    /// Returns false (and records the op 9 to come) when the session cannot be resumed.
    fn resume_session(&mut self, sid: String, seq: u64) -> bool {
        let mut st = self.shared.lock();
        let handle = self.handle.clone();
        let resumed = st
            .sessions
            .get_mut(&sid)
            .filter(|s| seq <= s.seq)
            .map(|session| {
                let previous = session.conn.replace(handle.clone());
                let missed: Vec<String> = session
                    .log
                    .iter()
                    .filter(|(s, _)| *s > seq)
                    .map(|(_, f)| f.clone())
                    .collect();
                for frame in &missed {
                    let _ = handle.tx.send(Outbound::Frame(frame.clone()));
                }
                dispatch_to(session, "RESUMED", json!({}));
                (previous, missed.len())
            });
        let accepted = resumed.is_some();
        let replayed = resumed.as_ref().map_or(0, |(_, n)| *n);
        self.shared.record_gateway(
            &mut st,
            self.handle.id,
            GatewayKind::Resume {
                session: sid.clone(),
                seq,
                accepted,
                replayed,
            },
        );
        if let Some((previous, _)) = resumed {
            st.current = Some(sid.clone());
            self.session = Some(sid);
            // Discord ends the session's old connection when a new one takes it over.
            if let Some(old) = previous.filter(|p| p.id != self.handle.id) {
                let _ = old.tx.send(Outbound::Drop);
            }
            return true;
        }
        self.shared.record_gateway(
            &mut st,
            self.handle.id,
            GatewayKind::InvalidSessionSent { resumable: false },
        );
        false
    }

    /// Sends a close frame, forgets the session when the code says so, and waits briefly for
    /// the client's answering close frame.
    async fn close(&mut self, code: u16, reason: &str) {
        {
            let mut st = self.shared.lock();
            self.shared
                .record_gateway(&mut st, self.handle.id, GatewayKind::ServerClosed { code });
        }
        if invalidates_session(code) {
            self.forget_session();
        } else {
            self.detach();
        }
        let frame = CloseFrame {
            code,
            reason: reason.into(),
        };
        if self.socket.send(Message::Close(Some(frame))).await.is_ok() {
            let _ = tokio::time::timeout(CLOSE_GRACE, async {
                while self.socket.recv().await.is_some() {}
            })
            .await;
        }
    }

    /// Records that the client went away and detaches the session, which stays resumable.
    fn client_gone(&mut self, code: Option<u16>) {
        {
            let mut st = self.shared.lock();
            self.shared
                .record_gateway(&mut st, self.handle.id, GatewayKind::ClientClosed { code });
        }
        self.detach();
    }

    /// Detaches this connection from its session, unless another connection took it over.
    fn detach(&mut self) {
        let Some(sid) = &self.session else { return };
        let mut st = self.shared.lock();
        if let Some(s) = st.sessions.get_mut(sid)
            && s.conn.as_ref().is_some_and(|c| c.id == self.handle.id)
        {
            s.conn = None;
        }
    }

    fn forget_session(&mut self) {
        let Some(sid) = self.session.take() else {
            return;
        };
        let mut st = self.shared.lock();
        st.sessions.remove(&sid);
        if st.current.as_deref() == Some(sid.as_str()) {
            st.current = None;
        }
    }
}
