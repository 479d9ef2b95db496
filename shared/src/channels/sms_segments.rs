//! How many SMS segments a text costs, per 3GPP TS 23.038 (alphabets) and
//! TS 23.040 (concatenation).
//!
//! Carriers bill per segment, and a single character outside the GSM 7-bit
//! alphabet (a Romanian "ș", a Cyrillic letter, an emoji) switches the whole
//! message to UCS-2 and cuts the capacity of each segment by more than half.
//! Counting before sending lets templates be checked instead of discovering the
//! cost on the invoice.

use serde::Serialize;

/// Septets in a message that fits in one SMS.
const GSM7_SINGLE: usize = 160;
/// Septets per part of a concatenated message: the user data header takes 7.
const GSM7_PART: usize = 153;
/// UTF-16 code units in a UCS-2 message that fits in one SMS.
const UCS2_SINGLE: usize = 70;
/// UTF-16 code units per part of a concatenated UCS-2 message.
const UCS2_PART: usize = 67;

/// The data coding a handset and carrier would pick for a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SmsEncoding {
    /// GSM 03.38 default alphabet, 7 bits per character.
    Gsm7,
    /// UTF-16, used as soon as one character is outside the GSM alphabet.
    Ucs2,
}

/// What a text costs to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SmsSegments {
    pub encoding: SmsEncoding,
    /// Septets for GSM-7 (extension characters count 2), UTF-16 code units
    /// for UCS-2 (characters outside the BMP, like emoji, count 2).
    pub units: usize,
    /// Messages the carrier will bill. Empty text is 0: there is nothing to
    /// send, and callers should not send (or pay for) an empty SMS.
    pub segments: usize,
}

/// Counts encoding, units and segments for `text`.
pub fn count(text: &str) -> SmsSegments {
    if is_gsm7(text) {
        let septets = text.chars().map(|c| if in_extension_table(c) { 2 } else { 1 });
        pack(SmsEncoding::Gsm7, septets, GSM7_SINGLE, GSM7_PART)
    } else {
        pack(SmsEncoding::Ucs2, text.chars().map(char::len_utf16), UCS2_SINGLE, UCS2_PART)
    }
}

/// True when every character can be sent in the GSM 7-bit alphabet (basic set
/// or extension table). Empty text is trivially GSM-7.
pub fn is_gsm7(text: &str) -> bool {
    text.chars().all(|c| in_basic_set(c) || in_extension_table(c))
}

/// Fills parts greedily. A character is never split across parts: an escape
/// pair (GSM-7) or a surrogate pair (UCS-2) that does not fit in the room left
/// starts the next part, so the count can exceed `units / part` rounded up.
fn pack(encoding: SmsEncoding, widths: impl Iterator<Item = usize>, single: usize, part: usize) -> SmsSegments {
    let mut units = 0;
    let mut parts = 0;
    let mut room = 0;
    for width in widths {
        units += width;
        if width > room {
            parts += 1;
            room = part;
        }
        room -= width;
    }
    let segments = match units {
        0 => 0,
        n if n <= single => 1,
        _ => parts,
    };
    SmsSegments { encoding, units, segments }
}

/// The GSM 03.38 basic character set (one septet each). ESC (0x1B) is left out:
/// it only introduces extension characters and is not text.
fn in_basic_set(c: char) -> bool {
    matches!(
        c,
        'A'..='Z'
            | 'a'..='z'
            | '0'..='9'
            | '@' | '£' | '$' | '¥' | 'è' | 'é' | 'ù' | 'ì' | 'ò' | 'Ç' | '\n' | 'Ø' | 'ø'
            | '\r' | 'Å' | 'å'
            | 'Δ' | '_' | 'Φ' | 'Γ' | 'Λ' | 'Ω' | 'Π' | 'Ψ' | 'Σ' | 'Θ' | 'Ξ' | 'Æ' | 'æ'
            | 'ß' | 'É'
            | ' ' | '!' | '"' | '#' | '¤' | '%' | '&' | '\'' | '(' | ')' | '*' | '+' | ','
            | '-' | '.' | '/'
            | ':' | ';' | '<' | '=' | '>' | '?'
            | '¡' | 'Ä' | 'Ö' | 'Ñ' | 'Ü' | '§'
            | '¿' | 'ä' | 'ö' | 'ñ' | 'ü' | 'à'
    )
}

