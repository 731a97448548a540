//! What users do to the bot: slash commands, autocomplete, component clicks, modal submits and
//! messages, turned into the gateway dispatches Discord would send.

use std::time::Instant;

use serde_json::{Map, Value, json};

use crate::config::Guild;
use crate::model;
use crate::state::{InteractionState, Shared, State};

/// Where a user acts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Place {
    /// A channel of a guild; the user must be a member of the guild.
    Guild {
        /// The guild.
        guild_id: u64,
        /// The channel, which must belong to the guild.
        channel_id: u64,
    },
    /// The user's DM channel with the bot.
    Dm,
}

/// One option of a slash command invocation, as Discord sends it.
#[derive(Clone, Debug, PartialEq)]
pub struct CommandOption(Value);

impl CommandOption {
    fn value(name: &str, kind: u8, value: Value) -> Self {
        Self(json!({"name": name, "type": kind, "value": value}))
    }

    /// A string option (type 3).
    pub fn string(name: &str, value: impl Into<String>) -> Self {
        Self::value(name, 3, json!(value.into()))
    }

    /// An integer option (type 4).
    pub fn integer(name: &str, value: i64) -> Self {
        Self::value(name, 4, json!(value))
    }

    /// A boolean option (type 5).
    pub fn boolean(name: &str, value: bool) -> Self {
        Self::value(name, 5, json!(value))
    }

    /// A user option (type 6); the user is added to `resolved`.
    pub fn user(name: &str, user_id: u64) -> Self {
        Self::value(name, 6, json!(user_id.to_string()))
    }

    /// A channel option (type 7); the channel is added to `resolved`.
    pub fn channel(name: &str, channel_id: u64) -> Self {
        Self::value(name, 7, json!(channel_id.to_string()))
    }

    /// A role option (type 8); the role is added to `resolved`.
    pub fn role(name: &str, role_id: u64) -> Self {
        Self::value(name, 8, json!(role_id.to_string()))
    }

    /// A number option (type 10).
    pub fn number(name: &str, value: f64) -> Self {
        Self::value(name, 10, json!(value))
    }

    /// A subcommand (type 1) with its options.
    pub fn subcommand(name: &str, options: Vec<CommandOption>) -> Self {
        Self(
            json!({"name": name, "type": 1, "options": options.into_iter().map(|o| o.0).collect::<Vec<_>>()}),
        )
    }

    /// A subcommand group (type 2) with its subcommands.
    pub fn subcommand_group(name: &str, subcommands: Vec<CommandOption>) -> Self {
        Self(
            json!({"name": name, "type": 2, "options": subcommands.into_iter().map(|o| o.0).collect::<Vec<_>>()}),
        )
    }

    /// Marks the option as the one being typed (autocomplete). Discord then sends what was
    /// typed so far as a string, whatever the option's type.
    pub fn focused(mut self) -> Self {
        let typed = match &self.0["value"] {
            Value::String(s) => s.clone(),
            Value::Null => String::new(),
            other => other.to_string(),
        };
        self.0["value"] = json!(typed);
        self.0["focused"] = json!(true);
        self
    }

    /// The option as JSON.
    pub fn json(&self) -> &Value {
        &self.0
    }
}

/// A slash command invocation (or, through [`crate::FakeDiscord::autocomplete`], the typing
/// that asks for autocomplete).
#[derive(Clone, Debug)]
pub struct SlashCommand {
    /// Command name.
    pub name: String,
    /// The invoking user.
    pub user_id: u64,
    /// Where it is invoked.
    pub place: Place,
    /// Options.
    pub options: Vec<CommandOption>,
    /// The user's client locale. Default `en-US`.
    pub locale: String,
}

impl SlashCommand {
    /// `/name` invoked by `user_id` in a guild channel.
    pub fn in_guild(guild_id: u64, channel_id: u64, user_id: u64, name: impl Into<String>) -> Self {
        Self::new(
            Place::Guild {
                guild_id,
                channel_id,
            },
            user_id,
            name,
        )
    }

    /// `/name` invoked by `user_id` in their DM with the bot.
    pub fn in_dm(user_id: u64, name: impl Into<String>) -> Self {
        Self::new(Place::Dm, user_id, name)
    }

    fn new(place: Place, user_id: u64, name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            user_id,
            place,
            options: Vec::new(),
            locale: "en-US".into(),
        }
    }

    /// Adds an option.
    pub fn option(mut self, option: CommandOption) -> Self {
        self.options.push(option);
        self
    }
}

