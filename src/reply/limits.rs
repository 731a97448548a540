//! Discord's limits on what a message may carry, and fitting a reply within them. A reply over
//! any limit is rejected whole (HTTP 400, code 50035) and the user sees nothing, so every reply
//! is fitted, whatever the knowledge holds.

use std::borrow::Cow;

use super::{Embed, Field, Link, Reply};
use crate::text::{discord_len, fits, truncate};

/// Embed title.
pub const MAX_TITLE: usize = 256;
/// Embed description.
pub const MAX_DESCRIPTION: usize = 4096;
/// Fields in one embed.
pub const MAX_FIELDS: usize = 25;
/// Field name.
pub const MAX_FIELD_NAME: usize = 256;
/// Field value.
pub const MAX_FIELD_VALUE: usize = 1024;
/// Footer text.
pub const MAX_FOOTER: usize = 2048;
/// All the text of all embeds of a message together.
pub const MAX_TOTAL: usize = 6000;
/// Buttons in one action row (the bot uses one row).
pub const MAX_BUTTONS: usize = 5;
/// Button label.
pub const MAX_BUTTON_LABEL: usize = 80;
/// URL of an embed title.
const MAX_URL: usize = 2048;

impl Embed {
    /// Text counted against [`MAX_TOTAL`].
    pub fn total_len(&self) -> usize {
        discord_len(&self.title)
            + discord_len(&self.description)
            + discord_len(&self.footer)
            + self
                .fields
                .iter()
                .map(|f| discord_len(&f.name) + discord_len(&f.value))
                .sum::<usize>()
    }

    /// At least [`Embed::total_len`]: the same texts counted in bytes, which takes no counting.
    fn total_bytes(&self) -> usize {
        self.title.len()
            + self.description.len()
            + self.footer.len()
            + self
                .fields
                .iter()
                .map(|f| f.name.len() + f.value.len())
                .sum::<usize>()
    }

    /// Whether the embed's text is over [`MAX_TOTAL`].
    fn over_total(&self) -> bool {
        self.total_bytes() > MAX_TOTAL && self.total_len() > MAX_TOTAL
    }

    /// Cuts every part to its limit, then trims fields from the end and the description until the
    /// whole fits.
    pub fn fit(&mut self) {
        cut(&mut self.title, MAX_TITLE);
        cut(&mut self.description, MAX_DESCRIPTION);
        cut(&mut self.footer, MAX_FOOTER);
        if self
            .url
            .as_ref()
            .is_some_and(|u| u.len() > MAX_URL || !u.starts_with("http"))
        {
            self.url = None;
        }
        self.fields
            .retain(|f| !f.value.trim().is_empty() && !f.name.trim().is_empty());
        self.fields.truncate(MAX_FIELDS);
        for field in &mut self.fields {
            if !fits(&field.name, MAX_FIELD_NAME) {
                field.name = Cow::Owned(truncate(&field.name, MAX_FIELD_NAME));
            }
            cut(&mut field.value, MAX_FIELD_VALUE);
        }
        while self.fields.len() > 1 && self.over_total() {
            self.fields.pop();
        }
        let over = if self.over_total() {
            self.total_len() - MAX_TOTAL
        } else {
            0
        };
        if over > 0 {
            let keep = discord_len(&self.description).saturating_sub(over);
            self.description = truncate(&self.description, keep);
        }
    }
}

impl Reply {
    /// Fits the embed and the links within Discord's limits.
    pub fn fit(&mut self) {
        self.embed.fit();
        self.links.truncate(MAX_BUTTONS);
        for link in &mut self.links {
            cut(&mut link.label, MAX_BUTTON_LABEL);
        }
        self.links.retain(|l: &Link| !l.label.is_empty());
    }
}

/// `text` cut to `max` (see [`truncate`]), in place: nearly every text fits, and then it is
/// neither counted nor copied.
fn cut(text: &mut String, max: usize) {
    if !fits(text, max) {
        *text = truncate(text, max);
    }
}

/// Writes up to `count` lines into one field value within [`MAX_FIELD_VALUE`], ending with
/// "…and N more" when they do not all fit. `write` puts one item's line into the buffer it is
/// given: lines are written only as far as they fit (a composer's hundred awards are not all
/// written out when a dozen fit), and one buffer serves every line instead of a string a line.
pub fn write_lines<T>(
    count: usize,
    items: impl IntoIterator<Item = T>,
    mut write: impl FnMut(&mut String, T),
) -> String {
    let mut value = String::new();
    let mut line = String::new();
    // discord_len(&value), kept as lines are added rather than counted again for each.
    let mut value_len = 0;
    for (i, item) in items.into_iter().take(count).enumerate() {
        line.clear();
        write(&mut line, item);
        let remaining = count - i;
        let line_len = discord_len(&line);
        let needed = value_len + usize::from(!value.is_empty()) + line_len;
        let reserve = if remaining > 1 {
            more_len(remaining) + 1
        } else {
            0
        };
        if needed + reserve > MAX_FIELD_VALUE {
            if !value.is_empty() {
                value.push('\n');
            }
            value.push_str("…and ");
            value.push_str(&remaining.to_string());
            value.push_str(" more");
            return value;
        }
        if value.is_empty() {
            // Most values are a few short lines: one allocation for all of them.
            value.reserve(line.len() * count.min(8));
        } else {
            value.push('\n');
            value_len += 1;
        }
        value.push_str(&line);
        value_len += line_len;
    }
    value
}

/// `discord_len` of "…and N more": the ellipsis is one unit, "and " and " more" nine, and N its
/// digits.
fn more_len(n: usize) -> usize {
    10 + n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// A field, for the renderer's convenience.
pub fn field(name: impl Into<Cow<'static, str>>, value: impl Into<String>, inline: bool) -> Field {
    Field {
        name: name.into(),
        value: value.into(),
        inline,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_oversized_embed_is_fitted() {
        let mut embed = Embed {
            title: "t".repeat(300),
            description: "word ".repeat(2000),
            fields: (0..30)
                .map(|i| field(format!("f{i}"), "v".repeat(2000), false))
                .collect(),
            footer: "f".repeat(3000),
            ..Embed::default()
        };
        embed.fit();
        assert!(discord_len(&embed.title) <= MAX_TITLE);
        assert!(discord_len(&embed.description) <= MAX_DESCRIPTION);
        assert!(embed.fields.len() <= MAX_FIELDS);
        assert!(
            embed
                .fields
                .iter()
                .all(|f| discord_len(&f.value) <= MAX_FIELD_VALUE)
        );
        assert!(discord_len(&embed.footer) <= MAX_FOOTER);
        assert!(embed.total_len() <= MAX_TOTAL, "{}", embed.total_len());
    }

    #[test]
    fn counts_the_more_line_without_writing_it() {
        for n in [0, 1, 9, 10, 99, 100, 12345, usize::MAX] {
            assert_eq!(more_len(n), discord_len(&format!("…and {n} more")), "{n}");
        }
    }

    fn join_lines(lines: &[String]) -> String {
        write_lines(lines.len(), lines, |out, line| out.push_str(line))
    }

    #[test]
    fn long_lists_say_how_many_are_left_out() {
        let lines: Vec<String> = (0..200).map(|i| format!("Line number {i}")).collect();
        let value = join_lines(&lines);
        assert!(discord_len(&value) <= MAX_FIELD_VALUE);
        assert!(value.ends_with("more"), "{value}");
        assert_eq!(join_lines(&lines[..2]), "Line number 0\nLine number 1");
    }
}
