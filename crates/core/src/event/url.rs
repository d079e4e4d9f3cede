//! The few pieces of a URL that capture keeps: a link's origin and path, a page's path, and a
//! referrer's host.
//!
//! Its one job is to cut URLs down before anything is stored. It reads absolute URLs as the
//! browser resolves them (`anchor.href`, `document.referrer`) with a deliberately small
//! parser, and it never keeps a query string, a fragment or credentials, which is where URLs
//! carry personal data. It never fails on odd input: it answers `None` or cuts to a bound.

/// Longest page path, or link origin plus path, kept, in characters; longer ones are cut.
pub const MAX_PATH_CHARS: usize = 512;
/// Longest host accepted, in characters (a DNS name has at most 253).
pub const MAX_HOST_CHARS: usize = 253;

/// The first `max_chars` characters of `text` (all of it when shorter).
pub fn truncate_chars(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => text.get(..end).unwrap_or(text),
        None => text,
    }
}

/// Splits `scheme://authority/rest` into the lower-case scheme, the host (with its port,
/// without credentials, lower-case) and what follows the authority.
fn split_url(url: &str) -> Option<(String, String, &str)> {
    let url = url.trim();
    let colon = url.find(':')?;
    let (scheme, rest) = (url.get(..colon)?, url.get(colon + 1..)?.strip_prefix("//")?);

    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !scheme_ok {
        return None;
    }
    let end = rest.find(['/', '?', '#', '\\']).unwrap_or(rest.len());
    let (authority, after) = rest.split_at_checked(end)?;
    let host = authority.rsplit('@').next().unwrap_or(authority);
    if host.is_empty() || host.chars().count() > MAX_HOST_CHARS {
        return None;
    }
    Some((
        scheme.to_ascii_lowercase(),
        host.to_ascii_lowercase(),
        after,
    ))
}

/// The path part of what follows an authority: up to the query or fragment, `/` when empty.
fn path_part(after_authority: &str) -> &str {
    let end = after_authority
        .find(['?', '#'])
        .unwrap_or(after_authority.len());
    match after_authority.get(..end) {
        Some("") | None => "/",
        Some(path) => path,
    }
}

/// A link's origin and path (`https://shop.example/shoes`), without query, fragment or
/// credentials; `None` for anything but an absolute `http:` or `https:` URL.
pub fn link_path(href: &str) -> Option<String> {
    let (scheme, host, after) = split_url(href)?;
    if scheme != "http" && scheme != "https" {
        return None;
    }
    let url = format!("{scheme}://{host}{}", path_part(after));
    Some(truncate_chars(&url, MAX_PATH_CHARS).to_owned())
}

/// A page's path (`location.pathname`, or anything with a query or fragment to drop), cut to
/// [`MAX_PATH_CHARS`]; `/` when empty.
pub fn clean_path(raw: &str) -> String {
    truncate_chars(path_part(raw.trim()), MAX_PATH_CHARS).to_owned()
}

/// A host without port or trailing dot, lower-case: `WWW.Example.com.:443` → `www.example.com`.
pub fn normalize_host(host: &str) -> String {
    let host = host.trim();
    let without_port = if host.starts_with('[') {
        // An IPv6 literal: keep it whole, brackets included.
        host.find(']').and_then(|i| host.get(..=i)).unwrap_or(host)
    } else {
        host.split(':').next().unwrap_or(host)
    };
    without_port.trim_end_matches('.').to_ascii_lowercase()
}

/// The normalized host of an absolute URL of any scheme; `None` when there is none.
pub fn host_of(url: &str) -> Option<String> {
    let (_, host, _) = split_url(url)?;
    Some(normalize_host(&host)).filter(|h| !h.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_keeps_its_origin_and_path_only() {
        assert_eq!(
            link_path("https://user:pw@Shop.Example:8443/a/b?utm=1#top").as_deref(),
            Some("https://shop.example:8443/a/b")
        );
        assert_eq!(
            link_path("HTTP://example.com?q=1").as_deref(),
            Some("http://example.com/")
        );
    }

    #[test]
    fn links_that_are_not_http_are_refused() {
        for href in [
            "mailto:a@b.c",
            "javascript:alert(1)",
            "ftp://example.com/x",
            "tel:+123",
            "/relative/path",
            "https://",
            "",
        ] {
            assert_eq!(link_path(href), None, "{href}");
        }
    }

    #[test]
    fn long_paths_are_cut_not_refused() {
        let long = format!("/{}", "é".repeat(2_000));
        assert_eq!(clean_path(&long).chars().count(), MAX_PATH_CHARS);
        let link = link_path(&format!("https://example.com{long}")).unwrap();
        assert_eq!(link.chars().count(), MAX_PATH_CHARS);
    }

    #[test]
    fn a_page_path_loses_its_query_and_fragment() {
        assert_eq!(clean_path("/search?q=secret#results"), "/search");
        assert_eq!(clean_path(""), "/");
        assert_eq!(clean_path("?only=query"), "/");
    }

    #[test]
    fn hosts_are_normalized_without_port_or_trailing_dot() {
        assert_eq!(normalize_host("WWW.Example.com.:443"), "www.example.com");
        assert_eq!(normalize_host("[::1]:8080"), "[::1]");
        assert_eq!(
            host_of("android-app://com.google.android.gm/").as_deref(),
            Some("com.google.android.gm")
        );
        assert_eq!(host_of("not a url"), None);
    }

    #[test]
    fn odd_input_is_answered_without_panicking() {
        for odd in [
            "://",
            "a://",
            "1a://x",
            "https://@",
            "https://[",
            "https://[::1",
            "https://é.é/é?é#é",
            "https://a@b@c/d",
            "\u{0}://\u{0}",
            "   ",
            "https://\\x",
            "é://x/y",
        ] {
            let _ = (
                link_path(odd),
                host_of(odd),
                clean_path(odd),
                normalize_host(odd),
            );
        }
        assert_eq!(link_path("https://a@b@c/d").as_deref(), Some("https://c/d"));
        assert_eq!(host_of("https://[::1"), Some("[::1".to_owned()));
    }
}
