//! REST API v10: every call is recorded, checked against Discord's limits and answered as
//! Discord would (status codes, error codes, full objects serenity can deserialize).

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};

use crate::config::permissions;
use crate::model;
use crate::multipart;
use crate::record::{Mentions, Part, Request, Violation};
use crate::state::{InteractionState, Shared, State as St};
use crate::validate::{self, Checker, EMPTY_MESSAGE, Problem};

/// What a handler answers.
struct Reply {
    status: u16,
    body: Option<Value>,
}

fn ok(body: Value) -> Reply {
    Reply {
        status: 200,
        body: Some(body),
    }
}

fn no_content() -> Reply {
    Reply {
        status: 204,
        body: None,
    }
}

fn error(status: u16, code: u64, message: &str) -> Reply {
    Reply {
        status,
        body: Some(json!({"message": message, "code": code})),
    }
}

fn unknown(code: u64, what: &str) -> Reply {
    error(404, code, &format!("Unknown {what}"))
}

/// 400 code 50035 with Discord's nested `errors` object, or 50006 for an empty message.
fn invalid(problems: &[Problem]) -> Reply {
    if problems.iter().any(|p| p.code == EMPTY_MESSAGE) {
        return error(400, 50006, "Cannot send an empty message");
    }
    let mut errors = Value::Object(Map::new());
    for p in problems {
        let mut at = &mut errors;
        for key in p.field.split('.').filter(|k| !k.is_empty()) {
            let cur = at;
            at = match cur {
                Value::Object(o) => o.entry(key).or_insert_with(|| json!({})),
                other => other,
            };
        }
        if let Value::Object(o) = at
            && let Value::Array(list) = o.entry("_errors").or_insert_with(|| json!([]))
        {
            list.push(json!({"code": p.code, "message": p.message}));
        }
    }
    Reply {
        status: 400,
        body: Some(json!({"message": "Invalid Form Body", "code": 50035, "errors": errors})),
    }
}

/// Per-request context handed to the route handlers.
struct Ctx<'a> {
    shared: &'a Shared,
    body: &'a Value,
    parts: &'a [Part],
    query: Option<&'a str>,
    /// Limit violations found in the body.
    problems: Vec<Problem>,
    /// Who the message this call posts or edits would ping.
    mentions: Option<Mentions>,
}

impl Ctx<'_> {
    /// Uploaded files (multipart parts other than `payload_json`).
    fn files(&self) -> Vec<&Part> {
        self.parts
            .iter()
            .filter(|p| p.name != "payload_json")
            .collect()
    }

    fn query_param(&self, key: &str) -> Option<&str> {
        self.query?.split('&').find_map(|kv| {
            kv.split_once('=')
                .filter(|(k, _)| *k == key)
                .map(|(_, v)| v)
        })
    }

    /// Checks a message body; true when it may be sent.
    fn check_message(&mut self, prefix: &str, m: &Value, new: bool) -> bool {
        let mut c = Checker::default();
        c.message(prefix, m, new, self.files().len());
        self.problems.extend(c.problems);
        self.problems.is_empty()
    }
}

/// The fallback handler: every REST call lands here.
pub(crate) async fn handle(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    bytes: Bytes,
) -> Response {
    let at = Instant::now();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let (body, parts) = match multipart::boundary(content_type) {
        Some(b) => {
            let parts = multipart::parse(&bytes, &b);
            let json = parts
                .iter()
                .find(|p| p.name == "payload_json")
                .and_then(|p| serde_json::from_slice(&p.data).ok());
            (json, parts)
        }
        None => (serde_json::from_slice::<Value>(&bytes).ok(), Vec::new()),
    };
    let auth = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let path = uri.path().to_owned();
    let empty = Value::Null;
    let mut ctx = Ctx {
        shared: &shared,
        body: body.as_ref().unwrap_or(&empty),
        parts: &parts,
        query: uri.query(),
        problems: Vec::new(),
        mentions: None,
    };

    let mut st = shared.lock();
    let (route, reply) = route(&mut ctx, &mut st, method.as_str(), &path, auth);
    let id = st.requests.len() as u64 + 1;
    for p in &ctx.problems {
        st.violations.push(Violation {
            request_id: id,
            method: method.to_string(),
            route: route.unwrap_or(""),
            field: p.field.clone(),
            code: p.code,
            message: p.message.clone(),
        });
    }
    // A handler that found problems answers 400 itself; this covers the ones that did not stop.
    let reply = if ctx.problems.is_empty() || reply.status >= 400 {
        reply
    } else {
        invalid(&ctx.problems)
    };
    st.requests.push(Request {
        id,
        at,
        method: method.to_string(),
        path,
        route,
        query: uri.query().map(str::to_owned),
        body: body.clone(),
        parts: parts.clone(),
        status: reply.status,
        response: reply.body.clone(),
        mentions: ctx.mentions.take(),
    });
    drop(st);
    shared.changed.notify_waiters();

    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    match reply.body {
        Some(b) => (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            b.to_string(),
        )
            .into_response(),
        None => status.into_response(),
    }
}

