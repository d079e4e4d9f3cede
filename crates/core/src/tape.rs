//! The packed form of JavaScript input on the hot path (`rank`): the facade walks the value
//! in JavaScript (where reading objects is fast) into flat arrays, and this rebuilds the
//! [`Value`] tree in one pass, with the same bounds as the per-value copy.
//!
//! Layout: `kinds` has one byte per value (see [`Kind`]); `refs` holds, in order, the count
//! of each list or object, the string-table index of each string and object key, and the
//! reason code of each unsupported value; `numbers` holds the numbers; `strings` is the
//! string table, concatenated, with each entry's length in UTF-16 code units in
//! `string_lengths` (JavaScript's lengths). Malformed tapes are errors, never panics.

use crate::value::{Value, MAX_DEPTH, MAX_LIST_ENTRIES, MAX_NODES, MAX_OBJECT_KEYS};
use std::rc::Rc;

/// One byte per value in `kinds`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// `null` or `undefined`.
    Null = 0,
    /// `false`.
    False = 1,
    /// `true`.
    True = 2,
    /// The next entry of `numbers`.
    Number = 3,
    /// The string-table entry named by the next `refs` entry.
    String = 4,
    /// A list: the next `refs` entry is its length, its values follow.
    List = 5,
    /// An object: the next `refs` entry is its key count; each key (a `refs` string index)
    /// is followed by its value.
    Object = 6,
    /// Not data: the next `refs` entry is the reason (see [`unsupported_reason`]).
    Unsupported = 7,
}

/// The packed arrays, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct Tape<'a> {
    /// One [`Kind`] per value.
    pub kinds: &'a [u8],
    /// Counts, string indices and reasons, in order of use.
    pub refs: &'a [u32],
    /// Numbers, in order of use.
    pub numbers: &'a [f64],
    /// The string table, concatenated.
    pub strings: &'a str,
    /// Each string's length in UTF-16 code units.
    pub string_lengths: &'a [u32],
}

/// Why a tape could not be read: only a bug in the packer (or a caller bypassing it) can
/// cause one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TapeError(pub &'static str);

/// What an unsupported value was, by the reason code the packer wrote.
pub fn unsupported_reason(code: u32) -> &'static str {
    match code {
        0 => "a function",
        1 => "a symbol",
        2 => "a bigint (use a number)",
        3 => "nested too deeply",
        4 => "a property whose getter threw",
        _ => "input too large",
    }
}

struct Reader<'a> {
    tape: Tape<'a>,
    /// The string table, each entry allocated once however often it is used.
    strings: Vec<Rc<str>>,
    kind: usize,
    reference: usize,
    number: usize,
    nodes: usize,
}

impl Tape<'_> {
    /// Rebuilds the value.
    pub fn decode(self) -> Result<Value, TapeError> {
        let mut reader = Reader {
            strings: split_utf16(self.strings, self.string_lengths)?
                .into_iter()
                .map(Rc::from)
                .collect(),
            tape: self,
            kind: 0,
            reference: 0,
            number: 0,
            nodes: 0,
        };
        let value = reader.value(0)?;
        if reader.kind != self.kinds.len() {
            return Err(TapeError("values left over after the root"));
        }
        Ok(value)
    }
}

/// Cuts the concatenated table at the given UTF-16 lengths.
fn split_utf16<'a>(joined: &'a str, lengths: &[u32]) -> Result<Vec<&'a str>, TapeError> {
    let mut table = Vec::with_capacity(lengths.len());
    let mut chars = joined.char_indices().peekable();
    for &length in lengths {
        let start = chars.peek().map_or(joined.len(), |&(i, _)| i);
        let mut units = 0u32;
        while units < length {
            let (_, c) = chars
                .next()
                .ok_or(TapeError("string table shorter than its lengths"))?;
            units += c.len_utf16() as u32;
        }
        let end = chars.peek().map_or(joined.len(), |&(i, _)| i);
        table.push(
            joined
                .get(start..end)
                .ok_or(TapeError("string cut inside a character"))?,
        );
    }
    Ok(table)
}

impl<'a> Reader<'a> {
    fn next_ref(&mut self) -> Result<u32, TapeError> {
        let value = *self
            .tape
            .refs
            .get(self.reference)
            .ok_or(TapeError("refs ended early"))?;
        self.reference += 1;
        Ok(value)
    }

    fn string(&mut self) -> Result<Rc<str>, TapeError> {
        let index = self.next_ref()? as usize;
        self.strings
            .get(index)
            .cloned()
            .ok_or(TapeError("string index out of range"))
    }

