//! Discord's limits on what a bot sends, and who a message would ping. Lengths are counted in
//! UTF-16 code units: Discord counts characters, and a count in code units is never lower, so
//! a body that passes here passes there.

use serde_json::Value;

use crate::model;
use crate::record::Mentions;

/// One broken limit, in Discord's terms.
#[derive(Clone, Debug)]
pub(crate) struct Problem {
    pub(crate) field: String,
    pub(crate) code: &'static str,
    pub(crate) message: String,
}

/// The code recorded for an empty message, which Discord answers with 50006, not 50035.
pub(crate) const EMPTY_MESSAGE: &str = "EMPTY_MESSAGE";

fn len(s: &str) -> usize {
    s.encode_utf16().count()
}

fn join(prefix: &str, field: &str) -> String {
    if prefix.is_empty() {
        field.to_owned()
    } else {
        format!("{prefix}.{field}")
    }
}

#[derive(Default)]
pub(crate) struct Checker {
    pub(crate) problems: Vec<Problem>,
}

impl Checker {
    fn push(&mut self, field: String, code: &'static str, message: String) {
        self.problems.push(Problem {
            field,
            code,
            message,
        });
    }

    /// A string field: at most `max` long, at least `min` long, and present when `required`.
    fn text(&mut self, field: String, v: Option<&Value>, min: usize, max: usize, required: bool) {
        match v.filter(|v| !v.is_null()) {
            None if required => {
                self.push(field, "BASE_TYPE_REQUIRED", "This field is required".into())
            }
            None => {}
            Some(Value::String(s)) => {
                let n = len(s);
                if n > max {
                    self.push(
                        field,
                        "BASE_TYPE_MAX_LENGTH",
                        format!("Must be {max} or fewer in length."),
                    );
                } else if n < min {
                    self.push(
                        field,
                        "BASE_TYPE_MIN_LENGTH",
                        format!("Must be {min} or more in length."),
                    );
                }
            }
            Some(_) => self.push(field, "BASE_TYPE_STRING", "Must be a string.".into()),
        }
    }