fn num(s: &str) -> Option<u64> {
    s.parse().ok().filter(|n| *n != 0)
}

/// Matches a path to a Discord route and runs it. Returns the route template (None when
/// unknown) and the reply.
fn route(
    ctx: &mut Ctx,
    st: &mut St,
    method: &str,
    path: &str,
    auth: Option<&str>,
) -> (Option<&'static str>, Reply) {
    let Some(api) = path.strip_prefix("/api/v10/") else {
        return (None, error(404, 0, "404: Not Found"));
    };
    let segs: Vec<&str> = api.trim_end_matches('/').split('/').collect();
    // Interaction callbacks and interaction webhooks are authenticated by their token; the
    // gateway URL is public; everything else needs the bot token.
    let public = matches!(
        segs.first(),
        Some(&"gateway" | &"interactions" | &"webhooks")
    );
    let token_ok = auth.is_some_and(|a| {
        a.strip_prefix("Bot ")
            .is_some_and(|t| crate::gateway::token_ok(ctx.shared, t))
    });
    if !public && !token_ok {
        return (None, error(401, 0, "401: Unauthorized"));
    }
    let cfg = &ctx.shared.config;
    let app = cfg.application_id.to_string();
    macro_rules! id {
        ($s:expr, $what:expr, $code:expr) => {
            match num($s) {
                Some(n) => n,
                None => return (None, unknown($code, $what)),
            }
        };
    }
    match (method, segs.as_slice()) {
        ("GET", ["gateway"]) => (
            Some("/gateway"),
            ok(json!({"url": ctx.shared.gateway_url()})),
        ),
        ("GET", ["gateway", "bot"]) => (
            Some("/gateway/bot"),
            ok(json!({
                "url": ctx.shared.gateway_url(),
                "shards": 1,
                "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1},
            })),
        ),
        ("GET", ["users", "@me"]) => (Some("/users/@me"), ok(model::current_user(&cfg.bot))),
        ("GET", ["users", user]) => {
            let user = id!(user, "User", 10013);
            let reply = cfg
                .find_user(user)
                .map_or_else(|| unknown(10013, "User"), |u| ok(model::user(u)));
            (Some("/users/{user.id}"), reply)
        }
        ("POST", ["users", "@me", "channels"]) => (Some("/users/@me/channels"), create_dm(ctx, st)),
        ("GET", ["oauth2", "applications", "@me"]) => (
            Some("/oauth2/applications/@me"),
            ok(model::application(cfg)),
        ),
        ("GET", ["applications", "@me"]) => {
            (Some("/applications/@me"), ok(model::application(cfg)))
        }
        (_, ["applications", a, "commands", rest @ ..]) => {
            let reply = if *a == app {
                commands(ctx, st, method, None, rest)
            } else {
                error(403, 50001, "Missing Access")
            };
            (
                Some(if rest.is_empty() {
                    "/applications/{application.id}/commands"
                } else {
                    "/applications/{application.id}/commands/{command.id}"
                }),
                reply,
            )
        }
        (_, ["applications", a, "guilds", g, "commands", rest @ ..]) => {
            let g = id!(g, "Guild", 10004);
            let reply = if *a != app || cfg.find_guild(g).is_none() {
                error(403, 50001, "Missing Access")
            } else {
                commands(ctx, st, method, Some(g), rest)
            };
            let route = if rest.is_empty() {
                "/applications/{application.id}/guilds/{guild.id}/commands"
            } else {
                "/applications/{application.id}/guilds/{guild.id}/commands/{command.id}"
            };
            (Some(route), reply)
        }
        ("POST", ["interactions", i, token, "callback"]) => {
            let i = id!(i, "interaction", 10062);
            (
                Some("/interactions/{interaction.id}/{interaction.token}/callback"),
                callback(ctx, st, i, token),
            )
        }
        ("POST", ["webhooks", a, token]) => {
            let reply = if *a == app {
                followup(ctx, st, token)
            } else {
                unknown(10015, "Webhook")
            };
            (
                Some("/webhooks/{application.id}/{interaction.token}"),
                reply,
            )
        }
        ("GET" | "PATCH" | "DELETE", ["webhooks", a, token, "messages", m]) => {
            let reply = if *a == app {
                webhook_message(ctx, st, method, token, m)
            } else {
                unknown(10015, "Webhook")
            };
            let route = if *m == "@original" {
                "/webhooks/{application.id}/{interaction.token}/messages/@original"
            } else {
                "/webhooks/{application.id}/{interaction.token}/messages/{message.id}"
            };
            (Some(route), reply)
        }
        ("GET", ["channels", c]) => {
            let c = id!(c, "Channel", 10003);
            (
                Some("/channels/{channel.id}"),
                ctx.shared
                    .channel_json(st, c)
                    .map_or_else(|| unknown(10003, "Channel"), ok),
            )
        }
        ("GET", ["channels", c, "messages"]) => {
            let c = id!(c, "Channel", 10003);
            (
                Some("/channels/{channel.id}/messages"),
                list_messages(ctx, st, c),
            )
        }
        ("POST", ["channels", c, "messages"]) => {
            let c = id!(c, "Channel", 10003);
            (
                Some("/channels/{channel.id}/messages"),
                post_message(ctx, st, c),
            )
        }
        ("GET" | "PATCH" | "DELETE", ["channels", c, "messages", m]) => {
            let c = id!(c, "Channel", 10003);
            let m = id!(m, "Message", 10008);
            (
                Some("/channels/{channel.id}/messages/{message.id}"),
                channel_message(ctx, st, method, c, m),
            )
        }
        ("POST", ["channels", c, "typing"]) => {
            let c = id!(c, "Channel", 10003);
            let reply = if ctx.shared.channel_json(st, c).is_some() {
                no_content()
            } else {
                unknown(10003, "Channel")
            };
            (Some("/channels/{channel.id}/typing"), reply)
        }
        ("PUT" | "DELETE", ["channels", c, "messages", m, "reactions", _emoji, "@me"]) => {
            let c = id!(c, "Channel", 10003);
            let m = id!(m, "Message", 10008);
            let reply = if ctx.shared.find_message(st, c, m).is_some() {
                no_content()
            } else {
                unknown(10008, "Message")
            };
            (
                Some("/channels/{channel.id}/messages/{message.id}/reactions/{emoji}/@me"),
                reply,
            )
        }
        ("GET", ["guilds", g]) => {
            let g = id!(g, "Guild", 10004);
            (
                Some("/guilds/{guild.id}"),
                cfg.find_guild(g)
                    .map_or_else(|| unknown(10004, "Guild"), |g| ok(model::guild_base(g))),
            )
        }
        ("GET", ["guilds", g, "channels"]) => {
            let g = id!(g, "Guild", 10004);
            let reply = cfg.find_guild(g).map_or_else(
                || unknown(10004, "Guild"),
                |g| {
                    ok(Value::Array(
                        g.channels
                            .iter()
                            .enumerate()
                            .map(|(i, c)| model::guild_channel(g, c, i))
                            .collect(),
                    ))
                },
            );
            (Some("/guilds/{guild.id}/channels"), reply)
        }
        ("GET", ["guilds", g, "roles"]) => {
            let g = id!(g, "Guild", 10004);
            let reply = cfg.find_guild(g).map_or_else(
                || unknown(10004, "Guild"),
                |g| {
                    ok(Value::Array(
                        std::iter::once(model::everyone_role(g))
                            .chain(g.roles.iter().map(model::role))
                            .collect(),
                    ))
                },
            );
            (Some("/guilds/{guild.id}/roles"), reply)
        }
        ("GET", ["guilds", g, "members", u]) => {
            let g = id!(g, "Guild", 10004);
            let u = id!(u, "Member", 10007);
            (
                Some("/guilds/{guild.id}/members/{user.id}"),
                get_member(ctx, g, u),
            )
        }
        _ => (None, unknown_route(segs.as_slice())),
    }
}