/// A message a user posts.
#[derive(Clone, Debug)]
pub struct UserMessage {
    /// The author.
    pub author_id: u64,
    /// Where it is posted.
    pub place: Place,
    /// Content. `<@id>` mentions in it are listed in the message's `mentions`, as Discord does.
    pub content: String,
    /// The message it replies to (see [`UserMessage::reply_to`]).
    pub reply_to: Option<u64>,
    /// Whether the reply pings the replied-to author (Discord's client default: yes).
    pub ping_replied: bool,
    /// Users mentioned besides those in the content.
    pub mentions: Vec<u64>,
}

impl UserMessage {
    /// A message in a guild channel.
    pub fn in_guild(
        guild_id: u64,
        channel_id: u64,
        author_id: u64,
        content: impl Into<String>,
    ) -> Self {
        Self::new(
            Place::Guild {
                guild_id,
                channel_id,
            },
            author_id,
            content,
        )
    }

    /// A message in the author's DM with the bot.
    pub fn in_dm(author_id: u64, content: impl Into<String>) -> Self {
        Self::new(Place::Dm, author_id, content)
    }

    fn new(place: Place, author_id: u64, content: impl Into<String>) -> Self {
        Self {
            author_id,
            place,
            content: content.into(),
            reply_to: None,
            ping_replied: true,
            mentions: Vec::new(),
        }
    }

    /// Makes it a reply to `message_id` in the same channel: sets `message_reference`, and
    /// `referenced_message` to the stored message, or to `null` when it is not stored (as
    /// Discord does for a deleted one).
    pub fn reply_to(mut self, message_id: u64) -> Self {
        self.reply_to = Some(message_id);
        self
    }

    /// Makes the reply not ping the replied-to author.
    pub fn no_reply_ping(mut self) -> Self {
        self.ping_replied = false;
        self
    }

    /// Adds a mentioned user.
    pub fn mention(mut self, user_id: u64) -> Self {
        self.mentions.push(user_id);
        self
    }
}

/// An interaction the fake sent to the bot.
#[derive(Clone, Debug)]
pub struct SentInteraction {
    /// Interaction id.
    pub id: u64,
    /// Interaction token (for the callback and the webhook routes).
    pub token: String,
    /// Channel it happened in.
    pub channel_id: u64,
    /// When the dispatch was queued: the start of Discord's 3 s answer window.
    pub at: Instant,
}

/// A message a user posted.
#[derive(Clone, Debug)]
pub struct SentMessage {
    /// Message id.
    pub id: u64,
    /// Channel id.
    pub channel_id: u64,
    /// When the dispatch was queued.
    pub at: Instant,
}

/// The pieces of an interaction payload that depend on where it happens.
struct Origin {
    fields: Value,
    channel_id: u64,
    guild_id: Option<u64>,
    user: Value,
    owners: Value,
}

fn find_guild(shared: &Shared, guild_id: u64, channel_id: u64, user_id: u64) -> &Guild {
    let cfg = &shared.config;
    let guild = cfg
        .find_guild(guild_id)
        .unwrap_or_else(|| panic!("fake-discord: no guild {guild_id} in the config"));
    assert!(
        guild.channels.iter().any(|c| c.id == channel_id),
        "fake-discord: channel {channel_id} is not in guild {guild_id}"
    );
    assert!(
        guild.find_member(user_id).is_some(),
        "fake-discord: user {user_id} is not a member of guild {guild_id}"
    );
    guild
}

fn origin(shared: &Shared, st: &mut State, user_id: u64, place: Place) -> Origin {
    let cfg = &shared.config;
    let user = cfg
        .find_user(user_id)
        .unwrap_or_else(|| panic!("fake-discord: no user {user_id} in the config"));
    let user_json = model::user(user);
    match place {
        Place::Guild {
            guild_id,
            channel_id,
        } => {
            let guild = find_guild(shared, guild_id, channel_id, user_id);
            let member = guild.find_member(user_id).and_then(|m| {
                model::config_member(cfg, m, Some(guild.permissions_of(user_id, &m.roles)))
            });
            let bot_perms = guild.permissions_of(cfg.bot.id, &guild.bot_roles);
            let mut channel = shared.channel_json(st, channel_id).unwrap_or(Value::Null);
            channel["permissions"] = json!(bot_perms.to_string());
            let owners = json!({"0": guild_id.to_string()});
            Origin {
                fields: json!({
                    "guild_id": guild_id.to_string(),
                    "guild": {"id": guild_id.to_string(), "locale": "en-US", "features": []},
                    "guild_locale": "en-US",
                    "member": member,
                    "channel_id": channel_id.to_string(),
                    "channel": channel,
                    "app_permissions": bot_perms.to_string(),
                    "context": 0,
                    "authorizing_integration_owners": owners,
                }),
                channel_id,
                guild_id: Some(guild_id),
                user: user_json,
                owners,
            }
        }
        Place::Dm => {
            let channel_id = shared.dm_channel(st, user_id);
            let owners = json!({"0": "0"});
            Origin {
                fields: json!({
                    "user": user_json,
                    "channel_id": channel_id.to_string(),
                    "channel": model::dm_channel(channel_id, user),
                    "app_permissions": crate::config::permissions::DEFAULT_EVERYONE.to_string(),
                    "context": 1,
                    "authorizing_integration_owners": owners,
                }),
                channel_id,
                guild_id: None,
                user: user_json,
                owners,
            }
        }
    }
}

