//! Strict base64url decoding of one TC-string segment into packed bits, and
//! a big-endian bit reader over them. It never allocates more than the input
//! length implies and never reads past the decoded bits: every read that
//! would do so is reported as truncation of the named field.

use super::error::{FieldPath, TcfError};

/// Bits decoded from one base64url segment: 6 bits per input character,
/// packed most-significant-bit first into bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Bits {
    bytes: Vec<u8>,
    len: usize,
}

impl Bits {
    /// Number of meaningful bits (6 × the number of characters).
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.len
    }
}

/// Maps one base64url character to its 6-bit value.
fn sextet(byte: u8) -> Option<u8> {
    match byte {
        b'A'..=b'Z' => Some(byte - b'A'),
        b'a'..=b'z' => Some(byte - b'a' + 26),
        b'0'..=b'9' => Some(byte - b'0' + 52),
        b'-' => Some(62),
        b'_' => Some(63),
        _ => None,
    }
}

/// Decodes one segment of unpadded base64url text.
///
/// `base_offset` is the byte offset of `segment` inside the whole TC string,
/// so that an error names the position a person can find in the original.
/// Padding (`=`), the standard alphabet's `+` and `/`, whitespace and any
/// non-ASCII character are rejected, as the reference decoder does.
pub(super) fn decode_base64url(segment: &str, base_offset: usize) -> Result<Bits, TcfError> {
    let len = segment.len().saturating_mul(6);
    let mut bytes = Vec::with_capacity(len.div_ceil(8));
    let mut acc: u32 = 0;
    let mut acc_bits: u32 = 0;
    for (index, ch) in segment.char_indices() {
        let value = u8::try_from(ch)
            .ok()
            .and_then(sextet)
            .ok_or(TcfError::InvalidBase64 {
                position: base_offset.saturating_add(index),
                found: ch,
            })?;
        acc = (acc << 6) | u32::from(value);
        acc_bits += 6;
        if acc_bits >= 8 {
            acc_bits -= 8;
            // Truncation to the low byte is intended: the top bits were
            // already emitted.
            bytes.push((acc >> acc_bits) as u8);
            acc &= (1 << acc_bits) - 1;
        }
    }
    if acc_bits > 0 {
        bytes.push((acc << (8 - acc_bits)) as u8);
    }
    Ok(Bits { bytes, len })
}

/// Reads big-endian unsigned fields of 1 to 36 bits from [`Bits`].
#[derive(Debug)]
pub(super) struct BitReader<'a> {
    bytes: &'a [u8],
    len: usize,
    pos: usize,
}

impl<'a> BitReader<'a> {
    /// Starts reading at the first bit.
    pub(super) fn new(bits: &'a Bits) -> Self {
        BitReader {
            bytes: &bits.bytes,
            len: bits.len,
            pos: 0,
        }
    }

    /// Bits not yet read.
    pub(super) fn remaining(&self) -> usize {
        self.len.saturating_sub(self.pos)
    }

    /// Reads one bit without a length check (callers check `remaining`).
    fn bit_at(&self, pos: usize) -> u64 {
        let byte = self.bytes.get(pos >> 3).copied().unwrap_or(0);
        u64::from((byte >> (7 - (pos & 7))) & 1)
    }

    /// Reads `width` bits (at most 64) as a big-endian unsigned integer, or
    /// reports that `path` was truncated.
    pub(super) fn read(&mut self, width: u32, path: FieldPath) -> Result<u64, TcfError> {
        let width_bits = width as usize;
        if width > 64 || self.remaining() < width_bits {
            return Err(TcfError::Truncated { field: path });
        }
        let mut value: u64 = 0;
        let mut pos = self.pos;
        // Whole bytes where aligned, single bits otherwise.
        let end = self.pos + width_bits;
        while pos < end {
            if pos & 7 == 0 && end - pos >= 8 {
                let byte = self.bytes.get(pos >> 3).copied().unwrap_or(0);
                value = (value << 8) | u64::from(byte);
                pos += 8;
            } else {
                value = (value << 1) | self.bit_at(pos);
                pos += 1;
            }
        }
        self.pos = end;
        Ok(value)
    }

    /// Reads one bit as a boolean.
    pub(super) fn read_bool(&mut self, path: FieldPath) -> Result<bool, TcfError> {
        Ok(self.read(1, path)? == 1)
    }

    /// Reads a field of at most 8 bits.
    pub(super) fn read_u8(&mut self, width: u32, path: FieldPath) -> Result<u8, TcfError> {
        debug_assert!(width <= 8);
        Ok((self.read(width.min(8), path)? & 0xff) as u8)
    }