/// 405 for a known path with the wrong method, 404 otherwise (what Discord answers).
fn unknown_route(segs: &[&str]) -> Reply {
    let known_path = matches!(
        segs,
        ["gateway"]
            | ["users", "@me"]
            | ["channels", _]
            | ["channels", _, "messages"]
            | ["channels", _, "messages", _]
    );
    if known_path {
        error(405, 0, "405: Method Not Allowed")
    } else {
        error(404, 0, "404: Not Found")
    }
}

fn create_dm(ctx: &mut Ctx, st: &mut St) -> Reply {
    let Some(user) = ctx.body.get("recipient_id").and_then(model::id_of) else {
        ctx.problems.push(Problem {
            field: "recipient_id".into(),
            code: "BASE_TYPE_REQUIRED",
            message: "This field is required".into(),
        });
        return invalid(&ctx.problems);
    };
    let cfg = &ctx.shared.config;
    match cfg.find_user(user).filter(|u| u.id != cfg.bot.id) {
        Some(u) => {
            let channel = ctx.shared.dm_channel(st, u.id);
            ok(model::dm_channel(channel, u))
        }
        None => error(400, 50033, "Invalid Recipient(s)"),
    }
}

fn get_member(ctx: &Ctx, guild: u64, user: u64) -> Reply {
    let cfg = &ctx.shared.config;
    let Some(g) = cfg.find_guild(guild) else {
        return unknown(10004, "Guild");
    };
    if user == cfg.bot.id {
        return ok(model::member(&cfg.bot, &g.bot_roles, None, None));
    }
    g.find_member(user)
        .and_then(|m| model::config_member(cfg, m, None))
        .map_or_else(|| unknown(10007, "Member"), ok)
}