/// An interaction to send: its type, who and where, its `data`, and extra top-level fields
/// (the `message` of a component interaction).
struct Invocation<'a> {
    kind: u8,
    user_id: u64,
    place: Place,
    locale: &'a str,
    data: Value,
    extra: Value,
}

/// Builds, records and dispatches an interaction.
fn send_interaction(shared: &Shared, st: &mut State, inv: Invocation) -> SentInteraction {
    let Invocation {
        kind,
        user_id,
        place,
        locale,
        data,
        extra,
    } = inv;
    assert!(
        st.current.is_some(),
        "fake-discord: no gateway session to send the interaction to (wait_ready first)"
    );
    let o = origin(shared, st, user_id, place);
    let id = shared.ids.next();
    let token = format!("aW50ZXJhY3Rpb246{id:x}{:x}", shared.ids.next());
    let mut payload = json!({
        "id": id.to_string(),
        "application_id": shared.config.application_id.to_string(),
        "type": kind,
        "token": token,
        "version": 1,
        "locale": locale,
        "entitlements": [],
        "attachment_size_limit": 10_485_760,
        "data": data,
    });
    model::merge(&mut payload, o.fields);
    model::merge(&mut payload, extra);
    let source_message = payload.get("message").and_then(|m| model::id_of(&m["id"]));
    let metadata = json!({
        "id": id.to_string(),
        "type": kind,
        "user": o.user,
        "authorizing_integration_owners": o.owners,
    });
    let at = Instant::now();
    st.interactions.insert(
        id,
        InteractionState {
            token: token.clone(),
            kind,
            created: at,
            user_id,
            channel_id: o.channel_id,
            guild_id: o.guild_id,
            acked: None,
            original: None,
            source_message,
            modal: None,
            metadata,
        },
    );
    shared.dispatch(st, "INTERACTION_CREATE", payload);
    shared.changed.notify_waiters();
    SentInteraction {
        id,
        token,
        channel_id: o.channel_id,
        at,
    }
}

/// Adds what Discord puts in `resolved` for user, channel, role and mentionable options.
fn resolve(
    shared: &Shared,
    st: &State,
    guild_id: Option<u64>,
    options: &[Value],
    resolved: &mut Map<String, Value>,
) {
    let cfg = &shared.config;
    let guild = guild_id.and_then(|g| cfg.find_guild(g));
    for o in options {
        if let Some(sub) = o["options"].as_array() {
            resolve(shared, st, guild_id, sub, resolved);
        }
        if o["focused"].as_bool() == Some(true) {
            continue;
        }
        let Some(id) = model::id_of(&o["value"]) else {
            continue;
        };
        let key = id.to_string();
        let mut put = |section: &str, value: Value| {
            let entry = resolved.entry(section).or_insert_with(|| json!({}));
            entry[key.as_str()] = value;
        };
        match o["type"].as_u64() {
            Some(6 | 9) => {
                if let Some(u) = cfg.find_user(id) {
                    put("users", model::user(u));
                    if let Some((g, m)) = guild.and_then(|g| g.find_member(id).map(|m| (g, m))) {
                        let mut member = model::member(
                            u,
                            &m.roles,
                            m.nick.as_deref(),
                            Some(g.permissions_of(id, &m.roles)),
                        );
                        if let Some(obj) = member.as_object_mut() {
                            obj.remove("user");
                        }
                        put("members", member);
                    }
                }
            }
            Some(7) => {
                if let Some(mut c) = shared.channel_json(st, id) {
                    c["permissions"] = json!(crate::config::permissions::ALL.to_string());
                    put("channels", c);
                }
            }
            Some(8) => {
                if let Some(r) = guild.and_then(|g| g.roles.iter().find(|r| r.id == id)) {
                    put("roles", model::role(r));
                }
            }
            _ => {}
        }
    }
}