    /// An array field: at most `max` items. Returns the items.
    fn list<'a>(&mut self, field: String, v: Option<&'a Value>, max: usize) -> &'a [Value] {
        match v {
            Some(Value::Array(items)) => {
                if items.len() > max {
                    self.push(
                        field,
                        "BASE_TYPE_MAX_LENGTH",
                        format!("Must be {max} or fewer in length."),
                    );
                }
                items
            }
            None | Some(Value::Null) => &[],
            Some(_) => {
                self.push(field, "BASE_TYPE_ARRAY", "Must be an array.".into());
                &[]
            }
        }
    }

    fn url(&mut self, field: String, v: Option<&Value>) {
        if let Some(Value::String(s)) = v {
            let ok = ["http://", "https://", "attachment://"]
                .iter()
                .any(|p| s.starts_with(p));
            if !ok {
                self.push(
                    field,
                    "URL_TYPE_INVALID_URL",
                    "Not a well formed URL.".into(),
                );
            }
        }
    }

    /// A message body (create, edit, interaction message data). `prefix` is where the message
    /// sits in the request body (`data` for interaction callbacks). `new` asks for Discord's
    /// "Cannot send an empty message" rule; `files` counts uploaded files.
    pub(crate) fn message(&mut self, prefix: &str, m: &Value, new: bool, files: usize) {
        self.text(join(prefix, "content"), m.get("content"), 0, 2000, false);
        let embeds = self.list(join(prefix, "embeds"), m.get("embeds"), 10);
        let mut total = 0;
        for (i, e) in embeds.iter().enumerate() {
            total += self.embed(&join(prefix, &format!("embeds.{i}")), e);
        }
        if total > 6000 {
            self.push(
                join(prefix, "embeds"),
                "MAX_EMBED_SIZE_EXCEEDED",
                "Embed size exceeds maximum size of 6000".into(),
            );
        }
        self.components(prefix, m.get("components"));
        self.allowed_mentions(&join(prefix, "allowed_mentions"), m.get("allowed_mentions"));
        if new {
            let content = m.get("content").and_then(Value::as_str).unwrap_or_default();
            let nonempty = |k: &str| {
                m.get(k)
                    .and_then(Value::as_array)
                    .is_some_and(|a| !a.is_empty())
            };
            let empty = content.is_empty()
                && !nonempty("embeds")
                && !nonempty("components")
                && !nonempty("sticker_ids")
                && m.get("poll").is_none_or(Value::is_null)
                && files == 0;
            if empty {
                self.push(
                    prefix.to_owned(),
                    EMPTY_MESSAGE,
                    "Cannot send an empty message".into(),
                );
            }
        }
    }

    /// One embed; returns its size toward the 6000 total.
    fn embed(&mut self, at: &str, e: &Value) -> usize {
        let s = |v: &Value| v.as_str().map_or(0, len);
        self.text(join(at, "title"), e.get("title"), 0, 256, false);
        self.text(
            join(at, "description"),
            e.get("description"),
            0,
            4096,
            false,
        );
        self.url(join(at, "url"), e.get("url"));
        let mut size = s(&e["title"]) + s(&e["description"]);
        let fields = self.list(join(at, "fields"), e.get("fields"), 25);
        for (i, f) in fields.iter().enumerate() {
            self.text(
                join(at, &format!("fields.{i}.name")),
                f.get("name"),
                1,
                256,
                true,
            );
            self.text(
                join(at, &format!("fields.{i}.value")),
                f.get("value"),
                1,
                1024,
                true,
            );
            size += s(&f["name"]) + s(&f["value"]);
        }
        if let Some(footer) = e.get("footer").filter(|v| !v.is_null()) {
            self.text(join(at, "footer.text"), footer.get("text"), 1, 2048, true);
            self.url(join(at, "footer.icon_url"), footer.get("icon_url"));
            size += s(&footer["text"]);
        }
        if let Some(author) = e.get("author").filter(|v| !v.is_null()) {
            self.text(join(at, "author.name"), author.get("name"), 1, 256, true);
            self.url(join(at, "author.url"), author.get("url"));
            self.url(join(at, "author.icon_url"), author.get("icon_url"));
            size += s(&author["name"]);
        }
        for media in ["image", "thumbnail"] {
            if let Some(m) = e.get(media).filter(|v| !v.is_null()) {
                self.url(join(at, &format!("{media}.url")), m.get("url"));
            }
        }
        size
    }

    fn components(&mut self, prefix: &str, v: Option<&Value>) {
        let rows = self.list(join(prefix, "components"), v, 5);
        let mut ids: Vec<&str> = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            let at = join(prefix, &format!("components.{r}"));
            if row["type"].as_u64() != Some(1) {
                self.push(
                    join(&at, "type"),
                    "UNION_TYPE_CHOICES",
                    "Value must be one of {1}.".into(),
                );
                continue;
            }
            let items = self.list(join(&at, "components"), row.get("components"), 5);
            if items.is_empty() {
                self.push(
                    join(&at, "components"),
                    "BASE_TYPE_MIN_LENGTH",
                    "Must be 1 or more in length.".into(),
                );
            }
            let selects = items
                .iter()
                .filter(|c| matches!(c["type"].as_u64(), Some(3 | 5..=8)))
                .count();
            if selects > 0 && items.len() > 1 {
                self.push(
                    join(&at, "components"),
                    "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                    "The specified component exceeds the maximum width".into(),
                );
            }
            for (i, c) in items.iter().enumerate() {
                let at = join(&at, &format!("components.{i}"));
                self.component(&at, c);
                if let Some(id) = c["custom_id"].as_str() {
                    if ids.contains(&id) {
                        self.push(
                            join(&at, "custom_id"),
                            "COMPONENT_CUSTOM_ID_DUPLICATED",
                            "Component custom id cannot be duplicated".into(),
                        );
                    }
                    ids.push(id);
                }
            }
        }
    }

    fn component(&mut self, at: &str, c: &Value) {
        match c["type"].as_u64() {
            Some(2) => {
                let style = c["style"].as_u64();
                self.text(join(at, "label"), c.get("label"), 0, 80, false);
                match style {
                    Some(5) => {
                        self.text(join(at, "url"), c.get("url"), 1, 512, true);
                        self.url(join(at, "url"), c.get("url"));
                    }
                    Some(6) => {}
                    Some(1..=4) => {
                        self.text(join(at, "custom_id"), c.get("custom_id"), 1, 100, true)
                    }
                    _ => self.push(
                        join(at, "style"),
                        "BASE_TYPE_CHOICES",
                        "Value must be one of {1, 2, 3, 4, 5, 6}.".into(),
                    ),
                }
            }
            Some(3 | 5..=8) => {
                self.text(join(at, "custom_id"), c.get("custom_id"), 1, 100, true);
                self.text(join(at, "placeholder"), c.get("placeholder"), 0, 150, false);
                if c["type"].as_u64() == Some(3) {
                    let options = self.list(join(at, "options"), c.get("options"), 25);
                    if options.is_empty() {
                        self.push(
                            join(at, "options"),
                            "BASE_TYPE_MIN_LENGTH",
                            "Must be 1 or more in length.".into(),
                        );
                    }
                    for (i, o) in options.iter().enumerate() {
                        let oat = join(at, &format!("options.{i}"));
                        self.text(join(&oat, "label"), o.get("label"), 1, 100, true);
                        self.text(join(&oat, "value"), o.get("value"), 1, 100, true);
                        self.text(
                            join(&oat, "description"),
                            o.get("description"),
                            0,
                            100,
                            false,
                        );
                    }
                }
            }
            _ => self.push(
                join(at, "type"),
                "UNION_TYPE_CHOICES",
                "Value must be one of {2, 3, 5, 6, 7, 8}.".into(),
            ),
        }
    }

    fn allowed_mentions(&mut self, at: &str, v: Option<&Value>) {
        let Some(am) = v.filter(|v| !v.is_null()) else {
            return;
        };
        let parse: Vec<&str> = am["parse"]
            .as_array()
            .map(|p| p.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (kind, list) in [("users", "users"), ("roles", "roles")] {
            let listed = am[list].as_array().is_some_and(|l| !l.is_empty());
            if parse.contains(&kind) && listed {
                self.push(
                    join(at, "parse"),
                    "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                    format!("parse:[\"{kind}\"] and {list}: [ids...] are mutually exclusive."),
                );
            }
            self.list(join(at, list), am.get(list), 100);
        }
    }

    /// Data of an autocomplete answer (callback type 8).
    pub(crate) fn autocomplete(&mut self, prefix: &str, d: &Value) {
        let choices = self.list(join(prefix, "choices"), d.get("choices"), 25);
        for (i, c) in choices.iter().enumerate() {
            let at = join(prefix, &format!("choices.{i}"));
            self.text(join(&at, "name"), c.get("name"), 1, 100, true);
            match c.get("value") {
                Some(Value::String(_)) => {
                    self.text(join(&at, "value"), c.get("value"), 0, 100, true)
                }
                Some(Value::Number(_)) => {}
                _ => self.push(
                    join(&at, "value"),
                    "BASE_TYPE_REQUIRED",
                    "This field is required".into(),
                ),
            }
        }
    }

    /// Data of a modal (callback type 9).
    pub(crate) fn modal(&mut self, prefix: &str, d: &Value) {
        self.text(join(prefix, "title"), d.get("title"), 1, 45, true);
        self.text(join(prefix, "custom_id"), d.get("custom_id"), 1, 100, true);
        let rows = self.list(join(prefix, "components"), d.get("components"), 5);
        if rows.is_empty() {
            self.push(
                join(prefix, "components"),
                "BASE_TYPE_MIN_LENGTH",
                "Must be 1 or more in length.".into(),
            );
        }
        for (r, row) in rows.iter().enumerate() {
            let at = join(prefix, &format!("components.{r}"));
            let items = self.list(join(&at, "components"), row.get("components"), 1);
            for (i, c) in items.iter().enumerate() {
                let at = join(&at, &format!("components.{i}"));
                if c["type"].as_u64() != Some(4) {
                    self.push(
                        join(&at, "type"),
                        "UNION_TYPE_CHOICES",
                        "Value must be one of {4}.".into(),
                    );
                    continue;
                }
                self.text(join(&at, "custom_id"), c.get("custom_id"), 1, 100, true);
                self.text(join(&at, "label"), c.get("label"), 1, 45, true);
                self.text(
                    join(&at, "placeholder"),
                    c.get("placeholder"),
                    0,
                    100,
                    false,
                );
                self.text(join(&at, "value"), c.get("value"), 0, 4000, false);
                for (k, min) in [("min_length", 0), ("max_length", 1)] {
                    if let Some(n) = c[k].as_u64()
                        && !(min..=4000).contains(&n)
                    {
                        self.push(
                            join(&at, k),
                            "NUMBER_TYPE_MAX",
                            format!("int value should be between {min} and 4000."),
                        );
                    }
                }
            }
        }
    }

    /// One application command as sent to the commands endpoints.
    pub(crate) fn command(&mut self, at: &str, c: &Value) {
        let kind = c["type"].as_u64().unwrap_or(1);
        self.command_name(join(at, "name"), c.get("name"), kind == 1);
        if kind == 1 {
            self.text(join(at, "description"), c.get("description"), 1, 100, true);
        }
        self.options(at, c.get("options"));
    }

    fn options(&mut self, at: &str, v: Option<&Value>) {
        let options = self.list(join(at, "options"), v, 25);
        let mut seen_optional = false;
        for (i, o) in options.iter().enumerate() {
            let oat = join(at, &format!("options.{i}"));
            self.command_name(join(&oat, "name"), o.get("name"), true);
            self.text(
                join(&oat, "description"),
                o.get("description"),
                1,
                100,
                true,
            );
            let required = o["required"].as_bool().unwrap_or(false);
            let kind = o["type"].as_u64().unwrap_or(0);
            if kind == 1 || kind == 2 {
                self.options(&oat, o.get("options"));
                continue;
            }
            if required && seen_optional {
                self.push(
                    join(&oat, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options".into(),
                );
            }
            seen_optional |= !required;
            let choices = self.list(join(&oat, "choices"), o.get("choices"), 25);
            if !choices.is_empty() && o["autocomplete"].as_bool() == Some(true) {
                self.push(
                    join(&oat, "autocomplete"),
                    "AUTOCOMPLETE_CHOICES_EXCLUSIVE",
                    "Autocomplete and choices are mutually exclusive".into(),
                );
            }
            for (j, ch) in choices.iter().enumerate() {
                let cat = join(&oat, &format!("choices.{j}"));
                self.text(join(&cat, "name"), ch.get("name"), 1, 100, true);
                if ch["value"].is_string() {
                    self.text(join(&cat, "value"), ch.get("value"), 1, 100, true);
                }
            }
        }
    }

    /// Command and option names: 1–32 characters, letters, digits, `-` and `_`, lower case for
    /// slash commands.
    fn command_name(&mut self, field: String, v: Option<&Value>, lower: bool) {
        self.text(field.clone(), v, 1, 32, true);
        if let Some(name) = v.and_then(Value::as_str) {
            let charset = name
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '_');
            let case = !lower || name.chars().all(|c| !c.is_uppercase());
            if !(charset && case) {
                self.push(
                    field,
                    "APPLICATION_COMMAND_INVALID_NAME",
                    format!("Command name is invalid: {name}"),
                );
            }
        }
    }
}