// ---------------------------------------------------------------------------------------------
// Commands

fn commands(ctx: &mut Ctx, st: &mut St, method: &str, guild: Option<u64>, rest: &[&str]) -> Reply {
    match (method, rest) {
        ("GET", []) => ok(Value::Array(
            st.commands.get(&guild).cloned().unwrap_or_default(),
        )),
        ("PUT", []) => {
            let Some(list) = ctx.body.as_array() else {
                return error(400, 50035, "Invalid Form Body");
            };
            let mut c = Checker::default();
            let limit = 100;
            if list.len() > limit {
                ctx.problems.push(Problem {
                    field: String::new(),
                    code: "BASE_TYPE_MAX_LENGTH",
                    message: format!("Must be {limit} or fewer in length."),
                });
            }
            for (i, cmd) in list.iter().enumerate() {
                c.command(&i.to_string(), cmd);
            }
            let mut names: Vec<(u64, &str)> = Vec::new();
            for (i, cmd) in list.iter().enumerate() {
                let key = (
                    cmd["type"].as_u64().unwrap_or(1),
                    cmd["name"].as_str().unwrap_or_default(),
                );
                if names.contains(&key) {
                    c.problems.push(Problem {
                        field: format!("{i}.name"),
                        code: "APPLICATION_COMMANDS_DUPLICATE_NAME",
                        message: format!("Application command names must be unique: {}", key.1),
                    });
                }
                names.push(key);
            }
            ctx.problems.extend(c.problems);
            if !ctx.problems.is_empty() {
                return invalid(&ctx.problems);
            }
            let old = st.commands.get(&guild).cloned().unwrap_or_default();
            let new: Vec<Value> = list
                .iter()
                .map(|cmd| command_object(ctx.shared, &old, guild, cmd))
                .collect();
            st.commands.insert(guild, new.clone());
            ok(Value::Array(new))
        }
        ("POST", []) => {
            let mut c = Checker::default();
            c.command("", ctx.body);
            ctx.problems.extend(c.problems);
            if !ctx.problems.is_empty() {
                return invalid(&ctx.problems);
            }
            let list = st.commands.entry(guild).or_default();
            let cmd = command_object(ctx.shared, list, guild, ctx.body);
            let existed = list.iter().position(|c| c["id"] == cmd["id"]);
            match existed {
                Some(i) => list[i] = cmd.clone(),
                None => list.push(cmd.clone()),
            }
            Reply {
                status: if existed.is_some() { 200 } else { 201 },
                body: Some(cmd),
            }
        }
        (_, [id]) => {
            let list = st.commands.entry(guild).or_default();
            let Some(i) = list.iter().position(|c| c["id"].as_str() == Some(*id)) else {
                return unknown(10063, "application command");
            };
            match method {
                "GET" => ok(list[i].clone()),
                "DELETE" => {
                    list.remove(i);
                    no_content()
                }
                "PATCH" => {
                    let mut merged = list[i].clone();
                    model::merge(&mut merged, ctx.body.clone());
                    let mut c = Checker::default();
                    c.command("", &merged);
                    ctx.problems.extend(c.problems);
                    if !ctx.problems.is_empty() {
                        return invalid(&ctx.problems);
                    }
                    list[i] = merged.clone();
                    ok(merged)
                }
                _ => error(405, 0, "405: Method Not Allowed"),
            }
        }
        _ => error(405, 0, "405: Method Not Allowed"),
    }
}

