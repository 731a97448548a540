//! Discord JSON objects as the API sends them. Every object carries the fields serenity 0.12.5
//! requires to deserialize it: a missing one makes serenity drop the whole payload with a WARN.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use crate::config::{Channel, Config, Guild, Member, Role, User};

/// Discord's epoch (2015-01-01T00:00:00Z) in Unix milliseconds.
const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

/// Hands out snowflakes that encode the current time, as Discord's do, and never repeat.
#[derive(Debug, Default)]
pub(crate) struct Snowflakes {
    last: AtomicU64,
}

impl Snowflakes {
    pub(crate) fn next(&self) -> u64 {
        let now = unix_ms().saturating_sub(DISCORD_EPOCH_MS) << 22;
        // Two ids in the same millisecond get consecutive low bits, so ids stay unique and
        // increasing, which is what Discord promises and what bots sort by.
        let mut prev = self.last.load(Ordering::Relaxed);
        loop {
            let id = now.max(prev + 1);
            match self
                .last
                .compare_exchange_weak(prev, id, Ordering::Relaxed, Ordering::Relaxed)
            {
                Ok(_) => return id,
                Err(actual) => prev = actual,
            }
        }
    }
}

fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// The current time as Discord writes timestamps: `2025-01-31T12:34:56.789000+00:00`.
pub(crate) fn now_iso() -> String {
    let ms = unix_ms();
    let (secs, millis) = (ms / 1000, ms % 1000);
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{millis:03}000+00:00",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 to a (year, month, day) date; Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A fixed join date for members: old enough to look real, stable across runs.
const JOINED_AT: &str = "2024-01-01T00:00:00.000000+00:00";

pub(crate) fn user(u: &User) -> Value {
    json!({
        "id": u.id.to_string(),
        "username": u.name,
        "discriminator": "0",
        "global_name": u.global_name,
        "avatar": null,
        "bot": u.bot,
        "system": false,
        "public_flags": 0,
        "flags": 0,
        "banner": null,
        "accent_color": null,
        "avatar_decoration_data": null,
    })
}

/// The bot's own user as READY and `GET /users/@me` describe it.
pub(crate) fn current_user(u: &User) -> Value {
    let mut v = user(u);
    v["verified"] = json!(true);
    v["mfa_enabled"] = json!(false);
    v["email"] = Value::Null;
    v["locale"] = json!("en-US");
    v
}

/// A guild member. `permissions` is only present in interaction payloads.
pub(crate) fn member(
    u: &User,
    roles: &[u64],
    nick: Option<&str>,
    permissions: Option<u64>,
) -> Value {
    let mut v = json!({
        "user": user(u),
        "nick": nick,
        "avatar": null,
        "banner": null,
        "roles": roles.iter().map(u64::to_string).collect::<Vec<_>>(),
        "joined_at": JOINED_AT,
        "premium_since": null,
        "deaf": false,
        "mute": false,
        "flags": 0,
        "pending": false,
        "communication_disabled_until": null,
    });
    if let Some(p) = permissions {
        v["permissions"] = json!(p.to_string());
    }
    v
}

/// A configured member, resolving the user through the config.
pub(crate) fn config_member(cfg: &Config, m: &Member, permissions: Option<u64>) -> Option<Value> {
    cfg.find_user(m.user_id)
        .map(|u| member(u, &m.roles, m.nick.as_deref(), permissions))
}

pub(crate) fn role(r: &Role) -> Value {
    json!({
        "id": r.id.to_string(),
        "name": r.name,
        "color": 0,
        "colors": {"primary_color": 0, "secondary_color": null, "tertiary_color": null},
        "hoist": false,
        "icon": null,
        "unicode_emoji": null,
        "position": r.position,
        "permissions": r.permissions.to_string(),
        "managed": false,
        "mentionable": false,
        "flags": 0,
    })
}

pub(crate) fn everyone_role(g: &Guild) -> Value {
    role(&Role {
        id: g.id,
        name: "@everyone".into(),
        permissions: g.everyone_permissions,
        position: 0,
    })
}

pub(crate) fn guild_channel(g: &Guild, c: &Channel, position: usize) -> Value {
    json!({
        "id": c.id.to_string(),
        "type": c.kind,
        "guild_id": g.id.to_string(),
        "name": c.name,
        "position": position,
        "permission_overwrites": [],
        "topic": c.topic,
        "nsfw": false,
        "parent_id": c.parent_id.map(|p| p.to_string()),
        "last_message_id": null,
        "rate_limit_per_user": 0,
        "flags": 0,
    })
}

pub(crate) fn dm_channel(channel_id: u64, recipient: &User) -> Value {
    json!({
        "id": channel_id.to_string(),
        "type": 1,
        "last_message_id": null,
        "flags": 0,
        "recipients": [user(recipient)],
    })
}

/// The guild object of GUILD_CREATE. Members beyond the bot are listed only when the bot asked
/// for GUILD_PRESENCES, as on Discord (without it only the bot and voice users are sent).
pub(crate) fn guild_create(cfg: &Config, g: &Guild, all_members: bool) -> Value {
    let mut members = vec![member(&cfg.bot, &g.bot_roles, None, None)];
    if all_members {
        members.extend(g.members.iter().filter_map(|m| config_member(cfg, m, None)));
    }
    let mut roles = vec![everyone_role(g)];
    roles.extend(g.roles.iter().map(role));
    let mut v = guild_base(g);
    let extra = json!({
        "roles": roles,
        "joined_at": JOINED_AT,
        "large": false,
        "unavailable": false,
        "member_count": g.members.len() + 1,
        "voice_states": [],
        "members": members,
        "channels": g.channels.iter().enumerate().map(|(i, c)| guild_channel(g, c, i)).collect::<Vec<_>>(),
        "threads": [],
        "presences": [],
        "stage_instances": [],
        "guild_scheduled_events": [],
        "soundboard_sounds": [],
        "lazy": true,
    });
    merge(&mut v, extra);
    v
}

/// The guild object of `GET /guilds/{id}` (no GUILD_CREATE extras).
pub(crate) fn guild_base(g: &Guild) -> Value {
    let mut roles = vec![everyone_role(g)];
    roles.extend(g.roles.iter().map(role));
    json!({
        "id": g.id.to_string(),
        "name": g.name,
        "icon": null,
        "icon_hash": null,
        "splash": null,
        "discovery_splash": null,
        "owner_id": g.owner_id.to_string(),
        "afk_channel_id": null,
        "afk_timeout": 300,
        "widget_enabled": false,
        "widget_channel_id": null,
        "verification_level": 0,
        "default_message_notifications": 1,
        "explicit_content_filter": 0,
        "roles": roles,
        "emojis": [],
        "features": [],
        "mfa_level": 0,
        "application_id": null,
        "system_channel_id": null,
        "system_channel_flags": 0,
        "rules_channel_id": null,
        "max_presences": null,
        "max_members": 500_000,
        "vanity_url_code": null,
        "description": null,
        "banner": null,
        "premium_tier": 0,
        "premium_subscription_count": 0,
        "preferred_locale": "en-US",
        "public_updates_channel_id": null,
        "max_video_channel_users": 25,
        "max_stage_video_channel_users": 50,
        "nsfw_level": 0,
        "stickers": [],
        "premium_progress_bar_enabled": false,
        "safety_alerts_channel_id": null,
        "incidents_data": null,
    })
}

/// The application object of `GET /oauth2/applications/@me`.
pub(crate) fn application(cfg: &Config) -> Value {
    json!({
        "id": cfg.application_id.to_string(),
        "name": cfg.bot.name,
        "icon": null,
        "description": "",
        "rpc_origins": [],
        "bot_public": true,
        "bot_require_code_grant": false,
        "bot": user(&cfg.bot),
        "owner": user(&cfg.owner),
        "team": null,
        "verify_key": "0".repeat(64),
        "flags": 0,
        "summary": "",
        "integration_types_config": {"0": {}},
    })
}

/// A message object. `fields` overrides or adds fields (content, embeds, components, ...).
pub(crate) fn message(
    id: u64,
    channel_id: u64,
    guild_id: Option<u64>,
    author: &User,
    fields: Value,
) -> Value {
    let mut v = json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "author": user(author),
        "content": "",
        "timestamp": now_iso(),
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": [],
        "pinned": false,
        "type": 0,
        "flags": 0,
        "components": [],
    });
    if let Some(g) = guild_id {
        v["guild_id"] = json!(g.to_string());
    }
    merge(&mut v, fields);
    v
}

