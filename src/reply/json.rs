//! A reply in Discord's wire format: the body of a message create (or an interaction response's
//! `data`), with `allowed_mentions` set so nothing in it can ever ping anyone.

use serde_json::{Value, json};

use super::Reply;

/// Discord's message flag for "only the person who invoked the command sees this".
const EPHEMERAL: u64 = 1 << 6;

/// The reply as a Discord message body.
pub fn to_discord_json(reply: &Reply) -> Value {
    let embed = &reply.embed;
    let mut object = json!({
        "title": embed.title,
        "description": embed.description,
        "color": embed.colour,
        "fields": embed.fields.iter().map(|f| json!({"name": f.name, "value": f.value, "inline": f.inline})).collect::<Vec<_>>(),
    });
    if let Some(url) = &embed.url {
        object["url"] = json!(url);
    }
    if !embed.footer.is_empty() {
        object["footer"] = json!({ "text": embed.footer });
    }
    let mut message = json!({
        "embeds": [object],
        "allowed_mentions": { "parse": [] },
    });
    if !reply.links.is_empty() {
        let buttons: Vec<Value> = reply
            .links
            .iter()
            .map(|link| json!({"type": 2, "style": 2, "label": link.label, "custom_id": link.target.custom_id()}))
            .collect();
        message["components"] = json!([{ "type": 1, "components": buttons }]);
    }
    if reply.private {
        message["flags"] = json!(EPHEMERAL);
    }
    message
}
