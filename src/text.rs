//! Text helpers shared across the crate: folding, shared by the index and the question parser, so
//! that a name typed with or without accents, capitals, punctuation or a leading article meets
//! the same key; lengths and cuts as Discord counts them; and entries' "Title (year)".

/// Folds `text` into a matching key: ASCII transliteration, lower case, apostrophes and full
/// stops dropped (so "E.T." and "ET" meet, and "Schindler's" stays one word), `&` read as "and",
/// every other symbol a word break, single spaces.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    fold_into(text, &mut out);
    out
}

/// Like [`fold`], appending to `out` (which is cleared first) to reuse its allocation.
pub fn fold_into(text: &str, out: &mut String) {
    out.clear();
    let mut pending_space = false;
    let push_word_char = |out: &mut String, c: char, pending_space: &mut bool| {
        if *pending_space && !out.is_empty() {
            out.push(' ');
        }
        *pending_space = false;
        out.push(c);
    };
    for c in text.chars() {
        if c.is_ascii() {
            match c {
                'a'..='z' | '0'..='9' => push_word_char(out, c, &mut pending_space),
                'A'..='Z' => push_word_char(out, c.to_ascii_lowercase(), &mut pending_space),
                '\'' | '.' => {}
                '&' => {
                    pending_space = true;
                    for w in ['a', 'n', 'd'] {
                        push_word_char(out, w, &mut pending_space);
                    }
                    pending_space = true;
                }
                _ => pending_space = true,
            }
        } else if matches!(c, '\u{2019}' | '\u{2018}' | '\u{02BC}') {
            // Curly apostrophes, as phones type them.
        } else if let Some(ascii) = deunicode::deunicode_char(c) {
            for a in ascii.chars() {
                if a.is_ascii_alphanumeric() {
                    push_word_char(out, a.to_ascii_lowercase(), &mut pending_space);
                } else if a != '\'' && a != '.' {
                    pending_space = true;
                }
            }
        } else {
            pending_space = true;
        }
    }
}

/// The articles a name may start with that users leave out ("dark knight").
const ARTICLES: [&str; 3] = ["the ", "a ", "an "];

/// `key` without a leading English article, unless the article is all there is.
pub fn strip_article(key: &str) -> &str {
    for article in ARTICLES {
        if let Some(rest) = key.strip_prefix(article)
            && !rest.is_empty()
        {
            return rest;
        }
    }
    key
}

/// Forms of the last word a user may have added an ending to ("leitmotifs", "psychos" from
/// "Psycho's"), most likely first. Empty when the key has no such ending.
pub fn singular_forms(key: &str) -> Vec<String> {
    let mut forms = Vec::new();
    if let Some(stem) = key.strip_suffix("ies") {
        forms.push(format!("{stem}y"));
    }
    if let Some(stem) = key.strip_suffix("es") {
        forms.push(stem.to_string());
    }
    if let Some(stem) = key.strip_suffix('s')
        && !stem.is_empty()
        && !stem.ends_with(' ')
        && !stem.ends_with('s')
    {
        forms.push(stem.to_string());
    }
    forms
}

/// "Title (year)", as entries are listed. Written without the formatting machinery: lists and
/// autocomplete write one for every line, and `format!` cost more than the rest of the line.
pub fn titled(title: &str, year: u16) -> String {
    let mut out = String::with_capacity(title.len() + 7);
    out.push_str(title);
    out.push_str(" (");
    push_number(&mut out, year);
    out.push(')');
    out
}