    fn value(&mut self, depth: usize) -> Result<Value, TapeError> {
        let kind = *self
            .tape
            .kinds
            .get(self.kind)
            .ok_or(TapeError("kinds ended early"))?;
        self.kind += 1;
        // Markers for what the packer left out (kind 7) are not data: they do not count, so a
        // request the packer bounded is never refused for its markers.
        if kind != Kind::Unsupported as u8 {
            self.nodes += 1;
        }
        if self.nodes > MAX_NODES || depth > MAX_DEPTH {
            return Err(TapeError("tape deeper or larger than the bounds"));
        }
        Ok(match kind {
            0 => Value::Null,
            1 => Value::Bool(false),
            2 => Value::Bool(true),
            3 => {
                let n = *self
                    .tape
                    .numbers
                    .get(self.number)
                    .ok_or(TapeError("numbers ended early"))?;
                self.number += 1;
                Value::Number(n)
            }
            4 => Value::String(self.string()?),
            5 => {
                let count = self.next_ref()? as usize;
                if count > MAX_LIST_ENTRIES {
                    return Err(TapeError("list longer than the bound"));
                }
                let items = (0..count)
                    .map(|_| self.value(depth + 1))
                    .collect::<Result<_, _>>()?;
                Value::List(items)
            }
            6 => {
                let count = self.next_ref()? as usize;
                if count > MAX_OBJECT_KEYS {
                    return Err(TapeError("object larger than the bound"));
                }
                let mut entries = Vec::with_capacity(count);
                for _ in 0..count {
                    let key = self.string()?;
                    entries.push((key, self.value(depth + 1)?));
                }
                Value::Object(entries)
            }
            7 => Value::Unsupported(unsupported_reason(self.next_ref()?)),
            _ => return Err(TapeError("unknown kind")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tape<'a>(
        kinds: &'a [u8],
        refs: &'a [u32],
        numbers: &'a [f64],
        strings: &'a str,
        lengths: &'a [u32],
    ) -> Tape<'a> {
        Tape {
            kinds,
            refs,
            numbers,
            strings,
            string_lengths: lengths,
        }
    }

    #[test]
    fn an_object_with_lists_strings_and_numbers_round_trips() {
        // {"id":"a1","tags":["x","é😀"],"score":0.5,"ok":true,"gone":null}
        // kinds: object, "a1", list, "x", "é😀", 0.5, true, null
        let kinds = [6, 4, 5, 4, 4, 3, 2, 0];
        // refs: 5 keys; id → "a1"; tags → list of 2 → "x", "é😀"; score; ok; gone
        let refs = [5, 0, 1, 2, 2, 3, 4, 5, 6, 7];
        let strings = "ida1tagsxé😀scoreokgone";
        let lengths = [2, 2, 4, 1, 3, 5, 2, 4];
        let value = tape(&kinds, &refs, &[0.5], strings, &lengths).decode();
        let expected = Value::Object(vec![
            ("id".into(), Value::String("a1".into())),
            (
                "tags".into(),
                Value::List(vec![Value::String("x".into()), Value::String("é😀".into())]),
            ),
            ("score".into(), Value::Number(0.5)),
            ("ok".into(), Value::Bool(true)),
            ("gone".into(), Value::Null),
        ]);
        assert_eq!(value, Ok(expected));
    }

    #[test]
    fn unsupported_values_keep_their_reason() {
        let value = tape(&[7], &[0], &[], "", &[]).decode();
        assert_eq!(value, Ok(Value::Unsupported("a function")));
    }

    #[test]
    fn malformed_tapes_are_errors_not_panics() {
        let cases: [Tape<'_>; 7] = [
            tape(&[], &[], &[], "", &[]),
            tape(&[3], &[], &[], "", &[]),
            tape(&[4], &[9], &[], "ab", &[2]),
            tape(&[5], &[2], &[], "", &[]),
            tape(&[9], &[], &[], "", &[]),
            tape(&[0, 0], &[], &[], "", &[]),
            tape(&[4], &[0], &[], "a", &[5]),
        ];
        for case in cases {
            assert!(case.decode().is_err(), "{case:?}");
        }
    }

    #[test]
    fn markers_of_what_the_packer_left_out_decode_as_unsupported_values() {
        let count = MAX_LIST_ENTRIES as u32;
        let mut kinds = vec![5u8];
        kinds.extend(std::iter::repeat_n(7u8, count as usize));
        let mut refs = vec![count];
        refs.extend(std::iter::repeat_n(5u32, count as usize));
        let value = tape(&kinds, &refs, &[], "", &[]).decode();
        assert!(matches!(value, Ok(Value::List(items)) if items.len() == count as usize));
    }

    #[test]
    fn nesting_past_the_bound_is_refused() {
        let kinds = vec![5u8; MAX_DEPTH + 2];
        let refs = vec![1u32; MAX_DEPTH + 2];
        assert!(tape(&kinds, &refs, &[], "", &[]).decode().is_err());
    }
}
