//! What the fake Discord knows before the bot connects: the bot account, the application, the
//! guilds with their channels, roles and members, and the users who can talk to the bot.

use std::time::Duration;

/// Gateway intent bits (Discord's numbering), for [`Config::privileged_intents`] and for
/// reading [`crate::GatewayKind::Identify`] records.
pub mod intents {
    /// `GUILDS`: guild create/update/delete, channels, roles.
    pub const GUILDS: u64 = 1 << 0;
    /// `GUILD_MEMBERS` (privileged).
    pub const GUILD_MEMBERS: u64 = 1 << 1;
    /// `GUILD_PRESENCES` (privileged): without it GUILD_CREATE lists only the bot as member.
    pub const GUILD_PRESENCES: u64 = 1 << 8;
    /// `GUILD_MESSAGES`: MESSAGE_CREATE/UPDATE/DELETE in guild channels.
    pub const GUILD_MESSAGES: u64 = 1 << 9;
    /// `DIRECT_MESSAGES`: MESSAGE_CREATE/UPDATE/DELETE in DMs.
    pub const DIRECT_MESSAGES: u64 = 1 << 12;
    /// `MESSAGE_CONTENT` (privileged): without it message content arrives empty, except in DMs,
    /// in messages that mention the bot and in the bot's own messages.
    pub const MESSAGE_CONTENT: u64 = 1 << 15;
    /// The three privileged intents.
    pub const PRIVILEGED: u64 = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT;
    /// Every intent bit Discord defines today (bits 0–25 with the gaps it leaves); a bit outside
    /// this set closes the gateway with 4013.
    pub const ALL: u64 = (1 << 26) - 1 - (1 << 17) - (1 << 18) - (1 << 19) - (1 << 22) - (1 << 23);
}

/// Permission bits (Discord's numbering) used to build roles and to check the bot's rights.
pub mod permissions {
    /// `CREATE_INSTANT_INVITE`.
    pub const CREATE_INSTANT_INVITE: u64 = 1 << 0;
    /// `ADMINISTRATOR`: implies every permission.
    pub const ADMINISTRATOR: u64 = 1 << 3;
    /// `ADD_REACTIONS`.
    pub const ADD_REACTIONS: u64 = 1 << 6;
    /// `VIEW_CHANNEL`.
    pub const VIEW_CHANNEL: u64 = 1 << 10;
    /// `SEND_MESSAGES`.
    pub const SEND_MESSAGES: u64 = 1 << 11;
    /// `MANAGE_MESSAGES`: needed to delete other people's messages.
    pub const MANAGE_MESSAGES: u64 = 1 << 13;
    /// `EMBED_LINKS`.
    pub const EMBED_LINKS: u64 = 1 << 14;
    /// `ATTACH_FILES`.
    pub const ATTACH_FILES: u64 = 1 << 15;
    /// `READ_MESSAGE_HISTORY`.
    pub const READ_MESSAGE_HISTORY: u64 = 1 << 16;
    /// `MENTION_EVERYONE`.
    pub const MENTION_EVERYONE: u64 = 1 << 17;
    /// `USE_EXTERNAL_EMOJIS`.
    pub const USE_EXTERNAL_EMOJIS: u64 = 1 << 18;
    /// `CHANGE_NICKNAME`.
    pub const CHANGE_NICKNAME: u64 = 1 << 26;
    /// `USE_APPLICATION_COMMANDS`.
    pub const USE_APPLICATION_COMMANDS: u64 = 1 << 31;
    /// Every permission bit Discord defines today; what an owner or an administrator has.
    pub const ALL: u64 = (1 << 51) - 1;
    /// What `@everyone` gets in a new guild, roughly: read, write, embed, attach, react, use
    /// application commands.
    pub const DEFAULT_EVERYONE: u64 = CREATE_INSTANT_INVITE
        | ADD_REACTIONS
        | VIEW_CHANNEL
        | SEND_MESSAGES
        | EMBED_LINKS
        | ATTACH_FILES
        | READ_MESSAGE_HISTORY
        | MENTION_EVERYONE
        | USE_EXTERNAL_EMOJIS
        | CHANGE_NICKNAME
        | USE_APPLICATION_COMMANDS;
}