fn has_focused(options: &[Value]) -> bool {
    options.iter().any(|o| {
        o["focused"].as_bool() == Some(true)
            || o["options"].as_array().is_some_and(|s| has_focused(s))
    })
}

/// Sends a slash command (type 2) or an autocomplete request (type 4).
pub(crate) fn command(shared: &Shared, cmd: &SlashCommand, kind: u8) -> SentInteraction {
    let mut st = shared.lock();
    let options: Vec<Value> = cmd.options.iter().map(|o| o.0.clone()).collect();
    if kind == 4 {
        assert!(
            has_focused(&options),
            "fake-discord: autocomplete needs one option marked .focused()"
        );
    }
    let guild_id = match cmd.place {
        Place::Guild { guild_id, .. } => Some(guild_id),
        Place::Dm => None,
    };
    // The command's id is the registered one (guild commands first, then global), as Discord
    // only sends registered commands; an unregistered name gets a fresh id.
    let registered = |scope: Option<u64>| {
        st.commands.get(&scope).and_then(|list| {
            list.iter()
                .find(|c| {
                    c["name"].as_str() == Some(cmd.name.as_str())
                        && c["type"].as_u64().unwrap_or(1) == 1
                })
                .map(|c| (c["id"].clone(), scope))
        })
    };
    let (command_id, scope) = guild_id
        .and_then(|g| registered(Some(g)))
        .or_else(|| registered(None))
        .unwrap_or_else(|| (json!(shared.ids.next().to_string()), None));
    let mut resolved = Map::new();
    resolve(shared, &st, guild_id, &options, &mut resolved);
    let mut data = json!({"id": command_id, "name": cmd.name, "type": 1, "options": options});
    if !resolved.is_empty() {
        data["resolved"] = Value::Object(resolved);
    }
    if let Some(g) = scope {
        data["guild_id"] = json!(g.to_string());
    }
    let inv = Invocation {
        kind,
        user_id: cmd.user_id,
        place: cmd.place,
        locale: &cmd.locale,
        data,
        extra: json!({}),
    };
    send_interaction(shared, &mut st, inv)
}

/// Finds the component with `custom_id` on a stored message: its type.
fn component_type(message: &Value, custom_id: &str) -> Option<u64> {
    message["components"].as_array()?.iter().find_map(|row| {
        row["components"]
            .as_array()?
            .iter()
            .find(|c| c["custom_id"].as_str() == Some(custom_id))
            .and_then(|c| c["type"].as_u64())
    })
}

fn place_of(message: &Value, channel_id: u64) -> Place {
    match message.get("guild_id").and_then(model::id_of) {
        Some(guild_id) => Place::Guild {
            guild_id,
            channel_id,
        },
        None => Place::Dm,
    }
}

/// Sends a component interaction (type 3) for a click on a button or a choice in a select.
pub(crate) fn component(
    shared: &Shared,
    user_id: u64,
    message_id: u64,
    custom_id: &str,
    values: Option<&[&str]>,
) -> SentInteraction {
    let mut st = shared.lock();
    let (channel_id, message) = shared
        .find_message_anywhere(&st, message_id)
        .unwrap_or_else(|| panic!("fake-discord: no message {message_id}"));
    let kind = component_type(&message, custom_id).unwrap_or_else(|| {
        panic!("fake-discord: message {message_id} has no component {custom_id:?}")
    });
    let mut data = json!({"custom_id": custom_id, "component_type": kind});
    if kind != 2 {
        data["values"] = json!(values.unwrap_or_default());
    }
    let place = place_of(&message, channel_id);
    let extra = json!({"message": message});
    let inv = Invocation {
        kind: 3,
        user_id,
        place,
        locale: "en-US",
        data,
        extra,
    };
    let sent = send_interaction(shared, &mut st, inv);
    if let Some(it) = st.interactions.get_mut(&sent.id) {
        it.metadata["interacted_message_id"] = json!(message_id.to_string());
    }
    sent
}