    /// Reads a field of at most 16 bits.
    pub(super) fn read_u16(&mut self, width: u32, path: FieldPath) -> Result<u16, TcfError> {
        debug_assert!(width <= 16);
        Ok((self.read(width.min(16), path)? & 0xffff) as u16)
    }

    /// Calls `on_run(start, end)` for every maximal run of 1-bits in the next
    /// `count` bits, numbering the first of them 1 (a vendor bitfield).
    /// Reports truncation of `path` before reading anything if fewer than
    /// `count` bits remain.
    pub(super) fn read_bitfield_runs(
        &mut self,
        count: u16,
        path: FieldPath,
        mut on_run: impl FnMut(u16, u16),
    ) -> Result<(), TcfError> {
        if self.remaining() < usize::from(count) {
            return Err(TcfError::Truncated { field: path });
        }
        let mut run_start: Option<u16> = None;
        for id in 1..=count {
            let bit = self.bit_at(self.pos);
            self.pos += 1;
            match (bit, run_start) {
                (1, None) => run_start = Some(id),
                (0, Some(start)) => {
                    on_run(start, id - 1);
                    run_start = None;
                }
                _ => {}
            }
        }
        if let Some(start) = run_start {
            on_run(start, count);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PATH: FieldPath = FieldPath::new("test");

    #[test]
    fn base64url_maps_every_alphabet_character_to_its_index() {
        let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let bits = decode_base64url(alphabet, 0).unwrap();
        assert_eq!(bits.len(), 64 * 6);
        let mut reader = BitReader::new(&bits);
        for expected in 0..64u64 {
            assert_eq!(reader.read(6, PATH).unwrap(), expected);
        }
        assert_eq!(reader.remaining(), 0);
    }

    #[test]
    fn base64url_rejects_padding_standard_alphabet_and_non_ascii_with_position() {
        for (text, position, found) in [
            ("AB=", 2, '='),
            ("A+B", 1, '+'),
            ("AB/C", 2, '/'),
            ("A B", 1, ' '),
            ("AAé", 2, 'é'),
        ] {
            assert_eq!(
                decode_base64url(text, 10),
                Err(TcfError::InvalidBase64 {
                    position: position + 10,
                    found
                }),
                "{text}"
            );
        }
    }

    #[test]
    fn base64url_accepts_lengths_that_are_not_whole_bytes() {
        let bits = decode_base64url("_", 0).unwrap();
        assert_eq!(bits.len(), 6);
        let mut reader = BitReader::new(&bits);
        assert_eq!(reader.read(6, PATH).unwrap(), 63);
    }

    #[test]
    fn bit_reader_reads_big_endian_fields_across_byte_boundaries() {
        // "CAAA" = 000010 000000 000000 000000
        let bits = decode_base64url("CAAAAB", 0).unwrap();
        let mut reader = BitReader::new(&bits);
        assert_eq!(reader.read(6, PATH).unwrap(), 2);
        assert_eq!(reader.read(29, PATH).unwrap(), 0);
        assert_eq!(reader.read(1, PATH).unwrap(), 1);
        assert_eq!(reader.remaining(), 0);
    }

    #[test]
    fn bit_reader_reports_truncation_without_consuming() {
        let bits = decode_base64url("AA", 0).unwrap();
        let mut reader = BitReader::new(&bits);
        assert_eq!(reader.read(10, PATH).unwrap(), 0);
        assert_eq!(
            reader.read(3, PATH),
            Err(TcfError::Truncated { field: PATH })
        );
        assert_eq!(reader.remaining(), 2);
        assert!(reader.read(65, PATH).is_err());
    }

    #[test]
    fn bit_reader_reads_36_bit_timestamps_exactly() {
        // 36 bits of ones followed by zeros.
        let bits = decode_base64url("______AA", 0).unwrap();
        let mut reader = BitReader::new(&bits);
        assert_eq!(reader.read(36, PATH).unwrap(), (1u64 << 36) - 1);
        assert_eq!(reader.read(12, PATH).unwrap(), 0);
    }

    #[test]
    fn bitfield_runs_are_reported_one_based_and_maximal() {
        // 0110 1000 0001 -> ids 2..=3, 5, 12
        let bits = decode_base64url("aB", 0).unwrap();
        let mut reader = BitReader::new(&bits);
        let mut runs = Vec::new();
        reader
            .read_bitfield_runs(12, PATH, |s, e| runs.push((s, e)))
            .unwrap();
        assert_eq!(runs, vec![(2, 3), (5, 5), (12, 12)]);
        assert!(reader
            .read_bitfield_runs(1, PATH, |_, _| unreachable!())
            .is_err());
    }
}
