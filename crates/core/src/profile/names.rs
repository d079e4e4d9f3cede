//! Segment names: the built-in ones and the rule every other name follows. A leaf that the
//! site's rules, the server's centroids and the segment list all read.

/// The built-in segments, in the order they are listed.
pub const BUILT_IN: [&str; 5] = ["new", "returning", "frequent", "dormant", "engaged"];
/// Longest segment name, in characters.
pub const MAX_SEGMENT_NAME_CHARS: usize = 64;

/// Whether `name` is a valid segment name: 1 to [`MAX_SEGMENT_NAME_CHARS`] ASCII letters,
/// digits, `-`, `_` or `.` (no `:`, so no rule can pass for a `cluster:` segment).
pub fn is_segment_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_SEGMENT_NAME_CHARS
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}