/// Who a message would ping (see [`Mentions`]). `replied_author` is the author of the message
/// it replies to, if it is a reply (and that author is not the bot itself).
pub(crate) fn mentions(body: &Value, content: &str, replied_author: Option<u64>) -> Mentions {
    let allowed = body
        .get("allowed_mentions")
        .filter(|v| !v.is_null())
        .cloned();
    let users = model::user_mentions(content);
    let roles = model::role_mentions(content);
    let everyone = content.contains("@everyone") || content.contains("@here");
    let Some(am) = allowed.clone() else {
        // No allowed_mentions: Discord pings everything the content names, and the replied
        // author.
        return Mentions {
            allowed_mentions: None,
            everyone,
            users,
            roles,
            replied_user: replied_author,
        };
    };
    let parse: Vec<&str> = am["parse"]
        .as_array()
        .map(|p| p.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let listed = |key: &str| -> Vec<u64> {
        am[key]
            .as_array()
            .map(|l| l.iter().filter_map(model::id_of).collect())
            .unwrap_or_default()
    };
    let (allowed_users, allowed_roles) = (listed("users"), listed("roles"));
    Mentions {
        everyone: everyone && parse.contains(&"everyone"),
        users: users
            .into_iter()
            .filter(|u| parse.contains(&"users") || allowed_users.contains(u))
            .collect(),
        roles: roles
            .into_iter()
            .filter(|r| parse.contains(&"roles") || allowed_roles.contains(r))
            .collect(),
        replied_user: replied_author.filter(|_| am["replied_user"].as_bool() == Some(true)),
        allowed_mentions: allowed,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn problems(m: Value) -> Vec<(String, &'static str)> {
        let mut c = Checker::default();
        c.message("", &m, true, 0);
        c.problems.into_iter().map(|p| (p.field, p.code)).collect()
    }

    #[test]
    fn limits_count_utf16() {
        // 1000 emoji are 2000 UTF-16 units: allowed; one more is not.
        assert!(problems(json!({"content": "😀".repeat(1000)})).is_empty());
        assert_eq!(
            problems(json!({"content": "😀".repeat(1001)})),
            vec![("content".into(), "BASE_TYPE_MAX_LENGTH")]
        );
    }

    #[test]
    fn embed_limits() {
        let fields: Vec<_> = (0..26)
            .map(|i| json!({"name": format!("f{i}"), "value": "v"}))
            .collect();
        let got = problems(
            json!({"embeds": [{"title": "t".repeat(257), "fields": fields, "footer": {"text": ""}}]}),
        );
        let codes: Vec<_> = got.iter().map(|(f, c)| format!("{f}:{c}")).collect();
        assert!(
            codes.contains(&"embeds.0.title:BASE_TYPE_MAX_LENGTH".to_owned()),
            "{codes:?}"
        );
        assert!(
            codes.contains(&"embeds.0.fields:BASE_TYPE_MAX_LENGTH".to_owned()),
            "{codes:?}"
        );
        assert!(
            codes.contains(&"embeds.0.footer.text:BASE_TYPE_MIN_LENGTH".to_owned()),
            "{codes:?}"
        );
        let big: Vec<_> = (0..2)
            .map(|_| json!({"description": "d".repeat(4000)}))
            .collect();
        assert_eq!(
            problems(json!({"embeds": big})),
            vec![("embeds".into(), "MAX_EMBED_SIZE_EXCEEDED")]
        );
    }

    #[test]
    fn empty_message_is_refused() {
        assert_eq!(
            problems(json!({"content": ""})),
            vec![(String::new(), EMPTY_MESSAGE)]
        );
    }

    #[test]
    fn components_limits() {
        let row = |n: usize| json!({"type": 1, "components": (0..n).map(|i| json!({"type": 2, "style": 1, "custom_id": format!("b{i}"), "label": "x"})).collect::<Vec<_>>()});
        assert!(problems(json!({"content": "x", "components": [row(5)]})).is_empty());
        assert_eq!(
            problems(json!({"content": "x", "components": [row(6)]})).len(),
            1
        );
        assert_eq!(
            problems(json!({"content": "x", "components": [row(1), row(1)]}))[0].1,
            "COMPONENT_CUSTOM_ID_DUPLICATED"
        );
    }

    #[test]
    fn pings() {
        let body = json!({"content": "<@5> @everyone"});
        let m = mentions(&body, "<@5> @everyone", Some(9));
        assert!(m.everyone && m.users == vec![5] && m.replied_user == Some(9));
        let body = json!({"allowed_mentions": {"parse": []}});
        assert!(!mentions(&body, "<@5> @everyone", Some(9)).pings_anyone());
        let body = json!({"allowed_mentions": {"parse": [], "users": ["5"], "replied_user": true}});
        let m = mentions(&body, "<@5> <@6>", Some(9));
        assert_eq!((m.users, m.replied_user), (vec![5], Some(9)));
    }
}