/// The command object Discord returns for a registered command. Re-registering a command with
/// the same name and type keeps its id, as on Discord.
fn command_object(shared: &Shared, existing: &[Value], guild: Option<u64>, cmd: &Value) -> Value {
    let kind = cmd["type"].as_u64().unwrap_or(1);
    let name = cmd["name"].as_str().unwrap_or_default();
    let id = existing
        .iter()
        .find(|c| c["name"].as_str() == Some(name) && c["type"].as_u64() == Some(kind))
        .and_then(|c| c["id"].as_str().map(str::to_owned))
        .unwrap_or_else(|| shared.ids.next().to_string());
    let mut out = json!({
        "id": id,
        "application_id": shared.config.application_id.to_string(),
        "version": shared.ids.next().to_string(),
        "type": kind,
        "name": name,
        "name_localizations": null,
        "description": "",
        "description_localizations": null,
        "options": [],
        "default_member_permissions": null,
        "nsfw": false,
        "integration_types": [0],
        "contexts": null,
    });
    if let Some(g) = guild {
        out["guild_id"] = json!(g.to_string());
    } else {
        out["dm_permission"] = json!(true);
    }
    let mut given = cmd.clone();
    if let Some(o) = given.as_object_mut() {
        o.remove("id");
        o.retain(|_, v| !v.is_null());
    }
    model::merge(&mut out, given);
    out
}

// ---------------------------------------------------------------------------------------------
// Messages

/// Builds the message the bot creates from a request body.
fn bot_message(
    ctx: &Ctx,
    channel_id: u64,
    guild_id: Option<u64>,
    body: &Value,
    mut fields: Value,
) -> Value {
    let shared = ctx.shared;
    let id = shared.ids.next();
    let content = body["content"].as_str().unwrap_or_default();
    model::merge(
        &mut fields,
        json!({
            "content": content,
            "embeds": embeds_of(body),
            "components": body.get("components").filter(|v| v.is_array()).cloned().unwrap_or_else(|| json!([])),
            "attachments": attachments(ctx, channel_id, body, &[]),
            "mentions": mentioned_users(shared, content),
            "mention_roles": model::role_mentions(content).iter().map(u64::to_string).collect::<Vec<_>>(),
            "mention_everyone": ctx.mentions.as_ref().is_some_and(|m| m.everyone),
            "tts": body["tts"].as_bool().unwrap_or(false),
        }),
    );
    if let Some(flags) = body["flags"].as_u64() {
        // Only these flags can be set by a bot: suppress embeds, ephemeral, suppress
        // notifications.
        let settable = fields["flags"].as_u64().unwrap_or(0) | (flags & (4 | 64 | 4096));
        fields["flags"] = json!(settable);
    }
    let mut msg = model::message(id, channel_id, guild_id, &shared.config.bot, fields);
    if let Some(nonce) = body.get("nonce").filter(|n| !n.is_null()) {
        msg["nonce"] = nonce.clone();
    }
    msg
}

fn embeds_of(body: &Value) -> Value {
    let mut embeds = body
        .get("embeds")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for e in &mut embeds {
        if e.get("type").is_none() {
            e["type"] = json!("rich");
        }
    }
    Value::Array(embeds)
}

fn mentioned_users(shared: &Shared, content: &str) -> Vec<Value> {
    model::user_mentions(content)
        .into_iter()
        .filter_map(|u| shared.config.find_user(u))
        .map(model::user)
        .collect()
}

/// Attachment objects: the ones the body keeps (by id, from `previous`) and the uploaded files.
fn attachments(ctx: &Ctx, channel_id: u64, body: &Value, previous: &[Value]) -> Vec<Value> {
    let listed = body["attachments"].as_array().cloned().unwrap_or_default();
    let mut out: Vec<Value> = listed
        .iter()
        .filter_map(|a| {
            previous
                .iter()
                .find(|p| {
                    p["id"] == a["id"]
                        || p["id"].as_str() == a["id"].as_u64().map(|n| n.to_string()).as_deref()
                })
                .cloned()
        })
        .collect();
    for (i, part) in ctx.files().iter().enumerate() {
        let id = ctx.shared.ids.next();
        let described = listed.iter().find(|a| {
            a["id"].as_u64() == Some(i as u64) || a["id"].as_str() == Some(&i.to_string())
        });
        let name = part.filename.clone().unwrap_or_else(|| format!("file{i}"));
        let url = format!("https://cdn.discordapp.com/attachments/{channel_id}/{id}/{name}");
        out.push(json!({
            "id": id.to_string(),
            "filename": name,
            "description": described.and_then(|d| d.get("description")).cloned().unwrap_or(Value::Null),
            "size": part.data.len(),
            "url": url,
            "proxy_url": url,
            "content_type": part.content_type,
        }));
    }
    out
}