/// The GSM 03.38 extension table: each costs two septets (ESC + code).
fn in_extension_table(c: char) -> bool {
    matches!(c, '\u{0C}' | '^' | '{' | '}' | '\\' | '[' | '~' | ']' | '|' | '€')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gsm(units: usize, segments: usize) -> SmsSegments {
        SmsSegments { encoding: SmsEncoding::Gsm7, units, segments }
    }

    fn ucs2(units: usize, segments: usize) -> SmsSegments {
        SmsSegments { encoding: SmsEncoding::Ucs2, units, segments }
    }

    #[test]
    fn empty_text_is_gsm7_with_no_segments() {
        assert_eq!(count(""), gsm(0, 0));
        assert!(is_gsm7(""));
    }

    #[test]
    fn gsm7_single_message_boundary_160_161() {
        assert_eq!(count(&"a".repeat(160)), gsm(160, 1));
        assert_eq!(count(&"a".repeat(161)), gsm(161, 2));
    }

    #[test]
    fn gsm7_concatenated_boundary_306_307() {
        assert_eq!(count(&"a".repeat(306)), gsm(306, 2));
        assert_eq!(count(&"a".repeat(307)), gsm(307, 3));
    }

    #[test]
    fn ucs2_single_message_boundary_70_71() {
        assert_eq!(count(&"ж".repeat(70)), ucs2(70, 1));
        assert_eq!(count(&"ж".repeat(71)), ucs2(71, 2));
    }

    #[test]
    fn ucs2_concatenated_boundary_134_135() {
        assert_eq!(count(&"ж".repeat(134)), ucs2(134, 2));
        assert_eq!(count(&"ж".repeat(135)), ucs2(135, 3));
    }

    #[test]
    fn extension_characters_count_two_septets() {
        for c in ['\u{0C}', '^', '{', '}', '\\', '[', '~', ']', '|', '€'] {
            assert_eq!(count(&c.to_string()), gsm(2, 1), "{c:?}");
        }
        assert_eq!(count(&"€".repeat(80)), gsm(160, 1));
        assert_eq!(count(&"€".repeat(81)), gsm(162, 2));
    }

    #[test]
    fn escape_pair_is_not_split_across_segments() {
        // 152 + 2 + 152 = 306 septets: naive division says 2 segments, but the
        // euro sign does not fit in the one septet left in part 1, so it opens
        // part 2, which then overflows by one septet into part 3.
        let text = format!("{}€{}", "a".repeat(152), "a".repeat(152));
        assert_eq!(306usize.div_ceil(GSM7_PART), 2);
        assert_eq!(count(&text), gsm(306, 3));

        // With one septet less before the euro sign it fits exactly.
        let text = format!("{}€{}", "a".repeat(151), "a".repeat(153));
        assert_eq!(count(&text), gsm(306, 2));
    }

    #[test]
    fn surrogate_pair_is_not_split_across_segments() {
        // 66 + 2 + 66 = 134 units: naive division says 2 segments.
        let text = format!("{}😀{}", "ж".repeat(66), "ж".repeat(66));
        assert_eq!(count(&text), ucs2(134, 3));

        let text = format!("{}😀{}", "ж".repeat(65), "ж".repeat(67));
        assert_eq!(count(&text), ucs2(134, 2));
    }

    #[test]
    fn romanian_diacritics_force_ucs2() {
        for word in ["mulțumesc", "așa", "până"] {
            assert!(!is_gsm7(word), "{word}");
            assert_eq!(count(word).encoding, SmsEncoding::Ucs2, "{word}");
        }
        assert_eq!(count("Comanda ta a plecat. Mulțumim!"), ucs2(30, 1));
    }

    #[test]
    fn cyrillic_forces_ucs2() {
        assert_eq!(count("Ваш заказ отправлен"), ucs2(19, 1));
    }

    #[test]
    fn spanish_depends_on_which_accents() {
        // "ó" is not in the GSM alphabet (only "ò" is).
        assert_eq!(count("¿Dónde?"), ucs2(7, 1));
        // "¡", "ñ", "¿" and "é" all are.
        assert!(is_gsm7("¡Señor, ¿qué tal?"));
        assert_eq!(count("¡Señor, ¿qué tal?"), gsm(17, 1));
    }

    #[test]
    fn emoji_counts_two_utf16_units() {
        assert_eq!(count("👍"), ucs2(2, 1));
        assert_eq!(count("ok 👍"), ucs2(5, 1));
        assert_eq!(count(&"👍".repeat(35)), ucs2(70, 1));
        assert_eq!(count(&"👍".repeat(36)), ucs2(72, 2));
    }

    #[test]
    fn every_basic_set_character_is_one_septet() {
        let basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                     ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
        assert_eq!(basic.chars().count(), 127);
        for c in basic.chars() {
            assert_eq!(count(&c.to_string()), gsm(1, 1), "{c:?}");
        }
        // ESC itself, the backtick and lookalikes are not in the alphabet.
        for c in ['\u{1B}', '`', 'ó', 'ç', 'Ê', '\t'] {
            assert!(!is_gsm7(&c.to_string()), "{c:?}");
        }
    }

    #[test]
    fn encoding_serializes_as_snake_case() {
        assert_eq!(serde_json::to_string(&count("hi")).unwrap(), r#"{"encoding":"gsm7","units":2,"segments":1}"#);
        assert_eq!(serde_json::to_string(&SmsEncoding::Ucs2).unwrap(), r#""ucs2""#);
    }

    #[test]
    fn segments_never_decrease_as_text_grows() {
        // Deterministic pseudo-random mixes of one- and two-unit characters in
        // both alphabets, so the text crosses GSM-7 -> UCS-2 and every boundary.
        let alphabets: [&[char]; 3] = [&['a', '€', ' ', '{', 'é'], &['a', '€', 'ж', '😀'], &['x', 'ș', '|', '👍', 'Ω']];
        for (seed, alphabet) in alphabets.iter().enumerate() {
            let mut state = seed as u64 + 1;
            let mut text = String::new();
            let mut previous = count(&text);
            for _ in 0..400 {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                let index = (state >> 33) as usize % alphabet.len();
                text.push(alphabet[index]);

                let current = count(&text);
                assert!(current.segments >= previous.segments, "{previous:?} -> {current:?} for {text:?}");
                assert!(current.units >= text.chars().count());
                // Never fewer segments than the capacity allows.
                let part = match current.encoding {
                    SmsEncoding::Gsm7 => GSM7_PART,
                    SmsEncoding::Ucs2 => UCS2_PART,
                };
                if current.segments > 1 {
                    assert!(current.segments >= current.units.div_ceil(part));
                }
                previous = current;
            }
        }
    }
}