/// Checks a dispatch payload against serenity 0.12.5's model and returns serde's complaint.
/// serenity itself turns a dispatch it cannot deserialize into `Event::Unknown` and logs it at
/// DEBUG only, so without this check a malformed payload looks like a bot that ignores it.
pub(crate) fn check_dispatch(event: &str, data: &Value) -> Result<(), String> {
    use serenity::model::event as ev;
    fn de<T: serde::de::DeserializeOwned>(data: &Value) -> Result<(), String> {
        serde_json::from_value::<T>(data.clone())
            .map(drop)
            .map_err(|e| e.to_string())
    }
    match event {
        "READY" => de::<ev::ReadyEvent>(data),
        "GUILD_CREATE" => de::<ev::GuildCreateEvent>(data),
        "RESUMED" => de::<ev::ResumedEvent>(data),
        "INTERACTION_CREATE" => de::<ev::InteractionCreateEvent>(data),
        "MESSAGE_CREATE" => de::<ev::MessageCreateEvent>(data),
        "MESSAGE_UPDATE" => de::<ev::MessageUpdateEvent>(data),
        "MESSAGE_DELETE" => de::<ev::MessageDeleteEvent>(data),
        other => Err(format!("no serenity model is checked for {other}")),
    }
}

/// A message as it appears in another message's `referenced_message`: Discord nests only one
/// level.
pub(crate) fn as_referenced(message: &Value) -> Value {
    let mut m = message.clone();
    if let Some(o) = m.as_object_mut() {
        o.remove("referenced_message");
    }
    m
}