/// Sends a modal submit (type 5) for the modal the bot opened in answer to `opened_by`.
pub(crate) fn modal_submit(
    shared: &Shared,
    opened_by: u64,
    fields: &[(&str, &str)],
) -> SentInteraction {
    let mut st = shared.lock();
    let opener = st
        .interactions
        .get(&opened_by)
        .cloned()
        .unwrap_or_else(|| panic!("fake-discord: no interaction {opened_by}"));
    let modal = opener.modal.clone().unwrap_or_else(|| {
        panic!("fake-discord: the bot did not answer interaction {opened_by} with a modal")
    });
    let inputs: Vec<String> = modal["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|c| c["custom_id"].as_str().map(str::to_owned))
        .collect();
    for (id, _) in fields {
        assert!(
            inputs.iter().any(|i| i == id),
            "fake-discord: the modal has no text input {id:?} (it has {inputs:?})"
        );
    }
    let rows: Vec<Value> = inputs
        .iter()
        .map(|id| {
            let value = fields.iter().find(|(k, _)| k == id).map_or("", |(_, v)| v);
            json!({"type": 1, "components": [{"type": 4, "custom_id": id, "value": value}]})
        })
        .collect();
    let data = json!({"custom_id": modal["custom_id"], "components": rows});
    let place = match opener.guild_id {
        Some(guild_id) => Place::Guild {
            guild_id,
            channel_id: opener.channel_id,
        },
        None => Place::Dm,
    };
    let mut extra = json!({});
    if let Some(m) = opener
        .source_message
        .and_then(|m| shared.find_message_anywhere(&st, m))
    {
        extra["message"] = m.1;
    }
    let inv = Invocation {
        kind: 5,
        user_id: opener.user_id,
        place,
        locale: "en-US",
        data,
        extra,
    };
    let sent = send_interaction(shared, &mut st, inv);
    if let Some(it) = st.interactions.get_mut(&sent.id) {
        it.metadata["triggering_interaction_metadata"] = opener.metadata.clone();
    }
    sent
}

/// Stores a user's message and sends MESSAGE_CREATE if the bot's intents ask for it.
pub(crate) fn message(shared: &Shared, m: &UserMessage) -> SentMessage {
    let cfg = &shared.config;
    let mut st = shared.lock();
    let author = cfg
        .find_user(m.author_id)
        .unwrap_or_else(|| panic!("fake-discord: no user {} in the config", m.author_id));
    let (channel_id, guild_id, member) = match m.place {
        Place::Guild {
            guild_id,
            channel_id,
        } => {
            let guild = find_guild(shared, guild_id, channel_id, m.author_id);
            let member = guild.find_member(m.author_id).map(|mem| {
                let mut v = model::member(author, &mem.roles, mem.nick.as_deref(), None);
                if let Some(o) = v.as_object_mut() {
                    o.remove("user");
                }
                v
            });
            (channel_id, Some(guild_id), member)
        }
        Place::Dm => (shared.dm_channel(&mut st, m.author_id), None, None),
    };
    let referenced = m
        .reply_to
        .and_then(|id| shared.find_message(&st, channel_id, id));
    let mut mentioned = model::user_mentions(&m.content);
    mentioned.extend(&m.mentions);
    if let Some(r) = referenced.as_ref().filter(|_| m.ping_replied) {
        mentioned.extend(model::id_of(&r["author"]["id"]).filter(|a| *a != m.author_id));
    }
    mentioned.dedup();
    let mentions: Vec<Value> = mentioned
        .iter()
        .filter_map(|u| cfg.find_user(*u))
        .map(model::user)
        .collect();
    let mut fields = json!({
        "content": m.content,
        "mentions": mentions,
        "mention_roles": model::role_mentions(&m.content).iter().map(u64::to_string).collect::<Vec<_>>(),
        "mention_everyone": m.content.contains("@everyone") || m.content.contains("@here"),
    });
    if let Some(member) = member {
        fields["member"] = member;
    }
    if let Some(reply_to) = m.reply_to {
        fields["type"] = json!(19);
        fields["message_reference"] = json!({
            "type": 0,
            "message_id": reply_to.to_string(),
            "channel_id": channel_id.to_string(),
            "guild_id": guild_id.map(|g| g.to_string()),
        });
        // Discord sends `referenced_message: null` when the replied-to message is gone.
        fields["referenced_message"] = referenced
            .as_ref()
            .map_or(Value::Null, model::as_referenced);
    }
    let id = shared.ids.next();
    let msg = model::message(id, channel_id, guild_id, author, fields);
    let at = Instant::now();
    shared.create_message(&mut st, msg);
    SentMessage { id, channel_id, at }
}
