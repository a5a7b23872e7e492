//! The response body cap: a body is read chunk by chunk into a buffer that never grows past
//! [`MAX_RESPONSE_BODY`], and a `Content-Length` above it is refused before anything is
//! read. So a misbehaving server or proxy cannot make the provider hold more than the cap
//! plus the one chunk in hand.

/// The largest response body the client reads: 8 MiB. This API's largest legitimate
/// answer is a page of 25 tokens (a few hundred KiB at most, even with long inline
/// policies); anything bigger did not come from the endpoint as expected.
pub const MAX_RESPONSE_BODY: usize = 8 * 1024 * 1024;

/// A byte count for messages: whole MiB or KiB when exact, else bytes.
pub fn describe_size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * 1024;
    if bytes >= MIB && bytes % MIB == 0 {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes % KIB == 0 {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// The body would exceed the cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooLarge;

/// A body being read under a cap.
#[derive(Debug)]
pub struct CappedBody {
    cap: usize,
    buf: Vec<u8>,
}

impl CappedBody {
    /// Starts a body of at most `cap` bytes. A declared length (`Content-Length`) above the
    /// cap is refused at once; one within it sizes the buffer up front.
    pub fn new(cap: usize, declared: Option<u64>) -> Result<Self, TooLarge> {
        let initial = match declared {
            Some(n) => usize::try_from(n)
                .ok()
                .filter(|n| *n <= cap)
                .ok_or(TooLarge)?,
            None => 0,
        };
        Ok(CappedBody {
            cap,
            buf: Vec::with_capacity(initial),
        })
    }

    /// Appends one chunk, or refuses it (keeping nothing more) when the body would pass the
    /// cap. The buffer's capacity never exceeds the cap.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), TooLarge> {
        let needed = self
            .buf
            .len()
            .checked_add(chunk.len())
            .filter(|n| *n <= self.cap)
            .ok_or(TooLarge)?;
        if needed > self.buf.capacity() {
            let target = needed
                .max(self.buf.capacity().saturating_mul(2))
                .min(self.cap);
            self.buf.reserve_exact(target - self.buf.len());
        }
        self.buf.extend_from_slice(chunk);
        Ok(())
    }

    /// The body.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_length_over_the_cap_is_refused_before_reading() {
        assert_eq!(CappedBody::new(10, Some(11)).err(), Some(TooLarge));
        assert_eq!(CappedBody::new(10, Some(u64::MAX)).err(), Some(TooLarge));
        let at_cap = CappedBody::new(10, Some(10)).expect("within the cap");
        assert_eq!(at_cap.buf.capacity(), 10);
        assert!(CappedBody::new(10, None).is_ok());
    }

    #[test]
    fn chunks_fill_up_to_the_cap_and_the_first_byte_over_is_refused() {
        let mut body = CappedBody::new(10, None).expect("body");
        assert_eq!(body.push(b"hello"), Ok(()));
        assert_eq!(body.push(b"world"), Ok(()));
        assert_eq!(body.buf.len(), 10);
        assert_eq!(body.push(b"!"), Err(TooLarge));
        assert_eq!(body.push(b""), Ok(()));
        assert_eq!(body.into_bytes(), b"helloworld");
    }

    #[test]
    fn an_oversized_chunk_is_refused_without_being_kept() {
        let mut body = CappedBody::new(4, None).expect("body");
        assert_eq!(body.push(b"abc"), Ok(()));
        assert_eq!(body.push(b"de"), Err(TooLarge));
        assert_eq!(body.buf, b"abc");
    }

    /// Doubling growth would reserve up to twice the cap; the buffer stops at the cap.
    #[test]
    fn the_buffer_never_reserves_more_than_the_cap() {
        let cap = 1000;
        let mut body = CappedBody::new(cap, None).expect("body");
        let chunk = [7u8; 96];
        while body.push(&chunk).is_ok() {
            assert!(body.buf.capacity() <= cap, "{}", body.buf.capacity());
        }
        assert_eq!(body.buf.len(), 960);
        assert!(body.buf.capacity() <= cap);
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(describe_size(MAX_RESPONSE_BODY), "8 MiB");
        assert_eq!(describe_size(2048), "2 KiB");
        assert_eq!(describe_size(1000), "1000 bytes");
    }
}