/// Shallow merge: every key of `extra` replaces the same key of `base`.
pub(crate) fn merge(base: &mut Value, extra: Value) {
    if let (Some(b), Value::Object(e)) = (base.as_object_mut(), extra) {
        for (k, v) in e {
            b.insert(k, v);
        }
    }
}

/// A Discord id field, which is a string of digits (sometimes sent as a number).
pub(crate) fn id_of(v: &Value) -> Option<u64> {
    match v {
        Value::String(s) => s.parse().ok(),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

/// User ids mentioned in content as `<@id>` or `<@!id>`.
pub(crate) fn user_mentions(content: &str) -> Vec<u64> {
    mentions_with(content, &["<@!", "<@"])
}

/// Role ids mentioned in content as `<@&id>`.
pub(crate) fn role_mentions(content: &str) -> Vec<u64> {
    mentions_with(content, &["<@&"])
}

fn mentions_with(content: &str, prefixes: &[&str]) -> Vec<u64> {
    let mut out = Vec::new();
    let mut rest = content;
    while let Some(pos) = rest.find("<@") {
        rest = &rest[pos..];
        // `<@&` is a role and `<@!`/`<@` a user: pick the longest prefix that matches so
        // `<@&1>` is never read as a user.
        let kind = if rest.starts_with("<@&") {
            "<@&"
        } else if rest.starts_with("<@!") {
            "<@!"
        } else {
            "<@"
        };
        let digits: String = rest[kind.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let closed = rest[kind.len() + digits.len()..].starts_with('>');
        if prefixes.contains(&kind)
            && closed
            && let Ok(id) = digits.parse::<u64>()
            && !out.contains(&id)
        {
            out.push(id);
        }
        rest = &rest[2..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn mentions_are_parsed() {
        let s = "hi <@12> and <@!13> and <@&14> and <@x> <@15";
        assert_eq!(user_mentions(s), vec![12, 13]);
        assert_eq!(role_mentions(s), vec![14]);
    }

    #[test]
    fn snowflakes_increase() {
        let s = Snowflakes::default();
        let (a, b) = (s.next(), s.next());
        assert!(b > a);
        assert!(a >> 22 > 0);
    }
}