/// Appends `n` in decimal (see [`titled`] for why not `format!`).
pub fn push_number(out: &mut String, n: u16) {
    let mut digits = [0u8; 5];
    let mut start = digits.len();
    let mut rest = n;
    loop {
        start -= 1;
        digits[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(digits[start..].iter().map(|&d| char::from(d)));
}

/// Length as Discord counts it for its limits. Discord documents its limits in characters; UTF-16
/// code units are never fewer, so a text within the limit by this count is within it on Discord.
pub fn discord_len(text: &str) -> usize {
    // Counted on bytes, which the compiler vectorises, rather than by decoding characters: in
    // UTF-8 every character has exactly one byte that is not a continuation byte (10xxxxxx), and
    // those of four bytes (from 0xF0) are the ones outside the BMP, which take two UTF-16 units.
    text.bytes()
        .map(|b| usize::from((b as i8) >= -0x40) + usize::from(b >= 0xF0))
        .sum()
}

/// Whether `text` is at most `max` long by [`discord_len`]. No character takes more UTF-16 units
/// than UTF-8 bytes, so a text of at most `max` bytes, as nearly all are, is known to fit
/// without counting.
pub fn fits(text: &str, max: usize) -> bool {
    text.len() <= max || discord_len(text) <= max
}

/// Cuts `text` to at most `max` (by [`discord_len`]), at the last sentence end if one falls in
/// the second half, else at the last word break, and marks the cut with an ellipsis.
pub fn truncate(text: &str, max: usize) -> String {
    if fits(text, max) {
        return text.to_string();
    }
    if max == 0 {
        return String::new();
    }
    // Room for the ellipsis.
    let budget = max - 1;
    let mut end = 0;
    let mut used = 0;
    for (i, c) in text.char_indices() {
        let w = c.len_utf16();
        if used + w > budget {
            break;
        }
        used += w;
        end = i + c.len_utf8();
    }
    let head = &text[..end];
    let sentence_end = head
        .rmatch_indices(['.', '!', '?'])
        .map(|(i, _)| i + 1)
        .find(|&i| i >= head.len() / 2 && text[i..].starts_with(char::is_whitespace));
    if let Some(i) = sentence_end {
        // A whole sentence needs no ellipsis.
        return text[..i].to_string();
    }
    let cut = head
        .rfind(char::is_whitespace)
        .filter(|&i| i >= head.len() / 2)
        .unwrap_or(end);
    format!("{}…", head[..cut].trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_accents_and_punctuation() {
        assert_eq!(fold("Ennio MORRICONE"), "ennio morricone");
        assert_eq!(fold("Miklós Rózsa"), "miklos rozsa");
        assert_eq!(
            fold("E.T. the Extra-Terrestrial"),
            "et the extra terrestrial"
        );
        assert_eq!(fold("Schindler’s List"), "schindlers list");
        assert_eq!(fold("  who scored   Psycho?! "), "who scored psycho");
        assert_eq!(fold("Dune: Part Two"), "dune part two");
        assert_eq!(
            fold("Crouching Tiger, Hidden Dragon"),
            "crouching tiger hidden dragon"
        );
        assert_eq!(fold("Jack & Jill"), "jack and jill");
        assert_eq!(fold("Hildur Guðnadóttir"), "hildur gudnadottir");
    }

    #[test]
    fn strips_a_leading_article_only() {
        assert_eq!(strip_article("the dark knight"), "dark knight");
        assert_eq!(strip_article("a clockwork orange"), "clockwork orange");
        assert_eq!(strip_article("theme"), "theme");
        assert_eq!(strip_article("the "), "the ");
    }

    #[test]
    fn offers_singular_forms() {
        assert_eq!(singular_forms("leitmotifs"), ["leitmotif"]);
        assert_eq!(singular_forms("melodies"), ["melody", "melodi", "melodie"]);
        assert!(singular_forms("jaws").contains(&"jaw".to_string()));
        assert!(singular_forms("bass").is_empty());
    }

    #[test]
    fn numbers_and_titles_are_written_as_format_would() {
        for n in [0, 7, 10, 99, 1960, 2024, u16::MAX] {
            let mut out = String::from("x");
            push_number(&mut out, n);
            assert_eq!(out, format!("x{n}"));
        }
        assert_eq!(titled("Psycho", 1960), "Psycho (1960)");
    }

    #[test]
    fn counts_utf16_units_as_discord_does() {
        for text in [
            "",
            "abc",
            "Amélie",
            "Guðnadóttir",
            "…and 3 more",
            "🎵🎵",
            "a🎵é…z",
            "日本語",
        ] {
            let expected: usize = text.chars().map(char::len_utf16).sum();
            assert_eq!(discord_len(text), expected, "{text}");
            for max in 0..12 {
                assert_eq!(fits(text, max), expected <= max, "{text} {max}");
            }
        }
    }

    #[test]
    fn truncates_at_sentence_or_word_never_mid_character() {
        let text = "First sentence here. Second sentence is longer than that.";
        assert_eq!(truncate(text, 100), text);
        assert_eq!(truncate(text, 40), "First sentence here.");
        let words = "alpha beta gamma delta epsilon";
        assert_eq!(truncate(words, 20), "alpha beta gamma…");
        let emoji = "🎵🎵🎵🎵🎵";
        let cut = truncate(emoji, 5);
        assert!(discord_len(&cut) <= 5, "{cut}");
        assert!(cut.ends_with('…'));
    }
}