/// Everything the fake Discord is started with.
///
/// Build it with [`Config::new`] and the chaining helpers, or fill the public fields directly.
#[derive(Clone, Debug)]
pub struct Config {
    /// The token the bot must present (with or without the `Bot ` prefix). A wrong token makes
    /// REST answer 401 and the gateway close with 4004 after IDENTIFY.
    pub token: String,
    /// The bot's own user (its `bot` flag is forced on).
    pub bot: User,
    /// The application id READY announces; commands and webhooks live under it.
    pub application_id: u64,
    /// The application's owner, as `GET /oauth2/applications/@me` reports it (poise reads it to
    /// find the bot's owners).
    pub owner: User,
    /// Privileged intents enabled for the application (as in the developer portal). Asking for
    /// a privileged intent outside this set closes the gateway with 4014. Default: none.
    pub privileged_intents: u64,
    /// The heartbeat interval HELLO announces. Default: 41.25 s, as Discord.
    pub heartbeat_interval: Duration,
    /// How long after an interaction is created the bot may still answer its callback;
    /// later answers get 404 code 10062. Default: 3 s, as Discord.
    pub interaction_deadline: Duration,
    /// Whether to honour IDENTIFY's `compress: true` by sending every later frame of the
    /// connection as a binary frame holding one zlib stream, as Discord does. Default: false
    /// (plain text frames, easier to read in a capture; serenity accepts both).
    pub compress: bool,
    /// Whether to check every dispatch against serenity 0.12.5's model before sending it, and
    /// log (target `fake_discord`, ERROR) and record ([`crate::FakeDiscord::payload_errors`])
    /// any that would not deserialize. Default: true. Benchmarks may turn it off to keep the
    /// check's few microseconds out of their measurements.
    pub check_payloads: bool,
    /// The guilds the bot is in.
    pub guilds: Vec<Guild>,
    /// Users other than the bot: guild members refer to them by id, and any of them can DM the
    /// bot.
    pub users: Vec<User>,
}

impl Config {
    /// A config with the given token, a bot user `fake-bot` (id 1000), application 1000, owner
    /// `owner` (id 1001), no guilds and no other users.
    pub fn new(token: impl Into<String>) -> Self {
        Self {
            token: token.into(),
            bot: User::bot(1000, "fake-bot"),
            application_id: 1000,
            owner: User::new(1001, "owner"),
            privileged_intents: 0,
            heartbeat_interval: Duration::from_millis(41_250),
            interaction_deadline: Duration::from_secs(3),
            compress: false,
            check_payloads: true,
            guilds: Vec::new(),
            users: Vec::new(),
        }
    }

    /// Sets the bot user (its `bot` flag is forced on).
    pub fn bot(mut self, user: User) -> Self {
        self.bot = User { bot: true, ..user };
        self
    }

    /// Sets the application id.
    pub fn application_id(mut self, id: u64) -> Self {
        self.application_id = id;
        self
    }

    /// Enables privileged intents (bits of [`intents::PRIVILEGED`]) for the application.
    pub fn privileged_intents(mut self, bits: u64) -> Self {
        self.privileged_intents = bits;
        self
    }

    /// Sets the heartbeat interval HELLO announces.
    pub fn heartbeat_interval(mut self, interval: Duration) -> Self {
        self.heartbeat_interval = interval;
        self
    }

    /// Adds a guild.
    pub fn guild(mut self, guild: Guild) -> Self {
        self.guilds.push(guild);
        self
    }

    /// Adds a user.
    pub fn user(mut self, user: User) -> Self {
        self.users.push(user);
        self
    }

    /// The user with this id: the bot, the owner or one of [`Config::users`].
    pub fn find_user(&self, id: u64) -> Option<&User> {
        std::iter::once(&self.bot)
            .chain(std::iter::once(&self.owner))
            .chain(self.users.iter())
            .find(|u| u.id == id)
    }

    /// The guild with this id.
    pub fn find_guild(&self, id: u64) -> Option<&Guild> {
        self.guilds.iter().find(|g| g.id == id)
    }

    /// The guild that holds this channel, with the channel.
    pub fn find_guild_channel(&self, channel_id: u64) -> Option<(&Guild, &Channel)> {
        self.guilds.iter().find_map(|g| {
            g.channels
                .iter()
                .find(|c| c.id == channel_id)
                .map(|c| (g, c))
        })
    }
}

/// A Discord user.
#[derive(Clone, Debug)]
pub struct User {
    /// Snowflake id (must not be 0).
    pub id: u64,
    /// Username.
    pub name: String,
    /// Display name, if set.
    pub global_name: Option<String>,
    /// Whether this is a bot account.
    pub bot: bool,
}

impl User {
    /// A human user.
    pub fn new(id: u64, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            global_name: None,
            bot: false,
        }
    }

    /// A bot user.
    pub fn bot(id: u64, name: impl Into<String>) -> Self {
        Self {
            bot: true,
            ..Self::new(id, name)
        }
    }
}