/// Applies an edit body to a stored message.
fn apply_edit(ctx: &Ctx, msg: &mut Value, body: &Value) {
    let channel_id = msg["channel_id"].as_str().and_then(num).unwrap_or(0);
    if let Some(content) = body.get("content") {
        let content = content.as_str().unwrap_or_default();
        msg["content"] = json!(content);
        msg["mentions"] = json!(mentioned_users(ctx.shared, content));
        msg["mention_roles"] = json!(
            model::role_mentions(content)
                .iter()
                .map(u64::to_string)
                .collect::<Vec<_>>()
        );
    }
    if body.get("embeds").is_some() {
        msg["embeds"] = embeds_of(body);
    }
    if let Some(components) = body.get("components") {
        msg["components"] = if components.is_array() {
            components.clone()
        } else {
            json!([])
        };
    }
    if body.get("attachments").is_some() || !ctx.files().is_empty() {
        let previous = msg["attachments"].as_array().cloned().unwrap_or_default();
        msg["attachments"] = json!(attachments(ctx, channel_id, body, &previous));
    }
    let flags = msg["flags"].as_u64().unwrap_or(0);
    // The first edit of a deferred answer replaces the "is thinking" placeholder.
    let mut flags = flags & !128;
    if let Some(f) = body["flags"].as_u64() {
        flags = (flags & !4) | (f & 4);
    }
    msg["flags"] = json!(flags);
    msg["edited_timestamp"] = json!(model::now_iso());
}

fn channel_guild(ctx: &Ctx, st: &St, channel_id: u64) -> Result<Option<u64>, Reply> {
    if let Some((g, _)) = ctx.shared.config.find_guild_channel(channel_id) {
        return Ok(Some(g.id));
    }
    if ctx.shared.dm_user(st, channel_id).is_some() {
        return Ok(None);
    }
    Err(unknown(10003, "Channel"))
}

/// The bot's permissions in a channel's guild (None for a DM).
fn bot_permissions(ctx: &Ctx, guild: Option<u64>) -> u64 {
    let cfg = &ctx.shared.config;
    guild
        .and_then(|g| cfg.find_guild(g))
        .map_or(permissions::ALL, |g| {
            g.permissions_of(cfg.bot.id, &g.bot_roles)
        })
}

