//! A reply as plain text for a terminal: the same content as the embed, without Markdown.

use super::Reply;

/// The reply as readable plain text.
pub fn to_plain_text(reply: &Reply) -> String {
    let embed = &reply.embed;
    let mut out = String::new();
    out.push_str(&unmark(&embed.title));
    out.push('\n');
    out.push_str(&"=".repeat(embed.title.chars().count().min(72)));
    out.push('\n');
    if !embed.description.is_empty() {
        out.push_str(&unmark(&embed.description));
        out.push('\n');
    }
    for field in &embed.fields {
        out.push('\n');
        out.push_str(&unmark(&field.name));
        out.push_str(":\n");
        for line in field.value.lines() {
            out.push_str("  ");
            out.push_str(&unmark(line));
            out.push('\n');
        }
    }
    if !reply.links.is_empty() {
        out.push_str("\nSee also: ");
        let links: Vec<String> = reply
            .links
            .iter()
            .map(|l| format!("{} ({})", l.label, l.target.command()))
            .collect();
        out.push_str(&links.join(", "));
        out.push('\n');
    }
    if !embed.footer.is_empty() {
        out.push('\n');
        out.push_str(&embed.footer);
        out.push('\n');
    }
    out
}

/// Removes Markdown emphasis and escapes.
fn unmark(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '*' => {}
            '`' => {}
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unmark;

    #[test]
    fn removes_emphasis_but_keeps_escaped_characters() {
        assert_eq!(
            unmark("**Bernard Herrmann** and *Psycho*"),
            "Bernard Herrmann and Psycho"
        );
        assert_eq!(
            unmark(r"\*batteries not included"),
            "*batteries not included"
        );
    }
}