/// A guild the bot is in.
#[derive(Clone, Debug)]
pub struct Guild {
    /// Snowflake id; also the id of its `@everyone` role.
    pub id: u64,
    /// Name.
    pub name: String,
    /// The owner, who has every permission. Default: the application owner's id 1001.
    pub owner_id: u64,
    /// Permissions of `@everyone`. Default: [`permissions::DEFAULT_EVERYONE`].
    pub everyone_permissions: u64,
    /// Roles other than `@everyone`.
    pub roles: Vec<Role>,
    /// Channels.
    pub channels: Vec<Channel>,
    /// Members other than the bot (the bot is always a member).
    pub members: Vec<Member>,
    /// Roles the bot has in this guild.
    pub bot_roles: Vec<u64>,
}

impl Guild {
    /// A guild with default `@everyone` permissions and no channels, roles or members.
    pub fn new(id: u64, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            owner_id: 1001,
            everyone_permissions: permissions::DEFAULT_EVERYONE,
            roles: Vec::new(),
            channels: Vec::new(),
            members: Vec::new(),
            bot_roles: Vec::new(),
        }
    }

    /// Adds a channel.
    pub fn channel(mut self, channel: Channel) -> Self {
        self.channels.push(channel);
        self
    }

    /// Adds a role.
    pub fn role(mut self, role: Role) -> Self {
        self.roles.push(role);
        self
    }

    /// Adds a member.
    pub fn member(mut self, member: Member) -> Self {
        self.members.push(member);
        self
    }

    /// Sets the permissions of `@everyone`.
    pub fn everyone_permissions(mut self, bits: u64) -> Self {
        self.everyone_permissions = bits;
        self
    }

    /// Gives the bot these roles.
    pub fn bot_roles(mut self, roles: impl IntoIterator<Item = u64>) -> Self {
        self.bot_roles = roles.into_iter().collect();
        self
    }

    /// The member with this user id (not the bot).
    pub fn find_member(&self, user_id: u64) -> Option<&Member> {
        self.members.iter().find(|m| m.user_id == user_id)
    }

    /// Guild-wide permissions of a user holding `roles` (channel overwrites are not modelled).
    pub fn permissions_of(&self, user_id: u64, roles: &[u64]) -> u64 {
        if user_id == self.owner_id {
            return permissions::ALL;
        }
        let bits = self
            .roles
            .iter()
            .filter(|r| roles.contains(&r.id))
            .fold(self.everyone_permissions, |acc, r| acc | r.permissions);
        if bits & permissions::ADMINISTRATOR != 0 {
            permissions::ALL
        } else {
            bits
        }
    }
}

/// A guild role.
#[derive(Clone, Debug)]
pub struct Role {
    /// Snowflake id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Permission bits.
    pub permissions: u64,
    /// Position in the role list (higher is more powerful).
    pub position: u16,
}

impl Role {
    /// A role at position 1.
    pub fn new(id: u64, name: impl Into<String>, permissions: u64) -> Self {
        Self {
            id,
            name: name.into(),
            permissions,
            position: 1,
        }
    }
}

/// A guild channel.
#[derive(Clone, Debug)]
pub struct Channel {
    /// Snowflake id.
    pub id: u64,
    /// Name.
    pub name: String,
    /// Discord channel type: 0 text, 2 voice, 4 category, 5 announcement, 15 forum.
    pub kind: u8,
    /// Category, if any.
    pub parent_id: Option<u64>,
    /// Topic, if any.
    pub topic: Option<String>,
}

impl Channel {
    /// A text channel.
    pub fn text(id: u64, name: impl Into<String>) -> Self {
        Self {
            id,
            name: name.into(),
            kind: 0,
            parent_id: None,
            topic: None,
        }
    }
}

/// A guild member (the user itself must be in [`Config::users`]).
#[derive(Clone, Debug)]
pub struct Member {
    /// The user's id.
    pub user_id: u64,
    /// Role ids, besides `@everyone`.
    pub roles: Vec<u64>,
    /// Nickname, if any.
    pub nick: Option<String>,
}

impl Member {
    /// A member with no roles besides `@everyone`.
    pub fn new(user_id: u64) -> Self {
        Self {
            user_id,
            roles: Vec::new(),
            nick: None,
        }
    }

    /// Sets the member's roles.
    pub fn roles(mut self, roles: impl IntoIterator<Item = u64>) -> Self {
        self.roles = roles.into_iter().collect();
        self
    }
}