fn list_messages(ctx: &Ctx, st: &St, channel: u64) -> Reply {
    if let Err(r) = channel_guild(ctx, st, channel) {
        return r;
    }
    let limit = ctx
        .query_param("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(50usize)
        .min(100);
    let msgs = st.messages.get(&channel).cloned().unwrap_or_default();
    ok(Value::Array(msgs.into_iter().rev().take(limit).collect()))
}

fn post_message(ctx: &mut Ctx, st: &mut St, channel: u64) -> Reply {
    let guild = match channel_guild(ctx, st, channel) {
        Ok(g) => g,
        Err(r) => return r,
    };
    let perms = bot_permissions(ctx, guild);
    let need = permissions::VIEW_CHANNEL | permissions::SEND_MESSAGES;
    if perms & need != need {
        return error(403, 50013, "Missing Permissions");
    }
    let body = ctx.body.clone();
    // Replies: the referenced message must exist unless `fail_if_not_exists` is false.
    let reference = body.get("message_reference").filter(|r| !r.is_null());
    let referenced = reference.and_then(|r| {
        let m = model::id_of(&r["message_id"])?;
        let c = r
            .get("channel_id")
            .and_then(model::id_of)
            .unwrap_or(channel);
        ctx.shared.find_message(st, c, m)
    });
    if reference.is_some()
        && referenced.is_none()
        && reference.and_then(|r| r["fail_if_not_exists"].as_bool()) != Some(false)
    {
        ctx.problems.push(Problem {
            field: "message_reference".into(),
            code: "MESSAGE_REFERENCE_UNKNOWN_MESSAGE",
            message: "Unknown message".into(),
        });
    }
    let content = body["content"].as_str().unwrap_or_default().to_owned();
    let bot = ctx.shared.config.bot.id;
    let replied_author = referenced
        .as_ref()
        .and_then(|m| model::id_of(&m["author"]["id"]))
        .filter(|a| *a != bot);
    ctx.mentions = Some(validate::mentions(&body, &content, replied_author));
    if !ctx.check_message("", &body, true) {
        return invalid(&ctx.problems);
    }
    let mut fields = json!({});
    if let Some(r) = &referenced {
        fields["type"] = json!(19);
        fields["message_reference"] = json!({
            "type": 0,
            "message_id": r["id"],
            "channel_id": r["channel_id"],
            "guild_id": r.get("guild_id").cloned().unwrap_or(Value::Null),
        });
        fields["referenced_message"] = model::as_referenced(r);
        if let Some(u) = ctx.mentions.as_ref().and_then(|m| m.replied_user) {
            let mut mentions = mentioned_users(ctx.shared, &content);
            if let Some(user) = ctx.shared.config.find_user(u) {
                mentions.push(model::user(user));
            }
            fields["mentions"] = json!(mentions);
        }
    }
    let mut msg = bot_message(ctx, channel, guild, &body, json!({}));
    // bot_message fills content fields; the reply fields go on top.
    model::merge(&mut msg, fields);
    ctx.shared.create_message(st, msg.clone());
    ok(msg)
}

fn channel_message(ctx: &mut Ctx, st: &mut St, method: &str, channel: u64, message: u64) -> Reply {
    let guild = match channel_guild(ctx, st, channel) {
        Ok(g) => g,
        Err(r) => return r,
    };
    let Some(mut msg) = ctx.shared.find_message(st, channel, message) else {
        return unknown(10008, "Message");
    };
    let by_bot = model::id_of(&msg["author"]["id"]) == Some(ctx.shared.config.bot.id);
    match method {
        "GET" => ok(msg),
        "DELETE" => {
            if !by_bot && bot_permissions(ctx, guild) & permissions::MANAGE_MESSAGES == 0 {
                return error(403, 50013, "Missing Permissions");
            }
            ctx.shared.delete_message(st, channel, message);
            no_content()
        }
        _ => {
            if !by_bot {
                return error(403, 50005, "Cannot edit a message authored by another user");
            }
            let body = ctx.body.clone();
            let content = body["content"].as_str().unwrap_or_default();
            ctx.mentions = Some(validate::mentions(&body, content, None));
            if !ctx.check_message("", &body, false) {
                return invalid(&ctx.problems);
            }
            apply_edit(ctx, &mut msg, &body);
            ctx.shared.replace_message(st, channel, msg.clone());
            ok(msg)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Interactions

fn callback(ctx: &mut Ctx, st: &mut St, id: u64, token: &str) -> Reply {
    let deadline = ctx.shared.config.interaction_deadline;
    let Some(it) = st
        .interactions
        .get(&id)
        .filter(|i| i.token == token)
        .cloned()
    else {
        return unknown(10062, "interaction");
    };
    if it.created.elapsed() > deadline {
        return unknown(10062, "interaction");
    }
    if it.acked.is_some() {
        return error(400, 40060, "Interaction has already been acknowledged.");
    }
    let body = ctx.body.clone();
    let kind = body["type"].as_u64().unwrap_or(0) as u8;
    // Which answers Discord accepts for which interaction: commands 4 5 9, components 4–7 and
    // 9, autocomplete 8 only, modal submits 4–7.
    let allowed: &[u8] = match it.kind {
        2 => &[4, 5, 9],
        3 => &[4, 5, 6, 7, 9],
        4 => &[8],
        _ => &[4, 5, 6, 7],
    };
    if !allowed.contains(&kind) || (matches!(kind, 6 | 7) && it.source_message.is_none()) {
        ctx.problems.push(Problem {
            field: "type".into(),
            code: "INTERACTION_RESPONSE_TYPE_INVALID",
            message: format!(
                "Interaction response type {kind} is not valid for interaction type {}",
                it.kind
            ),
        });
        return invalid(&ctx.problems);
    }
    let data = body.get("data").cloned().unwrap_or(Value::Null);
    let mut c = Checker::default();
    match kind {
        4 => c.message("data", &data, true, ctx.files().len()),
        7 => c.message("data", &data, false, ctx.files().len()),
        8 => c.autocomplete("data", &data),
        9 => c.modal("data", &data),
        _ => {}
    }
    if matches!(kind, 4 | 7) {
        ctx.mentions = Some(validate::mentions(
            &data,
            data["content"].as_str().unwrap_or_default(),
            None,
        ));
    }
    ctx.problems.extend(c.problems);
    if !ctx.problems.is_empty() {
        return invalid(&ctx.problems);
    }

    let mut updated = it.clone();
    updated.acked = Some(kind);
    match kind {
        4 | 5 => {
            let ephemeral = data["flags"].as_u64().unwrap_or(0) & 64 != 0;
            let loading = if kind == 5 { 128 } else { 0 };
            let fields = json!({
                "type": if it.kind == 2 { 20 } else { 0 },
                "webhook_id": ctx.shared.config.application_id.to_string(),
                "application_id": ctx.shared.config.application_id.to_string(),
                "interaction_metadata": it.metadata,
                "flags": loading | if ephemeral { 64 } else { 0 },
            });
            let source = if kind == 5 {
                json!({"flags": data["flags"].clone()})
            } else {
                data.clone()
            };
            let msg = bot_message(ctx, it.channel_id, it.guild_id, &source, fields);
            updated.original = model::id_of(&msg["id"]);
            if ephemeral {
                // Only the invoking user sees an ephemeral message: no MESSAGE_CREATE.
                st.messages.entry(it.channel_id).or_default().push(msg);
            } else {
                ctx.shared.create_message(st, msg);
            }
        }
        6 => updated.original = it.source_message,
        7 => {
            updated.original = it.source_message;
            if let Some((channel, mut msg)) = it
                .source_message
                .and_then(|m| ctx.shared.find_message_anywhere(st, m))
            {
                apply_edit(ctx, &mut msg, &data);
                ctx.shared.replace_message(st, channel, msg);
            }
        }
        9 => updated.modal = Some(data),
        _ => {}
    }
    st.interactions.insert(id, updated);
    no_content()
}

/// The interaction an interaction token belongs to, if its webhook is usable: it exists and
/// has been answered (Discord only opens the webhook after the first callback).
fn by_token(st: &St, token: &str) -> Option<InteractionState> {
    st.interactions
        .values()
        .find(|i| i.token == token && i.acked.is_some())
        .cloned()
}

fn followup(ctx: &mut Ctx, st: &mut St, token: &str) -> Reply {
    let Some(it) = by_token(st, token) else {
        return unknown(10015, "Webhook");
    };
    let body = ctx.body.clone();
    ctx.mentions = Some(validate::mentions(
        &body,
        body["content"].as_str().unwrap_or_default(),
        None,
    ));
    if !ctx.check_message("", &body, true) {
        return invalid(&ctx.problems);
    }
    let ephemeral = body["flags"].as_u64().unwrap_or(0) & 64 != 0;
    let fields = json!({
        "webhook_id": ctx.shared.config.application_id.to_string(),
        "application_id": ctx.shared.config.application_id.to_string(),
        "interaction_metadata": it.metadata,
    });
    let msg = bot_message(ctx, it.channel_id, it.guild_id, &body, fields);
    if ephemeral {
        st.messages
            .entry(it.channel_id)
            .or_default()
            .push(msg.clone());
        ctx.shared.changed.notify_waiters();
    } else {
        ctx.shared.create_message(st, msg.clone());
    }
    ok(msg)
}

fn webhook_message(ctx: &mut Ctx, st: &mut St, method: &str, token: &str, which: &str) -> Reply {
    let Some(it) = by_token(st, token) else {
        return unknown(10015, "Webhook");
    };
    let message = if which == "@original" {
        it.original
    } else {
        num(which)
    };
    let Some(message) = message else {
        return unknown(10008, "Message");
    };
    let Some((channel, mut msg)) = ctx.shared.find_message_anywhere(st, message) else {
        return unknown(10008, "Message");
    };
    match method {
        "GET" => ok(msg),
        "DELETE" => {
            ctx.shared.delete_message(st, channel, message);
            no_content()
        }
        _ => {
            let body = ctx.body.clone();
            ctx.mentions = Some(validate::mentions(
                &body,
                body["content"].as_str().unwrap_or_default(),
                None,
            ));
            if !ctx.check_message("", &body, false) {
                return invalid(&ctx.problems);
            }
            apply_edit(ctx, &mut msg, &body);
            ctx.shared.replace_message(st, channel, msg.clone());
            ok(msg)
        }
    }
}
